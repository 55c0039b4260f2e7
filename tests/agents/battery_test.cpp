// Battery physics: limits and the energy balance charge·η_c − discharge/η_d = Δsoc.
#include "mfgrid/agents/battery.hpp"

#include <gtest/gtest.h>

#include <random>

namespace mfgrid {
namespace {

TEST(Battery, ChargesDischargesAndStopsAtTheLimits) {
  const BatteryEfficiency eta = BatteryEfficiency::of(0.9f, 0.9f);
  float soc = 5.0f, c, d;
  battery_step(1.0f, 4.0f, 1.0f, 10.0f, eta, soc, c, d);  // 4 kWh in, 3.6 stored
  EXPECT_FLOAT_EQ(c, 4.0f);
  EXPECT_FLOAT_EQ(d, 0.0f);
  EXPECT_FLOAT_EQ(soc, 8.6f);
  battery_step(1.0f, 4.0f, 1.0f, 10.0f, eta, soc, c, d);  // only 1.4 kWh of room left
  EXPECT_NEAR(c, 1.4f / 0.9f, 1e-5);
  EXPECT_FLOAT_EQ(soc, 10.0f);
  battery_step(-0.5f, 4.0f, 3.0f, 10.0f, eta, soc, c, d);  // 6 kWh delivered, 6/0.9 drawn
  EXPECT_FLOAT_EQ(d, 6.0f);
  EXPECT_NEAR(soc, 10.0f - 6.0f / 0.9f, 1e-5);
  const float left = soc;
  battery_step(-1.0f, 4.0f, 3.0f, 10.0f, eta, soc, c, d);  // empties: delivers soc·η_d
  EXPECT_FLOAT_EQ(d, left * 0.9f);
  EXPECT_NEAR(soc, 0.0f, 1e-6f);  // up to the rounding of soc − (soc·η)/η
  battery_step(0.0f, 4.0f, 3.0f, 10.0f, eta, soc, c, d);
  EXPECT_EQ(c + d, 0.0f);
}

TEST(Battery, EnergyBalanceClosesAndStateStaysInBounds) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (int i = 0; i < 200000; ++i) {
    const float cap = 1.0f + 20.0f * u(rng), power = 0.5f + 8.0f * u(rng),
                hours = 0.25f + 3.0f * u(rng);
    const float eta_c = 0.8f + 0.2f * u(rng), eta_d = 0.8f + 0.2f * u(rng),
                level = 2.0f * u(rng) - 1.0f;
    float soc = cap * u(rng);
    const float before = soc;
    float c, d;
    battery_step(level, power, hours, cap, BatteryEfficiency::of(eta_c, eta_d), soc, c, d);
    ASSERT_GE(soc, 0.0f);
    ASSERT_LE(soc, cap);
    ASSERT_GE(c, 0.0f);
    ASSERT_GE(d, 0.0f);
    ASSERT_TRUE(c == 0.0f || d == 0.0f);
    ASSERT_LE(c + d, power * hours * std::abs(level) * (1 + 1e-6f));
    ASSERT_NEAR(c * eta_c - d / eta_d, soc - before, 4e-6f * cap) << i;
  }
}

TEST(Battery, StateOfChargeBins) {
  const float inv = inverse_capacity(10.0f);
  EXPECT_EQ(soc_bin(0.0f, inv, 21), 0);
  EXPECT_EQ(soc_bin(10.0f, inv, 21), 20);
  EXPECT_EQ(soc_bin(5.0f, inv, 21), 10);
  EXPECT_EQ(soc_bin(0.24f, inv, 21), 0);
  EXPECT_EQ(soc_bin(0.26f, inv, 21), 1);
  EXPECT_EQ(soc_bin(3.0f, inverse_capacity(0.0f), 21), 0);  // no battery
}

}  // namespace
}  // namespace mfgrid
