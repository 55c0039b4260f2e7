// The day's weather: per bus, the solar factor of the bus's households and the factor of its
// exogenous (non-household) load, each a daily draw around a seasonal cycle.
#pragma once

#include <vector>

#include "mfgrid/config/scenario.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {

struct DayWeather {
  std::vector<float> solar;  // multiplies every household's PV capacity factors
  std::vector<double> load;  // multiplies the bus's exogenous base load in every period
};

// 1 + amplitude·cos(2π (day_of_year − peak_day) / 365): a seasonal cycle around 1 that peaks on
// `peak_day`. Exactly 1 when the amplitude is 0.
double seasonal_factor(double amplitude, int day_of_year, int peak_day);

class WeatherModel {
 public:
  explicit WeatherModel(const Scenario& scenario);

  // Day `day` of the run (0-based) as a day of the year, 1 … 365.
  int day_of_year(int day) const;

  // Per bus b, from the bus's weather stream for `day` (standard normals z1, z2) and a regional
  // shock z0 common to every bus (bus 0's stream, its other two words):
  //   solar_b = max(0, weather_mean + weather_sd·z1) · season_solar(day)
  //   load_b  = max(0, 1 + load_sd·(√ρ·z0 + √(1−ρ)·z2)) · season_load(day),  ρ = load_correlation
  // Solar and load shocks are independent of each other and across days; load shocks at two
  // buses have correlation ρ (a region shares its weather).
  DayWeather day(const RandomStreams& streams, int day) const;

  // The seasonal part alone, without the day's draw: the load the run expects on `day`.
  std::vector<double> expected_load(int day) const;

 private:
  int buses_;
  int first_day_of_year_;
  float solar_mean_, solar_sd_;
  double solar_season_;
  int solar_peak_day_;
  double load_sd_, load_season_;
  int load_peak_day_;
  double common_weight_, own_weight_;  // √ρ and √(1 − ρ)
};

}  // namespace mfgrid
