// One-class scenarios with known answers for the follower tests: a single bus, one prosumer class,
// noise and heterogeneity off, so every member lives the same deterministic day.
#pragma once

#include <string>
#include <vector>

#include "mfgrid/config/scenario_loader.hpp"

namespace mfgrid::testing {

// `rates`: 8 import rates ($/MWh); `pv_kw`; export credited at a fixed `export_rate`.
inline Scenario deterministic_prosumers(const std::string& rates, double pv_kw, double export_rate,
                                        const std::vector<std::string>& overrides = {}) {
  const std::string text = R"(
[scenario]
name = "deterministic-prosumers"
[time]
days = 60
periods = 8
[[network.bus]]
name = "b"
base_load_mw = 0.0
[[network.generator]]
name = "g"
bus = "b"
pmin_mw = -10.0
pmax_mw = 10.0
cost_per_mwh = 30.0
[households]
solar_profile = [0.0, 0.0, 0.12, 0.50, 0.60, 0.28, 0.02, 0.0]
weather_sd = 0.0
demand_noise = 0.0
pv_noise = 0.0
parameter_spread = 0.0
battery_levels = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
[[households.group]]
name = "all"
income = 40000.0
[[households.class]]
name = "prosumers"
bus = "b"
kind = "prosumer"
group = "all"
count = 100
daily_kwh = 20.0
demand_shape = [0.07, 0.06, 0.12, 0.11, 0.11, 0.14, 0.23, 0.16]
pv_kw = )" + std::to_string(pv_kw) +
                           R"(
battery_kwh = 10.0
battery_kw = 2.5
eta_charge = 0.95
eta_discharge = 0.95
initial_soc = 0.5
[tariff]
import_rates = )" + rates + R"(
import_bounds = [0.0, 2000.0]
fixed_charges = [0.0]
export = "fixed"
export_rate = )" + std::to_string(export_rate) +
                           R"(
[followers]
learner = "soft-q"
soc_bins = 41
discount = 0.995
temperature = 0.002
damping = 0.5
max_iterations = 40
degradation_cost = 0.01
)";
  return parse_scenario(text, "deterministic-prosumers.toml", overrides);
}

}  // namespace mfgrid::testing
