#include "mfgrid/config/cost_curve.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "mfgrid/config/input_limits.hpp"

namespace mfgrid {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The curve is built from [pmin, pmax]: both must be real powers of a real network.
void check_operating_range(const GeneratorSpec& gen) {
  for (double p : {gen.pmin_mw, gen.pmax_mw})
    if (!(std::abs(p) <= limits::max_power_mw))
      throw std::invalid_argument("generator limits [" + num(gen.pmin_mw) + ", " +
                                  num(gen.pmax_mw) + "] MW must be finite and within ±" +
                                  num(limits::max_power_mw) + " MW");
}

// Every marginal cost becomes an objective coefficient of the market LP (times the cost profile,
// checked separately), and the cost at pmin a constant of the reported cost.
void check_magnitudes(const GeneratorSpec& gen) {
  for (const auto& s : gen.segments)
    if (!(std::abs(s.marginal_cost) <= limits::max_cost_per_mwh))
      throw std::invalid_argument(
          "marginal cost " + num(s.marginal_cost) + " $/MWh is beyond ±" +
          num(limits::max_cost_per_mwh) +
          " $/MWh, the largest cost the market LP takes (its solver loses precision, and aborts "
          "at 1e25)");
  const double max_cost_per_hour = limits::max_cost_per_mwh * limits::max_power_mw;
  if (!(std::abs(gen.cost_at_pmin) <= max_cost_per_hour))
    throw std::invalid_argument("cost at pmin " + num(gen.cost_at_pmin) + " $/h is beyond ±" +
                                num(max_cost_per_hour) + " $/h");
}

double polynomial(std::span<const double> c, double x) {
  double v = 0.0;
  for (double ck : c) v = v * x + ck;  // Horner, highest order first
  return v;
}

// Marginal costs may be equal (a linear piece split in two) but must not decrease.
void check_convex(const std::vector<CostSegment>& segments) {
  for (std::size_t k = 1; k < segments.size(); ++k) {
    const double prev = segments[k - 1].marginal_cost, cur = segments[k].marginal_cost;
    if (cur < prev - 1e-9 * std::max(1.0, std::abs(prev)))
      throw std::invalid_argument(
          "cost curve is not convex (marginal cost falls from " + std::to_string(prev) + " to " +
          std::to_string(cur) + " $/MWh); LP market clearing needs non-decreasing marginal costs");
  }
}

}  // namespace

void set_polynomial_cost(GeneratorSpec& gen, std::span<const double> coefficients, int segments) {
  if (coefficients.empty()) throw std::invalid_argument("no cost coefficients");
  if (segments < 1) throw std::invalid_argument("cost_segments must be >= 1");
  for (std::size_t k = 0; k < coefficients.size(); ++k)
    if (!std::isfinite(coefficients[k]))
      throw std::invalid_argument("cost coefficient " + std::to_string(k) + " is not finite (" +
                                  num(coefficients[k]) + ")");
  check_operating_range(gen);
  gen.cost_at_pmin = polynomial(coefficients, gen.pmin_mw);
  gen.segments.clear();
  const double range = gen.pmax_mw - gen.pmin_mw;
  // A linear or constant polynomial needs one segment whatever was asked.
  const bool linear = coefficients.size() <= 2 || [&] {
    for (std::size_t k = 0; k + 2 < coefficients.size(); ++k)
      if (coefficients[k] != 0.0) return false;
    return true;
  }();
  const int n = (linear || range <= 0.0) ? 1 : segments;
  const double width = range / n;
  for (int k = 0; k < n; ++k) {
    const double a = gen.pmin_mw + k * width;
    const double b = (k == n - 1) ? gen.pmax_mw : a + width;
    const double slope =
        width > 0.0 ? (polynomial(coefficients, b) - polynomial(coefficients, a)) / (b - a)
                    : (coefficients.size() >= 2 ? coefficients[coefficients.size() - 2] : 0.0);
    gen.segments.push_back({b - a, slope});
  }
  check_magnitudes(gen);
  check_convex(gen.segments);
}

void set_piecewise_cost(GeneratorSpec& gen, std::span<const std::pair<double, double>> points) {
  if (points.size() < 2)
    throw std::invalid_argument("a piecewise-linear cost needs at least 2 points");
  for (const auto& [p, c] : points)
    if (!std::isfinite(p) || !std::isfinite(c))
      throw std::invalid_argument("cost point (" + num(p) + ", " + num(c) + ") is not finite");
  check_operating_range(gen);
  for (std::size_t k = 1; k < points.size(); ++k)
    if (!(points[k].first > points[k - 1].first))
      throw std::invalid_argument("cost points must have strictly increasing MW values");
  const double tol = 1e-9 * std::max(1.0, std::abs(gen.pmax_mw));
  if (points.front().first > gen.pmin_mw + tol || points.back().first < gen.pmax_mw - tol)
    throw std::invalid_argument(
        "cost points span [" + std::to_string(points.front().first) + ", " +
        std::to_string(points.back().first) + "] MW but must cover [pmin, pmax] = [" +
        std::to_string(gen.pmin_mw) + ", " + std::to_string(gen.pmax_mw) + "]");
  auto eval = [&](double p) {
    for (std::size_t k = 1; k < points.size(); ++k) {
      if (p <= points[k].first || k + 1 == points.size()) {
        const auto [x0, y0] = points[k - 1];
        const auto [x1, y1] = points[k];
        return y0 + (y1 - y0) * (p - x0) / (x1 - x0);
      }
    }
    return points.back().second;
  };
  gen.cost_at_pmin = eval(gen.pmin_mw);
  gen.segments.clear();
  for (std::size_t k = 1; k < points.size(); ++k) {
    const double a = std::max(points[k - 1].first, gen.pmin_mw);
    const double b = std::min(points[k].first, gen.pmax_mw);
    if (b <= a) continue;
    const double slope =
        (points[k].second - points[k - 1].second) / (points[k].first - points[k - 1].first);
    gen.segments.push_back({b - a, slope});
  }
  if (gen.segments.empty()) gen.segments.push_back({0.0, 0.0});
  check_magnitudes(gen);
  check_convex(gen.segments);
}

void set_linear_cost(GeneratorSpec& gen, double marginal_cost) {
  check_operating_range(gen);
  gen.cost_at_pmin = marginal_cost * gen.pmin_mw;
  gen.segments = {{gen.pmax_mw - gen.pmin_mw, marginal_cost}};
  check_magnitudes(gen);
}

void check_cost_profile(const GeneratorSpec& gen) {
  // Day −1: the one-day profile.
  const auto check = [&](double f, int day, int period) {
    const auto where = [&] {
      return (day >= 0 ? "on day " + std::to_string(day) + " " : std::string()) + "in period " +
             std::to_string(period);
    };
    if (!(f >= 0.0) || !std::isfinite(f))
      throw std::invalid_argument("cost profile " + num(f) + " " + where() +
                                  " must be finite and >= 0");
    for (const auto& s : gen.segments)
      if (!(std::abs(s.marginal_cost * f) <= limits::max_cost_per_mwh))
        throw std::invalid_argument("cost profile " + num(f) + " " + where() +
                                    " makes a marginal cost of " + num(s.marginal_cost * f) +
                                    " $/MWh, beyond ±" + num(limits::max_cost_per_mwh) +
                                    " $/MWh, the largest cost the market LP takes");
  };
  // A series' days first: the one-day profile is their mean.
  const DailySeries& series = gen.cost_series;
  for (int d = 0; d < series.days(); ++d)
    for (int t = 0; t < series.periods; ++t)
      check(series.day(d)[static_cast<std::size_t>(t)], d, t);
  for (std::size_t t = 0; t < gen.cost_profile.size(); ++t)
    check(gen.cost_profile[t], -1, static_cast<int>(t));
}

double generator_cost(const GeneratorSpec& gen, double p_mw) {
  double cost = gen.cost_at_pmin, left = p_mw - gen.pmin_mw;
  for (const auto& s : gen.segments) {
    if (left <= 0.0) break;
    const double take = std::min(left, s.width_mw);
    cost += take * s.marginal_cost;
    left -= take;
  }
  return cost;
}

std::vector<std::pair<double, double>> cost_points(const GeneratorSpec& gen) {
  std::vector<std::pair<double, double>> pts{{gen.pmin_mw, gen.cost_at_pmin}};
  double p = gen.pmin_mw, c = gen.cost_at_pmin;
  for (const auto& s : gen.segments) {
    if (s.width_mw <= 0.0) continue;
    p += s.width_mw;
    c += s.width_mw * s.marginal_cost;
    pts.emplace_back(p, c);
  }
  if (pts.size() == 1)
    pts.emplace_back(
        gen.pmin_mw + 1.0,
        gen.cost_at_pmin + (gen.segments.empty() ? 0.0 : gen.segments.front().marginal_cost));
  return pts;
}

}  // namespace mfgrid
