// EEI and revenue adequacy on a two-household example computed by hand.
#include <gtest/gtest.h>

#include "mfgrid/agents/billing.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/leader/leader_objective.hpp"

namespace mfgrid {
namespace {

// Two periods of 12 h, one bus, one household per group: "poor" ($10 000/yr) and "rich"
// ($50 000/yr). Import rates 100 and 200 $/MWh, net billing at the LMP (the single generator's 30
// $/MWh), fixed charges 1 and 2 $/day, network cost 5 $/day.
//   poor: imports 4 and 6 kWh → 0.4 + 1.2 = 1.6 $, + 1 fixed = 2.6 $/day
//   rich: imports 2 kWh in period 0 (0.2 $), exports 5 kWh in period 1 credited at 30 $/MWh
//         (−0.15 $), + 2 fixed = 2.05 $/day
//   EEI: 2.6·365/10 000 = 0.0949, 2.05·365/50 000 = 0.014965; gap 0.079935
//   utility buys net (4 + 2) kWh and (6 − 5) kWh at 30 $/MWh = 0.21 $; R = 4.65 − 0.21 − 5 = −0.56.
const char* text = R"(
[time]
periods = 2
[[network.bus]]
name = "b"
[[network.generator]]
name = "g"
bus = "b"
pmax_mw = 100.0
cost_per_mwh = 30.0
[households]
solar_profile = [0.0, 0.5]
[[households.group]]
name = "poor"
income = 10000.0
[[households.group]]
name = "rich"
income = 50000.0
[[households.class]]
name = "p"
bus = "b"
kind = "consumer"
group = "poor"
count = 1
daily_kwh = 10.0
demand_shape = [0.4, 0.6]
[[households.class]]
name = "r"
bus = "b"
kind = "prosumer"
group = "rich"
count = 1
daily_kwh = 10.0
demand_shape = [0.5, 0.5]
pv_kw = 1.0
battery_kwh = 0.0
battery_kw = 0.0
[tariff]
import_rates = [100.0, 200.0]
fixed_charges = [1.0, 2.0]
network_cost = 5.0
learn = ["fixed"]
[leader]
penalty = 2.0
)";

ClassEnergy example_energy() {
  ClassEnergy e;
  e.classes = 2;
  e.periods = 2;
  e.imports = {4.0, 6.0, 2.0, 0.0};
  e.exports = {0.0, 0.0, 0.0, 5.0};
  e.peak_import = {6.0, 2.0};
  return e;
}

TEST(Bills, HandComputedTwoHouseholdExample) {
  const Scenario s = parse_scenario(text, "two-households.toml");
  const std::vector<double> lmp{30.0, 30.0};
  const DayBills bills = compute_bills(s, example_energy(), PostedTariff::from_scenario(s), lmp);
  EXPECT_NEAR(bills.group_bill[0], 2.6, 1e-12);
  EXPECT_NEAR(bills.group_bill[1], 2.05, 1e-12);
  EXPECT_NEAR(bills.group_eei[0], 2.6 * 365 / 10000, 1e-12);
  EXPECT_NEAR(bills.group_eei[1], 2.05 * 365 / 50000, 1e-12);
  EXPECT_NEAR(bills.revenue, 4.65, 1e-12);
  EXPECT_NEAR(bills.energy_purchase, 0.21, 1e-12);
  EXPECT_NEAR(bills.revenue_adequacy, -0.56, 1e-12);
}

TEST(Bills, LeaderObjectiveAddsTheShortfallPenalty) {
  const Scenario s = parse_scenario(text, "two-households.toml");
  const TariffParameters parameters(s);
  const LeaderObjective objective(s, parameters);
  const LeaderEvaluation e = objective.evaluate(parameters.initial(), example_energy());
  EXPECT_NEAR(e.lmp[0], 30.0, 1e-9);
  EXPECT_NEAR(e.inequality, 2.6 * 365 / 10000 - 2.05 * 365 / 50000, 1e-12);
  EXPECT_NEAR(e.bills.revenue_adequacy, -0.56, 1e-9);
  EXPECT_NEAR(e.objective, e.inequality + 2.0 * 0.56, 1e-9);
}

TEST(Inequality, GapVarianceAndGini) {
  const std::vector<double> eei{0.02, 0.06}, w{3.0, 1.0};
  EXPECT_NEAR(inequality(InequalityMeasure::gap, eei, w), 0.04, 1e-15);
  // Weighted mean 0.03; variance (3·0.01² + 1·0.03²)/4 = 0.0003.
  EXPECT_NEAR(inequality(InequalityMeasure::variance, eei, w), 0.0003, 1e-15);
  // Gini Σ_ij w_i w_j |x_i − x_j| / (2 W² μ) = 2·3·1·0.04 / (2·16·0.03) = 0.25.
  EXPECT_NEAR(inequality(InequalityMeasure::gini, eei, w), 0.25, 1e-12);
}

}  // namespace
}  // namespace mfgrid
