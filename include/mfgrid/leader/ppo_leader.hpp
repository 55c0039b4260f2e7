// `ppo`: the leader as a learning agent (docs/model.md §5.4.6), its state the last market outcome.
//
// A Gaussian policy over the normalised tariff θ whose mean depends on the state s — the
// followers' response to the previous tariff, as their total and peak import relative to the
// first response seen —
//   θ ~ N(μ(s), diag σ²), clipped to [0, 1]^d,   μ(s) = sigmoid(W s),   s = (1, Δtotal, Δpeak),
// trained by PPO: after every leader.ppo.batch interactions, leader.ppo.epochs Adam steps on the
// clipped surrogate, advantages the batch's standardised −J; log σ is learned as well (kept within
// [0.01, 0.5], so it keeps exploring). Every draw comes from the run's learner stream, so a run is
// reproducible and a checkpoint continues it exactly.
#pragma once

#include <vector>

#include "mfgrid/core/adam.hpp"
#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class PpoLeader : public LeaderLearner {
 public:
  PpoLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed);
  std::string_view name() const override { return "ppo"; }

  // The policy's mean and standard deviation in the current state.
  std::vector<double> mean() const;
  std::vector<double> sigma() const;

 protected:
  std::vector<double> on_propose() override;
  void on_observe(const Interaction& interaction) override;
  void on_transfer(StateTransfer& t) override;

 private:
  static constexpr std::size_t state_size = 3;
  struct Sample {
    std::vector<double> state, action;  // action: the draw before clipping
    double log_prob = 0, objective = 0;
  };
  std::vector<double> mean_in(const std::vector<double>& state) const;
  double log_prob(const std::vector<double>& state, const std::vector<double>& action) const;
  void update();

  std::vector<double> parameters_;  // W [d][state_size], then log σ [d]
  Adam adam_;
  std::vector<double> reference_;  // total and peak import of the first response
  std::vector<double> state_;      // where the next tariff is drawn
  Sample pending_;                 // the proposal awaiting its outcome
  std::vector<Sample> batch_;
  int draws_ = 0;
};

}  // namespace mfgrid
