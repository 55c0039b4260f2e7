#include "mfgrid/core/numeric_guards.hpp"

#include <cmath>
#include <cstdio>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

[[noreturn]] void fail(int day, const std::string& what, const std::string& detail) {
  throw NumericError("numeric check failed after day " + std::to_string(day) + ": " + what + ": " +
                     detail);
}

}  // namespace

void require_finite(std::span<const double> values, int day, const std::string& what) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail(day, what, "element " + std::to_string(i) + " is " + number(values[i]));
}

void require_within(std::span<const double> values, double lo, double hi, int day,
                    const std::string& what) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!(values[i] >= lo && values[i] <= hi))
      fail(day, what,
           "element " + std::to_string(i) + " is " + number(values[i]) + ", outside [" +
               number(lo) + ", " + number(hi) + "]");
}

bool is_distribution(std::span<const double> p, double tolerance) {
  double sum = 0;
  for (const double v : p) {
    if (!(v >= 0.0 && v <= 1.0)) return false;
    sum += v;
  }
  return std::abs(sum - 1.0) <= tolerance;
}

void require_distribution(std::span<const double> p, double tolerance, int day,
                          const std::string& what, const std::string& where) {
  if (is_distribution(p, tolerance)) return;
  double sum = 0;
  for (std::size_t a = 0; a < p.size(); ++a) {
    if (!(p[a] >= 0.0 && p[a] <= 1.0))
      fail(day, what, where + ": probability " + std::to_string(a) + " is " + number(p[a]));
    sum += p[a];
  }
  fail(day, what, where + ": probabilities sum to " + number(sum));
}

}  // namespace mfgrid
