// The exact-LP followers: the household LP against a hand-solved day, plans carried out by the
// rollout kernel exactly, and the same plans on any number of threads.
#include <gtest/gtest.h>

#include <cmath>

#include "followers/follower_scenarios.hpp"
#include "mfgrid/agents/weather.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/followers/household_lp.hpp"
#include "mfgrid/followers/optimizer_followers.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/leader/leader_objective.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"

namespace mfgrid {
namespace {

// Lossless 7.5 kWh battery, 2.5 kW; demand 2 kWh a period except 2.5 at t5 and 3.75 at t6, t7;
// prices 80 (t0, t1), 150 (t2–t5), 450 (t6), 300 (t7); wear 0.01 $/kWh; starts and ends empty.
// Optimum by hand: charge 7.5 kWh at 80 in the night, discharge 3.75 at t6 and t7 (a second cycle,
// 6 kWh discharged at 150 and recharged at 150, would only add wear). Cost: night 4 + 7.5 kWh at
// 0.08 = 0.92; t2–t5 8.5 kWh at 0.15 = 1.275; wear 15 kWh at 0.01 = 0.15; total 2.345.
TEST(HouseholdLp, MatchesTheHandSolvedDay) {
  const std::vector<float> demand{2, 2, 2, 2, 2, 2.5f, 3.75f, 3.75f}, pv(8, 0.0f);
  const std::vector<double> import_price{80, 80, 150, 150, 150, 150, 450, 300},
      export_price(8, 0.0);
  HouseholdLp lp(8, 3.0);
  const HouseholdPlan& plan = lp.solve({demand, pv, 0.0, 7.5, 2.5, 1.0, 1.0, 0.0, 0.0},
                                       {import_price, export_price, 0.01, 0.0});
  EXPECT_NEAR(plan.cost, 0.92 + 1.275 + 0.15, 1e-9);
  EXPECT_NEAR(plan.charge[0] + plan.charge[1], 7.5, 1e-9);
  EXPECT_NEAR(plan.discharge[6], 3.75, 1e-9);
  EXPECT_NEAR(plan.discharge[7], 3.75, 1e-9);
  for (int t = 0; t < 8; ++t)
    EXPECT_NEAR(
        plan.imports[static_cast<std::size_t>(t)] - plan.exports[static_cast<std::size_t>(t)],
        demand[static_cast<std::size_t>(t)] + plan.charge[static_cast<std::size_t>(t)] -
            plan.discharge[static_cast<std::size_t>(t)],
        1e-9);
}

// The day's ends: a free cycle chooses its level and ends where it began; it costs no more than
// any pinned level (here the hand-solved day, whose optimum starts empty); a day from a given
// level to an exact one ends there.
TEST(HouseholdLp, FreeCycleAndExactEnds) {
  const std::vector<float> demand{2, 2, 2, 2, 2, 2.5f, 3.75f, 3.75f}, pv(8, 0.0f);
  const std::vector<double> import_price{80, 80, 150, 150, 150, 150, 450, 300},
      export_price(8, 0.0);
  const HouseholdPrices prices{import_price, export_price, 0.01, 0.0};
  HouseholdLp lp(8, 3.0);
  const HouseholdPlan free =
      lp.solve({demand, pv, 0.0, 7.5, 2.5, 1.0, 1.0, 0.0, -1.0, SocRule::free_cycle}, prices);
  EXPECT_NEAR(free.cost, 0.92 + 1.275 + 0.15, 1e-9);
  EXPECT_NEAR(free.soc.back(), free.start_soc_kwh, 1e-9);
  for (double level : {0.0, 2.0, 3.75, 7.5}) {
    const HouseholdPlan& pinned =
        lp.solve({demand, pv, level, 7.5, 2.5, 1.0, 1.0, 0.0, level, SocRule::end_exactly}, prices);
    EXPECT_GE(pinned.cost, free.cost - 1e-9) << level;
    EXPECT_NEAR(pinned.soc.back(), level, 1e-9);
  }
  const HouseholdPlan& to_full =
      lp.solve({demand, pv, 1.0, 7.5, 2.5, 1.0, 1.0, 0.0, 7.5, SocRule::end_exactly}, prices);
  EXPECT_NEAR(to_full.start_soc_kwh, 1.0, 1e-12);
  EXPECT_NEAR(to_full.soc.back(), 7.5, 1e-9);
}

// A peak charge makes the household flatten its imports; flexible demand moves to cheap hours but
// keeps its daily energy.
TEST(HouseholdLp, PeakChargeAndFlexibleDemand) {
  const std::vector<float> demand{1, 1, 2, 2, 2, 3, 6, 3}, pv(8, 0.0f);
  const std::vector<double> flat(8, 100.0), export_price(8, 0.0);
  HouseholdLp lp(8, 3.0);
  const HouseholdPlan& no_charge =
      lp.solve({demand, pv, 0, 0, 0, 1, 1, 0.5, 0}, {flat, export_price, 0, 0.0});
  const double peak_free = no_charge.peak_kw;
  const HouseholdPlan& charged =
      lp.solve({demand, pv, 0, 0, 0, 1, 1, 0.5, 0}, {flat, export_price, 0, 1.0});
  EXPECT_LT(charged.peak_kw, peak_free - 0.1);
  double flexible = 0;
  for (double f : charged.flexible) flexible += f;
  EXPECT_NEAR(flexible, 0.5 * 20.0, 1e-9);  // half of the 20 kWh day
  // Flat energy prices and no other reason to move: the peak is the mean import (20/24 kW) at best.
  EXPECT_NEAR(charged.peak_kw, std::max(20.0 / 24.0, 0.5 * 6.0 / 3.0), 1e-6);
}

Scenario optimizer_scenario(const std::string& threads_note = "") {
  (void)threads_note;
  return testing::deterministic_prosumers(
      "[80.0, 80.0, 150.0, 150.0, 150.0, 150.0, 450.0, 300.0]", 3.0, 40.0,
      {"followers.learner=optimizer", "followers.flexible_share=0.2",
       "households.parameter_spread=0.2", "households.demand_noise=0.1", "population.scale=3"});
}

TEST(OptimizerFollowers, TheKernelCarriesOutThePlansExactly) {
  // Each recorded agent's net withdrawal must be what its LP planned: (1 − φ)D − PV + c − d + f.
  const Scenario s = optimizer_scenario();
  Simulation sim(s, Communicator::self(), 2);
  for (int d = 0; d < 3; ++d) {
    const DayOutcome& day = sim.step();
    EXPECT_EQ(day.shed_mw.rows(), s.time.periods);
  }
  const auto& f = dynamic_cast<const OptimizerFollowers&>(sim.followers());
  // A cycle each, and a day for each battery that does not stand where its cycle may start.
  EXPECT_GE(f.lps_solved(), 3 * sim.layout().total());
  EXPECT_LE(f.lps_solved(), 2 * 3 * sim.layout().total());
}

TEST(OptimizerFollowers, PlansAreBitIdenticalForAnyNumberOfThreads) {
  const Scenario s = optimizer_scenario();
  std::vector<std::vector<std::int64_t>> runs;
  for (int threads : {1, 2, 3}) {
    Simulation sim(s, Communicator::self(), threads);
    std::vector<std::int64_t> all;
    for (int d = 0; d < 3; ++d) {
      sim.step();
      all.insert(all.end(), sim.statistics().raw().begin(), sim.statistics().raw().end());
    }
    runs.push_back(all);
  }
  EXPECT_EQ(runs[1], runs[0]);
  EXPECT_EQ(runs[2], runs[0]);
}

TEST(OptimizerFollowers, PlanningBeatsIdleBatteries) {
  const Scenario s = optimizer_scenario();
  Simulation planned(s, Communicator::self(), 1);
  Scenario idle_s = testing::deterministic_prosumers(
      "[80.0, 80.0, 150.0, 150.0, 150.0, 150.0, 450.0, 300.0]", 3.0, 40.0,
      {"households.parameter_spread=0.2", "households.demand_noise=0.1", "population.scale=3"});
  Simulation idle(idle_s, Communicator::self(), 1);
  idle.freeze_followers(
      PolicyTable::deterministic(1, 8, idle_s.followers.soc_bins, 9, 4));  // level 0
  double planned_bill = 0, idle_bill = 0;
  for (int d = 0; d < 3; ++d) {
    planned_bill += planned.step().bills.group_bill[0];
    idle_bill += idle.step().bills.group_bill[0];
  }
  EXPECT_LT(planned_bill, 0.8 * idle_bill);
}

// dsm-community's households under tariffs the test posts (the leader never updates), after
// `history_days` days of `history` and one day of `theta` (which carries the batteries from where
// the history left them onto theta's cycles): the plans the households make for the next day of
// `theta`, and that day's response y (per household of each class and period) with the DSO's
// objective J(theta, y).
struct Response {
  PlannedActions plans;
  std::vector<float> soc;  // the batteries' states the plans start from
  std::vector<double> y;
  double objective = 0;
};

Response respond_after(const Scenario& s, const std::vector<double>& history, int history_days,
                       const std::vector<double>& theta) {
  Simulation sim(s, Communicator::self(), 2);
  const TariffParameters parameters(s);
  sim.post_tariff(history);
  for (int d = 0; d < history_days; ++d) sim.step();
  sim.post_tariff(theta);
  sim.step();
  Response r;
  r.soc = sim.population().soc_kwh;
  OptimizerFollowers planner(s, sim.model(), 2);
  const RandomStreams streams(s.seed);
  const std::vector<float> weather = WeatherModel(s).day(streams, sim.day()).solar;
  planner.plan_day(
      {sim.day(), sim.population(), streams, weather, sim.tariff(), sim.last_day().lmp.values()},
      r.plans);
  const DayOutcome& day = sim.step();
  r.y = day.energy.imports;
  for (std::size_t i = 0; i < day.energy.exports.size(); ++i) r.y[i] -= day.energy.exports[i];
  r.objective = LeaderObjective(s, parameters).evaluate(theta, day.energy).objective;
  return r;
}

Scenario silent_leader_community() {
  return load_scenario("dsm-community",
                       {"leader.learner=fixed", "time.days=20", "leader.update_every_days=20"});
}

std::vector<double> a_tariff(double base, double slope, int dimension) {
  std::vector<double> theta;
  for (int i = 0; i < dimension; ++i) theta.push_back(base + slope * i);
  return theta;
}

double distance(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

// The strictly convex household cost makes the response a function of the tariff alone: the same
// tariff after two very different histories (a cheap flat one and a steep one, each for 3 days),
// with the batteries standing at different levels, gives the same plans, bit for bit, and the
// same response and objective.
TEST(OptimizerFollowers, TheResponseToATariffDoesNotDependOnTheHistory) {
  const Scenario s = silent_leader_community();
  const int d = TariffParameters(s).dimension();
  const std::vector<double> theta = a_tariff(0.3, 0.05, d);
  const Response after_flat = respond_after(s, a_tariff(0.1, 0.0, d), 3, theta);
  const Response after_steep = respond_after(s, a_tariff(0.9, -0.1, d), 3, theta);
  EXPECT_NE(after_flat.soc, after_steep.soc);  // the histories left the batteries apart
  EXPECT_EQ(after_flat.plans.battery_kwh, after_steep.plans.battery_kwh);
  EXPECT_EQ(after_flat.plans.load_shift_kwh, after_steep.plans.load_shift_kwh);
  // Carried out by the kernel from the two histories' different states, the same plans give the
  // same y up to the kernel's resolution: it counts energy in whole µkWh per agent and holds the
  // states in float32, so a battery that stands at the end of its cycle's range in one history
  // and inside it in the other is clipped by a rounding error in one only. 1 µkWh of y (values of
  // ~2 kWh), and J to 1e-7 of itself, bound that.
  const double dy = distance(after_flat.y, after_steep.y);
  std::printf("after a flat and a steep history: y within %.2e kWh, J %.10f and %.10f\n", dy,
              after_flat.objective, after_steep.objective);
  EXPECT_LE(dy, 1e-6);
  EXPECT_NEAR(after_flat.objective, after_steep.objective, 1e-7 * std::abs(after_flat.objective));
}

// … and a continuous one: the response moves with the tariff, by less the less the tariff moves
// (no jump from one vertex of a face of optima to another), at most in proportion to the move.
TEST(OptimizerFollowers, ASmallTariffChangeGivesASmallResponseChange) {
  const Scenario s = silent_leader_community();
  const int d = TariffParameters(s).dimension();
  const std::vector<double> theta = a_tariff(0.3, 0.05, d);
  const Response base = respond_after(s, theta, 1, theta);
  std::vector<double> change;
  for (double h : {1e-2, 1e-3, 1e-4}) {
    std::vector<double> moved = theta;
    for (double& x : moved) x += h;
    change.push_back(distance(respond_after(s, theta, 1, moved).y, base.y));
    std::printf("tariff moved by %.0e: response moved by %.3e kWh\n", h, change.back());
  }
  EXPECT_GT(change[0], 0.0);
  EXPECT_LT(change[1], change[0]);
  EXPECT_LT(change[2], change[1]);
  EXPECT_LE(change[2], 2 * 1e-2 * change[0]);  // Lipschitz: 100× less, within a factor 2
}

}  // namespace
}  // namespace mfgrid
