// How the households' side of the game learns: the interface every follower model implements.
//
// Like OpenSpiel's State, the public calls are non-virtual and wrap protected hooks, so the
// bookkeeping (iteration counts, residual history, convergence) is written once. The simulation
// clock calls observe() after every day and update() every K_F days; a follower model either
// shapes the policy table the rollout kernel samples from (soft-Q, PPO) or plans every agent's
// day (optimizer).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/agents/planned_actions.hpp"
#include "mfgrid/agents/policy_table.hpp"
#include "mfgrid/agents/population.hpp"
#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/config/scenario.hpp"
#include "mfgrid/core/random.hpp"
#include "mfgrid/core/state_transfer.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {

// One follower update: the residuals of the mean-field fixed point.
struct FollowerUpdate {
  int iteration = 0;  // 1, 2, … since the tariff last changed
  int day = 0;        // the simulated day after which it happened
  double policy_residual = 0.0;  // mean over classes and periods of E_μ ‖π_new(·|s) − π_old(·|s)‖₁
  double meanfield_residual = 0.0;  // mean over classes and periods of ‖μ_new − μ_old‖₁
  bool converged = false;           // both below their tolerances
  std::vector<double>
      exploitability;  // per class, $ per member-day a deviation to the best response saves
  int solver_iterations =
      0;  // policy evaluations of the best responses (their cost), over the classes
};

// What the clock hands the followers after a day (all ranks hold the same).
struct FollowerObservation {
  int day = 0;
  const DayStatistics& stats;
  std::span<const double> lmp;  // [period][bus], $/MWh
  const PostedTariff& tariff;
};

// What planning followers need before a day.
struct PlanningInputs {
  int day = 0;
  const Population& population;
  const RandomStreams& streams;
  std::span<const float> weather;  // the day's solar factor per bus
  const PostedTariff& tariff;
  std::span<const double> price_forecast;  // [period][bus] LMPs expected for exports
};

class FollowerLearner {
 public:
  virtual ~FollowerLearner() = default;

  virtual std::string_view name() const = 0;
  // True when prosumers follow per-agent plans (see plan_day) instead of the policy table.
  virtual bool plans_actions() const { return false; }
  virtual void plan_day(const PlanningInputs& inputs, PlannedActions& plans);

  void observe(const FollowerObservation& observation);
  // A fixed-point iteration; does nothing once converged or out of iterations.
  const FollowerUpdate* update(PolicyTable& policy, int day);
  // The tariff changed: learning starts again (the iteration count restarts).
  void restart();

  // Everything needed to continue bit-identically after a restart, saved or restored
  // (save_state / load_state).
  void transfer(StateTransfer& t);

  // The ranks that share the learner's serial work (its classes' updates): every rank of the run
  // calls update() and ends with the same result. Without it the learner works alone.
  void share_work(const Communicator& ranks) { ranks_ = ranks; }

  bool converged() const { return converged_; }
  bool active() const { return !converged_ && iteration_ < max_iterations_; }
  const std::vector<FollowerUpdate>& history() const { return history_; }

 protected:
  FollowerLearner(const FollowerSpec& spec) : spec_(spec), max_iterations_(spec.max_iterations) {}
  virtual void on_observe(const FollowerObservation& observation) = 0;
  virtual FollowerUpdate on_update(PolicyTable& policy) = 0;
  // The learner's own state, after the base's.
  virtual void on_transfer(StateTransfer& t) = 0;
  const FollowerSpec& spec() const { return spec_; }
  const Communicator* ranks() const { return ranks_ ? &*ranks_ : nullptr; }
  // The damping of the update under way: β for the first H updates at one tariff, then
  // β·H/(m + 1) at the m-th (counting from 0; H = followers.damping_horizon, 0 keeps β). The
  // policy then becomes the running average of the best responses (fictitious play), whose
  // residual falls as 1/m where a constant β leaves it at β times the best responses' noise.
  double damping() const {
    const int h = spec_.damping_horizon;
    return h > 0 && iteration_ + 1 > h ? spec_.damping * h / (iteration_ + 1) : spec_.damping;
  }

 private:
  FollowerSpec spec_;
  int max_iterations_;
  int iteration_ = 0;
  bool converged_ = false;
  std::vector<FollowerUpdate> history_;
  std::optional<Communicator> ranks_;
};

// The follower model the scenario asks for (followers.learner), made by its registered factory.
std::unique_ptr<FollowerLearner> make_follower_learner(const Scenario& scenario,
                                                       const HouseholdModel& model,
                                                       const StatisticsLayout& layout, int threads);

// What a follower learner's MFGRID_LEARNER_REGISTRATION(followers, id) registers: its type
// (name, parameters) and how to make one.
using FollowerLearnerFactory = std::unique_ptr<FollowerLearner> (*)(const Scenario& scenario,
                                                                    const HouseholdModel& model,
                                                                    const StatisticsLayout& layout,
                                                                    int threads);
void register_follower_learner(LearnerType type, FollowerLearnerFactory factory);

}  // namespace mfgrid
