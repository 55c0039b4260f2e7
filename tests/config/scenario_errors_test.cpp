// Every kind of mistake in a scenario gets an InputError at the right file, line, column and key,
// with a reason that says what is wrong.
#include <gtest/gtest.h>

#include "config/scenario_test_text.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

using testing::small_scenario;
using testing::small_with;

struct Expected {
  int line;
  int column;
  std::string key;
  std::string reason_contains;
};

void expect_error(const std::string& text, const Expected& e,
                  const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "s.toml", overrides, MFGRID_TEST_DATA);
    ADD_FAILURE() << "no error; expected " << e.key << ": " << e.reason_contains;
  } catch (const InputError& err) {
    EXPECT_EQ(err.where().file, e.line ? "s.toml" : err.where().file) << err.what();
    EXPECT_EQ(err.where().line, e.line) << err.what();
    EXPECT_EQ(err.where().column, e.column) << err.what();
    EXPECT_EQ(err.key(), e.key) << err.what();
    EXPECT_NE(err.reason().find(e.reason_contains), std::string::npos) << err.what();
  }
}

TEST(ScenarioErrors, UnknownKeySuggestsTheClosestKnownKey) {
  expect_error(small_with("voll = 5000.0", "vol = 5000.0"),
               {15, 1, "network.vol", "unknown key (did you mean 'voll'?)"});
  expect_error(small_with("[population]", "[populaton]"),
               {11, 2, "populaton", "did you mean 'population'?"});
  expect_error(small_with("seed = 7", "seed = 7\nflavour = 1"),
               {6, 1, "scenario.flavour", "unknown key"});
}

TEST(ScenarioErrors, MisspeltRequiredKeyIsReportedAsTheTypo) {
  expect_error(small_with("cost_per_mwh = 30.0", "cost_per_mhw = 30.0"),
               {37, 1, "network.generator[0].cost_per_mhw", "unknown key"});
  expect_error(small_with("daily_kwh = 10.0", "daily_kw = 10.0"),
               {56, 1, "households.class[0].daily_kw", "did you mean 'daily_kwh'?"});
}

TEST(ScenarioErrors, MissingRequiredKeyPointsAtItsTable) {
  expect_error(small_with("income = 20000.0\n", ""),
               {42, 1, "households.group[0].income", "required"});
}

TEST(ScenarioErrors, WrongTypes) {
  expect_error(small_with("days = 3", "days = 3.5"),
               {8, 8, "time.days", "expected an integer, got a number (3.5)"});
  expect_error(small_with("x = 0.1", "x = \"0.1\""),
               {30, 5, "network.line[0].x", "expected a number, got a string"});
  expect_error(small_with("solar_profile = [0.0, 0.4, 0.5, 0.0]", "solar_profile = 0.4"),
               {40, 17, "households.solar_profile", "expected an array of numbers"});
  expect_error(small_with("[[network.line]]", "[network.line]"),
               {26, 1, "network.line", "expected an array of tables"});
}

TEST(ScenarioErrors, ValuesOutOfRange) {
  expect_error(small_with("x = 0.1", "x = -0.1"),
               {30, 5, "network.line[0].x", "must be in [1e-06, 1000] (got -0.1)"});
  expect_error(small_with("periods = 4", "periods = 7"), {9, 11, "time.periods", "whole minutes"});
  expect_error(
      small_with("solar_profile = [0.0, 0.4, 0.5, 0.0]", "solar_profile = [0.0, 1.4, 0.5, 0.0]"),
      {40, 17, "households.solar_profile", "element 1 must be in [0, 1] (got 1.4)"});
  expect_error(small_with("import_rates = [100.0, 120.0, 200.0, 150.0]",
                          "import_rates = [100.0, 120.0, 2000.0, 150.0]"),
               {72, 16, "tariff.import_rates", "outside import_bounds [0, 1000]"});
}

TEST(ScenarioErrors, WrongLengths) {
  // (2 values for 4 periods would be resampled: ProfileResampling.*)
  expect_error(small_with("demand_shape = [0.2, 0.2, 0.3, 0.3]", "demand_shape = [0.3, 0.3, 0.4]"),
               {57, 16, "households.class[0].demand_shape",
                "expected 4 values (time.periods; other counts are resampled when one divides the "
                "other), got 3"});
  expect_error(small_with("fixed_charges = [0.2, 0.5]", "fixed_charges = [0.2]"),
               {73, 17, "tariff.fixed_charges", "expected 2 values, got 1"});
}

TEST(ScenarioErrors, ReferencesToThingsThatDoNotExist) {
  expect_error(small_with("from = \"b1\"", "from = \"bus1\""),
               {28, 8, "network.line[0].from", "no bus named 'bus1'"});
  expect_error(
      small_with("group = \"poor\"", "group = \"pour\""),
      {54, 9, "households.class[0].group", "no income group named 'pour' (did you mean 'poor'?)"});
  expect_error(small_with("name = \"b1\"\nbase_load_mw = 1.0",
                          "name = \"b1\"\nbase_load_mw = 1.0\nreference_bus = \"b1\""),
               {21, 1, "network.bus[0].reference_bus", "unknown key"});
}

TEST(ScenarioErrors, StructuralMistakes) {
  expect_error(small_with("to = \"b2\"", "to = \"b1\""),
               {29, 6, "network.line[0].to", "two different buses"});
  expect_error(small_with("name = \"b2\"", "name = \"b1\""),
               {23, 8, "network.bus[1].name", "defined twice"});
  expect_error(small_with("kind = \"consumer\"", "kind = \"consumer\"\npv_kw = 3.0"),
               {54, 9, "households.class[0].pv_kw", "only prosumers have PV"});
  expect_error(small_with("kind = \"consumer\"", "kind = \"tenant\""),
               {53, 8, "households.class[0].kind",
                "unknown value 'tenant'; expected one of consumer, prosumer"});
  expect_error(small_with("pmax_mw = 10.0", "pmin_mw = 20.0\npmax_mw = 10.0"),
               {37, 11, "network.generator[0].pmax_mw", "below pmin_mw 20"});
  expect_error(small_with("cost_per_mwh = 30.0", "cost_points = [[0, 0], [5, 200], [10, 300]]"),
               {37, 15, "network.generator[0].cost_points", "not convex"});
  expect_error(small_with("group = \"rich\"", "group = \"poor\""),
               {47, 8, "households.group[1].name", "has no household class"});
}

TEST(ScenarioErrors, IslandWithLoadAndNoGeneration) {
  std::string text = small_scenario();
  const auto begin = text.find("[[network.line]]"), end = text.find("[[network.generator]]");
  text.erase(begin, end - begin);
  expect_error(text, {23, 8, "network.bus", "bus b2 is an island with load and no generation"});
}

TEST(ScenarioErrors, EmptyClass) {
  expect_error(small_with("count = 100", "count = 0"),
               {55, 9, "households.class[0].count", "the class is empty"});
  expect_error(small_with("count = 50", "count = 3"),
               {64, 9, "households.class[1].count", "empty at population.scale = 0.1"},
               {"population.scale=0.1"});
}

TEST(ScenarioErrors, MatpowerAndInlineNetworkConflict) {
  expect_error(small_with("voll = 5000.0", "voll = 5000.0\nmatpower = \"case5_mixed.m\""),
               {19, 1, "network.bus", "cannot be combined with network.matpower"});
  std::string text = small_scenario();
  const auto begin = text.find("[network]"), end = text.find("[households]");
  text.replace(begin, end - begin, "[network]\nmatpower = \"missing.m\"\n\n");
  expect_error(text, {15, 12, "network.matpower", "cannot read"});
}

TEST(ScenarioErrors, OverridesAreCheckedAndLocatedAtTheOption) {
  auto expect_override_error = [](const std::string& arg, const std::string& key,
                                  const std::string& reason) {
    try {
      parse_scenario(small_scenario(), "s.toml", {arg});
      ADD_FAILURE() << arg;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().file, "--set " + arg) << e.what();
      EXPECT_EQ(e.where().line, 0) << e.what();
      EXPECT_EQ(e.key(), key) << e.what();
      EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
    }
  };
  expect_override_error("population.scale=-1", "population.scale", "must be > 0 (got -1)");
  expect_override_error("population.scael=2", "population.scael", "did you mean 'scale'?");
  expect_override_error("followers.learner=soft_q", "followers.learner", "did you mean 'soft-q'?");
  expect_override_error("households.class[5].count=1", "households.class[5].count",
                        "has 2 elements, no element 5");
  expect_override_error("time.days", "", "expected key=value");
  expect_override_error("time[0].days=1", "time[0].days", "not an array of tables");
  expect_override_error("time.days=1e3", "time.days", "expected an integer");
}

TEST(ScenarioErrors, OverridesAreOneKeyAndOneValue) {
  auto error_of = [](const std::string& arg) -> std::string {
    try {
      parse_scenario(small_scenario(), "s.toml", {arg});
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().file, "--set " + arg) << e.what();
      return e.reason();
    }
    return "no error";
  };
  // Whitespace around the key and its parts is not part of the key (it was "population: unknown
  // key" before).
  EXPECT_EQ(parse_scenario(small_scenario(), "s.toml", {" population.scale =2"}).population.scale,
            2.0);
  EXPECT_EQ(parse_scenario(small_scenario(), "s.toml", {"households . class[1] . count = 70"})
                .households.classes[1]
                .count,
            70);
  // A line break would add keys of its own, silently ignored.
  EXPECT_NE(error_of("population.scale=2\nfoo=1").find("must be one line"), std::string::npos);
  EXPECT_NE(error_of("population.scale=2\r\nfoo=1").find("must be one line"), std::string::npos);
  EXPECT_NE(error_of("population.scale.=2").find("empty key component"), std::string::npos);
  // TOML is UTF-8: a key that is not would make a resolved scenario that does not read back (found
  // by fuzzing: tests/fuzz/regressions/overrides/); a stray, truncated, overlong or surrogate
  // sequence is refused, UTF-8 text is taken.
  for (const char* bad : {"sources.inequ\xe1lit=1", "sources.a=\"\xff\"", "sources.\xc3=1",
                          "sources.\xc0\xaf=1", "sources.\xed\xa0\x80=1"})
    EXPECT_EQ(error_of(bad), "is not UTF-8 text") << bad;
  EXPECT_EQ(error_of("sources.inequalit\xc3\xa9=\"\xe2\x82\xac\xf0\x9f\x94\x8b\""), "no error");
  // Seeds are TOML integers (signed 64-bit): 2^64 is out of range, not "a string".
  EXPECT_NE(error_of("scenario.seed=18446744073709551616")
                .find("integer 18446744073709551616 is out of range: TOML integers are 64-bit"),
            std::string::npos);
  EXPECT_NE(error_of("scenario.seed=-1").find("must be >= 0"), std::string::npos);
  EXPECT_EQ(parse_scenario(small_scenario(), "s.toml", {"scenario.seed=9223372036854775807"}).seed,
            9223372036854775807u);
}

TEST(ScenarioErrors, SyntaxErrorsCarryTheParserPosition) {
  try {
    parse_scenario("[time]\ndays = = 3\n", "s.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 2);
    EXPECT_NE(e.reason().find("TOML syntax error"), std::string::npos);
  }
}

}  // namespace
}  // namespace mfgrid
