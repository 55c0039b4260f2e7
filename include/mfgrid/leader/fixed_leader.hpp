// The baseline every study compares against: posts the scenario's tariff and never learns.
#pragma once

#include "mfgrid/leader/leader_learner.hpp"

namespace mfgrid {

class FixedLeader : public LeaderLearner {
 public:
  FixedLeader(const LeaderSpec& spec, std::vector<double> initial)
      : LeaderLearner(spec, initial, 0), initial_(std::move(initial)) {}
  std::string_view name() const override { return "fixed"; }

 protected:
  std::vector<double> on_propose() override { return initial_; }
  void on_observe(const Interaction&) override {}

 private:
  std::vector<double> initial_;
};

}  // namespace mfgrid
