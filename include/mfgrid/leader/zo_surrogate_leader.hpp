// `zo-surrogate`: learning-based equilibrium seeking (docs/model.md §5.4.4).
//
// The leader fits an online estimate of the followers' response map θ ↦ y — a linear model
// y ≈ a + B·θ by ridge least squares over its most recent interactions — from what it observes
// only. Between real interactions it runs up to t_max zeroth-order steps on the surrogate
// objective Ĵ(θ) = J(θ, ŷ(θ)) inside the trust region ‖θ − c‖_∞ ≤ Δ around its current centre c,
// then posts the result (one interaction). The radius grows (×2, up to Δ_max) when the real
// improvement is at least 3/4 of the predicted one and the step reached the boundary, and shrinks
// (×1/2, down to Δ_min) when it is below 1/4; the centre moves when the real objective improved.
// The first d + 1 interactions (the centre and a step of Δ along each coordinate) seed the model;
// the model weights interactions by their distance from the centre, and after a step the model
// mispredicted the leader samples the trust region along one more axis before trusting it again.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class ZoSurrogateLeader : public LeaderLearner {
 public:
  ZoSurrogateLeader(const LeaderSpec& spec, std::vector<double> initial,
                    const ObjectiveModel& objective, std::uint64_t seed);
  std::string_view name() const override { return "zo-surrogate"; }
  // The current trust-region radius, relative to each parameter's range.
  double trust_radius() const { return radius_; }
  std::span<const LearnerDiagnostic> diagnostic_specs() const override;
  std::vector<double> diagnostics() const override { return {radius_}; }
  const std::vector<double>& center() const { return center_; }

 protected:
  std::vector<double> on_propose() override;
  void on_observe(const Interaction& interaction) override;
  void on_transfer(StateTransfer& t) override;

 private:
  ClassEnergy predict(const std::vector<double>& theta) const;
  double surrogate(const std::vector<double>& theta) const;
  void fit();

  const ObjectiveModel* objective_;
  std::vector<double> center_;
  double center_value_ = 0.0;  // J observed at the centre
  double radius_;
  std::vector<Interaction> history_;
  std::vector<double> model_;         // [output][1 + d] coefficients of the linear response map
  std::vector<double> model_center_;  // the inputs are centred here
  bool improve_model_ = false;        // the next proposal samples the trust region
  bool geometry_ = false;             // the pending proposal is such a sample
  int geometry_axis_ = 0;
  ClassEnergy shape_;            // dimensions of y
  std::vector<double> pending_;  // the proposal awaiting its outcome
  double predicted_ = 0.0;       // Ĵ at the proposal
  int rounds_ = 0;
};

}  // namespace mfgrid
