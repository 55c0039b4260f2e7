// What differs between two resolved scenarios: every differing setting, by key.
#include "mfgrid/config/scenario_diff.hpp"

#include <gtest/gtest.h>

#include "mfgrid/config/scenario_loader.hpp"

namespace mfgrid {
namespace {

TEST(ScenarioDifferences, NoneBetweenAScenarioAndItself) {
  const Scenario s = load_scenario("ieee3-equity");
  EXPECT_TRUE(scenario_differences(s.resolved_toml, s.resolved_toml, "a", "b").empty());
  // Only settings count: the header comment names where the scenario came from.
  const Scenario t = load_scenario("ieee3-equity", {"time.days=100"});
  EXPECT_TRUE(scenario_differences(s.resolved_toml, t.resolved_toml, "a", "b").empty());
}

TEST(ScenarioDifferences, EachDifferingSettingByItsKey) {
  const Scenario a = load_scenario("ieee3-equity", {"time.days=30", "leader.learner=fixed"});
  const Scenario b = load_scenario(
      "ieee3-equity", {"time.days=20", "households.class[1].count=7", "leader.learner=fixed"});
  const auto d = scenario_differences(a.resolved_toml, b.resolved_toml, "requested", "in the file");
  ASSERT_EQ(d.size(), 2u) << ::testing::PrintToString(d);
  EXPECT_EQ(d[0].rfind("households.class[1].count: ", 0), 0u) << d[0];
  EXPECT_NE(d[0].find("(in the file)"), std::string::npos) << d[0];
  EXPECT_EQ(d[1], "time.days: 30 (requested), 20 (in the file)");
}

TEST(ScenarioDifferences, AKeyOnOneSideOnly) {
  const auto d = scenario_differences("[a]\nx = 1\n", "[a]\nx = 1\ny = 'v'\n", "A", "B");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "a.y: (absent) (A), 'v' (B)");
}

}  // namespace
}  // namespace mfgrid
