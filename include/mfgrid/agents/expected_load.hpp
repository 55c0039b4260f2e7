// The households' mean net withdrawal with idle batteries and average weather: the load a
// flat tariff without any battery response would see. Used by `mfgrid opf SCENARIO.toml` and
// as a reference for the simulated population.
#pragma once

#include <vector>

#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

// MW per bus in `period` (negative where rooftop PV exceeds demand), for the real households.
std::vector<double> expected_household_load_mw(const Scenario& scenario, int period);

// Expected net energy (kWh) of one household of class `c` in `period`.
double expected_household_net_kwh(const Scenario& scenario, const HouseholdClass& c, int period);

}  // namespace mfgrid
