// Aggregators that learn a neural policy with PPO (docs/model.md §4.5: a small MLP).
//
// Each prosumer class has a policy network from (period one-hot, state of charge) to the battery
// action, tabulated into the policy table the rollout kernel samples. Every K_F days, for each
// class, the critic is exact: the entropy-regularised action values Q^π of the current policy on
// the class's empirical MDP (priced like soft-Q's), and advantages A = Q − Σ_a π Q. The actor
// takes followers.ppo.epochs Adam steps on PPO's clipped surrogate with an entropy bonus τ,
//   J(w) = Σ_{t,s} μ(t,s) [ Σ_a π_old(a|s) min(r_a A_a, clip(r_a, 1 ± ε) A_a) + τ H(π_w(·|s)) ],
//   r_a = π_w(a|s) / π_old(a|s),
// with μ the mean field of the current policy — the population's on-policy state distribution —
// so the batch is every member's step at once (the reduced statistics are sufficient for a policy
// of the discretised state) and every rank computes the same gradient without sampling noise.
// Its fixed point is the soft-optimal policy softmax(Q/τ), the same as soft-Q's where the network
// can represent it; the clipping replaces soft-Q's damping.
#pragma once

#include <vector>

#include "mfgrid/core/adam.hpp"
#include "mfgrid/followers/mean_field_followers.hpp"
#include "mfgrid/followers/policy_network.hpp"

namespace mfgrid {

class PpoFollowers : public MeanFieldFollowers {
 public:
  PpoFollowers(const Scenario& scenario, const HouseholdModel& model,
               const StatisticsLayout& layout, int threads = 1);

  std::string_view name() const override { return "ppo"; }
  // The class's network (prosumer classes only).
  const PolicyNetwork& network(int cls) const;

 protected:
  Response respond(int cls, const ClassMdp& mdp, std::span<const double> cost,
                   std::span<const double> policy, std::span<const double> mean_field) override;
  void transfer_responses(StateTransfer& t) override;
  void save_class_response(int cls, std::vector<double>& out) const override;
  void load_class_response(int cls, std::span<const double> in) override;

 private:
  // The network's inputs for every (period, bin) of a day with `bins` bins: [t][s][feature].
  std::vector<double> features(int periods, int bins) const;

  std::vector<int> slot_;  // per class: its index in networks_, −1 for consumers
  std::vector<PolicyNetwork> networks_;
  std::vector<Adam> optimisers_;
  double clip_;  // [followers.ppo] parameters
  int epochs_;
};

}  // namespace mfgrid
