// How the leader learns a tariff: the interface every leader learner implements (docs/model.md §5,
// outer loop).
//
// One interaction is one posted tariff and the followers' response to it. A learner sees only
// what the leader observes — the tariff it posted (θ), its own objective J and the followers'
// aggregate response y (energy per household of each class and period) — and may evaluate its
// objective J(θ, y) for a hypothetical response through LeaderObjective. Nothing of the followers'
// costs or policies is reachable from here: the leader module includes nothing of the followers
// module (a test checks), and LeaderObjective keeps only the leader's view of the scenario.
//
// As in OpenSpiel, the public calls wrap protected hooks so the accounting (interaction count,
// best tariff so far, budget) is written once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "mfgrid/agents/billing.hpp"
#include "mfgrid/config/scenario.hpp"
#include "mfgrid/core/random.hpp"
#include "mfgrid/core/state_transfer.hpp"
#include "mfgrid/leader/leader_objective.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"

namespace mfgrid {

// A quantity a learner reports after each observation: name, units, a one-line description.
struct LearnerDiagnostic {
  const char* name;
  const char* units;
  const char* long_name;
};

struct Interaction {
  std::vector<double> theta;  // the posted tariff, normalised
  double objective = 0.0;     // J observed
  ClassEnergy response;       // y observed
};

// A list of interactions into a checkpoint and back, under key/.
void transfer_interactions(StateTransfer& t, const std::string& key,
                           std::vector<Interaction>& list);

class LeaderLearner {
 public:
  virtual ~LeaderLearner() = default;
  virtual std::string_view name() const = 0;

  // The tariff to post next (θ in [0, 1]^d). After the interaction budget: final_theta().
  std::vector<double> propose();
  // The outcome of the tariff last proposed.
  void observe(const Interaction& interaction);

  // Everything needed to continue bit-identically after a restart, saved or restored
  // (save_state / load_state).
  void transfer(StateTransfer& t);

  int interactions() const { return interactions_; }
  bool learning() const { return interactions_ < budget_; }
  const std::vector<double>& best_theta() const { return best_theta_; }
  double best_objective() const { return best_objective_; }
  // What this learner reports after each observation (the run file writes each as
  // leader/<name> over the interactions), and their current values, in that order.
  virtual std::span<const LearnerDiagnostic> diagnostic_specs() const { return {}; }
  virtual std::vector<double> diagnostics() const { return {}; }

 protected:
  LeaderLearner(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed)
      : spec_(spec),
        streams_(seed),
        budget_(spec.max_interactions),
        best_theta_(std::move(initial)) {}
  virtual std::vector<double> on_propose() = 0;
  virtual void on_observe(const Interaction& interaction) = 0;
  // What to post once the budget is spent: the best tariff seen unless the learner knows better.
  virtual std::vector<double> final_theta() const { return best_theta_; }
  // The learner's own state, after the base's.
  virtual void on_transfer(StateTransfer&) {}

  const LeaderSpec& spec() const { return spec_; }
  // The learner's own parameters ([leader.<name>]), as its registration declared them.
  double number(std::string_view key) const { return spec_.parameters.number(key); }
  int integer(std::string_view key) const { return spec_.parameters.integer(key); }
  const RandomStreams& streams() const { return streams_; }
  int dimension() const { return static_cast<int>(best_theta_.size()); }
  // A random unit direction in d dimensions, the `index`-th of draw `step` (learner streams).
  std::vector<double> unit_direction(std::uint32_t learner_id, std::uint32_t step,
                                     std::uint32_t index) const;
  // A uniform number in (0, 1) from the learner's stream.
  double uniform(std::uint32_t learner_id, std::uint32_t step) const;

 private:
  LeaderSpec spec_;
  RandomStreams streams_;
  int budget_;
  int interactions_ = 0;
  std::vector<double> best_theta_;
  double best_objective_ = 1e300;
};

// The learner the scenario asks for (leader.learner), made by its registered factory.
std::unique_ptr<LeaderLearner> make_leader_learner(const LeaderSpec& spec,
                                                   const TariffParameters& parameters,
                                                   const ObjectiveModel& objective,
                                                   std::uint64_t seed);

// What a leader learner's MFGRID_LEARNER_REGISTRATION(leader, id) registers: its type (name,
// parameters) and how to make one.
using LeaderLearnerFactory = std::unique_ptr<LeaderLearner> (*)(const LeaderSpec& spec,
                                                                const TariffParameters& parameters,
                                                                const ObjectiveModel& objective,
                                                                std::uint64_t seed);
void register_leader_learner(LearnerType type, LeaderLearnerFactory factory);

}  // namespace mfgrid
