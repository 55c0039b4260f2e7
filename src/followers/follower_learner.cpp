#include "mfgrid/followers/follower_learner.hpp"

#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/numeric_guards.hpp"

namespace mfgrid {

void FollowerLearner::plan_day(const PlanningInputs&, PlannedActions&) {}

void FollowerLearner::observe(const FollowerObservation& observation) { on_observe(observation); }

const FollowerUpdate* FollowerLearner::update(PolicyTable& policy, int day) {
  if (!active()) return nullptr;
  FollowerUpdate u = on_update(policy);
  if constexpr (check_every_update)
    require_policy(policy, day, "followers/policy (as " + std::string(name()) + " updated it)");
  u.iteration = ++iteration_;
  u.day = day;
  u.converged = u.policy_residual < spec_.policy_tolerance &&
                u.meanfield_residual < spec_.meanfield_tolerance;
  converged_ = u.converged;
  history_.push_back(std::move(u));
  return &history_.back();
}

void FollowerLearner::restart() {
  iteration_ = 0;
  converged_ = false;
}

void FollowerLearner::transfer(StateTransfer& t) {
  t.value("followers/iteration", iteration_);
  t.value("followers/converged", converged_);
  t.columns("followers/history", history_)
      .column("iteration", &FollowerUpdate::iteration)
      .column("day", &FollowerUpdate::day)
      .column("converged", &FollowerUpdate::converged)
      .column("solver_iterations", &FollowerUpdate::solver_iterations)
      .column("policy_residual", &FollowerUpdate::policy_residual)
      .column("meanfield_residual", &FollowerUpdate::meanfield_residual)
      .packed("exploitability", &FollowerUpdate::exploitability);
  on_transfer(t);
}

}  // namespace mfgrid
