// The leader learners' factories, by name; their types live in the config's catalogue.
#include <map>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

namespace {

std::map<std::string, LeaderLearnerFactory, std::less<>>& factories() {
  static std::map<std::string, LeaderLearnerFactory, std::less<>> table;
  return table;
}

}  // namespace

void register_leader_learner(LearnerType type, LeaderLearnerFactory factory) {
  type.role = LearnerRole::leader;
  factories()[type.name] = factory;
  register_learner_type(std::move(type));
}

std::unique_ptr<LeaderLearner> make_leader_learner(const LeaderSpec& spec,
                                                   const TariffParameters& parameters,
                                                   const ObjectiveModel& objective,
                                                   std::uint64_t seed) {
  const LearnerType* type = find_learner_type(LearnerRole::leader, spec.learner);  // registers
  if (!type) throw Error("unknown leader learner \"" + spec.learner + "\"");
  if (type->learns_tariff && parameters.dimension() == 0)
    throw Error("leader.learner = \"" + spec.learner +
                "\" has nothing to learn: tariff.learn is empty");
  return factories().find(spec.learner)->second(spec, parameters, objective, seed);
}

}  // namespace mfgrid
