#include "mfgrid/agents/household_model.hpp"

namespace mfgrid {

HouseholdModel HouseholdModel::from_scenario(const Scenario& s) {
  HouseholdModel m;
  m.periods = s.time.periods;
  m.period_hours = static_cast<float>(s.time.period_hours());
  m.soc_bins = s.followers.soc_bins;
  for (double l : s.households.battery_levels) m.levels.push_back(static_cast<float>(l));
  for (double f : s.households.solar_profile) m.solar.push_back(static_cast<float>(f));
  m.weather_mean = static_cast<float>(s.households.weather_mean);
  m.weather_sd = static_cast<float>(s.households.weather_sd);
  m.solar_season = static_cast<float>(s.households.solar_season);
  m.demand_noise = static_cast<float>(s.households.demand_noise);
  m.pv_noise = static_cast<float>(s.households.pv_noise);
  m.parameter_spread = static_cast<float>(s.households.parameter_spread);
  for (const auto& c : s.households.classes) {
    ClassModel cm;
    cm.bus = c.bus;
    cm.group = c.group;
    cm.prosumer = c.kind == HouseholdKind::prosumer;
    for (double share : c.demand_shape)
      cm.demand_kwh.push_back(static_cast<float>(c.daily_kwh * share));
    cm.pv_kw = static_cast<float>(c.pv_kw);
    cm.battery_kwh = static_cast<float>(c.battery_kwh);
    cm.battery_kw = static_cast<float>(c.battery_kw);
    cm.eta_charge = static_cast<float>(c.eta_charge);
    cm.eta_discharge = static_cast<float>(c.eta_discharge);
    cm.initial_soc = static_cast<float>(c.initial_soc);
    m.classes.push_back(std::move(cm));
  }
  return m;
}

}  // namespace mfgrid
