#include "mfgrid/agents/household_model.hpp"

#include <algorithm>
#include <string>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

HouseholdModel HouseholdModel::from_scenario(const Scenario& s) {
  HouseholdModel m;
  m.periods = s.time.periods;
  m.period_hours = static_cast<float>(s.time.period_hours());
  m.soc_bins = s.followers.soc_bins;
  for (double l : s.households.battery_levels) m.levels.push_back(static_cast<float>(l));
  for (double f : s.households.solar_profile) m.solar.push_back(static_cast<float>(f));
  for (double f : s.households.solar_series.values) m.solar_series.push_back(static_cast<float>(f));
  const auto shortest = [&](const DailySeries& series) {
    if (!series.empty())
      m.series_days = m.series_days > 0 ? std::min(m.series_days, series.days()) : series.days();
  };
  shortest(s.households.solar_series);
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
    for (double share : c.demand_series.values)
      cm.demand_series_kwh.push_back(static_cast<float>(c.daily_kwh * share));
    shortest(c.demand_series);
    cm.pv_kw = static_cast<float>(c.pv_kw);
    cm.battery_kwh = static_cast<float>(c.battery_kwh);
    cm.battery_kw = static_cast<float>(c.battery_kw);
    cm.eta_charge = static_cast<float>(c.eta_charge);
    cm.eta_discharge = static_cast<float>(c.eta_discharge);
    cm.initial_soc = static_cast<float>(c.initial_soc);
    m.classes.push_back(std::move(cm));
  }
  if (m.series_days > 0) m.set_day(0);
  return m;
}

namespace {
void copy_day(const std::vector<float>& series, int periods, int day, std::vector<float>& into) {
  if (series.empty()) return;
  const auto first = series.begin() + static_cast<std::ptrdiff_t>(day) * periods;
  std::copy(first, first + periods, into.begin());
}

float largest(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (float x : a) m = std::max(m, x);
  for (float x : b) m = std::max(m, x);
  return m;
}
}  // namespace

void HouseholdModel::set_day(int day) {
  if (series_days == 0) return;
  if (day < 0 || day >= series_days)
    throw Error("day " + std::to_string(day) + " lies past the end of the scenario's measured " +
                "series (" + std::to_string(series_days) +
                " days; day d of the run reads day d of the series)");
  copy_day(solar_series, periods, day, solar);
  for (ClassModel& c : classes) copy_day(c.demand_series_kwh, periods, day, c.demand_kwh);
}

float HouseholdModel::largest_solar() const { return largest(solar, solar_series); }

float HouseholdModel::largest_demand_kwh(const ClassModel& cls) const {
  return largest(cls.demand_kwh, cls.demand_series_kwh);
}

}  // namespace mfgrid
