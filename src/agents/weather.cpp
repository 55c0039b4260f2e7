#include "mfgrid/agents/weather.hpp"

#include <cmath>
#include <numbers>

#include "mfgrid/core/fast_math.hpp"

namespace mfgrid {

double seasonal_factor(double amplitude, int day_of_year, int peak_day) {
  if (amplitude == 0.0) return 1.0;
  return 1.0 + amplitude * std::cos(2.0 * std::numbers::pi * (day_of_year - peak_day) / 365.0);
}

WeatherModel::WeatherModel(const Scenario& s)
    : buses_(static_cast<int>(s.network.buses.size())),
      first_day_of_year_(s.time.first_day_of_year),
      solar_mean_(static_cast<float>(s.households.weather_mean)),
      solar_sd_(static_cast<float>(s.households.weather_sd)),
      solar_season_(s.households.solar_season),
      solar_peak_day_(s.households.solar_peak_day),
      load_sd_(s.network.load_sd),
      load_season_(s.network.load_season),
      load_peak_day_(s.network.load_peak_day),
      common_weight_(std::sqrt(s.network.load_correlation)),
      own_weight_(std::sqrt(1.0 - s.network.load_correlation)) {}

int WeatherModel::day_of_year(int day) const { return (first_day_of_year_ - 1 + day) % 365 + 1; }

DayWeather WeatherModel::day(const RandomStreams& streams, int day) const {
  const int doy = day_of_year(day);
  const auto solar_season =
      static_cast<float>(seasonal_factor(solar_season_, doy, solar_peak_day_));
  const double load_season = seasonal_factor(load_season_, doy, load_peak_day_);
  DayWeather w;
  w.solar.resize(static_cast<std::size_t>(buses_));
  w.load.resize(static_cast<std::size_t>(buses_));
  float common = 0, unused;  // the region's load shock: from bus 0, the first in the loop
  for (int b = 0; b < buses_; ++b) {
    const auto draw = streams.draw(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(day),
                                   0, StreamPurpose::weather);
    if (b == 0)
      fast_math::normal_pair(uniform_open01(draw[2]), uniform_open01(draw[3]), common, unused);
    float z1, z2;
    fast_math::normal_pair(uniform_open01(draw[0]), uniform_open01(draw[1]), z1, z2);
    const float f = solar_mean_ + solar_sd_ * z1;
    w.solar[static_cast<std::size_t>(b)] = (f > 0.0f ? f : 0.0f) * solar_season;
    const double z =
        common_weight_ * static_cast<double>(common) + own_weight_ * static_cast<double>(z2);
    const double g = 1.0 + load_sd_ * z;
    w.load[static_cast<std::size_t>(b)] = (g > 0.0 ? g : 0.0) * load_season;
  }
  return w;
}

std::vector<double> WeatherModel::expected_load(int day) const {
  return std::vector<double>(static_cast<std::size_t>(buses_),
                             seasonal_factor(load_season_, day_of_year(day), load_peak_day_));
}

}  // namespace mfgrid
