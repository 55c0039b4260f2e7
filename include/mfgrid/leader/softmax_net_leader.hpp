// `softmax-net`: the Stackelberg Markov game method over a finite ε-net of tariffs.
//
// The net is a grid of G = leader.softmax-net.grid_points values per coordinate of θ ∈ [0, 1]^d (keep θ
// low-dimensional: tariff.parameterisation = "peak-offpeak"). Its spacing is h = 1/(G − 1), so
// every tariff lies within ε = h/2 (sup norm) of a net point: ε is the net's covering radius.
//
// The leader's Q on the net is estimated from its interactions: it fits the followers' response
// map θ ↦ y (a linear model by ridge least squares over all its interactions, from what it
// observes only) and takes Q(θ_k) = J(θ_k, ŷ(θ_k)) for every net point θ_k. Its policy is the
// Boltzmann policy of Q with α_L = log(1/ε)/φ(ε), projected on the ε-net of the simplex:
//   π_k ∝ exp(−α_L·(Q_k − min Q)),   then   π_k ← round(π_k/ε)·ε, renormalised,
// where φ(ε) is the action gap of Q on the net (the second-best value minus the best, ties
// excluded). With this α_L every net point at least φ worse than the best keeps at most ε of the
// best point's weight before the projection (exp(−α_L·φ) = ε), as in GMF-Q (Guo, Hu, Xu and Zhang,
// NeurIPS 2019). The posted tariff is the policy's mean over the net, Σ_k π_k θ_k: the projection
// makes π piecewise constant in Q, so once the estimate stops moving the policy, and with it the
// posted tariff, stops moving exactly.
//
// The first d + 1 interactions seed the response model: the initial tariff, then one net spacing
// along each coordinate. After each later interaction the leader refits, recomputes Q and π, and
// records the policy change ‖π_L^{k+1} − π_L^k‖₁. Once the interaction budget is spent it keeps
// posting the policy's mean: the best single observation is the luckiest draw of the followers'
// noise, and posting it would move the tariff once more after it had settled.
#pragma once

#include <vector>

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

// The Boltzmann policy of the costs q (minimised) with α = log(1/ε)/φ, φ the action gap of q; all
// equal costs give the uniform policy. `alpha` receives α (0 for the uniform policy).
std::vector<double> boltzmann_policy(const std::vector<double>& q, double epsilon, double* alpha);
// π projected on the ε-net of the simplex: probabilities rounded to multiples of ε, renormalised;
// when every one rounds to 0, all the mass goes to the most likely (the first of equals).
void project_policy_on_net(std::vector<double>& policy, double epsilon);

class SoftmaxNetLeader : public LeaderLearner {
 public:
  SoftmaxNetLeader(const LeaderSpec& spec, std::vector<double> initial,
                   const ObjectiveModel& objective, std::uint64_t seed);
  std::string_view name() const override { return "softmax-net"; }
  // ‖π_L^{k+1} − π_L^k‖₁ after the last observation.
  double policy_change() const { return policy_change_; }
  std::span<const LearnerDiagnostic> diagnostic_specs() const override;
  std::vector<double> diagnostics() const override { return {policy_change_}; }
  std::size_t candidates() const { return q_.size(); }
  std::vector<double> candidate(std::size_t k) const;
  double epsilon() const { return 0.5 / (grid_ - 1); }
  double alpha() const { return alpha_; }
  const std::vector<double>& q_values() const { return q_; }
  const std::vector<double>& policy() const { return policy_; }
  // The tariff the policy posts: its mean over the net.
  std::vector<double> policy_mean() const;

 protected:
  std::vector<double> on_propose() override;
  // After the budget it keeps posting its policy's mean, not the single best (noisy) observation.
  std::vector<double> final_theta() const override;
  void on_observe(const Interaction& interaction) override;
  void on_transfer(StateTransfer& t) override;

 private:
  void fit();
  ClassEnergy predict(const std::vector<double>& theta) const;
  void update_policy();

  const ObjectiveModel* objective_;
  std::vector<double> initial_;
  int grid_;
  std::vector<Interaction> history_;
  std::vector<double> model_;  // [output][1 + d] coefficients of the linear response map
  std::vector<double> q_;      // Q on the net
  std::vector<double> policy_;
  double alpha_ = 0.0;
  double policy_change_ = 0.0;
};

}  // namespace mfgrid
