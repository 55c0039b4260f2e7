// The followers that learn a policy table (soft-Q, PPO) against answers known in advance: an exact
// LP optimum, never cycling a battery when it cannot pay, charging off-peak and discharging at the
// peak; and the soft best response against textbook value iteration.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "followers/follower_scenarios.hpp"
#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/followers/household_lp.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"
#include "mfgrid/followers/soft_q_followers.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid {
namespace {

const std::string time_of_use = "[80.0, 80.0, 150.0, 150.0, 150.0, 150.0, 450.0, 300.0]";

// Learns for the scenario's days, then evaluates the frozen policy; returns the mean daily cost
// per household over the evaluation (energy bill plus battery wear) and the simulation.
struct Learned {
  double cost_per_day = 0;
  std::vector<double> mean_level;  // per period: mean battery level chosen (visits-weighted)
  double moved_kwh_per_day = 0;
};

Learned learn_and_evaluate(const Scenario& s, int evaluation_days = 10) {
  EXPECT_FALSE(s.followers.learner == "optimizer");
  Simulation sim(s, Communicator::self(), 1);
  for (int d = 0; d < s.time.days; ++d) sim.step();
  sim.freeze_followers();
  Learned out;
  out.mean_level.assign(static_cast<std::size_t>(s.time.periods), 0.0);
  const double households = static_cast<double>(s.households.classes[0].count);
  for (int d = 0; d < evaluation_days; ++d) {
    const DayOutcome& day = sim.step();
    const DayStatistics& stats = sim.statistics();
    double moved = 0;
    for (int t = 0; t < s.time.periods; ++t)
      for (int b = 0; b < sim.statistics_layout().bins(0); ++b)
        for (int a = 0; a < sim.model().actions(); ++a) {
          moved += from_micro_kwh(stats.moved(0, t, b, a));
          out.mean_level[static_cast<std::size_t>(t)] +=
              sim.model().levels[static_cast<std::size_t>(a)] *
              static_cast<double>(stats.visits(0, t, b, a));
        }
    out.moved_kwh_per_day += moved / households / evaluation_days;
    out.cost_per_day +=
        (day.bills.group_bill[0] + s.followers.degradation_cost * moved / households) /
        evaluation_days;
  }
  for (double& l : out.mean_level) l /= households * evaluation_days;
  return out;
}

// The exact optimum of the same deterministic day as an LP, over the starting state of charge
// (the battery must end where it started: a periodic day).
double lp_optimum(const Scenario& s) {
  const HouseholdClass& c = s.households.classes[0];
  const int T = s.time.periods;
  std::vector<float> demand(static_cast<std::size_t>(T)), pv(static_cast<std::size_t>(T));
  std::vector<double> import_price(static_cast<std::size_t>(T)),
      export_price(static_cast<std::size_t>(T), s.tariff.export_rate);
  for (int t = 0; t < T; ++t) {
    const auto i = static_cast<std::size_t>(t);
    demand[i] = static_cast<float>(c.daily_kwh * c.demand_shape[i]);
    pv[i] = static_cast<float>(c.pv_kw * s.households.solar_profile[i] * s.time.period_hours());
    import_price[i] = s.tariff.import_rates[i];
  }
  HouseholdLp lp(T, s.time.period_hours());
  double best = 1e300;
  for (double soc = 0; soc <= c.battery_kwh + 1e-9; soc += c.battery_kwh / 40) {
    const HouseholdPlan& plan = lp.solve(
        {demand, pv, soc, c.battery_kwh, c.battery_kw, c.eta_charge, c.eta_discharge, 0.0, soc},
        {import_price, export_price, s.followers.degradation_cost, 0.0});
    best = std::min(best, plan.cost);
  }
  return best;
}

// The known answers every learner of a policy table must reproduce (the conformance harness: a
// new follower model adds its name to the list below).
class KnownAnswers : public ::testing::TestWithParam<const char*> {
 protected:
  std::string learner() const { return std::string("followers.learner=") + GetParam(); }
};

// A time-of-use day the battery's discrete levels can serve exactly (lossless battery, evening
// demand of 3.75 kWh a period = half power for 3 h), so the comparison measures the learning, not
// the discretisation. (With PV and lossy batteries the 9 levels and 41 bins cost more: see the
// closing note of the followers issue.)
TEST_P(KnownAnswers, LowTemperaturePolicyIsWithinOnePercentOfTheLpOptimum) {
  const Scenario s = testing::deterministic_prosumers(
      time_of_use, 0.0, 0.0,
      {"households.class[0].demand_shape=[0.1, 0.1, 0.1, 0.1, 0.1, 0.125, 0.1875, 0.1875]",
       "households.class[0].battery_kwh=7.5", "households.class[0].eta_charge=1.0",
       "households.class[0].eta_discharge=1.0", learner()});
  const Learned learned = learn_and_evaluate(s);
  const double optimum = lp_optimum(s);
  EXPECT_GE(learned.cost_per_day, optimum * (1 - 1e-6)) << "a discrete policy cannot beat the LP";
  std::printf("%s %.6f $/day, LP optimum %.6f $/day (ratio %.5f)\n", GetParam(),
              learned.cost_per_day, optimum, learned.cost_per_day / optimum);
  EXPECT_LE(learned.cost_per_day, optimum * 1.01);
  // The battery is worth having here: the optimum is well below doing nothing.
  EXPECT_GT(learned.moved_kwh_per_day, 5.0);
}

TEST_P(KnownAnswers, FlatPricesWithoutExportValueNeverCycleTheBattery) {
  const Scenario s = testing::deterministic_prosumers("100.0", 0.0, 0.0, {learner()});
  const Learned learned = learn_and_evaluate(s);
  EXPECT_LT(learned.moved_kwh_per_day, 0.05) << "cycling only loses energy and wears the battery";
}

TEST_P(KnownAnswers, LargePeakSpreadChargesOffPeakAndDischargesAtThePeak) {
  const Scenario s = testing::deterministic_prosumers(
      "[40.0, 40.0, 100.0, 100.0, 100.0, 100.0, 600.0, 100.0]", 0.0, 0.0, {learner()});
  const Learned learned = learn_and_evaluate(s);
  EXPECT_GT(learned.mean_level[0] + learned.mean_level[1], 0.3)
      << "charges in the cheap night periods";
  EXPECT_LT(learned.mean_level[6], -0.3) << "discharges at the 600 $/MWh peak";
}

INSTANTIATE_TEST_SUITE_P(Followers, KnownAnswers, ::testing::Values("soft-q", "ppo"),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                           return std::string(param.param) == "soft-q" ? "SoftQ" : "Ppo";
                         });

// A class's MDP estimated from three simulated days, and costs with some structure.
struct SmallProblem {
  ClassMdp mdp;
  std::vector<double> cost;
};

SmallProblem small_problem() {
  const Scenario s = testing::deterministic_prosumers(time_of_use, 3.0, 40.0);
  Simulation sim(s, Communicator::self(), 1);
  for (int d = 0; d < 3; ++d) sim.step();
  EmpiricalModel model(sim.statistics_layout());
  model.add(sim.statistics());
  SmallProblem p{build_class_mdp(model, sim.model(), 0, 1.0), {}};
  p.cost.resize(p.mdp.imports.size());
  for (std::size_t k = 0; k < p.cost.size(); ++k)
    p.cost[k] = 0.1 * p.mdp.imports[k] + 0.01 * static_cast<double>(k % 7);
  return p;
}

// The textbook algorithm, written independently of the solver: Bellman backups over the periodic
// day, many more than needed. `backup` maps a state's Q row (and its first cell) to its value.
template <class Backup>
std::vector<double> reference_values(const ClassMdp& mdp, const std::vector<double>& cost,
                                     double discount, Backup backup) {
  const int T = mdp.periods, S = mdp.bins, A = mdp.actions;
  std::vector<double> value(static_cast<std::size_t>(T * S), 0.0), q(cost.size());
  for (int sweep = 0; sweep < 3000; ++sweep)
    for (int t = T - 1; t >= 0; --t)
      for (int st = 0; st < S; ++st) {
        for (int a = 0; a < A; ++a) {
          const std::size_t k = mdp.cell(t, st, a);
          double expected = 0;
          for (int s2 = 0; s2 < S; ++s2)
            expected += mdp.transition[k * static_cast<std::size_t>(S) + s2] *
                        value[static_cast<std::size_t>((t + 1) % T) * S + s2];
          q[k] = -cost[k] + discount * expected;
        }
        value[static_cast<std::size_t>(t) * S + st] =
            backup(&q[mdp.cell(t, st, 0)], A, mdp.cell(t, st, 0));
      }
  return value;
}

TEST(SoftQ, PolicyIterationReachesTheValuesOfValueIteration) {
  const SmallProblem p = small_problem();
  const double gamma = 0.98, tau = 0.05;
  const SoftQSolution soft = SoftQBestResponse(gamma, tau).solve(p.mdp, p.cost);
  const std::vector<double> soft_reference =
      reference_values(p.mdp, p.cost, gamma, [tau](const double* q, int n, std::size_t) {
        double sum = 0;
        for (int a = 0; a < n; ++a) sum += std::exp(q[a] / tau);
        return tau * std::log(sum);
      });
  EXPECT_LE(soft.iterations, 12) << "policy iteration converges in a few evaluations";
  for (std::size_t i = 0; i < soft_reference.size(); ++i)
    ASSERT_NEAR(soft.value[i], soft_reference[i], 1e-9 * std::abs(soft_reference[i])) << i;

  const SoftQSolution best = optimal_policy(p.mdp, p.cost, gamma);
  const std::vector<double> hard_reference = reference_values(
      p.mdp, p.cost, gamma,
      [](const double* q, int n, std::size_t) { return *std::max_element(q, q + n); });
  for (std::size_t i = 0; i < hard_reference.size(); ++i)
    ASSERT_NEAR(best.value[i], hard_reference[i], 1e-9 * std::abs(hard_reference[i])) << i;
  // Warm-started from the soft best response it lands on the same optimum, in fewer steps.
  const SoftQSolution seeded = optimal_policy(p.mdp, p.cost, gamma, soft.policy);
  EXPECT_EQ(seeded.policy, best.policy);
  EXPECT_LE(seeded.iterations, best.iterations);

  // The cost of following the soft policy, against the same backups with the policy's average.
  const std::vector<double> own = policy_cost(p.mdp, p.cost, soft.policy, gamma);
  const std::vector<double> own_reference =
      reference_values(p.mdp, p.cost, gamma, [&soft](const double* q, int n, std::size_t first) {
        double v = 0;
        for (int a = 0; a < n; ++a) v += soft.policy[first + static_cast<std::size_t>(a)] * q[a];
        return v;
      });
  for (std::size_t i = 0; i < own.size(); ++i) {
    ASSERT_NEAR(own[i], -own_reference[i], 1e-9 * std::abs(own_reference[i])) << i;
    EXPECT_GE(own[i], -best.value[i] - 1e-9) << "no policy costs less than the optimum";
  }
}

TEST(SoftQ, ExploitabilityIsZeroAtTheOptimumAndPositiveAwayFromIt) {
  const SmallProblem p = small_problem();
  const SoftQSolution best = optimal_policy(p.mdp, p.cost, 0.98);
  const std::vector<double> start(static_cast<std::size_t>(p.mdp.bins), 1.0 / p.mdp.bins);
  EXPECT_NEAR(exploitability(p.mdp, p.cost, best.policy, start, 0.98), 0.0, 1e-12);
  const std::vector<double> uniform(p.cost.size(), 1.0 / p.mdp.actions);
  EXPECT_GT(exploitability(p.mdp, p.cost, uniform, start, 0.98), 1e-3);
}

TEST(SoftQ, BestResponseIsTheBoltzmannPolicyOfItsQ) {
  const SmallProblem p = small_problem();
  const ClassMdp& mdp = p.mdp;
  const std::vector<double>& cost = p.cost;
  const SoftQBestResponse solver(0.9, 0.05);
  const SoftQSolution sol = solver.solve(mdp, cost);
  for (int t = 0; t < mdp.periods; ++t)
    for (int st = 0; st < mdp.bins; st += 7) {
      double z = 0;
      for (int a = 0; a < mdp.actions; ++a) z += std::exp(sol.q[mdp.cell(t, st, a)] / 0.05);
      for (int a = 0; a < mdp.actions; ++a)
        EXPECT_NEAR(sol.policy[mdp.cell(t, st, a)], std::exp(sol.q[mdp.cell(t, st, a)] / 0.05) / z,
                    1e-9);
      // Soft Bellman consistency: V = τ log Σ exp(Q/τ), and Q = −c + γ E[V_{t+1}].
      EXPECT_NEAR(sol.value[static_cast<std::size_t>(t) * mdp.bins + st], 0.05 * std::log(z), 1e-6);
      for (int a = 0; a < mdp.actions; ++a) {
        const std::size_t k = mdp.cell(t, st, a);
        double expected = 0;
        for (int s2 = 0; s2 < mdp.bins; ++s2)
          expected += mdp.transition[k * static_cast<std::size_t>(mdp.bins) + s2] *
                      sol.value[static_cast<std::size_t>((t + 1) % mdp.periods) * mdp.bins + s2];
        EXPECT_NEAR(sol.q[k], -cost[k] + 0.9 * expected, 1e-8 * std::abs(sol.q[k]));
      }
    }
}

TEST(SoftQ, EpsilonNetRoundsAndRenormalises) {
  std::vector<double> p{0.12, 0.33, 0.55, 0.0, 0.01, 0.99};
  project_on_epsilon_net(p, 3, 0.25);
  EXPECT_DOUBLE_EQ(p[0], 0.0);
  EXPECT_DOUBLE_EQ(p[1], 0.25 / 0.75);
  EXPECT_DOUBLE_EQ(p[2], 0.5 / 0.75);
  EXPECT_DOUBLE_EQ(p[5], 1.0);
}

}  // namespace
}  // namespace mfgrid
