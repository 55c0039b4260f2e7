// Checkpoints written by earlier versions still load into the state they describe.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/state_archive.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {
namespace {

// The posted import rates were kept [bus][period] under simulation/tariff/import_rate before they
// took the LMPs' layout, [period][bus]: a checkpoint of that time (rewritten here from a new one)
// loads every rate at its own period and bus, and continues as the new checkpoint does.
TEST(CheckpointLayout, ImportRatesStoredBusByBusStillLoad) {
  const Scenario s = load_scenario(
      "ieee3-equity",
      {"time.days=6", "tariff.per_bus=true", "tariff.parameterisation=full",
       "tariff.import_rates=[[101,102,103,104,105,106,107,108],[111,112,113,114,115,116,117,118],"
       "[121,122,123,124,125,126,127,128]]"});
  const int periods = s.time.periods, buses = static_cast<int>(s.network.buses.size());
  Simulation original(s, Communicator::self(), 1);
  for (int d = 0; d < 3; ++d) original.step();
  StateArchive archive;
  original.save(archive);
  const std::vector<double> by_period = archive.doubles("simulation/tariff/import_rate_period_bus");
  ASSERT_EQ(by_period.size(), static_cast<std::size_t>(periods * buses));
  std::vector<double> by_bus;
  for (int b = 0; b < buses; ++b)
    for (int t = 0; t < periods; ++t)
      by_bus.push_back(by_period.at(static_cast<std::size_t>(t) * static_cast<std::size_t>(buses) +
                                    static_cast<std::size_t>(b)));
  StateArchive old = archive;
  old.entries().erase("simulation/tariff/import_rate_period_bus");
  old.put("simulation/tariff/import_rate", by_bus);

  const Simulation::AgentState agents = original.agent_state();
  Simulation resumed(s, Communicator::self(), 1);
  resumed.load(old, agents);
  for (int t = 0; t < periods; ++t)
    for (int b = 0; b < buses; ++b)
      EXPECT_EQ(resumed.tariff().import_price(b, t), original.tariff().import_price(b, t))
          << "period " << t << ", bus " << b;
  EXPECT_EQ(resumed.tariff().import_price(2, 1), 122.0) << "the scenario's rate of bus 3, period 2";
  for (int d = 3; d < 6; ++d) EXPECT_EQ(resumed.step().lmp, original.step().lmp) << "day " << d;
}

// Before learners declared their diagnostics, every leader update kept trust_radius and
// policy_change among its scalars (after "day") and there was no diagnostics array: such a
// history loads with those values as the diagnostics of the learner that declares them.
TEST(CheckpointLayout, LeaderHistoryWithoutDiagnosticsStillLoads) {
  const Scenario s = load_scenario(
      "ieee3-equity", {"time.days=8", "leader.warmup_days=0", "leader.update_every_days=2"});
  Simulation original(s, Communicator::self(), 1);
  for (int d = 0; d < 6; ++d) original.step();
  ASSERT_EQ(original.leader_history().size(), 3u);
  StateArchive archive;
  original.save(archive);

  const std::string prefix = "simulation/leader_history/";
  const std::vector<double>& scalars = archive.doubles(prefix + "scalars");
  const std::size_t width = scalars.size() / 3;
  std::vector<double> old_scalars;
  for (const LeaderUpdate& u : original.leader_history()) {
    ASSERT_EQ(u.diagnostics.size(), 1u) << "zo-surrogate reports its trust radius";
    const double* row = scalars.data() + old_scalars.size() / (width + 2) * width;
    old_scalars.insert(old_scalars.end(), row, row + 2);  // interaction, day
    old_scalars.push_back(u.diagnostics[0]);              // trust_radius
    old_scalars.push_back(0.25);                          // policy_change, not zo-surrogate's
    old_scalars.insert(old_scalars.end(), row + 2, row + width);
  }
  StateArchive old = archive;
  old.put(prefix + "scalars", old_scalars);
  old.entries().erase(prefix + "diagnostics/sizes");
  old.entries().erase(prefix + "diagnostics/data");

  Simulation resumed(s, Communicator::self(), 1);
  resumed.load(old, original.agent_state());
  ASSERT_EQ(resumed.leader_history().size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    const LeaderUpdate &a = original.leader_history()[k], &b = resumed.leader_history()[k];
    EXPECT_EQ(b.interaction, a.interaction);
    EXPECT_EQ(b.day, a.day);
    EXPECT_EQ(b.diagnostics, a.diagnostics);
    EXPECT_EQ(b.evaluation.objective, a.evaluation.objective);
    EXPECT_EQ(b.evaluation.tracking, a.evaluation.tracking);
    EXPECT_EQ(b.evaluation.lmp, a.evaluation.lmp);
    EXPECT_EQ(b.next_theta, a.next_theta);
  }
  for (int d = 6; d < 8; ++d) EXPECT_EQ(resumed.step().lmp, original.step().lmp) << "day " << d;
}

}  // namespace
}  // namespace mfgrid
