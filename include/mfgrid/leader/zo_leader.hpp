// `zo`: projected zeroth-order gradient descent with the two-point estimator
//   g = d/(2δ) · mean_k [J(θ + δu_k) − J(θ − δu_k)] · u_k
// over K random unit directions u_k; then θ ← Π_[0,1]^d(θ − η_t g). The gains diminish as in
// Kiefer–Wolfowitz stochastic approximation, with Spall's practical exponents (J. C. Spall,
// "Implementation of the simultaneous perturbation algorithm for stochastic optimization", IEEE
// Trans. Aerospace and Electronic Systems 34(3), 1998): η_t = step·((1 + A)/(t + 1 + A))^α and
// δ_t = smoothing/(t + 1)^γ, α = leader.zo.step_exponent (0.602), A = leader.zo.step_offset (10),
// γ = leader.zo.smoothing_exponent (0.101); α = γ = 0 is the fixed step. With a fixed step on a
// noisy J the iterates keep wandering by about η·‖g's noise‖; Σ η_t = ∞ with η_t → 0 lets them
// settle. Every J is one interaction: a gradient step costs 2K interactions.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class ZoLeader : public LeaderLearner {
 public:
  ZoLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed);
  std::string_view name() const override { return "zo"; }
  const std::vector<double>& center() const { return center_; }
  // The gains of gradient step t (counted from 0).
  double step_size(int t) const;
  double smoothing(int t) const;

 protected:
  std::vector<double> on_propose() override;
  void on_observe(const Interaction& interaction) override;
  void on_transfer(StateTransfer& t) override;

 private:
  std::vector<double> center_;
  std::vector<std::vector<double>> directions_;  // of the current step
  std::vector<double> values_;                   // J at +δu_k, −δu_k, in proposal order
  int step_ = 0;
};

}  // namespace mfgrid
