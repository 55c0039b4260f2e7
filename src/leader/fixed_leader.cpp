#include "mfgrid/leader/fixed_leader.hpp"

MFGRID_LEARNER_REGISTRATION(leader, fixed) {
  using namespace mfgrid;
  register_leader_learner(
      {.name = "fixed",
       .doc = "keeps the tariff in force (the scenario's, or one a program posted) and never "
              "learns: the baseline",
       .learns_tariff = false},
      [](const LeaderSpec& spec, const TariffParameters& parameters, const ObjectiveModel&,
         std::uint64_t) -> std::unique_ptr<LeaderLearner> {
        return std::make_unique<FixedLeader>(spec, parameters.initial());
      });
}
