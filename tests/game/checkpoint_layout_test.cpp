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

  const std::vector<float> soc = original.population().soc_kwh;
  Simulation resumed(s, Communicator::self(), 1);
  resumed.load(old, soc);
  for (int t = 0; t < periods; ++t)
    for (int b = 0; b < buses; ++b)
      EXPECT_EQ(resumed.tariff().import_price(b, t), original.tariff().import_price(b, t))
          << "period " << t << ", bus " << b;
  EXPECT_EQ(resumed.tariff().import_price(2, 1), 122.0) << "the scenario's rate of bus 3, period 2";
  for (int d = 3; d < 6; ++d) EXPECT_EQ(resumed.step().lmp, original.step().lmp) << "day " << d;
}

}  // namespace
}  // namespace mfgrid
