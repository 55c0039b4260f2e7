// The leader learners' factories, by name; their types live in the config's catalogue.
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

namespace {

LearnerFactories<LeaderLearnerFactory>& factories() {
  static LearnerFactories<LeaderLearnerFactory> table(LearnerRole::leader);
  return table;
}

}  // namespace

void register_leader_learner(LearnerType type, LeaderLearnerFactory factory) {
  factories().add(std::move(type), factory);
}

std::unique_ptr<LeaderLearner> make_leader_learner(const LeaderSpec& spec,
                                                   const TariffParameters& parameters,
                                                   const ObjectiveModel& objective,
                                                   std::uint64_t seed) {
  const LeaderLearnerFactory* factory = factories().find(spec.learner);  // registers all
  if (!factory) throw Error("unknown leader learner \"" + spec.learner + "\"");
  const LearnerType* type = find_learner_type(LearnerRole::leader, spec.learner);
  if (type->learns_tariff && parameters.dimension() == 0)
    throw Error("leader.learner = \"" + spec.learner +
                "\" has nothing to learn: tariff.learn is empty");
  return (*factory)(spec, parameters, objective, seed);
}

}  // namespace mfgrid
