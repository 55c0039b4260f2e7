// DC-OPF against optima computed by hand, and against an independent check of the optimality
// conditions (PTDFs from the bus susceptance matrix, computed here with Eigen).
#include "mfgrid/grid/dc_opf.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "grid/network_builders.hpp"
#include "mfgrid/agents/expected_load.hpp"
#include "mfgrid/config/matpower.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/grid/synthetic_network.hpp"

namespace mfgrid {
namespace {

using testing::add_generator;
using testing::add_line;
using testing::make_network;

constexpr double tol = 1e-6;

TEST(DcOpf, UncongestedNetworkHasOnePriceSetByTheMarginalUnit) {
  NetworkSpec net = make_network(2);
  add_line(net, 0, 1, 0.1);
  add_generator(net, 0, 0, 100, 20.0);
  add_generator(net, 1, 0, 100, 30.0);
  DcOpf opf(net);
  const double demand[] = {0.0, 50.0};
  const MarketClearing& r = opf.clear(0, demand);
  EXPECT_NEAR(r.dispatch_mw[0], 50.0, tol);
  EXPECT_NEAR(r.dispatch_mw[1], 0.0, tol);
  EXPECT_NEAR(r.lmp[0], 20.0, tol);  // $/MWh, positive: one more MW of load costs 20 $/h
  EXPECT_NEAR(r.lmp[1], 20.0, tol);
  EXPECT_NEAR(r.flow_mw[0], 50.0, tol);
  EXPECT_NEAR(r.cost_per_hour, 1000.0, tol);
  EXPECT_FALSE(r.line_congested(0, 0.0));
}

TEST(DcOpf, CongestedLineSplitsPricesAndPricesTheLimit) {
  NetworkSpec net = make_network(2);
  add_line(net, 0, 1, 0.1, 30.0);
  add_generator(net, 0, 0, 100, 20.0);
  add_generator(net, 1, 0, 100, 30.0);
  DcOpf opf(net);
  const double demand[] = {0.0, 50.0};
  const MarketClearing& r = opf.clear(0, demand);
  EXPECT_NEAR(r.dispatch_mw[0], 30.0, tol);
  EXPECT_NEAR(r.dispatch_mw[1], 20.0, tol);
  EXPECT_NEAR(r.lmp[0], 20.0, tol);
  EXPECT_NEAR(r.lmp[1], 30.0, tol);
  EXPECT_NEAR(r.flow_mw[0], 30.0, tol);
  EXPECT_NEAR(r.line_shadow_price[0], 10.0, tol);
  EXPECT_TRUE(r.line_congested(0, 30.0));
}

// Triangle with equal reactances: 2/3 of a b1→b3 transfer takes the direct line, 1/3 goes via b2.
// Load 30 MW at b3, cheap unit (10 $/MWh) at b1, dear unit (50) at b3, l13 limited to 15 MW.
// Unconstrained, f13 = 2/3·30 = 20 > 15, so g1 = 15/(2/3) = 22.5 and g3 = 7.5. Prices from
// LMP_b = LMP_1 − PTDF(l13, b)·μ with PTDF(l13, b3) = −2/3: 50 = 10 + 2/3·μ → μ = 60, and
// LMP_2 = 10 + 1/3·60 = 30.
TEST(DcOpf, TriangleWithOneCongestedLineMatchesHandSolution) {
  NetworkSpec net = make_network(3);
  add_line(net, 0, 1, 0.1);
  add_line(net, 0, 2, 0.1, 15.0);
  add_line(net, 1, 2, 0.1);
  add_generator(net, 0, 0, 100, 10.0);
  add_generator(net, 2, 0, 100, 50.0);
  DcOpf opf(net);
  const double demand[] = {0.0, 0.0, 30.0};
  const MarketClearing& r = opf.clear(0, demand);
  EXPECT_NEAR(r.dispatch_mw[0], 22.5, tol);
  EXPECT_NEAR(r.dispatch_mw[1], 7.5, tol);
  EXPECT_NEAR(r.flow_mw[0], 7.5, tol);
  EXPECT_NEAR(r.flow_mw[1], 15.0, tol);
  EXPECT_NEAR(r.flow_mw[2], 7.5, tol);
  EXPECT_NEAR(r.lmp[0], 10.0, tol);
  EXPECT_NEAR(r.lmp[1], 30.0, tol);
  EXPECT_NEAR(r.lmp[2], 50.0, tol);
  EXPECT_NEAR(r.line_shadow_price[1], 60.0, tol);
  EXPECT_NEAR(r.cost_per_hour, 22.5 * 10 + 7.5 * 50, tol);
  // θ: flow = baseMVA·(θf − θt)/x → θ1 − θ3 = 15·0.1/100.
  EXPECT_NEAR(r.angle_rad[0], 0.0, tol);
  EXPECT_NEAR(r.angle_rad[0] - r.angle_rad[2], 0.015, 1e-9);
}

TEST(DcOpf, LoadBeyondImportLimitIsShedAtValueOfLostLoad) {
  NetworkSpec net = make_network(2);
  net.voll = 9000.0;
  add_line(net, 0, 1, 0.1, 30.0);
  add_generator(net, 0, 0, 100, 20.0);
  DcOpf opf(net);
  const double demand[] = {0.0, 50.0};
  const MarketClearing& r = opf.clear(0, demand);
  EXPECT_NEAR(r.shed_mw[1], 20.0, tol);
  EXPECT_NEAR(r.shed_mw[0], 0.0, tol);
  EXPECT_NEAR(r.lmp[1], 9000.0, tol);
  EXPECT_NEAR(r.lmp[0], 20.0, tol);
  EXPECT_NEAR(r.cost_per_hour, 30 * 20.0 + 20 * 9000.0, tol);
}

TEST(DcOpf, SurplusExportsAreSpilledAtTheSpillCost) {
  NetworkSpec net = make_network(2);
  net.spill_cost = 5.0;
  add_line(net, 0, 1, 0.1);
  add_generator(net, 0, 2, 100, 20.0);  // must run at 2 MW
  DcOpf opf(net);
  const double demand[] = {-10.0, 4.0};  // households at b1 export 10 MW
  const MarketClearing& r = opf.clear(0, demand);
  EXPECT_NEAR(r.dispatch_mw[0], 2.0, tol);
  const double spill = r.spill_mw[0] + r.spill_mw[1];
  EXPECT_NEAR(spill, 8.0, tol);
  EXPECT_NEAR(r.lmp[0], -5.0, tol);  // one more MW of load saves spilling it
  EXPECT_NEAR(r.lmp[1], -5.0, tol);
}

// Two quadratic units on one bus: C_i = a_i p² + b_i p, equal marginal costs at the optimum:
// 2·0.05·p1 + 20 = 2·0.1·p2 + 15 = λ, p1 + p2 = 100 → λ = 25, p1 = p2 = 50.
TEST(DcOpf, QuadraticCostsConvergeToEqualMarginalCosts) {
  for (int segments : {25, 400}) {
    NetworkSpec net = make_network(1);
    for (auto [a, b] : {std::pair{0.05, 20.0}, std::pair{0.1, 15.0}}) {
      GeneratorSpec g;
      g.name = "g";
      g.pmax_mw = 200.0;
      const double c[] = {a, b, 0.0};
      set_polynomial_cost(g, c, segments);
      net.generators.push_back(g);
    }
    DcOpf opf(net);
    const double demand[] = {100.0};
    const MarketClearing& r = opf.clear(0, demand);
    const double width = 200.0 / segments;
    EXPECT_NEAR(r.dispatch_mw[0], 50.0, width) << segments;
    EXPECT_NEAR(r.dispatch_mw[1], 50.0, width) << segments;
    // The LMP is a segment's slope: within one segment's marginal-cost change of λ.
    EXPECT_NEAR(r.lmp[0], 25.0, 2 * 0.1 * width) << segments;
    const double exact = 0.05 * 2500 + 20 * 50 + 0.1 * 2500 + 15 * 50;
    EXPECT_NEAR(r.cost_per_hour, exact, 0.1 * width * width * 2) << segments;
  }
}

TEST(DcOpf, CostProfileScalesPricesByPeriod) {
  NetworkSpec net = make_network(1, 3);
  add_generator(net, 0, 0, 100, 40.0);
  net.generators[0].cost_profile = {0.5, 1.0, 2.0};
  DcOpf opf(net);
  const double demand[] = {10.0};
  EXPECT_NEAR(opf.clear(2, demand).lmp[0], 80.0, tol);
  EXPECT_NEAR(opf.clear(0, demand).lmp[0], 20.0, tol);
  EXPECT_NEAR(opf.clear(1, demand).cost_per_hour, 400.0, tol);
}

TEST(DcOpf, RejectsWrongDemandSizeAndPeriod) {
  NetworkSpec net = make_network(2);
  add_line(net, 0, 1, 0.1);
  add_generator(net, 0, 0, 100, 20.0);
  DcOpf opf(net);
  const double one[] = {1.0};
  EXPECT_THROW(opf.clear(0, one), Error);
  const double two[] = {1.0, 2.0};
  EXPECT_THROW(opf.clear(1, two), Error);
  const double bad[] = {1.0, std::nan("")};
  EXPECT_THROW(opf.clear(0, bad), Error);
}

// Independent verification of any clearing: power balance, Ohm's law on every line, limits, and
// the LMPs implied by congestion through PTDFs computed from the susceptance matrix.
void expect_optimality_conditions(const NetworkSpec& net, const MarketClearing& r,
                                  const std::vector<double>& demand) {
  const int nb = static_cast<int>(net.buses.size()), nl = static_cast<int>(net.lines.size());
  std::vector<double> injection(static_cast<std::size_t>(nb), 0.0);
  for (std::size_t g = 0; g < net.generators.size(); ++g)
    injection[static_cast<std::size_t>(net.generators[g].bus)] += r.dispatch_mw[g];
  for (int b = 0; b < nb; ++b) {
    const auto i = static_cast<std::size_t>(b);
    injection[i] += r.shed_mw[i] - r.spill_mw[i] - demand[i];
  }
  std::vector<double> outflow(static_cast<std::size_t>(nb), 0.0);
  for (int l = 0; l < nl; ++l) {
    const LineSpec& line = net.lines[static_cast<std::size_t>(l)];
    const double f = r.flow_mw[static_cast<std::size_t>(l)];
    outflow[static_cast<std::size_t>(line.from)] += f;
    outflow[static_cast<std::size_t>(line.to)] -= f;
    const double ohm = net.base_mva *
                       (r.angle_rad[static_cast<std::size_t>(line.from)] -
                        r.angle_rad[static_cast<std::size_t>(line.to)]) /
                       line.reactance_pu;
    EXPECT_NEAR(f, ohm, 1e-6 * std::max(1.0, std::abs(f))) << line.name;
    if (line.limit_mw > 0) {
      EXPECT_LE(std::abs(f), line.limit_mw * (1 + 1e-9)) << line.name;
    }
  }
  for (int b = 0; b < nb; ++b)
    EXPECT_NEAR(injection[static_cast<std::size_t>(b)], outflow[static_cast<std::size_t>(b)], 1e-6)
        << net.buses[static_cast<std::size_t>(b)].name;

  // PTDF (injection at b, withdrawal at the reference) = diag(b_l) A [B_red^{-1}] from scratch.
  const int ref = net.reference_bus;
  Eigen::MatrixXd bbus = Eigen::MatrixXd::Zero(nb, nb), bf = Eigen::MatrixXd::Zero(nl, nb);
  for (int l = 0; l < nl; ++l) {
    const LineSpec& line = net.lines[static_cast<std::size_t>(l)];
    const double y = net.base_mva / line.reactance_pu;
    bbus(line.from, line.from) += y;
    bbus(line.to, line.to) += y;
    bbus(line.from, line.to) -= y;
    bbus(line.to, line.from) -= y;
    bf(l, line.from) += y;
    bf(l, line.to) -= y;
  }
  std::vector<int> keep;
  for (int b = 0; b < nb; ++b)
    if (b != ref) keep.push_back(b);
  Eigen::MatrixXd reduced(nb - 1, nb - 1);
  for (int i = 0; i < nb - 1; ++i)
    for (int j = 0; j < nb - 1; ++j)
      reduced(i, j) = bbus(keep[static_cast<std::size_t>(i)], keep[static_cast<std::size_t>(j)]);
  const Eigen::MatrixXd inverse = reduced.inverse();
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(nb, nb);
  for (int i = 0; i < nb - 1; ++i)
    for (int j = 0; j < nb - 1; ++j)
      x(keep[static_cast<std::size_t>(i)], keep[static_cast<std::size_t>(j)]) = inverse(i, j);
  const Eigen::MatrixXd ptdf = bf * x;
  for (int b = 0; b < nb; ++b) {
    double implied = r.lmp[static_cast<std::size_t>(ref)];
    for (int l = 0; l < nl; ++l) {
      const auto li = static_cast<std::size_t>(l);
      const double sign =
          r.flow_mw[li] >= 0 ? 1.0 : -1.0;  // the shadow price binds in the flow's direction
      implied -= ptdf(l, b) * sign * r.line_shadow_price[li];
    }
    EXPECT_NEAR(r.lmp[static_cast<std::size_t>(b)], implied,
                1e-5 * std::max(1.0, std::abs(implied)))
        << net.buses[static_cast<std::size_t>(b)].name;
  }
}

// The default scenario at its expected load (mean weather, idle batteries): the evening peak
// congests line l13 and nothing else congests. With equal reactances a congested l13 separates
// the prices as LMP_3 = LMP_1 + 2/3·μ and LMP_2 = LMP_1 + 1/3·μ (μ its shadow price); otherwise
// every bus has one price. The prices rise with the load (the generators' rising marginal costs).
TEST(DcOpf, DefaultScenarioCongestsAtTheEveningPeakAtItsExpectedLoad) {
  const Scenario s = load_scenario("ieee3-equity");
  DcOpf opf(s.network);
  std::vector<std::pair<double, double>> load_and_price;
  for (int t = 0; t < s.time.periods; ++t) {
    std::vector<double> demand = expected_household_load_mw(s, t);
    for (std::size_t b = 0; b < demand.size(); ++b)
      demand[b] += s.network.buses[b].base_load_mw[static_cast<std::size_t>(t)];
    const MarketClearing& r = opf.clear(t, demand);
    expect_optimality_conditions(s.network, r, demand);
    for (std::size_t l = 0; l < s.network.lines.size(); ++l)
      EXPECT_EQ(r.line_congested(l, s.network.lines[l].limit_mw),
                t == 6 && s.network.lines[l].name == "l13")
          << "period " << t << " line " << s.network.lines[l].name;
    if (t == 6) {
      const double mu = r.line_shadow_price[1];
      EXPECT_GT(mu, 1.0);
      EXPECT_NEAR(r.lmp[1], r.lmp[0] + mu / 3, tol);
      EXPECT_NEAR(r.lmp[2], r.lmp[0] + 2 * mu / 3, tol);
    } else {
      for (double lmp : r.lmp) EXPECT_NEAR(lmp, r.lmp[0], tol) << "period " << t;
      load_and_price.emplace_back(std::accumulate(demand.begin(), demand.end(), 0.0), r.lmp[0]);
    }
  }
  std::sort(load_and_price.begin(), load_and_price.end());
  for (std::size_t k = 1; k < load_and_price.size(); ++k)
    EXPECT_GT(load_and_price[k].second, load_and_price[k - 1].second)
        << "a higher load at " << load_and_price[k].first << " MW, no higher price";
}

TEST(DcOpf, SyntheticNetworkSatisfiesOptimalityConditions) {
  const NetworkSpec net = make_synthetic_network(118, 8, 3);
  DcOpf opf(net);
  int congested = 0;
  for (int t = 0; t < net.periods; ++t) {
    std::vector<double> demand;
    for (const auto& b : net.buses) demand.push_back(b.base_load_mw[static_cast<std::size_t>(t)]);
    const MarketClearing& r = opf.clear(t, demand);
    expect_optimality_conditions(net, r, demand);
    for (std::size_t l = 0; l < net.lines.size(); ++l)
      congested += r.line_congested(l, net.lines[l].limit_mw);
  }
  EXPECT_GT(congested, 0) << "the synthetic network should congest somewhere";
}

TEST(DcOpf, MatpowerCaseSatisfiesOptimalityConditions) {
  const MatpowerCase mc = read_matpower(std::string(MFGRID_TEST_DATA) + "/case5_mixed.m");
  DcOpf opf(mc.network);
  std::vector<double> demand;
  for (const auto& b : mc.network.buses) demand.push_back(b.base_load_mw[0]);
  const MarketClearing& r = opf.clear(0, demand);
  expect_optimality_conditions(mc.network, r, demand);
  // g1: 0.01p² + 20p + 100 in 10 pieces over [10, 150]; it ends inside the piece [122, 136],
  // whose slope 0.01·(122 + 136) + 20 = 22.58 is the LMP at bus 1.
  EXPECT_NEAR(r.lmp[0], 22.58, 1e-9);
  EXPECT_NEAR(r.lmp[2], 30.0, 1e-9);  // g3's first piece: 1200 $/h over 40 MW
}

TEST(DcOpf, MatpowerRoundTripClearsIdentically) {
  const Scenario s = load_scenario("ieee3-equity");
  for (int t = 0; t < s.time.periods; ++t) {
    std::ostringstream text;
    write_matpower(s.network, text, t);
    const MatpowerCase back = parse_matpower(text.str(), "roundtrip.m");
    ASSERT_EQ(back.network.buses.size(), s.network.buses.size());
    ASSERT_EQ(back.network.lines.size(), s.network.lines.size());
    ASSERT_EQ(back.network.generators.size(), s.network.generators.size());
    for (std::size_t g = 0; g < s.network.generators.size(); ++g) {
      const auto& a = s.network.generators[g];
      const auto& b = back.network.generators[g];
      EXPECT_EQ(a.pmin_mw, b.pmin_mw);
      EXPECT_EQ(a.pmax_mw, b.pmax_mw);
      ASSERT_EQ(a.segments.size(), b.segments.size());
      for (std::size_t k = 0; k < a.segments.size(); ++k)
        EXPECT_NEAR(a.segments[k].marginal_cost, b.segments[k].marginal_cost, 1e-9);
    }
    DcOpf original(s.network), reread(back.network);
    const MarketClearing a = original.clear_base_load(t);
    const MarketClearing b = reread.clear_base_load(0);
    for (std::size_t k = 0; k < a.lmp.size(); ++k) EXPECT_NEAR(a.lmp[k], b.lmp[k], 1e-9);
    for (std::size_t k = 0; k < a.flow_mw.size(); ++k)
      EXPECT_NEAR(a.flow_mw[k], b.flow_mw[k], 1e-9);
    EXPECT_NEAR(a.cost_per_hour, b.cost_per_hour, 1e-6);
  }
}

}  // namespace
}  // namespace mfgrid
