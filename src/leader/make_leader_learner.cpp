#include "mfgrid/core/error.hpp"
#include "mfgrid/leader/fixed_leader.hpp"
#include "mfgrid/leader/ppo_leader.hpp"
#include "mfgrid/leader/softmax_net_leader.hpp"
#include "mfgrid/leader/zo_leader.hpp"
#include "mfgrid/leader/zo_surrogate_leader.hpp"

namespace mfgrid {

std::unique_ptr<LeaderLearner> make_leader_learner(const LeaderSpec& spec,
                                                   const TariffParameters& parameters,
                                                   const ObjectiveModel& objective,
                                                   std::uint64_t seed) {
  if (spec.learner != LeaderLearnerKind::fixed && parameters.dimension() == 0)
    throw Error("leader.learner = \"" + std::string(to_string(spec.learner)) +
                "\" has nothing to learn: tariff.learn is empty");
  switch (spec.learner) {
    case LeaderLearnerKind::fixed:
      return std::make_unique<FixedLeader>(spec, parameters.initial());
    case LeaderLearnerKind::zo:
      return std::make_unique<ZoLeader>(spec, parameters.initial(), seed);
    case LeaderLearnerKind::zo_surrogate:
      return std::make_unique<ZoSurrogateLeader>(spec, parameters.initial(), objective, seed);
    case LeaderLearnerKind::softmax_net:
      return std::make_unique<SoftmaxNetLeader>(spec, parameters.initial(), objective, seed);
    case LeaderLearnerKind::ppo:
      return std::make_unique<PpoLeader>(spec, parameters.initial(), seed);
  }
  throw Error("unknown leader learner");
}

}  // namespace mfgrid
