// Every number a scenario gives is finite and in its key's real domain, and the limits downstream
// code lives with (the market LP's costs, the rollout kernel's kWh, 32-bit agent ids, memory) are
// enforced at validation, with a located message, instead of a crash or a silent wrong answer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "config/scenario_test_text.hpp"
#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/config/population_estimate.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

using testing::small_scenario;
using testing::small_with;

// The error an override gives: its key and reason (the location is the option itself).
InputError override_error(const std::vector<std::string>& overrides,
                          const std::string& text = small_scenario()) {
  try {
    parse_scenario(text, "s.toml", overrides, MFGRID_TEST_DATA);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << overrides.back();
  return InputError({}, "", "");
}

// `at_option`: the error is located at the option, not at another key in the file that the
// overridden value makes wrong.
void expect_override_error(const std::string& arg, const std::string& key,
                           const std::string& reason, bool at_option = true) {
  const InputError e = override_error({arg});
  if (at_option) {
    EXPECT_EQ(e.where().file, "--set " + arg) << e.what();
  }
  EXPECT_EQ(e.key(), key) << e.what();
  EXPECT_NE(e.reason().find(reason), std::string::npos) << arg << " -> " << e.what();
}

TEST(InputDomain, InfinityAndNanAreRefusedForEveryNumber) {
  // Keys the review found accepted, or failing only later in the run.
  for (const char* key :
       {"network.line[0].x", "network.generator[0].pmax_mw", "households.group[0].income",
        "tariff.network_cost", "leader.zo.step", "followers.temperature", "households.weather_mean",
        "network.voll", "network.spill_cost", "network.generator[0].cost_per_mwh",
        "population.scale", "households.class[1].battery_kwh", "leader.penalty"})
    for (const char* value : {"inf", "-inf", "nan", "+inf"})
      expect_override_error(std::string(key) + "=" + value, key, "expected a finite number");
  // Inside arrays (numbers, number_or_numbers) and rows of arrays (number_rows).
  expect_override_error("network.generator[0].cost_profile=[inf, 1, 1, 1]",
                        "network.generator[0].cost_profile", "finite");
  expect_override_error("tariff.import_rates=[100, nan, 100, 100]", "tariff.import_rates",
                        "finite");
  expect_override_error("households.solar_profile=[0, inf, 0, 0]", "households.solar_profile",
                        "finite");
  const std::string per_bus = small_with(
      "import_rates = [100.0, 120.0, 200.0, 150.0]",
      "per_bus = true\nimport_rates = [[100.0, 120.0, 200.0, 150.0], [100.0, inf, 1.0, 1.0]]");
  EXPECT_NE(override_error({}, per_bus).reason().find("finite"), std::string::npos);
  const std::string points = small_with("cost_per_mwh = 30.0", "cost_points = [[0, 0], [10, inf]]");
  EXPECT_NE(override_error({}, points).reason().find("finite"), std::string::npos);
}

TEST(InputDomain, NonFiniteNumbersInAFileAreLocatedAtTheValue) {
  try {
    parse_scenario(small_with("voll = 5000.0", "voll = inf"), "s.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 15) << e.what();
    EXPECT_EQ(e.where().column, 8) << e.what();
    EXPECT_EQ(e.key(), "network.voll");
    EXPECT_EQ(e.reason(), "expected a finite number, got inf");
  }
}

TEST(InputDomain, CostsTheMarketLpSeesAreBounded) {
  // CLP aborts (SIGABRT) on objective coefficients of 1e25; every one is refused beyond 1e9 $/MWh.
  expect_override_error("network.voll=1e25", "network.voll", "must be in (0, 1000000000]");
  expect_override_error("network.spill_cost=1e10", "network.spill_cost", "must be in [0, ");
  expect_override_error("network.generator[0].cost_per_mwh=1e25",
                        "network.generator[0].cost_per_mwh", "must be in [-1000000000, ");
  expect_override_error("network.generator[0].cost_per_mwh=-1e25",
                        "network.generator[0].cost_per_mwh", "must be in [-1000000000, ");
  expect_override_error("network.generator[0].cost_profile=[1, 1, 1e8, 1]",
                        "network.generator[0].cost_profile",
                        "makes a marginal cost of 3000000000 $/MWh");
  const std::string poly = small_with("cost_per_mwh = 30.0", "cost_coefficients = [1e300, 0, 0]");
  const InputError e = override_error({}, poly);
  EXPECT_EQ(e.key(), "network.generator[0].cost_coefficients") << e.what();
  EXPECT_NE(e.reason().find("beyond ±1000000000 $/MWh"), std::string::npos) << e.what();
  // At the bound the scenario is valid.
  EXPECT_NO_THROW(parse_scenario(small_scenario(), "s.toml", {"network.voll=1e9"}));
}

TEST(InputDomain, NetworkQuantitiesHaveRealRanges) {
  expect_override_error("network.base_mva=1e-320", "network.base_mva", "must be in [1, 1000000]");
  expect_override_error("network.line[0].x=1e-9", "network.line[0].x", "must be in [1e-06, 1000]");
  expect_override_error("network.line[0].limit_mw=1e7", "network.line[0].limit_mw",
                        "must be in [0, 1000000]");
  expect_override_error("network.generator[0].pmax_mw=1e300", "network.generator[0].pmax_mw",
                        "must be in [-1000000, 1000000]");
  expect_override_error("network.load_profile=[1, 1, 1e7, 1]", "network.bus[0].base_load_mw",
                        "load of up to 1e+07 MW in period 2", false);
}

TEST(InputDomain, TariffAndLearnerValuesHaveRealRanges) {
  expect_override_error("tariff.network_cost=1e300", "tariff.network_cost", "must be in [0, ");
  expect_override_error("tariff.fixed_bounds=[0, 1e300]", "tariff.fixed_bounds", "must be in [");
  expect_override_error("tariff.import_bounds=[0, 1e300]", "tariff.import_bounds", "must be in [");
  expect_override_error("households.group[0].income=0.5", "households.group[0].income",
                        "must be in [1, 1000000000]");
  expect_override_error("followers.temperature=1e-300", "followers.temperature",
                        "must be in [1e-06, 1000000]");
  expect_override_error("leader.zo.step=1e300", "leader.zo.step", "must be in (0, 1000000]");
  expect_override_error("households.weather_mean=1e300", "households.weather_mean",
                        "must be in [0, 10]");
}

TEST(InputDomain, HouseholdsBeyondTheRolloutKernelsKwhAreRefusedAtValidation) {
  // The kernel holds a household's energy per period in 32 bits of micro-kWh (2 000 kWh).
  for (const auto& [arg, key] :
       {std::pair{"households.class[0].daily_kwh=20000", "households.class[0].daily_kwh"},
        std::pair{"households.class[1].battery_kwh=3000", "households.class[1].battery_kwh"},
        std::pair{"households.class[1].battery_kw=1000", "households.class[1].battery_kw"},
        std::pair{"households.class[1].pv_kw=1000", "households.class[1].pv_kw"}})
    expect_override_error(arg, key, "the rollout kernel handles at most 2000 kWh");
  // Noise widens the bound: a class that fits without it does not fit with 6 s.d. of 1.
  EXPECT_NO_THROW(
      parse_scenario(small_scenario(), "s.toml", {"households.class[0].daily_kwh=3000"}));
  const InputError e =
      override_error({"households.class[0].daily_kwh=3000", "households.demand_noise=1"});
  EXPECT_EQ(e.key(), "households.class[0].daily_kwh") << e.what();
  // 1.2 (spread) × 3000 kWh × 0.3 (the largest share) × (1 + 6·1) (noise)
  EXPECT_NE(e.reason().find("up to 7560 kWh in one period"), std::string::npos) << e.what();
}

TEST(InputDomain, TooManyAgentsIsSaidAsSuchNotAsAnEmptyClass) {
  // llround(count × scale) overflowed into "the class is empty".
  expect_override_error("population.scale=1e300", "households.class[0].count",
                        "100 households at population.scale = 1e+300 are 1e+302 simulated agents",
                        false);
  expect_override_error("households.class[0].count=9223372036854775807",
                        "households.class[0].count", "must be in [0, 1e+10]");
  // Each class below 2^32 agents, the sum above: refused at population.scale.
  const InputError e = override_error(
      {"population.scale=3e7", "households.class[0].count=100", "households.class[1].count=100"});
  EXPECT_EQ(e.key(), "population.scale") << e.what();
  EXPECT_NE(e.reason().find("6e+09 simulated agents in total"), std::string::npos) << e.what();
}

TEST(InputDomain, PopulationMemoryIsEstimatedBeforeAnythingIsAllocated) {
  Scenario s = parse_scenario(small_scenario(), "s.toml");
  const PopulationMemory m = population_memory(s);
  EXPECT_EQ(m.bytes_per_agent, 32.0);  // seven floats, plus the checkpoint's staging
  EXPECT_EQ(m.total_bytes, 150 * 32.0);
  EXPECT_GT(m.physical_bytes, 0.0);
  s.followers.learner = "optimizer";  // plans: two floats per period
  EXPECT_EQ(population_memory(s).bytes_per_agent, 32.0 + 8 * 4);
  // Under an MPI launcher this node holds its ranks' share.
  ::setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
  ::setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "1", 1);
  const PopulationMemory shared = population_memory(s);
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  ::unsetenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  EXPECT_EQ(shared.ranks, 4);
  EXPECT_DOUBLE_EQ(shared.node_bytes, shared.total_bytes / 4);

  // A population just below the agent-id limit needs ~125 GiB: refused where that is more than the
  // machine has (the message gives both); a larger machine takes it.
  const std::vector<std::string> big{"population.scale=2.8e7"};  // 150 × 2.8e7 = 4.2e9 agents
  const double need = 4.2e9 * 32;
  if (m.physical_bytes >= need) GTEST_SKIP() << "this machine holds " << need << " bytes";
  const InputError e = override_error(big);
  EXPECT_EQ(e.key(), "population.scale") << e.what();
  EXPECT_NE(e.reason().find("4200000000 simulated agents need about 125.2 GiB of memory"),
            std::string::npos)
      << e.what();
  EXPECT_NE(e.reason().find("GiB this machine has"), std::string::npos) << e.what();
}

TEST(InputDomain, EmptyLearnIsForTheFixedLeaderOnly) {
  // The fixed leader posts the scenario's tariff, learned parts or not; a learning leader with
  // nothing to learn failed only when the run started.
  EXPECT_NO_THROW(parse_scenario(small_scenario(), "s.toml", {"tariff.learn=[]"}));
  const InputError e = override_error({"tariff.learn=[]", "leader.learner=zo"});
  EXPECT_EQ(e.where().file, "--set tariff.learn=[]") << e.what();
  EXPECT_EQ(e.key(), "tariff.learn") << e.what();
  EXPECT_NE(e.reason().find("leader.learner = \"zo\" has nothing to learn"), std::string::npos)
      << e.what();
}

}  // namespace
}  // namespace mfgrid
