#include "mfgrid/agents/expected_load.hpp"

#include "mfgrid/core/units.hpp"

namespace mfgrid {

double expected_household_net_kwh(const Scenario& s, const HouseholdClass& c, int period) {
  const auto t = static_cast<std::size_t>(period);
  const double hours = s.time.period_hours();
  const double demand = c.daily_kwh * c.demand_shape[t];
  const double pv = c.pv_kw * s.households.solar_profile[t] * s.households.weather_mean * hours;
  return demand - pv;
}

std::vector<double> expected_household_load_mw(const Scenario& s, int period) {
  std::vector<double> mw(s.network.buses.size(), 0.0);
  const double hours = s.time.period_hours();
  for (const auto& c : s.households.classes)
    mw[static_cast<std::size_t>(c.bus)] += static_cast<double>(c.count) *
                                           expected_household_net_kwh(s, c, period) / hours /
                                           units::kw_per_mw;
  return mw;
}

}  // namespace mfgrid
