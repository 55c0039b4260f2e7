// Followers that learn a policy table from the population's empirical model (docs/model.md §4.3,
// inner loop): what soft-Q and PPO share. The class keeps the model (all days observed), the
// prices the members respond to and each class's mean field; every K_F days it asks the concrete
// learner for each prosumer class's next policy (the respond() hook), writes it into the table and
// records the fixed point's residuals and each class's exploitability.
//
// Prices: the LMPs realised since the last update, smoothed across updates with the damping β, so
// that day-to-day weather noise in the prices does not keep the response moving (the smoothed
// prices still track the mean field). The mean field μ of a policy is the periodic stationary
// distribution it generates in the model; the fixed point stops when both ‖Δπ‖₁ and ‖Δμ‖₁ are
// below their tolerances (or after followers.max_iterations).
#pragma once

#include <span>
#include <vector>

#include "mfgrid/followers/follower_learner.hpp"
#include "mfgrid/meanfield/empirical_model.hpp"
#include "mfgrid/parallel/dealt_items.hpp"

namespace mfgrid {

class MeanFieldFollowers : public FollowerLearner {
 public:
  const EmpiricalModel& empirical_model() const { return model_; }
  // The mean field of the current policy, per class [t][s] (empty for consumers).
  const std::vector<std::vector<double>>& mean_field() const { return mean_field_; }

 protected:
  // The prosumer classes' updates run on up to `threads` threads, one class each; respond() must
  // touch only its class's state.
  MeanFieldFollowers(const Scenario& scenario, const HouseholdModel& model,
                     const StatisticsLayout& layout, int threads);

  // What a class does next, given its MDP priced by `cost` ([t][s][a], $ per member-step), its
  // current policy ([t][s][a]) and the distribution that policy generates ([t][s]).
  struct Response {
    std::vector<double> policy;  // [t][s][a]
    int solver_iterations = 0;
  };
  virtual Response respond(int cls, const ClassMdp& mdp, std::span<const double> cost,
                           std::span<const double> policy, std::span<const double> mean_field) = 0;
  // The responders' own state.
  virtual void transfer_responses(StateTransfer& t) = 0;
  // One class's share of it, copied from the rank that updated the class to the others.
  virtual void save_class_response(int cls, std::vector<double>& out) const = 0;
  virtual void load_class_response(int cls, std::span<const double> in) = 0;

  const HouseholdModel& households() const { return *households_; }

 private:
  void on_observe(const FollowerObservation& observation) final;
  FollowerUpdate on_update(PolicyTable& policy) final;
  void on_transfer(StateTransfer& t) final;

  // A class's share of an update.
  struct ClassStep {
    double policy_change = 0, meanfield_change = 0, exploitability = 0;
    int terms = 0, solver_iterations = 0;
  };
  // Updates the class; with `record`, appends what another rank needs to do the same (the step's
  // terms, the class's policy rows and mean field, its responder's state) for load_class.
  ClassStep update_class(int cls, PolicyTable& policy, std::vector<double>* record);
  ClassStep load_class(int cls, PolicyTable& policy, std::span<const double> record);

  const HouseholdModel* households_;
  int threads_;
  std::vector<int> class_bus_;
  EmpiricalModel model_;
  const PostedTariff* tariff_ = nullptr;
  std::vector<double> lmp_sum_;  // Σ of the LMPs since the last update
  std::vector<double> prices_;   // the smoothed LMPs the members respond to
  bool prices_seen_ = false;
  int window_days_ = 0;
  std::vector<std::vector<double>> mean_field_;  // per class
  DealtItemsBuffers dealt_;                      // the classes' records, kept between updates
};

// Exploitability of `policy` in a class's MDP priced by `cost`: the discounted cost a member saves
// by switching to the exact best response, from the policy's own distribution at the start of the
// day, expressed per day (× (1 − γ^T)). Non-negative up to rounding (both policies are evaluated
// exactly).
double exploitability(const ClassMdp& mdp, std::span<const double> cost,
                      std::span<const double> policy, std::span<const double> start_distribution,
                      double discount);

}  // namespace mfgrid
