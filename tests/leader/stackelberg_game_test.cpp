// A static leader–follower pricing game with a closed-form Stackelberg equilibrium.
//
// The leader posts a price p_i ∈ [0, 10] to each of two user groups; each group has quadratic
// utility a_i x − b_i x²/2 and buys x_i(p_i) = (a_i − p_i)/b_i (its best response). The leader
// wants each group's demand near a target t_i without high prices:
//   J(p) = Σ_i (x_i(p_i) − t_i)² + κ p_i².
// Substituting the best response and setting dJ/dp_i = 0:
//   −2(x_i − t_i)/b_i + 2κ p_i = 0  ⇒  a_i − p_i − b_i t_i = κ b_i² p_i  ⇒  p_i* = (a_i − b_i
//   t_i)/(1 + κ b_i²).
// With a = (8, 6), b = (1, 2), t = (2, 1), κ = 0.1: p* = (6/1.1, 4/1.4) = (5.4545…, 2.8571…), i.e.
// θ* = p*/10 in the learners' normalised coordinates.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "mfgrid/leader/ppo_leader.hpp"
#include "mfgrid/leader/softmax_net_leader.hpp"
#include "mfgrid/leader/zo_leader.hpp"
#include "mfgrid/leader/zo_surrogate_leader.hpp"

namespace mfgrid {
namespace {

constexpr double a[] = {8.0, 6.0}, b[] = {1.0, 2.0}, target[] = {2.0, 1.0}, kappa = 0.1,
                 p_max = 10.0;
const std::vector<double> theta_star{6.0 / 1.1 / p_max, 4.0 / 1.4 / p_max};

// The followers: what the leader observes is their demand (as "imports" of one period).
ClassEnergy respond(const std::vector<double>& theta) {
  ClassEnergy y;
  y.classes = 2;
  y.periods = 1;
  for (int i = 0; i < 2; ++i)
    y.imports.push_back((a[i] - p_max * theta[static_cast<std::size_t>(i)]) / b[i]);
  y.exports.assign(2, 0.0);
  y.peak_import = y.imports;
  return y;
}

// The leader's objective, known to it as a function of (θ, y).
class QuadraticObjective : public ObjectiveModel {
 public:
  double objective(const std::vector<double>& theta, const ClassEnergy& y) const override {
    double j = 0;
    for (int i = 0; i < 2; ++i) {
      const double p = p_max * theta[static_cast<std::size_t>(i)];
      j += std::pow(y.imports[static_cast<std::size_t>(i)] - target[i], 2) + kappa * p * p;
    }
    return j;
  }
};

// Runs a learner for `budget` interactions; returns its final proposal.
std::vector<double> play(LeaderLearner& leader, const QuadraticObjective& j, int budget) {
  for (int k = 0; k < budget; ++k) {
    const std::vector<double> theta = leader.propose();
    const ClassEnergy y = respond(theta);
    leader.observe({theta, j.objective(theta, y), y});
  }
  return leader.propose();
}

LeaderSpec spec(int budget) {
  LeaderSpec s;
  s.max_interactions = budget;
  s.directions = 2;
  s.smoothing = 0.02;
  s.step = 0.02;
  s.t_max = 10;
  s.trust_radius = 0.2;
  s.trust_radius_min = 1e-4;
  s.grid_points = 11;
  s.softmax_temperature = 0.01;
  return s;
}

TEST(StackelbergGame, ZeroOrderDescentConvergesToTheEquilibrium) {
  const QuadraticObjective j;
  // J's curvature in θ is up to 100·2·(1/b² + κ) = 220: steps below 2/220 are stable.
  LeaderSpec s = spec(2000);
  s.step = 0.004;
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

TEST(StackelbergGame, SoftmaxNetFindsTheBestPointOfItsNet) {
  const QuadraticObjective j;
  SoftmaxNetLeader leader(spec(400), {0.5, 0.5}, 7);
  // The best of the 11 × 11 net, by enumeration.
  std::size_t best = 0;
  double best_j = 1e300;
  for (std::size_t k = 0; k < leader.candidates(); ++k) {
    const double v = j.objective(leader.candidate(k), respond(leader.candidate(k)));
    if (v < best_j) {
      best_j = v;
      best = k;
    }
  }
  play(leader, j, 400);
  EXPECT_EQ(leader.best_theta(), leader.candidate(best));
  EXPECT_GT(leader.policy()[best], 0.9)
      << "the Boltzmann policy concentrates on the best candidate";
  EXPECT_NEAR(leader.candidate(best)[0], theta_star[0], 0.05);  // the net's resolution
  EXPECT_NEAR(leader.candidate(best)[1], theta_star[1], 0.05);
  EXPECT_LT(leader.policy_change(), 1e-3);
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
  original.save(archive);
  PpoLeader resumed(spec(100), {0.5, 0.5}, 7);
  resumed.load(archive);
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
    s.directions = k;
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
    if ((k + 1) % (2 * s.directions) == 0) prices.push_back(p_max * zo.center()[0]);
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
  s.directions = 1;
  s.step = 0.004;
  s.smoothing = 0.02;
  const Settling diminishing = settle(s, 4000);
  s.step_exponent = 0.0;
  s.smoothing_exponent = 0.0;
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
