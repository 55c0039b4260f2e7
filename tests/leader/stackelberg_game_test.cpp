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

#include <cmath>
#include <cstdio>

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
