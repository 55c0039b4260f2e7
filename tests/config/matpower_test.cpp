#include "mfgrid/config/matpower.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "mfgrid/config/cost_curve.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/grid/synthetic_network.hpp"

namespace mfgrid {
namespace {

const std::string case5 = std::string(MFGRID_TEST_DATA) + "/case5_mixed.m";

TEST(Matpower, ReadsTheDcDataOfAVersion2Case) {
  const MatpowerCase mc = read_matpower(case5, 10);
  const NetworkSpec& n = mc.network;
  ASSERT_EQ(n.buses.size(), 4u);  // bus 7 is isolated (type 4)
  EXPECT_EQ(n.buses[3].name, "4");
  EXPECT_EQ(n.reference_bus, 0);
  EXPECT_EQ(n.buses[2].base_load_mw[0], 45.0);  // Pd 40 + Gs 5
  EXPECT_EQ(mc.skipped_branches, 2);            // 2-3 out of service, 4-7 to an isolated bus
  EXPECT_EQ(mc.skipped_generators, 1);
  ASSERT_EQ(n.lines.size(), 4u);
  EXPECT_DOUBLE_EQ(n.lines[1].reactance_pu, 0.1 * 0.98);  // tap ratio folded in
  EXPECT_EQ(n.lines[1].limit_mw, 60.0);
  EXPECT_EQ(n.lines[0].limit_mw, 0.0);  // rateA = 0: unlimited
  ASSERT_EQ(n.generators.size(), 2u);
  const GeneratorSpec& g1 = n.generators[0];
  EXPECT_EQ(g1.pmin_mw, 10.0);
  EXPECT_EQ(g1.pmax_mw, 150.0);
  EXPECT_EQ(g1.segments.size(), 10u);
  EXPECT_NEAR(generator_cost(g1, 150.0), 0.01 * 150 * 150 + 20 * 150 + 100,
              1e-9);  // exact at breakpoints
  const GeneratorSpec& g3 = n.generators[1];
  ASSERT_EQ(g3.segments.size(), 2u);
  EXPECT_DOUBLE_EQ(g3.segments[0].marginal_cost, 30.0);
  EXPECT_DOUBLE_EQ(g3.segments[1].marginal_cost, 50.0);
}

TEST(Matpower, WriteThenReadGivesTheSameNetwork) {
  const NetworkSpec original = make_synthetic_network(30, 8, 4);
  std::ostringstream text;
  write_matpower(original, text, 3);
  const NetworkSpec back = parse_matpower(text.str(), "written.m").network;
  ASSERT_EQ(back.buses.size(), original.buses.size());
  for (std::size_t b = 0; b < back.buses.size(); ++b)
    EXPECT_EQ(back.buses[b].base_load_mw[0], original.buses[b].base_load_mw[3]);
  ASSERT_EQ(back.lines.size(), original.lines.size());
  for (std::size_t l = 0; l < back.lines.size(); ++l) {
    EXPECT_EQ(back.lines[l].from, original.lines[l].from);
    EXPECT_EQ(back.lines[l].to, original.lines[l].to);
    EXPECT_EQ(back.lines[l].reactance_pu, original.lines[l].reactance_pu);
    EXPECT_EQ(back.lines[l].limit_mw, original.lines[l].limit_mw);
  }
  ASSERT_EQ(back.generators.size(), original.generators.size());
  for (std::size_t g = 0; g < back.generators.size(); ++g) {
    ASSERT_EQ(back.generators[g].segments.size(), original.generators[g].segments.size());
    for (std::size_t k = 0; k < original.generators[g].segments.size(); ++k)
      EXPECT_NEAR(back.generators[g].segments[k].marginal_cost,
                  original.generators[g].segments[k].marginal_cost, 1e-9);
  }
}

void expect_case_error(const std::string& text, int line, const std::string& key,
                       const std::string& reason) {
  try {
    parse_matpower(text, "c.m");
    ADD_FAILURE() << "no error for " << key;
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
  }
}

const std::string header = "function mpc = c\nmpc.version = '2';\nmpc.baseMVA = 100;\n";
const std::string buses =
    "mpc.bus = [\n"
    "  1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n"
    "  2 1 50 0 0 0 1 1 0 230 1 1.1 0.9;\n"
    "];\n";                                                                // lines 4-7
const std::string gens = "mpc.gen = [\n  1 0 0 0 0 1 100 1 100 0;\n];\n";  // lines 8-10
const std::string branches = "mpc.branch = [\n  1 2 0 0.1 0 0 0 0 0 0 1 -360 360;\n];\n";  // 11-13
const std::string costs = "mpc.gencost = [\n  2 0 0 2 20 0;\n];\n";                        // 14-16

TEST(Matpower, MalformedCasesGetTheLineAndTheReason) {
  EXPECT_NO_THROW(parse_matpower(header + buses + gens + branches + costs, "c.m"));
  expect_case_error("mpc.version = '1';\n" + buses, 1, "mpc.version",
                    "version '1' is not supported");
  expect_case_error(header + buses + gens + branches, 0, "mpc.gencost", "missing");
  expect_case_error(
      header + buses + "mpc.gen = [\n  9 0 0 0 0 1 100 1 100 0;\n];\n" + branches + costs, 9,
      "mpc.gen", "refers to bus 9, which is not in mpc.bus");
  expect_case_error(
      header + buses + gens + "mpc.branch = [\n  1 2 0 0 0 0 0 0 0 0 1 -360 360;\n];\n" + costs, 12,
      "mpc.branch", "zero reactance");
  expect_case_error(
      header + buses + gens + "mpc.branch = [\n  1 2 0 0.1x 0 0 0 0 0 0 1 -360 360;\n];\n" + costs,
      12, "mpc", "expected a number, got '0.1x'");
  expect_case_error(header + buses + gens + branches + "mpc.gencost = [\n  3 0 0 2 20 0;\n];\n", 15,
                    "mpc.gencost", "cost model must be 1");
  expect_case_error(
      header + buses + gens + branches + "mpc.gencost = [\n  1 0 0 3 0 0 50 2000 100 3000;\n];\n",
      15, "mpc.gencost", "not convex");
  expect_case_error(header + "mpc.bus = [\n  1 1 0 0 0 0 1 1 0 230 1 1.1 0.9;\n];\n" + gens +
                        costs + "mpc.branch = [\n];\n",
                    4, "mpc.bus", "no reference bus");
  expect_case_error(header + buses + gens + "mpc.branch = [\n  1 2 0 0.1 0 0 0 0 0 0 1 -360 360;\n",
                    13, "mpc", "not closed");
}

// The error for a case whose row `row` (of the test case above) is replaced, at its line and
// the column of the offending value.
void expect_value_error(const std::string& text, int line, int column, const std::string& key,
                        const std::string& reason) {
  try {
    parse_matpower(text, "c.m");
    ADD_FAILURE() << "no error for " << key << ": " << reason;
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.where().column, column) << e.what();
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
  }
}

std::string with_branch(const std::string& row) {
  return header + buses + gens + "mpc.branch = [\n" + row + "\n];\n" + costs;
}
std::string with_gen(const std::string& row) {
  return header + buses + "mpc.gen = [\n" + row + "\n];\n" + branches + costs;
}
std::string with_cost(const std::string& row) {
  return header + buses + gens + branches + "mpc.gencost = [\n" + row + "\n];\n";
}
// The first bus row replaced (line 5).
std::string with_first_bus(const std::string& row) {
  return header + "mpc.bus = [\n" + row + "\n  2 1 50 0 0 0 1 1 0 230 1 1.1 0.9;\n];\n" + gens +
         branches + costs;
}
std::string with_base(const std::string& base) {
  return "function mpc = c\nmpc.version = '2';\nmpc.baseMVA = " + base + ";\n" + buses + gens +
         branches + costs;
}

TEST(Matpower, NonFiniteValuesAreRefusedAtTheirColumn) {
  // NaN compares false with every bound: NaN x gave LMPs of 30 everywhere and a "congested" line,
  // NaN rateA an unlimited line, NaN Pmax no generator (65 MW shed).
  for (const char* bad : {"nan", "NaN", "inf", "-Inf"}) {
    const std::string b = bad;
    expect_value_error(with_branch("  1 2 0 " + b + " 0 0 0 0 0 0 1 -360 360;"), 12, 9,
                       "mpc.branch", "x (column 4) must be a finite number");
    expect_value_error(with_branch("  1 2 0 0.1 0 " + b + " 0 0 0 0 1 -360 360;"), 12, 15,
                       "mpc.branch", "rateA (column 6) must be a finite number");
    expect_value_error(with_branch("  1 2 0 0.1 0 0 0 0 " + b + " 0 1 -360 360;"), 12, 21,
                       "mpc.branch", "tap ratio (column 9) must be a finite number");
    expect_value_error(with_branch("  1 2 0 0.1 0 0 0 0 0 " + b + " 1 -360 360;"), 12, 23,
                       "mpc.branch", "shift angle (column 10) must be a finite number");
    expect_value_error(with_branch("  1 2 0 0.1 0 0 0 0 0 0 " + b + " -360 360;"), 12, 25,
                       "mpc.branch", "status (column 11) must be a finite number");
    expect_value_error(with_gen("  1 0 0 0 0 1 100 1 " + b + " 0;"), 9, 21, "mpc.gen",
                       "Pmax (column 9) must be a finite number");
    expect_value_error(with_gen("  1 0 0 0 0 1 100 " + b + " 100 0;"), 9, 19, "mpc.gen",
                       "status (column 8) must be a finite number");
    expect_value_error(with_cost("  2 0 0 2 " + b + " 0;"), 15, 11, "mpc.gencost",
                       "cost coefficient (column 5) must be a finite number");
    expect_value_error(with_cost("  1 0 0 2 0 0 100 " + b + ";"), 15, 19, "mpc.gencost",
                       "cost point (column 8) must be a finite number");
    expect_value_error(with_first_bus("  1 3 " + b + " 0 0 0 1 1 0 230 1 1.1 0.9;"), 5, 7,
                       "mpc.bus", "Pd (column 3) must be a finite number");
    expect_value_error(with_first_bus("  1 " + b + " 0 0 0 0 1 1 0 230 1 1.1 0.9;"), 5, 5,
                       "mpc.bus", "bus type must be 1, 2, 3 or 4");
    expect_value_error(with_gen("  " + b + " 0 0 0 0 1 100 1 100 0;"), 9, 3, "mpc.gen",
                       "which is not in mpc.bus");
  }
}

TEST(Matpower, ValuesOutsideTheirDomainAreRefused) {
  for (const char* base : {"1e-320", "0", "-100", "1e9"})
    expect_value_error(with_base(base), 3, 1, "mpc.baseMVA",
                       "must be a number in [1, 1000000] MVA");
  expect_value_error(with_gen("  1 0 0 0 0 1 100 1 1e300 0;"), 9, 21, "mpc.gen",
                     "Pmax (column 9) must be in [-1000000, 1000000]");
  expect_value_error(with_branch("  1 2 0 1e-9 0 0 0 0 0 0 1 -360 360;"), 12, 9, "mpc.branch",
                     "must have a magnitude in [1e-06, 1000]");
  expect_value_error(with_branch("  1 2 0 0.1 0 -5 0 0 0 0 1 -360 360;"), 12, 15, "mpc.branch",
                     "rateA (column 6) must be in [0, 1000000]");
  expect_value_error(with_branch("  1 2 0 0.1 0 0 0 0 -1 0 1 -360 360;"), 12, 21, "mpc.branch",
                     "tap ratio (column 9) must be in [0, 1000]");
  expect_value_error(with_cost("  2 0 0 2 1e25 0;"), 15, 3, "mpc.gencost",
                     "beyond ±1000000000 $/MWh");
  expect_value_error(with_cost("  1.5 0 0 2 20 0;"), 15, 3, "mpc.gencost", "cost model must be 1");
  // A negative shift is a phase shifter's angle, a negative x a series capacitor: both are fine.
  EXPECT_NO_THROW(parse_matpower(with_branch("  1 2 0 -0.1 0 0 0 0 0 -30 1 -360 360;"), "c.m"));
}

TEST(Matpower, CostPointCountsAreCheckedBeforeTheyAreUsed) {
  // n was cast to size_t first: -2 or 2^63 - 2 wrapped past the bounds check and read beyond the
  // row (a heap-buffer-overflow); NaN, -1 or 1e30 in a polynomial read the rest of the row.
  for (const char* n : {"-2", "9223372036854775806", "nan", "1.5", "1", "3"})
    expect_value_error(with_cost("  1 0 0 " + std::string(n) + " 0 0 100 2000;"), 15, 9,
                       "mpc.gencost", "piecewise cost");
  for (const char* n : {"-4", "-1", "0", "nan", "1e30", "2.5", "3"})
    expect_value_error(with_cost("  2 0 0 " + std::string(n) + " 20 0;"), 15, 9, "mpc.gencost",
                       "polynomial cost");
  // Columns beyond n are padding and never read.
  EXPECT_NO_THROW(parse_matpower(with_cost("  2 0 0 1 20 nan nan;"), "c.m"));
  EXPECT_NO_THROW(parse_matpower(with_cost("  1 0 0 2 0 0 100 2000 nan;"), "c.m"));
}

TEST(Matpower, IslandsAreFoundTheSameWayAsInScenarios) {
  const std::string three_buses =
      "mpc.bus = [\n"
      "  1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n"
      "  2 1 50 0 0 0 1 1 0 230 1 1.1 0.9;\n"
      "  3 1 10 0 0 0 1 1 0 230 1 1.1 0.9;\n"
      "];\n";
  const MatpowerCase mc = parse_matpower(header + three_buses + gens + branches + costs, "c.m");
  const auto island = find_unsupplied_island(mc.network);
  ASSERT_TRUE(island);
  EXPECT_EQ(mc.network.buses[static_cast<std::size_t>(island->bus)].name, "3");
  EXPECT_EQ(island->reason,
            "bus 3 is an island with load and no generation; connect it with a line or add a "
            "generator");
  EXPECT_FALSE(find_unsupplied_island(
      parse_matpower(header + buses + gens + branches + costs, "c.m").network));
  // Household load counts as load.
  NetworkSpec net = mc.network;
  net.buses[2].base_load_mw = {0.0};
  EXPECT_FALSE(find_unsupplied_island(net));
  const std::vector<double> households{0.0, 0.0, 1.0};
  EXPECT_TRUE(find_unsupplied_island(net, households));
}

TEST(Matpower, UnreadableFileIsAnIoError) {
  EXPECT_THROW(read_matpower("/nonexistent/case.m"), IoError);
}

}  // namespace
}  // namespace mfgrid
