// The follower learners' factories, by name; their types live in the config's catalogue.
#include <map>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/follower_learner.hpp"

namespace mfgrid {

namespace {

std::map<std::string, FollowerLearnerFactory, std::less<>>& factories() {
  static std::map<std::string, FollowerLearnerFactory, std::less<>> table;
  return table;
}

}  // namespace

void register_follower_learner(LearnerType type, FollowerLearnerFactory factory) {
  type.role = LearnerRole::followers;
  factories()[type.name] = factory;
  register_learner_type(std::move(type));
}

std::unique_ptr<FollowerLearner> make_follower_learner(const Scenario& scenario,
                                                       const HouseholdModel& model,
                                                       const StatisticsLayout& layout,
                                                       int threads) {
  const std::string& name = scenario.followers.learner;
  if (!find_learner_type(LearnerRole::followers, name))  // registers the learners
    throw Error("unknown follower learner \"" + name + "\"");
  return factories().find(name)->second(scenario, model, layout, threads);
}

}  // namespace mfgrid
