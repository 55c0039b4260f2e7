// The day's weather: the seasonal cycle in closed form, the solar factor unchanged by the load's
// draws, and the load factors' mean, spread and correlation over many days.
#include "mfgrid/agents/weather.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "agents/test_scenarios.hpp"
#include "mfgrid/core/fast_math.hpp"

namespace mfgrid {
namespace {

TEST(Weather, TheSeasonalFactorIsACosineAroundOneThatPeaksOnItsDay) {
  EXPECT_EQ(seasonal_factor(0.0, 17, 200), 1.0);
  EXPECT_DOUBLE_EQ(seasonal_factor(0.2, 200, 200), 1.2);
  EXPECT_NEAR(seasonal_factor(0.2, 200 - 182, 200), 0.8, 1e-4);  // half a year off
  EXPECT_NEAR(seasonal_factor(0.2, 109, 200),
              1.0 + 0.2 * std::cos(2 * std::numbers::pi * -91 / 365.0), 1e-15);
}

TEST(Weather, TheRunsDaysWrapAroundTheYear) {
  const WeatherModel w(testing::small_scenario_with({"time.first_day_of_year=360"}));
  EXPECT_EQ(w.day_of_year(0), 360);
  EXPECT_EQ(w.day_of_year(5), 365);
  EXPECT_EQ(w.day_of_year(6), 1);
  EXPECT_EQ(w.day_of_year(371), 1);
}

// Without seasons the solar factor is max(0, mean + sd·z1) of the bus's own draw, whatever the
// load's settings: adding load variability to a scenario leaves its sun as it was.
TEST(Weather, TheSolarFactorIsTheBusOwnDrawWhateverTheLoadDoes) {
  const Scenario s =
      testing::small_scenario_with({"households.weather_mean=0.9", "households.weather_sd=0.3",
                                    "network.load_sd=0.2", "network.load_correlation=0.5"});
  const WeatherModel w(s);
  const RandomStreams streams(s.seed);
  for (int day = 0; day < 50; ++day) {
    const DayWeather today = w.day(streams, day);
    for (std::size_t b = 0; b < s.network.buses.size(); ++b) {
      const auto draw = streams.draw(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(day),
                                     0, StreamPurpose::weather);
      float z1, z2;
      fast_math::normal_pair(uniform_open01(draw[0]), uniform_open01(draw[1]), z1, z2);
      EXPECT_EQ(today.solar[b], std::max(0.0f, 0.9f + 0.3f * z1));
    }
  }
}

TEST(Weather, LoadFactorsHaveTheirMeanSpreadAndCorrelation) {
  const Scenario s = testing::small_scenario_with(
      {"network.load_sd=0.1", "network.load_correlation=0.6", "network.load_season=0.2",
       "network.load_peak_day=100", "time.first_day_of_year=50"});
  ASSERT_GE(s.network.buses.size(), 2u);
  const WeatherModel w(s);
  const RandomStreams streams(s.seed);
  const int days = 20000;
  double sum0 = 0, sum1 = 0, sq0 = 0, sq1 = 0, cross = 0;
  for (int day = 0; day < days; ++day) {
    const double season =
        1.0 + 0.2 * std::cos(2 * std::numbers::pi * (w.day_of_year(day) - 100) / 365.0);
    EXPECT_DOUBLE_EQ(w.expected_load(day)[0], season);
    const DayWeather today = w.day(streams, day);
    const double z0 = (today.load[0] / season - 1) / 0.1, z1 = (today.load[1] / season - 1) / 0.1;
    sum0 += z0, sum1 += z1, sq0 += z0 * z0, sq1 += z1 * z1, cross += z0 * z1;
  }
  const double n = days, m0 = sum0 / n, m1 = sum1 / n;
  const double v0 = sq0 / n - m0 * m0, v1 = sq1 / n - m1 * m1;
  const double rho = (cross / n - m0 * m1) / std::sqrt(v0 * v1);
  // Five standard errors: 1/√n for the means, √(2/n) for the variances, (1 − ρ²)/√n for ρ.
  EXPECT_NEAR(m0, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(m1, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(v0, 1.0, 5 * std::sqrt(2 / n));
  EXPECT_NEAR(v1, 1.0, 5 * std::sqrt(2 / n));
  EXPECT_NEAR(rho, 0.6, 5 * (1 - 0.36) / std::sqrt(n));
}

}  // namespace
}  // namespace mfgrid
