// One bound on the costs the market LP sees (limits::max_cost_per_mwh): the readers refuse costs
// beyond it with a located message, and the DC-OPF, as a defence, refuses them with an error
// instead of letting CLP abort the process (ClpSimplex.cpp: Assertion 'fabs(obj[i]) < 1.0e25').
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "mfgrid/config/cost_curve.hpp"
#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/grid/dc_opf.hpp"

namespace mfgrid {
namespace {

// Two buses, one line, one generator at the bound's edge.
NetworkSpec two_buses(double marginal_cost) {
  NetworkSpec net;
  net.periods = 2;
  net.buses = {{"a", {0.0, 0.0}, {}, {}}, {"b", {5.0, 5.0}, {}, {}}};
  net.lines = {{"ab", 0, 1, 0.1, 0.0, 0.0}};
  GeneratorSpec g;
  g.name = "g";
  g.pmax_mw = 10;
  g.segments = {{10, marginal_cost}};
  net.generators = {g};
  return net;
}

TEST(LpCostBound, TheMarketTakesCostsUpToTheBound) {
  NetworkSpec net = two_buses(limits::max_cost_per_mwh / 2);
  net.voll = limits::max_cost_per_mwh;
  DcOpf opf(net);
  const MarketClearing& r = opf.clear_base_load(0);
  EXPECT_NEAR(r.dispatch_mw[0], 5.0, 1e-9);
  EXPECT_NEAR(r.lmp[1], limits::max_cost_per_mwh / 2, 1.0);
}

TEST(LpCostBound, TheMarketRefusesWhatClpWouldAbortOn) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double bad : {1e25, -1e25, inf, -inf, std::nan("")}) {
    NetworkSpec voll = two_buses(30);
    voll.voll = bad;
    EXPECT_THROW(DcOpf{voll}, Error) << bad;
    NetworkSpec spill = two_buses(30);
    spill.spill_cost = bad;
    EXPECT_THROW(DcOpf{spill}, Error) << bad;
    EXPECT_THROW(DcOpf{two_buses(bad)}, Error) << bad;
  }
  // A cost profile can carry a legal cost beyond the bound.
  NetworkSpec profiled = two_buses(1e8);
  profiled.generators[0].cost_profile = {1.0, 100.0};
  EXPECT_THROW(DcOpf{profiled}, Error);
  // NaN in the constraint matrix.
  NetworkSpec x = two_buses(30);
  x.lines[0].reactance_pu = 0.0;
  EXPECT_THROW(DcOpf{x}, Error);
}

TEST(LpCostBound, CostCurvesRefuseCostsBeyondTheBound) {
  GeneratorSpec g;
  g.pmax_mw = 100;
  EXPECT_NO_THROW(set_linear_cost(g, limits::max_cost_per_mwh));
  EXPECT_THROW(set_linear_cost(g, limits::max_cost_per_mwh * 1.001), std::invalid_argument);
  g.cost_profile = {1.0, 2.0};
  EXPECT_THROW(check_cost_profile(g), std::invalid_argument);
  set_linear_cost(g, 30);
  EXPECT_NO_THROW(check_cost_profile(g));
}

}  // namespace
}  // namespace mfgrid
