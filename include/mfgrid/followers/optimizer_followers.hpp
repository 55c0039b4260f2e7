// The `optimizer` followers (docs/model.md §4.6): each prosumer plans its day exactly, as a small
// LP (HouseholdLp) against the posted tariff — its battery and the flexible share of its demand —
// with perfect foresight of its own demand and PV and the previous day's LMPs as the forecast of
// net-billing credits. The battery starts the day where it really stands and ends it at the level
// of the day's best cycle (a free-level cyclic LP: start = end, the level chosen): on a repeated
// deterministic day that is the exact best response from day 1 on (the cycle's optimum), and on
// changing days the real state carries over, with the stationary level as the day's terminal
// condition (README, departures). The LPs are solved per agent in parallel (OpenMP threads, one
// CLP model each, MPI ranks each for their own agents). Every agent's first solve starts from a
// canonical basis (the class's mean household solved first, identically on every thread), its
// second from its first, and CLP is reseeded for each: a plan never depends on which thread
// solved which agent before, and the results stay bit-identical across decompositions.
// With the default strictly convex wear and discomfort terms (followers.optimizer.wear_quadratic,
// followers.optimizer.discomfort) each day is a QP whose schedule is unique; of the equally good
// levels the cycle may start at, the one nearest the battery's state is taken, so the response to a
// tariff is one schedule whatever the solver's path.
#pragma once

#include <vector>

#include "mfgrid/followers/follower_learner.hpp"
#include "mfgrid/followers/household_lp.hpp"

namespace mfgrid {

// Of the levels at which `cycle` (a free-cycle plan) may start and end with every level inside
// [0, capacity], the one nearest `soc_kwh`.
double nearest_cycle_level(const HouseholdPlan& cycle, double capacity_kwh, double soc_kwh);

class OptimizerFollowers : public FollowerLearner {
 public:
  OptimizerFollowers(const Scenario& scenario, const HouseholdModel& model, int threads);

  std::string_view name() const override { return "optimizer"; }
  bool plans_actions() const override { return true; }
  void plan_day(const PlanningInputs& inputs, PlannedActions& plans) override;

  // LPs this rank has solved since it started (a diagnostic, not part of the checkpoint: it
  // depends on the decomposition).
  std::int64_t lps_solved() const { return lps_solved_; }

 protected:
  void on_observe(const FollowerObservation& observation) override;
  FollowerUpdate on_update(PolicyTable& policy) override;
  void on_transfer(StateTransfer& t) override;

 private:
  const HouseholdModel* households_;
  int threads_;
  double flexible_share_;  // [followers.optimizer] parameters
  double wear_quadratic_;
  double discomfort_;
  std::vector<HouseholdLp> lps_;  // one per thread
  std::vector<double> net_;       // per class and period: mean net withdrawal per member, last day
  std::vector<double> previous_net_;
  std::vector<std::vector<double>> mean_field_, previous_mean_field_;
  std::int64_t lps_solved_ = 0;
};

}  // namespace mfgrid
