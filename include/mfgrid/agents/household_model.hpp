// The household model in the form the agent kernels use: per-class constants in single
// precision, derived once from the scenario.
#pragma once

#include <vector>

#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

struct ClassModel {
  int bus = 0;
  int group = 0;
  bool prosumer = false;
  std::vector<float> demand_kwh;         // mean demand in each period (daily_kwh × shape) today
  std::vector<float> demand_series_kwh;  // days × periods of a measured series; empty: constant
  float pv_kw = 0;
  float battery_kwh = 0;
  float battery_kw = 0;
  float eta_charge = 1;
  float eta_discharge = 1;
  float initial_soc = 0.5f;  // fraction of capacity
};

struct HouseholdModel {
  int periods = 8;
  float period_hours = 3;
  int soc_bins = 21;
  std::vector<float> levels;        // battery actions as fractions of power (< 0 discharges)
  std::vector<float> solar;         // PV capacity factor per period today
  std::vector<float> solar_series;  // days × periods of a measured series; empty: constant
  int series_days = 0;              // the shortest series' days (0: no series)
  float weather_mean = 1;
  float weather_sd = 0;
  float solar_season = 0;  // the solar factor's seasonal amplitude: its largest is (1 + this)×
  float demand_noise = 0;
  float pv_noise = 0;
  float parameter_spread = 0;
  std::vector<ClassModel> classes;

  static HouseholdModel from_scenario(const Scenario& scenario);
  int actions() const { return static_cast<int>(levels.size()); }
  // Makes `solar` and every class's `demand_kwh` day `day`'s of their series (where they have
  // one), so that the kernels and the followers' models, which read those, see the day's profile.
  // Throws Error past the end of a series.
  void set_day(int day);
  // The largest value either takes on any day (what bounds a household's energy in a period).
  float largest_solar() const;
  float largest_demand_kwh(const ClassModel& cls) const;
};

}  // namespace mfgrid
