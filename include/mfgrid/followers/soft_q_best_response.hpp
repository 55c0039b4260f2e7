// The aggregators' best response on a class's empirical MDP.
//
// Rewards are the negated step costs with an entropy bonus of weight τ; the day is periodic and
// each period is discounted by γ:
//   Q_t(s,a) = −c_t(s,a) + γ Σ_s' P_t(s'|s,a) V_{t+1}(s'),   V_t(s) = τ log Σ_a exp(Q_t(s,a)/τ),
// with V_T = V_0. The unique soft-optimal policy is the Boltzmann policy π = softmax(Q/τ)
// (so the design's α_F equals τ), optionally projected on an ε-net (probabilities rounded to
// multiples of ε and renormalised).
//
// The fixed point is found by (soft) policy iteration rather than value iteration: each step
// evaluates the current policy exactly — the periodic day folds into one S × S linear system for
// V_0 — and improves it. Value iteration contracts by only γ^T per sweep (0.85 for the default
// 8 periods at γ = 0.98), so it needs ~110 sweeps even from the previous update's values, whereas
// policy iteration converges quadratically near the solution (3–5 evaluations from a warm start).
#pragma once

#include <span>
#include <vector>

#include "mfgrid/meanfield/empirical_model.hpp"

namespace mfgrid {

struct SoftQSolution {
  std::vector<double> q;       // [t][s][a]
  std::vector<double> value;   // [t][s]
  std::vector<double> policy;  // [t][s][a]
  int iterations = 0;          // policy evaluations until the values converged
};

class SoftQBestResponse {
 public:
  SoftQBestResponse(double discount, double temperature, double epsilon_net = 0.0,
                    double tolerance = 1e-10, int max_iterations = 1000);

  // `warm` (optional, [t][s]) starts from the Boltzmann policy of earlier values.
  SoftQSolution solve(const ClassMdp& mdp, std::span<const double> cost,
                      std::span<const double> warm = {}) const;

  double discount() const { return discount_; }
  double temperature() const { return temperature_; }

 private:
  double discount_, temperature_, epsilon_net_, tolerance_;
  int max_iterations_;
};

// The unregularised optimum (τ → 0): a deterministic policy, ties to the lowest action. `start`
// (optional, [t][s][a]) seeds policy iteration with its most likely actions.
SoftQSolution optimal_policy(const ClassMdp& mdp, std::span<const double> cost, double discount,
                             std::span<const double> start = {}, int max_iterations = 1000);

// Discounted expected cost V^π_t(s) of following `policy` ([t][s][a]), without entropy: the exact
// solution of the periodic policy-evaluation equations.
std::vector<double> policy_cost(const ClassMdp& mdp, std::span<const double> cost,
                                std::span<const double> policy, double discount);

// The entropy-regularised action values of following `policy` ([t][s][a]): Q^π_t(s,a) =
// −c_t(s,a) + γ Σ_s' P_t(s'|s,a) V^π_{t+1}(s'), where V^π counts the entropy bonus −τ log π.
std::vector<double> soft_q_values(const ClassMdp& mdp, std::span<const double> cost,
                                  std::span<const double> policy, double discount,
                                  double temperature);

// Rounds probabilities to multiples of ε and renormalises each row (ε = 0: unchanged).
void project_on_epsilon_net(std::span<double> policy, int actions, double epsilon);

}  // namespace mfgrid
