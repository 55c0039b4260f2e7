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

TEST(Matpower, UnreadableFileIsAnIoError) {
  EXPECT_THROW(read_matpower("/nonexistent/case.m"), IoError);
}

}  // namespace
}  // namespace mfgrid
