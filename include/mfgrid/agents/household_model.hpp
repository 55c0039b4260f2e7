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
  std::vector<float> demand_kwh;  // mean demand in each period (daily_kwh × shape)
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
  std::vector<float> levels;  // battery actions as fractions of power (< 0 discharges)
  std::vector<float> solar;   // PV capacity factor per period
  float weather_mean = 1;
  float weather_sd = 0;
  float solar_season = 0;  // the solar factor's seasonal amplitude: its largest is (1 + this)×
  float demand_noise = 0;
  float pv_noise = 0;
  float parameter_spread = 0;
  std::vector<ClassModel> classes;

  static HouseholdModel from_scenario(const Scenario& scenario);
  int actions() const { return static_cast<int>(levels.size()); }
};

}  // namespace mfgrid
