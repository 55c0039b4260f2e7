// Reading valid scenarios: the embedded ones, defaults, overrides, and the resolved TOML.
#include "mfgrid/config/scenario_loader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "config/scenario_test_text.hpp"
#include "mfgrid/config/embedded_cases.hpp"
#include "mfgrid/config/embedded_scenarios.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

using testing::small_scenario;

TEST(ScenarioLoader, EmbeddedScenariosAreTheFilesUnderScenarios) {
  ASSERT_TRUE(find_embedded_scenario("ieee3-equity"));
  ASSERT_TRUE(find_embedded_scenario("dsm-community"));
  for (const auto& e : embedded_scenarios()) {
    const std::string on_disk =
        testing::read_text(std::string(MFGRID_SCENARIOS) + "/" + e.name + ".toml");
    EXPECT_EQ(std::string(e.text), on_disk) << e.name;
    EXPECT_FALSE(e.description.empty()) << e.name;
    EXPECT_NO_THROW(load_scenario(e.name)) << e.name;
  }
}

TEST(ScenarioLoader, DefaultScenarioMatchesTheDesign) {
  const Scenario s = load_scenario(std::string(default_scenario_name));
  EXPECT_EQ(s.name, "ieee3-equity");
  EXPECT_EQ(s.time.periods, 8);
  EXPECT_EQ(s.time.days, 100);
  EXPECT_EQ(s.network.buses.size(), 3u);
  EXPECT_EQ(s.network.lines.size(), 3u);
  EXPECT_EQ(s.network.generators.size(), 5u);
  std::int64_t consumers = 0;
  std::vector<std::int64_t> prosumers;
  for (const auto& c : s.households.classes) {
    if (c.kind == HouseholdKind::consumer) {
      consumers += c.count;
      EXPECT_EQ(s.households.groups[static_cast<std::size_t>(c.group)].income, 15000.0);
    } else {
      prosumers.push_back(c.count);
    }
    EXPECT_NEAR(std::accumulate(c.demand_shape.begin(), c.demand_shape.end(), 0.0), 1.0, 1e-12);
  }
  EXPECT_EQ(consumers, 9000);
  EXPECT_EQ(prosumers, (std::vector<std::int64_t>{1000, 500, 300}));
  EXPECT_EQ(s.tariff.export_credit, ExportCredit::net_billing);
  EXPECT_EQ(s.tariff.import_rates.size(), 8u);
  EXPECT_EQ(s.tariff.fixed_charges.size(), 4u);
}

TEST(ScenarioLoader, SmallScenarioValuesAndDefaults) {
  const Scenario s = parse_scenario(small_scenario(), "small.toml");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.time.periods, 4);
  EXPECT_DOUBLE_EQ(s.time.period_hours(), 6.0);
  // A number is scaled by the load profile; an array is taken as given.
  EXPECT_EQ(s.network.buses[0].base_load_mw, (std::vector<double>{0.8, 1.0, 1.2, 1.0}));
  EXPECT_EQ(s.network.buses[1].base_load_mw, (std::vector<double>{0.5, 0.6, 0.7, 0.6}));
  EXPECT_EQ(s.network.lines[0].limit_mw, 2.0);
  EXPECT_EQ(s.network.voll, 5000.0);
  EXPECT_EQ(s.households.classes[1].kind, HouseholdKind::prosumer);
  EXPECT_EQ(s.households.classes[1].eta_charge, 0.95);  // default
  EXPECT_EQ(s.households.battery_levels.size(), 5u);    // default
  EXPECT_EQ(s.followers.learner, "soft-q");
  EXPECT_EQ(s.leader.learner, "fixed");
  EXPECT_EQ(s.tariff.fixed_charges, (std::vector<double>{0.2, 0.5}));
}

TEST(ScenarioLoader, ResolvedTomlReadsBackToTheSameScenario) {
  for (const std::string name : {"ieee3-equity", "dsm-community"}) {
    const Scenario a = load_scenario(name);
    const Scenario b = parse_scenario(a.resolved_toml, "resolved.toml");
    auto body = [](const std::string& t) {
      return t.substr(t.find('\n'));
    };  // past the header line
    EXPECT_EQ(body(a.resolved_toml), body(b.resolved_toml)) << name;
    EXPECT_EQ(a.network.buses[0].base_load_mw, b.network.buses[0].base_load_mw);
    EXPECT_EQ(a.tariff.import_rates, b.tariff.import_rates);
  }
}

TEST(ScenarioLoader, OverridesChangeValuesWithTheSameChecks) {
  const Scenario s = parse_scenario(
      small_scenario(), "small.toml",
      {"population.scale=2.5", "followers.learner=optimizer", "households.class[1].count=70",
       "leader.inequality=\"gini\"", "tariff.import_rates=[1, 2, 3, 4]"});
  EXPECT_EQ(s.population.scale, 2.5);
  EXPECT_EQ(s.followers.learner, "optimizer");
  EXPECT_EQ(s.households.classes[1].count, 70);
  EXPECT_EQ(s.leader.inequality, InequalityMeasure::gini);
  EXPECT_EQ(s.tariff.import_rates, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_NE(s.resolved_toml.find("scale = 2.5"), std::string::npos);
}

TEST(ScenarioLoader, MatpowerNetworkIsResolvedAgainstTheScenarioDirectory) {
  std::string text = small_scenario();
  // Replace the inline network by the 5-bus case; classes then name MATPOWER bus numbers.
  const auto begin = text.find("[network]"), end = text.find("[households]");
  text.replace(begin, end - begin,
               "[network]\nmatpower = \"case5_mixed.m\"\ncost_segments = 4\n\n");
  for (auto [from, to] :
       {std::pair{"bus = \"b1\"", "bus = 2"}, std::pair{"bus = \"b2\"", "bus = \"3\""}}) {
    text.replace(text.find(from), std::string(from).size(), to);
  }
  const Scenario s = parse_scenario(text, "inline.toml", {}, MFGRID_TEST_DATA);
  EXPECT_EQ(s.network.buses.size(), 4u);
  EXPECT_EQ(s.households.classes[0].bus, s.network.bus_index("2"));
  EXPECT_EQ(s.households.classes[1].bus, s.network.bus_index("3"));
  EXPECT_EQ(s.network.generators[0].segments.size(), 4u);
  EXPECT_NE(s.resolved_toml.find("case5_mixed.m"), std::string::npos);
}

// A MATPOWER case named without folder or ".m" is one compiled into the binary (data/matpower/),
// byte for byte the repository's file; a missing file's error lists them.
TEST(ScenarioLoader, EmbeddedMatpowerCasesAreTheFilesUnderData) {
  for (std::string_view name : embedded_case_names()) {
    const std::string on_disk = testing::read_text(std::string(MFGRID_SOURCE_DIR) +
                                                   "/data/matpower/" + std::string(name) + ".m");
    EXPECT_EQ(std::string(*find_embedded_case(name)), on_disk) << name;
  }
  ASSERT_TRUE(find_embedded_case("case_ACTIVSg2000"));
  std::string text = small_scenario();
  const auto begin = text.find("[network]"), end = text.find("[households]");
  text.replace(begin, end - begin, "[network]\nmatpower = \"case118\"\n\n");
  for (auto [from, to] :
       {std::pair{"bus = \"b1\"", "bus = 59"}, std::pair{"bus = \"b2\"", "bus = 90"}})
    text.replace(text.find(from), std::string(from).size(), to);
  const Scenario s = parse_scenario(text, "inline.toml", {}, "/nonexistent");
  EXPECT_EQ(s.network.buses.size(), 118u);
  EXPECT_EQ(s.network.lines.size(), 186u);
  EXPECT_EQ(s.network.generators.size(), 54u);
  EXPECT_NE(s.resolved_toml.find("matpower = \"case118\""), std::string::npos);
  text.replace(text.find("\"case118\""), 9, "\"case119\"");
  try {
    parse_scenario(text, "inline.toml", {}, "/nonexistent");
    ADD_FAILURE() << "an unknown case was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "network.matpower");
    EXPECT_NE(e.reason().find("(the embedded cases, named without folder or .m: case118, "
                              "case_ACTIVSg2000)"),
              std::string::npos)
        << e.what();
  }
}

// A class at every bus with load: one class per such bus, NAME@BUS, of count_per_mw households per
// MW of the bus's peak exogenous load (b1: 1 MW × the profile's peak 1.2; b2: its largest period,
// 0.7 MW), rounded; and every way it can be given wrongly.
TEST(ScenarioLoader, AClassAtEveryLoadBus) {
  const std::string from =
      "name = \"c1\"\nbus = \"b1\"\nkind = \"consumer\"\ngroup = \"poor\"\n"
      "count = 100\n";
  const std::string everywhere =
      "name = \"c1\"\nat_load_buses = true\ncount_per_mw = 10.4\n"
      "kind = \"consumer\"\ngroup = \"poor\"\n";
  const Scenario s =
      parse_scenario(testing::small_with(from, everywhere), "s.toml", {}, MFGRID_TEST_DATA);
  ASSERT_EQ(s.households.classes.size(), 3u);
  EXPECT_EQ(s.households.classes[0].name, "c1@b1");
  EXPECT_EQ(s.households.classes[0].bus, 0);
  EXPECT_EQ(s.households.classes[0].count, std::llround(10.4 * 1.2));
  EXPECT_EQ(s.households.classes[1].name, "c1@b2");
  EXPECT_EQ(s.households.classes[1].count, std::llround(10.4 * 0.7));
  EXPECT_EQ(s.households.classes[1].daily_kwh, 10.0);
  // The resolved scenario keeps the template: it reads back to the same classes.
  const Scenario again = parse_scenario(s.resolved_toml, "r.toml", {}, MFGRID_TEST_DATA);
  ASSERT_EQ(again.households.classes.size(), 3u);
  EXPECT_EQ(again.households.classes[1].count, s.households.classes[1].count);

  const auto error = [&](const std::string& text, const std::vector<std::string>& overrides,
                         const std::string& key, const std::string& reason) {
    try {
      parse_scenario(testing::small_with(from, text), "s.toml", overrides, MFGRID_TEST_DATA);
      ADD_FAILURE() << "no error; expected " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), key) << e.what();
      EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
    }
  };
  error(everywhere + "bus = \"b1\"\n", {}, "households.class[0].bus",
        "a class with at_load_buses = true is at every bus with load, of count_per_mw households "
        "per MW: remove bus");
  error(everywhere + "count = 3\n", {}, "households.class[0].count", "remove count");
  error(from + "count_per_mw = 3\n", {}, "households.class[0].count_per_mw",
        "count_per_mw is for a class with at_load_buses = true; give count");
  error(everywhere, {"population.scale=0.01"}, "households.class[0].count_per_mw",
        "no bus has enough load for one simulated household of this class");
  error("name = \"c1\"\nat_load_buses = true\nkind = \"consumer\"\ngroup = \"poor\"\n", {},
        "households.class[0].count_per_mw", "");
}

}  // namespace
}  // namespace mfgrid
