// A static leader–follower pricing game with a closed-form Stackelberg equilibrium, shared by the
// leader tests and the conformance suite.
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
#pragma once

#include <cmath>
#include <vector>

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid::testing::pricing_game {

inline constexpr double a[] = {8.0, 6.0}, b[] = {1.0, 2.0}, target[] = {2.0, 1.0}, kappa = 0.1,
                 p_max = 10.0;
inline const std::vector<double> theta_star{6.0 / 1.1 / p_max, 4.0 / 1.4 / p_max};

// The followers: what the leader observes is their demand (as "imports" of one period).
inline ClassEnergy respond(const std::vector<double>& theta) {
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

}  // namespace mfgrid::testing::pricing_game
