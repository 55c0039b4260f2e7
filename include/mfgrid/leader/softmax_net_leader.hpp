// `softmax-net`: the Stackelberg Markov game method over a finite ε-net of tariffs.
//
// The candidates are a grid of `grid_points` values per coordinate of θ (so keep θ
// low-dimensional: tariff.parameterisation = "peak-offpeak"). The leader estimates each
// candidate's objective from the interactions in which it was posted, visits every candidate once
// (in a random order), then posts candidates drawn from its Boltzmann policy
// π_L(k) ∝ exp(−(Ĵ_k − min Ĵ)/α_L); unvisited candidates count as good as the best seen. After
// each interaction it records the policy change ‖π_L^{k+1} − π_L^k‖₁.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class SoftmaxNetLeader : public LeaderLearner {
 public:
  SoftmaxNetLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed);
  std::string_view name() const override { return "softmax-net"; }
  double policy_change() const override { return policy_change_; }
  std::size_t candidates() const { return estimate_.size(); }
  std::vector<double> candidate(std::size_t k) const;
  const std::vector<double>& policy() const { return policy_; }

 protected:
  std::vector<double> on_propose() override;
  void on_observe(const Interaction& interaction) override;
  void on_save(StateArchive& archive) const override;
  void on_load(const StateArchive& archive) override;

 private:
  std::vector<double> boltzmann() const;

  int grid_;
  std::vector<double> estimate_;  // mean J per candidate
  std::vector<int> visits_;
  std::vector<std::size_t> order_;  // exploration order
  std::size_t explored_ = 0;
  std::size_t pending_ = 0;
  std::vector<double> policy_;
  double policy_change_ = 0.0;
};

}  // namespace mfgrid
