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

void FollowerLearner::save(StateArchive& a) const {
  a.put_integer("followers/iteration", iteration_);
  a.put_integer("followers/converged", converged_ ? 1 : 0);
  std::vector<std::int64_t> iteration, day, converged, solver_iterations;
  std::vector<double> policy, mean_field, exploit;
  for (const FollowerUpdate& u : history_) {
    iteration.push_back(u.iteration);
    day.push_back(u.day);
    converged.push_back(u.converged ? 1 : 0);
    solver_iterations.push_back(u.solver_iterations);
    policy.push_back(u.policy_residual);
    mean_field.push_back(u.meanfield_residual);
    exploit.insert(exploit.end(), u.exploitability.begin(), u.exploitability.end());
  }
  a.put("followers/history/iteration", iteration);
  a.put("followers/history/day", day);
  a.put("followers/history/converged", converged);
  a.put("followers/history/solver_iterations", solver_iterations);
  a.put("followers/history/policy_residual", policy);
  a.put("followers/history/meanfield_residual", mean_field);
  a.put("followers/history/exploitability", exploit);
  on_save(a);
}

void FollowerLearner::load(const StateArchive& a) {
  iteration_ = static_cast<int>(a.integer("followers/iteration"));
  converged_ = a.integer("followers/converged") != 0;
  history_.clear();
  const auto& iteration = a.integers("followers/history/iteration");
  const auto& exploit = a.doubles("followers/history/exploitability");
  const std::size_t n = iteration.size(), per = n ? exploit.size() / n : 0;
  for (std::size_t k = 0; k < n; ++k) {
    FollowerUpdate u;
    u.iteration = static_cast<int>(iteration[k]);
    u.day = static_cast<int>(a.integers("followers/history/day").at(k));
    u.converged = a.integers("followers/history/converged").at(k) != 0;
    u.solver_iterations = static_cast<int>(a.integers("followers/history/solver_iterations").at(k));
    u.policy_residual = a.doubles("followers/history/policy_residual").at(k);
    u.meanfield_residual = a.doubles("followers/history/meanfield_residual").at(k);
    u.exploitability.assign(exploit.begin() + static_cast<std::ptrdiff_t>(k * per),
                            exploit.begin() + static_cast<std::ptrdiff_t>((k + 1) * per));
    history_.push_back(std::move(u));
  }
  on_load(a);
}

}  // namespace mfgrid
