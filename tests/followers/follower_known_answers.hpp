// Answers known in advance for the followers' learners, shared by their tests and the
// conformance suite: the exact LP optimum of a deterministic repeated day, and a learned policy's
// cost and battery use evaluated after learning.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/followers/household_lp.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid::testing {

inline const std::string time_of_use = "[80.0, 80.0, 150.0, 150.0, 150.0, 150.0, 450.0, 300.0]";

// Learns for the scenario's days, then evaluates the frozen policy; returns the mean daily cost
// per household over the evaluation (energy bill plus battery wear) and the simulation.
struct Learned {
  double cost_per_day = 0;
  std::vector<double> mean_level;  // per period: mean battery level chosen (visits-weighted)
  double moved_kwh_per_day = 0;
};

inline Learned learn_and_evaluate(const Scenario& s, int evaluation_days = 10) {
  Simulation sim(s, Communicator::self(), 1);
  for (int d = 0; d < s.time.days; ++d) sim.step();
  sim.freeze_followers();
  Learned out;
  out.mean_level.assign(static_cast<std::size_t>(s.time.periods), 0.0);
  const double households = static_cast<double>(s.households.classes[0].count);
  for (int d = 0; d < evaluation_days; ++d) {
    const DayOutcome& day = sim.step();
    const DayStatistics& stats = sim.statistics();
    double moved = 0;
    for (int t = 0; t < s.time.periods; ++t)
      for (int b = 0; b < sim.statistics_layout().bins(0); ++b)
        for (int a = 0; a < sim.model().actions(); ++a) {
          moved += from_micro_kwh(stats.moved(0, t, b, a));
          out.mean_level[static_cast<std::size_t>(t)] +=
              sim.model().levels[static_cast<std::size_t>(a)] *
              static_cast<double>(stats.visits(0, t, b, a));
        }
    out.moved_kwh_per_day += moved / households / evaluation_days;
    out.cost_per_day +=
        (day.bills.group_bill[0] + s.followers.degradation_cost * moved / households) /
        evaluation_days;
  }
  for (double& l : out.mean_level) l /= households * evaluation_days;
  return out;
}

// The exact optimum of the same deterministic day as an LP, over the starting state of charge
// (the battery must end where it started: a periodic day).
inline double lp_optimum(const Scenario& s) {
  const HouseholdClass& c = s.households.classes[0];
  const int T = s.time.periods;
  std::vector<float> demand(static_cast<std::size_t>(T)), pv(static_cast<std::size_t>(T));
  std::vector<double> import_price(static_cast<std::size_t>(T)),
      export_price(static_cast<std::size_t>(T), s.tariff.export_rate);
  for (int t = 0; t < T; ++t) {
    const auto i = static_cast<std::size_t>(t);
    demand[i] = static_cast<float>(c.daily_kwh * c.demand_shape[i]);
    pv[i] = static_cast<float>(c.pv_kw * s.households.solar_profile[i] * s.time.period_hours());
    import_price[i] = s.tariff.import_rates[i];
  }
  HouseholdLp lp(T, s.time.period_hours());
  double best = 1e300;
  for (double soc = 0; soc <= c.battery_kwh + 1e-9; soc += c.battery_kwh / 40) {
    const HouseholdPlan& plan = lp.solve(
        {demand, pv, soc, c.battery_kwh, c.battery_kw, c.eta_charge, c.eta_discharge, 0.0, soc},
        {import_price, export_price, s.followers.degradation_cost, 0.0});
    best = std::min(best, plan.cost);
  }
  return best;
}

}  // namespace mfgrid::testing
