// `zo`: projected zeroth-order gradient descent with the two-point estimator
//   g = d/(2δ) · mean_k [J(θ + δu_k) − J(θ − δu_k)] · u_k
// over K random unit directions u_k; then θ ← Π_[0,1]^d(θ − η_t g), η_t = step/(1 + decay·t).
// Every J is one interaction: a gradient step costs 2K interactions.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class ZoLeader : public LeaderLearner {
 public:
  ZoLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed);
  std::string_view name() const override { return "zo"; }
  const std::vector<double>& center() const { return center_; }

 protected:
  std::vector<double> on_propose() override;
  void on_observe(const Interaction& interaction) override;
  void on_save(StateArchive& archive) const override;
  void on_load(const StateArchive& archive) override;

 private:
  std::vector<double> center_;
  std::vector<std::vector<double>> directions_;  // of the current step
  std::vector<double> values_;                   // J at +δu_k, −δu_k, in proposal order
  int step_ = 0;
};

}  // namespace mfgrid
