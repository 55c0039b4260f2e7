// The follower learners' factories, by name; their types live in the config's catalogue.
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/follower_learner.hpp"

namespace mfgrid {

namespace {

LearnerFactories<FollowerLearnerFactory>& factories() {
  static LearnerFactories<FollowerLearnerFactory> table(LearnerRole::followers);
  return table;
}

}  // namespace

void register_follower_learner(LearnerType type, FollowerLearnerFactory factory) {
  factories().add(std::move(type), factory);
}

std::unique_ptr<FollowerLearner> make_follower_learner(const Scenario& scenario,
                                                       const HouseholdModel& model,
                                                       const StatisticsLayout& layout,
                                                       int threads) {
  const std::string& name = scenario.followers.learner;
  const FollowerLearnerFactory* factory = factories().find(name);  // registers all
  if (!factory) throw Error("unknown follower learner \"" + name + "\"");
  return (*factory)(scenario, model, layout, threads);
}

}  // namespace mfgrid
