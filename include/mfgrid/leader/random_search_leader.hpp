// `random-search`: the baseline a learner must beat. Each interaction posts a tariff drawn
// uniformly from a box around the best tariff seen so far — the whole tariff box at the default
// `radius` = 1 (pure random search), a smaller box for a (1+1) random local search — and the best
// observed is posted once the budget is spent. It needs no model of the followers and keeps no
// state beyond the best tariff: its draws are indexed by the interaction.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class RandomSearchLeader : public LeaderLearner {
 public:
  RandomSearchLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed);
  std::string_view name() const override { return "random-search"; }

 protected:
  std::vector<double> on_propose() override;
  void on_observe(const Interaction&) override {}

 private:
  double radius_;  // half-width of the sampling box, relative to each parameter's range
};

}  // namespace mfgrid
