#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/follower_learner.hpp"
#include "mfgrid/followers/optimizer_followers.hpp"
#include "mfgrid/followers/ppo_followers.hpp"
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
      return std::make_unique<PpoFollowers>(scenario, model, layout, threads);
  }
  throw Error("unknown follower learner");
}

}  // namespace mfgrid
