// Deeply nested TOML is refused before toml++ parses it: 50 000 levels of table header or dotted
// key overflowed the stack inside the parser (SIGSEGV); now they are a located InputError.
#include "config/toml_nesting.hpp"

#include <gtest/gtest.h>

#include <string>

#include "config/scenario_test_text.hpp"
#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

std::string repeat(const std::string& s, int n, const std::string& sep = "") {
  std::string out;
  for (int k = 0; k < n; ++k) out += (k ? sep : "") + s;
  return out;
}

// The line and column of the nesting error for `text`, or {0, 0} when it is accepted.
std::pair<int, int> nesting_error(const std::string& text, int limit = 64) {
  try {
    config_detail::check_toml_nesting(text, "deep.toml", limit);
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "deep.toml");
    EXPECT_NE(e.reason().find("nested more than " + std::to_string(limit) + " levels deep"),
              std::string::npos)
        << e.what();
    return {e.where().line, e.where().column};
  }
  return {0, 0};
}

TEST(TomlNesting, DeepHeadersAndDottedKeysAreRefusedBeforeParsing) {
  // Through the whole loader: a crash here would end the test program.
  for (const std::string& text :
       {"[" + repeat("a", 50000, ".") + "]\n", repeat("a", 50000, ".") + " = 1\n",
        "[[" + repeat("a", 50000, ".") + "]]\n", "x = " + repeat("[", 50000) + "\n",
        "x = " + repeat("{a = ", 50000) + "1" + repeat("}", 50000) + "\n"})
    EXPECT_THROW(parse_scenario(text, "deep.toml"), InputError);
  // The 65th level is where the error points: the 64th dot, column 1 + 2·64 of the header.
  EXPECT_EQ(nesting_error("[" + repeat("a", 65, ".") + "]\n"), std::make_pair(1, 129));
  EXPECT_EQ(nesting_error("\n\n" + repeat("a", 65, ".") + " = 1\n"), std::make_pair(3, 128));
}

TEST(TomlNesting, DepthAddsUpAcrossHeadersKeysArraysAndInlineTables) {
  // 2 (header) + 2 (dotted key) + 1 (inline table key) + 2 (arrays) = 7 levels.
  const std::string text = "[a.b]\nc.d = {e = [[1]]}\n";
  EXPECT_EQ(nesting_error(text, 7), std::make_pair(0, 0));
  EXPECT_NE(nesting_error(text, 6), std::make_pair(0, 0));
  // A new header starts again from its own depth.
  EXPECT_EQ(nesting_error("[a.b.c.d.e]\n[f]\ng.h = 1\n", 5), std::make_pair(0, 0));
  // Brackets, dots and braces inside strings and comments are not structure.
  const std::string strings =
      "a = \"[[[[{{{{....\"\nb = '[[[[....'\nc = \"\"\"\n[[[[\n....\"\"\"\n"
      "d = '''[[[[\n'''\n# [[[[[[[[[[[[ ......\n[\"x.y.z.w\"]\ne = 1.5\n";
  EXPECT_EQ(nesting_error(strings, 2), std::make_pair(0, 0));
  // Arrays spread over lines close where they close.
  EXPECT_EQ(nesting_error("a = [\n  [1, 2],\n  [3, 4],\n]\nb = [[[1]]]\n", 4),
            std::make_pair(0, 0));
}

TEST(TomlNesting, EveryScenarioIsFarBelowTheLimit) {
  EXPECT_EQ(nesting_error(testing::small_scenario(), 4), std::make_pair(0, 0));
  EXPECT_NO_THROW(load_scenario("ieee3-equity"));
}

TEST(TomlNesting, OverridesAreBoundedToo) {
  const std::string deep_key = repeat("a", 100, ".") + "=1";
  const std::string deep_value = "network.voll=" + repeat("[", 100) + repeat("]", 100);
  for (const std::string& arg : {deep_key, deep_value}) {
    try {
      parse_scenario(testing::small_scenario(), "s.toml", {arg});
      ADD_FAILURE() << arg;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().file, "--set " + arg);
      EXPECT_EQ(e.where().line, 0);
    }
  }
}

}  // namespace
}  // namespace mfgrid
