// The aggregators' mean-field equilibrium learned from the population (DESIGN.md §2, inner loop).
//
// After every K_F days: build each prosumer class's empirical MDP (all days observed so far), price
// it at the posted tariff and the LMPs realised since the last update (the mean-field coupling:
// net-billing credits move with everyone's behaviour), compute the soft best response, and damp:
// π ← (1 − β)·π + β·π_BR. The mean field μ of a policy is the periodic stationary distribution it
// generates in the model; the fixed point stops when both ‖Δπ‖₁ and ‖Δμ‖₁ are below their
// tolerances (or after followers.max_iterations).
#pragma once

#include <span>
#include <vector>

#include "mfgrid/followers/follower_learner.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"
#include "mfgrid/meanfield/empirical_model.hpp"

namespace mfgrid {

class SoftQFollowers : public FollowerLearner {
 public:
  // The prosumer classes' best responses run on up to `threads` threads (one class each).
  SoftQFollowers(const Scenario& scenario, const HouseholdModel& model,
                 const StatisticsLayout& layout, int threads = 1);

  std::string_view name() const override { return "soft-q"; }
  const EmpiricalModel& empirical_model() const { return model_; }
  // The mean field of the current policy, per class [t][s] (empty for consumers).
  const std::vector<std::vector<double>>& mean_field() const { return mean_field_; }

 protected:
  void on_observe(const FollowerObservation& observation) override;
  FollowerUpdate on_update(PolicyTable& policy) override;
  void on_save(StateArchive& archive) const override;
  void on_load(const StateArchive& archive) override;

 private:
  // A class's share of an update.
  struct ClassStep {
    double policy_change = 0, meanfield_change = 0, exploitability = 0;
    int terms = 0, solver_iterations = 0;
  };
  ClassStep update_class(int cls, std::span<const double> lmp, PolicyTable& policy);

  const HouseholdModel* households_;
  int threads_;
  std::vector<int> class_bus_;
  SoftQBestResponse solver_;
  EmpiricalModel model_;
  const PostedTariff* tariff_ = nullptr;
  std::vector<double> lmp_sum_;  // Σ of the LMPs since the last update
  std::vector<double> prices_;   // the smoothed LMPs the members respond to
  bool prices_seen_ = false;
  int window_days_ = 0;
  std::vector<std::vector<double>> values_;      // warm starts per class
  std::vector<std::vector<double>> mean_field_;  // per class
};

// Exploitability of `policy` in a class's MDP priced by `cost`: the discounted cost a member saves
// by switching to the exact best response, from the policy's own distribution at the start of the
// day, expressed per day (× (1 − γ^T)). Non-negative up to rounding (both policies are evaluated
// exactly).
double exploitability(const ClassMdp& mdp, std::span<const double> cost,
                      std::span<const double> policy, std::span<const double> start_distribution,
                      double discount);

}  // namespace mfgrid
