// The soft best response against textbook value iteration. (The known answers every follower
// learner must reproduce — the LP optimum of a repeated day, no cycling at flat prices, charging
// off-peak — are in the conformance suite, tests/conformance.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "followers/follower_known_answers.hpp"
#include "followers/follower_scenarios.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"
#include "mfgrid/followers/soft_q_followers.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid {
namespace {

// A class's MDP estimated from three simulated days, and costs with some structure.
struct SmallProblem {
  ClassMdp mdp;
  std::vector<double> cost;
};

SmallProblem small_problem() {
  const Scenario s = testing::deterministic_prosumers(testing::time_of_use, 3.0, 40.0);
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
