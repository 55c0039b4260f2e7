// Generator cost curves, converted to the convex piecewise-linear form the LP market uses.
//
// Every setter also checks what the LP will see: [pmin, pmax] finite and within
// ±limits::max_power_mw, every marginal cost finite and within ±limits::max_cost_per_mwh (CLP
// aborts on huge objective coefficients), and throws std::invalid_argument otherwise.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "mfgrid/config/network_spec.hpp"

namespace mfgrid {

// Polynomial cost C(p) = Σ c_k p^k ($/h), coefficients highest order first (MATPOWER order),
// approximated by `segments` equal-width pieces over [pmin, pmax], exact at the breakpoints.
// Throws std::invalid_argument when the curve is not convex on [pmin, pmax].
void set_polynomial_cost(GeneratorSpec& gen, std::span<const double> coefficients, int segments);

// Piecewise-linear cost through the points (p MW, C $/h), p strictly increasing, covering
// [pmin, pmax]. Throws std::invalid_argument when the points do not cover the range or the
// curve is not convex (marginal costs must not decrease).
void set_piecewise_cost(GeneratorSpec& gen, std::span<const std::pair<double, double>> points);

// Linear cost: `marginal_cost` $/MWh for every MW.
void set_linear_cost(GeneratorSpec& gen, double marginal_cost);

// Throws std::invalid_argument unless every factor of gen.cost_profile is finite and >= 0 and
// keeps every marginal cost times the factor within ±limits::max_cost_per_mwh.
void check_cost_profile(const GeneratorSpec& gen);

// The generator's cost ($/h) at output p within [pmin, pmax], from its segments.
double generator_cost(const GeneratorSpec& gen, double p_mw);

// The breakpoints (p, C) of the generator's piecewise-linear cost, from pmin to pmax.
std::vector<std::pair<double, double>> cost_points(const GeneratorSpec& gen);

}  // namespace mfgrid
