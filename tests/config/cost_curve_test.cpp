#include "mfgrid/config/cost_curve.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace mfgrid {
namespace {

GeneratorSpec unit(double pmin, double pmax) {
  GeneratorSpec g;
  g.pmin_mw = pmin;
  g.pmax_mw = pmax;
  return g;
}

TEST(CostCurve, QuadraticIsExactAtBreakpoints) {
  GeneratorSpec g = unit(10, 50);
  const double c[] = {0.1, 5.0, 30.0};
  set_polynomial_cost(g, c, 4);
  ASSERT_EQ(g.segments.size(), 4u);
  for (double p : {10.0, 20.0, 30.0, 40.0, 50.0})
    EXPECT_NEAR(generator_cost(g, p), 0.1 * p * p + 5 * p + 30, 1e-9) << p;
  EXPECT_NEAR(g.segments[0].marginal_cost, 0.1 * (10 + 20) + 5, 1e-12);
}

TEST(CostCurve, LinearPolynomialNeedsOneSegment) {
  GeneratorSpec g = unit(0, 100);
  const double c[] = {0.0, 12.0, 3.0};
  set_polynomial_cost(g, c, 10);
  EXPECT_EQ(g.segments.size(), 1u);
  EXPECT_DOUBLE_EQ(g.cost_at_pmin, 3.0);
}

TEST(CostCurve, ConcaveCurvesAreRejected) {
  GeneratorSpec g = unit(0, 100);
  const double c[] = {-0.1, 50.0, 0.0};
  EXPECT_THROW(set_polynomial_cost(g, c, 4), std::invalid_argument);
}

TEST(CostCurve, PiecewisePointsAreClippedToTheOperatingRange) {
  GeneratorSpec g = unit(10, 30);
  const std::pair<double, double> pts[] = {{0, 0}, {20, 200}, {40, 600}};
  set_piecewise_cost(g, pts);
  ASSERT_EQ(g.segments.size(), 2u);
  EXPECT_DOUBLE_EQ(g.cost_at_pmin, 100.0);
  EXPECT_DOUBLE_EQ(g.segments[0].width_mw, 10.0);
  EXPECT_DOUBLE_EQ(g.segments[1].marginal_cost, 20.0);
  const std::pair<double, double> short_pts[] = {{15, 0}, {20, 200}};
  EXPECT_THROW(set_piecewise_cost(g, short_pts), std::invalid_argument);
}

TEST(CostCurve, NonFiniteOrHugeCostsAreRefusedForBothReaders) {
  // The scenario loader and the MATPOWER reader both build curves here: the checks are here once.
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  GeneratorSpec g = unit(0, 100);
  for (double bad : {inf, -inf, nan}) {
    const double c[] = {0.0, bad, 0.0};
    EXPECT_THROW(set_polynomial_cost(g, c, 4), std::invalid_argument) << bad;
    const std::pair<double, double> pts[] = {{0, 0}, {100, bad}};
    EXPECT_THROW(set_piecewise_cost(g, pts), std::invalid_argument) << bad;
    EXPECT_THROW(set_linear_cost(g, bad), std::invalid_argument) << bad;
  }
  // Finite coefficients whose marginal costs are beyond what the LP takes.
  const double huge[] = {1e300, 0.0, 0.0};
  EXPECT_THROW(set_polynomial_cost(g, huge, 4), std::invalid_argument);
  const double steep[] = {0.0, 2e9, 0.0};
  EXPECT_THROW(set_polynomial_cost(g, steep, 4), std::invalid_argument);
  const std::pair<double, double> steep_pts[] = {{0, 0}, {100, 1e12}};
  EXPECT_THROW(set_piecewise_cost(g, steep_pts), std::invalid_argument);
  // An operating range that is no real power.
  GeneratorSpec unbounded = unit(0, inf);
  const double c[] = {0.1, 5.0, 0.0};
  EXPECT_THROW(set_polynomial_cost(unbounded, c, 4), std::invalid_argument);
  EXPECT_THROW(set_linear_cost(unbounded, 30), std::invalid_argument);
  // A cost profile must keep every marginal cost within the bound, in every period.
  set_linear_cost(g, 30);
  g.cost_profile = {1.0, nan};
  EXPECT_THROW(check_cost_profile(g), std::invalid_argument);
  g.cost_profile = {1.0, 1e8};
  EXPECT_THROW(check_cost_profile(g), std::invalid_argument);
  g.cost_profile = {1.0, 1e7};
  EXPECT_NO_THROW(check_cost_profile(g));
}

}  // namespace
}  // namespace mfgrid
