// The baseline every study compares against: keeps the tariff in force and never learns. That is
// the scenario's tariff, unless a program driving the leader itself (Simulation::post_tariff, the
// Python LeaderEnv) posted another, which it then keeps.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class FixedLeader : public LeaderLearner {
 public:
  FixedLeader(const LeaderSpec& spec, std::vector<double> initial)
      : LeaderLearner(spec, initial, 0), in_force_(std::move(initial)) {}
  std::string_view name() const override { return "fixed"; }

 protected:
  // Every proposal follows the observation of the tariff in force (the first one, the
  // simulation's start, follows none): so nothing needs to be kept in a checkpoint.
  std::vector<double> on_propose() override { return in_force_; }
  void on_observe(const Interaction& interaction) override { in_force_ = interaction.theta; }

 private:
  std::vector<double> in_force_;
};

}  // namespace mfgrid
