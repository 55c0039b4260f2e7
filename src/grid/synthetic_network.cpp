#include "mfgrid/grid/synthetic_network.hpp"

#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "mfgrid/config/cost_curve.hpp"

namespace mfgrid {

NetworkSpec make_synthetic_network(int buses, int periods, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  NetworkSpec net;
  net.periods = periods;
  net.base_mva = 100.0;
  double total_peak = 0.0;
  for (int b = 0; b < buses; ++b) {
    BusSpec bus{"b" + std::to_string(b + 1), {}, {}, {}};
    const double peak = 20.0 + 100.0 * u(rng);
    for (int t = 0; t < periods; ++t) {
      // Evening-peaking daily profile between 55 % and 100 % of the bus's peak.
      const double phase = 2.0 * std::numbers::pi * ((t + 0.5) / periods - 0.8);
      bus.base_load_mw.push_back(peak * (0.775 + 0.225 * std::cos(phase)));
    }
    total_peak += peak;
    net.buses.push_back(std::move(bus));
  }
  auto add_line = [&](int f, int t) {
    LineSpec line;
    line.name = net.buses[static_cast<std::size_t>(f)].name + "-" +
                net.buses[static_cast<std::size_t>(t)].name;
    line.from = f;
    line.to = t;
    line.reactance_pu = 0.02 + 0.1 * u(rng);
    line.limit_mw = u(rng) < 0.2 ? 60.0 + 120.0 * u(rng) : 0.0;
    net.lines.push_back(line);
  };
  for (int b = 0; b < buses; ++b) add_line(b, (b + 1) % buses);
  for (int k = 0; k < buses / 2; ++k) {
    const int f = static_cast<int>(u(rng) * buses), t = static_cast<int>(u(rng) * buses);
    if (f != t) add_line(f, t);
  }
  const int n_gen = std::max(1, buses / 4);
  for (int k = 0; k < n_gen; ++k) {
    GeneratorSpec g;
    g.name = "g" + std::to_string(k + 1);
    g.bus = (4 * k) % buses;
    g.pmin_mw = 0.0;
    g.pmax_mw = 1.6 * total_peak / n_gen;
    const double c1 = 10.0 + 110.0 * k / std::max(1, n_gen - 1);
    const double coefficients[] = {0.002 * c1, c1, 0.0};
    set_polynomial_cost(g, coefficients, 4);
    net.generators.push_back(std::move(g));
  }
  return net;
}

}  // namespace mfgrid
