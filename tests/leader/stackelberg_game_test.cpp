// The leader learners on the closed-form pricing game of pricing_game.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "leader/pricing_game.hpp"
#include "mfgrid/leader/ppo_leader.hpp"
#include "mfgrid/leader/softmax_net_leader.hpp"
#include "mfgrid/leader/zo_leader.hpp"
#include "mfgrid/leader/zo_surrogate_leader.hpp"

namespace mfgrid {
namespace {

using namespace testing::pricing_game;  // NOLINT(google-build-using-namespace): the game's names

// Runs a learner for `budget` interactions; returns its final proposal.
std::vector<double> play(LeaderLearner& leader, const QuadraticObjective& j, int budget) {
  for (int k = 0; k < budget; ++k) {
    const std::vector<double> theta = leader.propose();
    const ClassEnergy y = respond(theta);
    leader.observe({theta, j.objective(theta, y), y});
  }
  return leader.propose();
}

// Every learner's parameters at their defaults (one set holds them all), then the test's values.
LeaderSpec spec(int budget) {
  LeaderSpec s;
  s.max_interactions = budget;
  for (const LearnerType& type : learner_types())
    if (type.role == LearnerRole::leader) {
      const LearnerParameters defaults = default_parameters(type);
      for (const auto& [key, value] : defaults.values()) s.parameters.set(key, value);
    }
  s.parameters.set("directions", 2);
  s.parameters.set("smoothing", 0.02);
  s.parameters.set("step", 0.02);
  s.parameters.set("t_max", 10);
  s.parameters.set("trust_radius", 0.2);
  s.parameters.set("trust_radius_min", 1e-4);
  s.parameters.set("grid_points", 11);
  return s;
}

TEST(StackelbergGame, ZeroOrderDescentConvergesToTheEquilibrium) {
  const QuadraticObjective j;
  // J's curvature in θ is up to 100·2·(1/b² + κ) = 220: steps below 2/220 are stable.
  LeaderSpec s = spec(2000);
  s.parameters.set("step", 0.004);
  ZoLeader zo(s, {0.1, 0.9}, 7);
  const std::vector<double> theta = play(zo, j, 2000);
  EXPECT_NEAR(zo.center()[0], theta_star[0], 0.01);
  EXPECT_NEAR(zo.center()[1], theta_star[1], 0.01);
  (void)theta;
}

TEST(StackelbergGame, SurrogateMethodConvergesWithFarFewerInteractions) {
  const QuadraticObjective j;
  ZoSurrogateLeader leader(spec(40), {0.1, 0.9}, j, 7);
  play(leader, j, 40);
  EXPECT_NEAR(leader.best_theta()[0], theta_star[0], 0.01);
  EXPECT_NEAR(leader.best_theta()[1], theta_star[1], 0.01);
}

// softmax-net's Boltzmann policy from first principles. With α_L = log(1/ε)/φ and φ the action
// gap, exp(−α_L·(q − min q)) = ε^((q − min q)/φ): on costs whose gaps are multiples of φ the
// weights are powers of ε, and the projection rounds them to multiples of ε.
TEST(StackelbergGame, SoftmaxNetBoltzmannPolicyIsTheClosedForm) {
  const double eps = 0.1;
  double alpha = 0;
  // Gaps 2, 0, 1 and 0.5 above the best: φ = 0.5, weights ε⁴, 1, ε², ε.
  const std::vector<double> p = boltzmann_policy({3.0, 1.0, 2.0, 1.5}, eps, &alpha);
  EXPECT_NEAR(alpha, std::log(10.0) / 0.5, 1e-12);
  const double total = 1 + eps + eps * eps + std::pow(eps, 4);
  const std::vector<double> expected{std::pow(eps, 4) / total, 1 / total, eps * eps / total,
                                     eps / total};
  for (std::size_t k = 0; k < p.size(); ++k) EXPECT_NEAR(p[k], expected[k], 1e-12) << k;
  // 0.0000900…, 0.9008…, 0.00901…, 0.0901… round to 0, 0.9, 0, 0.1 (which sum to 1).
  std::vector<double> projected = p;
  project_policy_on_net(projected, eps);
  const std::vector<double> rounded{0.0, 0.9, 0.0, 0.1};
  for (std::size_t k = 0; k < p.size(); ++k) EXPECT_NEAR(projected[k], rounded[k], 1e-12) << k;
  // Ties share the best weight, and φ is the gap to the best value above the tie.
  const std::vector<double> tied = boltzmann_policy({1.0, 1.0, 3.0}, 0.25, &alpha);
  EXPECT_NEAR(alpha, std::log(4.0) / 2.0, 1e-12);
  EXPECT_NEAR(tied[0], 1 / 2.25, 1e-12);
  EXPECT_NEAR(tied[1], 1 / 2.25, 1e-12);
  EXPECT_NEAR(tied[2], 0.25 / 2.25, 1e-12);
  // Nothing to prefer: uniform; a uniform policy finer than ε rounds away: all on the first.
  const std::vector<double> flat = boltzmann_policy(std::vector<double>(100, 2.0), 0.05, &alpha);
  EXPECT_EQ(alpha, 0.0);
  for (double x : flat) EXPECT_DOUBLE_EQ(x, 1.0 / 100);
  std::vector<double> spread = flat;
  project_policy_on_net(spread, 0.05);
  EXPECT_EQ(spread[0], 1.0);
  EXPECT_EQ(std::accumulate(spread.begin(), spread.end(), 0.0), 1.0);
}

// The two-price game's best response is linear in θ, so once the d + 1 seeding interactions are in
// the leader's response model is exact: its Q on the net must be the closed-form J of every net
// point, its policy the projected Boltzmann policy of that Q (computed here as powers of ε), its
// policy change the L1 distance between consecutive policies, and it settles on the net's best
// point (found by enumeration). The model knows energies are never negative: where the closed-form
// demand (a − p)/b is negative (high prices to the group with a = 6, b = 2 … and a = 8 above p = 8)
// it predicts 0, and so does this test.
TEST(StackelbergGame, SoftmaxNetLearnsTheExactQAndSettlesOnTheBestPointOfItsNet) {
  const QuadraticObjective j;
  SoftmaxNetLeader leader(spec(30), {0.5, 0.5}, j, 7);
  ASSERT_EQ(leader.candidates(), 121u);
  const double eps = leader.epsilon();
  EXPECT_DOUBLE_EQ(eps, 0.05);  // half the spacing 1/10 of the 11 × 11 net
  std::vector<double> exact(leader.candidates());
  std::size_t best = 0;
  for (std::size_t k = 0; k < exact.size(); ++k) {
    const std::vector<double> theta = leader.candidate(k);
    const std::size_t column = k % 11, row = k / 11;  // the first coordinate varies fastest
    EXPECT_EQ(theta[0], static_cast<double>(column) / 10);
    EXPECT_EQ(theta[1], static_cast<double>(row) / 10);
    ClassEnergy y = respond(theta);
    for (double& x : y.imports) x = std::max(0.0, x);
    exact[k] = j.objective(theta, y);
    if (exact[k] < exact[best]) best = k;
  }
  double phi = 1e300;
  for (double v : exact)
    if (v > exact[best] + 1e-9) phi = std::min(phi, v - exact[best]);
  std::vector<double> previous = leader.policy(), posted;
  for (int k = 0; k < 30; ++k) {
    posted = leader.propose();
    leader.observe({posted, j.objective(posted, respond(posted)), respond(posted)});
    if (k < 2) continue;  // seeding: the model is not yet determined
    double total = 0, change = 0;
    std::vector<double> pi(exact.size());
    for (std::size_t n = 0; n < exact.size(); ++n) {
      ASSERT_NEAR(leader.q_values()[n], exact[n], 1e-6) << "net point " << n;
      pi[n] = std::pow(eps, (exact[n] - exact[best]) / phi);
      total += pi[n];
    }
    double kept = 0;
    for (double& x : pi) kept += x = std::round(x / total / eps) * eps;
    for (std::size_t n = 0; n < exact.size(); ++n) {
      ASSERT_NEAR(leader.policy()[n], pi[n] / kept, 1e-9) << "net point " << n;
      change += std::abs(leader.policy()[n] - previous[n]);
    }
    EXPECT_NEAR(leader.alpha(), std::log(1 / eps) / phi, 1e-6 * leader.alpha());
    EXPECT_NEAR(leader.policy_change(), change, 1e-12) << "interaction " << k;
    previous = leader.policy();
  }
  EXPECT_GT(leader.policy()[best], 0.9) << "the policy concentrates on the best net point";
  EXPECT_NEAR(leader.candidate(best)[0], theta_star[0], eps);  // the net's resolution
  EXPECT_NEAR(leader.candidate(best)[1], theta_star[1], eps);
  // It posts the policy's mean, within ε of the best net point, and has stopped moving.
  const std::vector<double> mean = leader.policy_mean();
  EXPECT_EQ(posted, mean);
  EXPECT_LE(std::abs(mean[0] - leader.candidate(best)[0]), eps);
  EXPECT_LE(std::abs(mean[1] - leader.candidate(best)[1]), eps);
  EXPECT_EQ(leader.policy_change(), 0.0);
}

// One price whose demand the leader observes with noise (s.d. 0.1 in x, drawn anew for every
// interaction): it still settles, to a tariff within ε of the best point of its 11-point net
// (E[J] = J + 0.01 has the noiseless J's minimiser), and posts it unchanged for the last 20 of 60
// interactions.
TEST(StackelbergGame, SoftmaxNetSettlesOnANoisyGame) {
  struct OnePrice : ObjectiveModel {
    double objective(const std::vector<double>& theta, const ClassEnergy& y) const override {
      const double p = p_max * theta[0];
      return std::pow(y.imports[0] - target[0], 2) + kappa * p * p;
    }
  } j;
  std::mt19937_64 rng{11};
  std::normal_distribution<double> noise{0.0, 0.1};
  SoftmaxNetLeader leader(spec(60), {0.1}, j, 7);
  const auto noiseless = [](double price) {
    return std::pow((a[0] - price) / b[0] - target[0], 2) + kappa * price * price;
  };
  std::size_t best = 0;
  for (std::size_t k = 0; k < leader.candidates(); ++k)
    if (noiseless(p_max * leader.candidate(k)[0]) < noiseless(p_max * leader.candidate(best)[0]))
      best = k;
  std::vector<std::vector<double>> posted;
  for (int k = 0; k < 60; ++k) {
    const std::vector<double> theta = leader.propose();
    ClassEnergy y;
    y.classes = 1;
    y.periods = 1;
    y.imports = {(a[0] - p_max * theta[0]) / b[0] + noise(rng)};
    y.exports = {0.0};
    y.peak_import = y.imports;
    leader.observe({theta, j.objective(theta, y), y});
    posted.push_back(theta);
  }
  std::printf(
      "softmax-net on the noisy one-price game: posts %.4f (best net point %.2f, θ* %.4f)\n",
      posted.back()[0], leader.candidate(best)[0], 6.0 / 1.1 / p_max);
  EXPECT_LE(std::abs(posted.back()[0] - leader.candidate(best)[0]), leader.epsilon());
  for (std::size_t k = posted.size() - 20; k < posted.size(); ++k)
    EXPECT_EQ(posted[k], posted.back()) << "interaction " << k;
  EXPECT_EQ(leader.policy_change(), 0.0);
}

// A checkpoint continues exactly: same proposals, same policy, same Q.
TEST(StackelbergGame, SoftmaxNetContinuesExactlyFromACheckpoint) {
  const QuadraticObjective j;
  SoftmaxNetLeader original(spec(40), {0.1, 0.9}, j, 7);
  play(original, j, 5);
  StateArchive archive;
  save_state(original, archive);
  SoftmaxNetLeader resumed(spec(40), {0.1, 0.9}, j, 7);
  load_state(resumed, archive);
  for (int k = 0; k < 10; ++k) {
    const std::vector<double> one = original.propose(), two = resumed.propose();
    ASSERT_EQ(one, two) << "interaction " << 5 + k;
    original.observe({one, j.objective(one, respond(one)), respond(one)});
    resumed.observe({two, j.objective(two, respond(two)), respond(two)});
    ASSERT_EQ(original.policy_change(), resumed.policy_change());
  }
  EXPECT_EQ(original.policy(), resumed.policy());
  EXPECT_EQ(original.q_values(), resumed.q_values());
}

TEST(StackelbergGame, PpoLeaderLearnsThePolicyOfTheEquilibrium) {
  const QuadraticObjective j;
  PpoLeader leader(spec(400), {0.5, 0.5}, 7);
  const double start = std::hypot(0.5 - theta_star[0], 0.5 - theta_star[1]);
  play(leader, j, 399);  // the last proposal is still the policy's, not the budget's best
  const std::vector<double> mu = leader.mean();
  std::printf("ppo: mean (%.4f, %.4f), sigma (%.4f, %.4f); equilibrium (%.4f, %.4f)\n", mu[0],
              mu[1], leader.sigma()[0], leader.sigma()[1], theta_star[0], theta_star[1]);
  EXPECT_LT(std::hypot(mu[0] - theta_star[0], mu[1] - theta_star[1]), 0.1 * start);
  EXPECT_LT(
      std::hypot(leader.best_theta()[0] - theta_star[0], leader.best_theta()[1] - theta_star[1]),
      0.1 * start);
  EXPECT_LT(leader.sigma()[0], 0.05) << "exploration narrows as the policy settles";
}

// A checkpoint in the middle of a batch continues exactly.
TEST(StackelbergGame, PpoLeaderContinuesExactlyFromACheckpoint) {
  const QuadraticObjective j;
  PpoLeader original(spec(100), {0.5, 0.5}, 7);
  play(original, j, 21);
  StateArchive archive;
  save_state(original, archive);
  PpoLeader resumed(spec(100), {0.5, 0.5}, 7);
  load_state(resumed, archive);
  for (int k = 0; k < 30; ++k) {
    const std::vector<double> one = original.propose(), two = resumed.propose();
    ASSERT_EQ(one, two) << "interaction " << 21 + k;
    original.observe({one, j.objective(one, respond(one)), respond(one)});
    resumed.observe({two, j.objective(two, respond(two)), respond(two)});
  }
  EXPECT_EQ(original.mean(), resumed.mean());
}

// K is the number of random directions of each zeroth-order estimate on the surrogate: different
// K, different runs (it used to be max(K, 2d), so K = 1, 2 and 4 gave the same run here).
TEST(StackelbergGame, SurrogateDirectionsChangeTheRun) {
  const QuadraticObjective j;
  std::vector<std::vector<double>> runs;
  for (int k : {1, 2, 4, 8}) {
    LeaderSpec s = spec(20);
    s.parameters.set("directions", k);
    ZoSurrogateLeader leader(s, {0.1, 0.9}, j, 7);
    std::vector<double> proposals;
    for (int i = 0; i < 20; ++i) {
      const std::vector<double> theta = leader.propose();
      proposals.insert(proposals.end(), theta.begin(), theta.end());
      leader.observe({theta, j.objective(theta, respond(theta)), respond(theta)});
    }
    runs.push_back(proposals);
  }
  for (std::size_t one = 0; one < runs.size(); ++one)
    for (std::size_t other = one + 1; other < runs.size(); ++other)
      EXPECT_NE(runs[one], runs[other]) << one << " " << other;
}

// One price and one group whose demand the leader observes with noise, as a finite population's
// response is: x = (a − p)/b + ε, ε ~ N(0, 0.1²) drawn anew for every interaction. E[J] has the
// noiseless game's minimiser, p* = (a − b t)/(1 + κ b²) = 6/1.1 with a = 8, b = 1, t = 2, κ = 0.1.
struct NoisyOnePriceGame {
  std::mt19937_64 rng{11};
  std::normal_distribution<double> noise{0.0, 0.1};
  static constexpr double p_star = 6.0 / 1.1;
  double objective(double theta) {
    const double p = p_max * theta, x = (a[0] - p) / b[0] + noise(rng);
    return std::pow(x - target[0], 2) + kappa * p * p;
  }
};

struct Settling {
  double late_error;   // mean |p − p*| / p* of the centre over the last fifth of the steps
  double late_spread;  // max − min of the centre's price over the last fifth of the steps, $
};

Settling settle(const LeaderSpec& s, int interactions) {
  NoisyOnePriceGame game;
  ZoLeader zo(s, {0.1}, 7);
  std::vector<double> prices;
  for (int k = 0; k < interactions; ++k) {
    const std::vector<double> theta = zo.propose();
    ClassEnergy y;
    zo.observe({theta, game.objective(theta[0]), y});
    if ((k + 1) % (2 * s.parameters.integer("directions")) == 0)
      prices.push_back(p_max * zo.center()[0]);
  }
  const auto late = prices.end() - static_cast<std::ptrdiff_t>(prices.size() / 5);
  const auto [lo, hi] = std::minmax_element(late, prices.end());
  double error = 0;
  for (auto it = late; it != prices.end(); ++it) error += std::abs(*it - NoisyOnePriceGame::p_star);
  return {error / static_cast<double>(prices.end() - late) / NoisyOnePriceGame::p_star, *hi - *lo};
}

// With a fixed step zo keeps wandering around p*; with the diminishing gains (the default) it
// settles: over the last fifth of 4000 interactions it stays within 1 % of it on average.
TEST(StackelbergGame, ZoWithDiminishingGainsSettlesOnANoisyGame) {
  LeaderSpec s = spec(4000);
  s.parameters.set("directions", 1);
  s.parameters.set("step", 0.004);
  s.parameters.set("smoothing", 0.02);
  const Settling diminishing = settle(s, 4000);
  s.parameters.set("step_exponent", 0.0);
  s.parameters.set("smoothing_exponent", 0.0);
  const Settling fixed = settle(s, 4000);
  std::printf(
      "zo on the noisy one-price game, last fifth of 4000 interactions: fixed step: mean "
      "error %.2f %%, spread %.3f $; diminishing: mean error %.2f %%, spread %.3f $ (p* = "
      "%.4f $)\n",
      100 * fixed.late_error, fixed.late_spread, 100 * diminishing.late_error,
      diminishing.late_spread, NoisyOnePriceGame::p_star);
  EXPECT_LT(diminishing.late_error, 0.01);
  EXPECT_LT(diminishing.late_spread, fixed.late_spread / 3);
}

TEST(StackelbergGame, BudgetFreezesTheBestTariff) {
  const QuadraticObjective j;
  ZoLeader zo(spec(10), {0.1, 0.9}, 7);
  play(zo, j, 10);
  EXPECT_FALSE(zo.learning());
  EXPECT_EQ(zo.propose(), zo.best_theta());
  EXPECT_EQ(zo.interactions(), 10);
}

}  // namespace
}  // namespace mfgrid
