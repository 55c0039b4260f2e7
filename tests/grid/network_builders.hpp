// Small networks for market-clearing tests, with costs and limits chosen so the optimum can be
// computed by hand.
#pragma once

#include <string>
#include <vector>

#include "mfgrid/config/cost_curve.hpp"
#include "mfgrid/config/network_spec.hpp"

namespace mfgrid::testing {

inline NetworkSpec make_network(int buses, int periods = 1) {
  NetworkSpec net;
  net.periods = periods;
  for (int b = 0; b < buses; ++b)
    net.buses.push_back({"b" + std::to_string(b + 1),
                         std::vector<double>(static_cast<std::size_t>(periods), 0.0),
                         {},
                         {}});
  return net;
}

inline void add_line(NetworkSpec& net, int from, int to, double x, double limit = 0.0) {
  net.lines.push_back({net.buses[static_cast<std::size_t>(from)].name + "-" +
                           net.buses[static_cast<std::size_t>(to)].name,
                       from, to, x, limit, 0.0});
}

inline void add_generator(NetworkSpec& net, int bus, double pmin, double pmax, double cost) {
  GeneratorSpec g;
  g.name = "g" + std::to_string(net.generators.size() + 1);
  g.bus = bus;
  g.pmin_mw = pmin;
  g.pmax_mw = pmax;
  set_linear_cost(g, cost);
  net.generators.push_back(g);
}

}  // namespace mfgrid::testing
