#include "mfgrid/followers/follower_learner.hpp"

#include "mfgrid/core/error.hpp"

namespace mfgrid {

void FollowerLearner::plan_day(const PlanningInputs&, PlannedActions&) {}

void FollowerLearner::observe(const FollowerObservation& observation) { on_observe(observation); }

const FollowerUpdate* FollowerLearner::update(PolicyTable& policy, int day) {
  if (!active()) return nullptr;
  FollowerUpdate u = on_update(policy);
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

}  // namespace mfgrid
