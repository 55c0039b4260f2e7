#include "mfgrid/config/cost_curve.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mfgrid
