// How far a finite population's state distribution is from the mean field (the `mfgrid finite-n`
// study, in the library so that tests and bindings run it too).
//
// The followers' equilibrium policy is learned on the scenario as given; that policy is then
// played frozen in populations of N prosumers (the scenario at another population.scale each) on
// the same weather, and each day's observed state-of-charge distribution (mean over prosumer
// classes and periods) is compared by L1 distance with the largest population's (the N → ∞
// reference) and with the mean field the policy generates in the learned model.
#pragma once

#include <span>
#include <vector>

#include "mfgrid/game/simulation.hpp"

namespace mfgrid {

// For one population size: mean L1 distances of its daily state distributions.
struct FiniteNRow {
  double to_largest = 0;  // to the largest population's
  double to_model = 0;    // to the learned model's mean field
};

class FiniteNStudy {
 public:
  // Refuses (InputError naming the scenario's key) a scenario whose followers are not soft-q (a
  // learned class policy is needed) or that has no prosumers.
  FiniteNStudy(const Scenario& scenario, const Communicator& comm, int threads);

  // The scenario's prosumers (real households), from which a size gives population.scale.
  double prosumers() const { return prosumers_; }
  // Learns the followers' policy over `days` days.
  void learn(int days);
  const FollowerLearner& followers() const { return learner_.followers(); }

  // Each of `sized` (the scenario at the scale of each size, smallest first) simulated with the
  // learned policy frozen: `warmup` days to forget the initial state of charge, then `days`
  // observed. One row per size; the largest is the reference (its own distance is 0).
  std::vector<FiniteNRow> evaluate(std::span<const Scenario> sized, int warmup, int days) const;

 private:
  Communicator comm_;
  int threads_;
  double prosumers_ = 0;
  Simulation learner_;
};

}  // namespace mfgrid
