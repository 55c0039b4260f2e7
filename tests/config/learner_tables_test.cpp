// The learners' own keys: each learner's table [role.<name>] is read against the parameter
// specification its registration declares, with the same errors as every other key; the flat
// keys of older scenario files still read, with a notice saying where they go now.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "config/scenario_test_text.hpp"
#include "mfgrid/config/learner_catalogue.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

using testing::small_scenario;

// The small scenario with `tail` appended; `line` of the tail (from 1) is the file's line
// first_line() + line − 1.
std::string with_tail(const std::string& tail) { return small_scenario() + "\n" + tail; }
int first_line() {
  return static_cast<int>(std::count(small_scenario().begin(), small_scenario().end(), '\n')) + 2;
}

InputError error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "s.toml", overrides, MFGRID_TEST_DATA);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return InputError(SourceLocation{}, "", "");
}

TEST(LearnerCatalogue, HoldsEveryBuiltInLearnerWithDefaultsInsideTheirRanges) {
  // The built-in learners are there (a new one is added without editing this test), each role's
  // names sorted and unique.
  auto has_all = [](LearnerRole role, const std::vector<std::string>& expected) {
    const std::vector<std::string> names = learner_names(role);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
    for (const std::string& name : expected)
      EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  };
  has_all(LearnerRole::followers, {"optimizer", "ppo", "soft-q"});
  has_all(LearnerRole::leader,
          {"fixed", "ppo", "random-search", "softmax-net", "zo", "zo-surrogate"});
  for (const LearnerType& type : learner_types()) {
    EXPECT_FALSE(type.doc.empty()) << type.name;
    std::set<std::string> keys;
    for (const ParameterSpec& p : type.parameters) {
      EXPECT_TRUE(keys.insert(p.key).second) << type.name << ": " << p.key << " twice";
      EXPECT_FALSE(p.doc.empty()) << type.name << "." << p.key;
      EXPECT_TRUE(p.lo_open ? p.default_value > p.lo : p.default_value >= p.lo)
          << type.name << "." << p.key;
      EXPECT_LE(p.default_value, p.hi) << type.name << "." << p.key;
    }
    if (type.check) {
      EXPECT_TRUE(type.check(default_parameters(type)).key.empty()) << type.name;
    }
  }
  EXPECT_THROW(default_parameters(LearnerRole::leader, "zo-surogate"), std::invalid_argument);
}

TEST(LearnerTables, ValuesComeFromTheChosenLearnersTableWithItsDefaults) {
  const Scenario s = parse_scenario(
      with_tail("[leader]\nlearner = \"zo\"\n[leader.zo]\nstep = 0.2\n"
                "[leader.ppo]\nbatch = 3\n"),  // another learner's table: read, not used
      "s.toml", {"leader.zo.directions=7"}, MFGRID_TEST_DATA);
  EXPECT_EQ(s.leader.learner, "zo");
  EXPECT_EQ(s.leader.parameters.number("step"), 0.2);
  EXPECT_EQ(s.leader.parameters.integer("directions"), 7);
  EXPECT_EQ(s.leader.parameters.number("step_exponent"), 0.602);  // the declared default
  EXPECT_FALSE(s.leader.parameters.has("batch"));
  EXPECT_THROW(s.leader.parameters.number("batch"), std::logic_error);
  EXPECT_TRUE(s.notices.empty());
  // The resolved scenario keeps the table, and reads back to the same values.
  const Scenario again = parse_scenario(s.resolved_toml, "resolved.toml");
  EXPECT_EQ(again.leader.parameters.values(), s.leader.parameters.values());
  // Without a table every parameter takes its default.
  const Scenario plain =
      parse_scenario(small_scenario(), "s.toml", {"followers.learner=ppo"}, MFGRID_TEST_DATA);
  EXPECT_EQ(plain.followers.parameters.values(),
            default_parameters(LearnerRole::followers, "ppo").values());
}

TEST(LearnerTables, MistakesInATableAreLocatedAtTheirKey) {
  const int line = first_line();
  InputError range = error_of(with_tail("[leader]\nlearner = \"zo\"\n[leader.zo]\nstep = 0.0\n"));
  EXPECT_EQ(range.where().file, "s.toml");
  EXPECT_EQ(range.where().line, line + 3);
  EXPECT_EQ(range.where().column, 8);
  EXPECT_EQ(range.key(), "leader.zo.step");
  EXPECT_NE(range.reason().find("(0, 1000000]"), std::string::npos) << range.reason();

  InputError integer = error_of(with_tail("[followers.ppo]\nhidden = 2.5\n"));
  EXPECT_EQ(integer.key(), "followers.ppo.hidden");
  EXPECT_EQ(integer.where().line, line + 1);

  InputError typo = error_of(with_tail("[leader.zo-surrogate]\nt_maks = 3\n"));
  EXPECT_EQ(typo.key(), "leader.zo-surrogate.t_maks");
  EXPECT_NE(typo.reason().find("t_max"), std::string::npos) << typo.reason();

  InputError table = error_of(with_tail("[leader.zo-surogate]\nt_max = 3\n"));
  EXPECT_EQ(table.key(), "leader.zo-surogate");
  EXPECT_NE(table.reason().find("zo-surrogate"), std::string::npos) << table.reason();

  InputError learner = error_of(small_scenario(), {"leader.learner=zo-surogate"});
  EXPECT_EQ(learner.key(), "leader.learner");
  EXPECT_NE(learner.reason().find("did you mean 'zo-surrogate'"), std::string::npos)
      << learner.reason();

  // A relation between a learner's parameters, checked by the learner's own rule.
  InputError relation =
      error_of(with_tail("[leader]\nlearner = \"zo-surrogate\"\n[leader.zo-surrogate]\n"
                         "trust_radius = 0.3\ntrust_radius_max = 0.2\n"));
  EXPECT_EQ(relation.key(), "leader.zo-surrogate.trust_radius");
  EXPECT_EQ(relation.where().line, line + 3);
  EXPECT_NE(relation.reason().find("trust_radius_max"), std::string::npos);
}

TEST(LearnerTables, FlatKeysOfOlderFilesStillReadWithANotice) {
  const int line = first_line();
  const Scenario s =
      parse_scenario(with_tail("[leader]\nlearner = \"zo-surrogate\"\nt_max = 4\nppo_batch = 2\n"
                               "[followers]\nlearner = \"ppo\"\nppo_hidden = 5\n"),
                     "s.toml", {}, MFGRID_TEST_DATA);
  EXPECT_EQ(s.leader.parameters.integer("t_max"), 4);
  EXPECT_EQ(s.followers.parameters.integer("hidden"), 5);  // renamed in its table
  ASSERT_EQ(s.notices.size(), 3u);
  auto notice = [&](const std::string& part) {
    return std::any_of(s.notices.begin(), s.notices.end(),
                       [&](const std::string& n) { return n.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(notice("s.toml:" + std::to_string(line + 2) +
                     ":9: leader.t_max: deprecated; write it as t_max in [leader.zo-surrogate]"));
  EXPECT_TRUE(notice("leader.ppo_batch: ignored: not a key of leader.learner = \"zo-surrogate\""));
  EXPECT_TRUE(notice("followers.ppo_hidden: deprecated; write it as hidden in [followers.ppo]"));
  // The resolved scenario has moved the key: it reads back without a notice.
  const Scenario again = parse_scenario(s.resolved_toml, "resolved.toml");
  EXPECT_TRUE(again.notices.empty());
  EXPECT_EQ(again.leader.parameters.integer("t_max"), 4);

  // A value in the table wins over a flat one in the file; an override wins over both.
  const std::string both = with_tail(
      "[leader]\nlearner = \"zo-surrogate\"\nt_max = 4\n[leader.zo-surrogate]\nt_max = 6\n");
  EXPECT_EQ(parse_scenario(both, "s.toml", {}, MFGRID_TEST_DATA).leader.parameters.integer("t_max"),
            6);
  EXPECT_EQ(parse_scenario(both, "s.toml", {"leader.t_max=9"}, MFGRID_TEST_DATA)
                .leader.parameters.integer("t_max"),
            9);
  // A flat key out of range is still an error at its place in the file.
  InputError range = error_of(with_tail("[leader]\nlearner = \"zo\"\nstep = -1\n"));
  EXPECT_EQ(range.where().line, line + 2);
  EXPECT_NE(range.reason().find("(0, 1000000]"), std::string::npos) << range.reason();
}

}  // namespace
}  // namespace mfgrid
