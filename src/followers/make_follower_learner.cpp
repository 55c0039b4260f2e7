#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/follower_learner.hpp"
#include "mfgrid/followers/optimizer_followers.hpp"
#include "mfgrid/followers/soft_q_followers.hpp"

namespace mfgrid {

std::unique_ptr<FollowerLearner> make_follower_learner(const Scenario& scenario,
                                                       const HouseholdModel& model,
                                                       const StatisticsLayout& layout,
                                                       int threads) {
  switch (scenario.followers.learner) {
    case FollowerLearnerKind::soft_q:
      return std::make_unique<SoftQFollowers>(scenario, model, layout, threads);
    case FollowerLearnerKind::optimizer:
      return std::make_unique<OptimizerFollowers>(scenario, model, threads);
    case FollowerLearnerKind::ppo:
      throw Error(
          "followers.learner = \"ppo\" is not available in this version; use \"soft-q\" or "
          "\"optimizer\"");
  }
  throw Error("unknown follower learner");
}

}  // namespace mfgrid
