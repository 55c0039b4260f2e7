// The outcome of one period's market clearing.
#pragma once

#include <vector>

namespace mfgrid {

struct MarketClearing {
  std::vector<double> lmp;                // $/MWh per bus: dual of the bus balance
  std::vector<double> dispatch_mw;        // per generator
  std::vector<double> flow_mw;            // per line, positive from `from` to `to`
  std::vector<double> line_shadow_price;  // $/MWh per line: value of 1 MW more limit (0 if slack)
  std::vector<double> shed_mw;            // per bus: load not served (priced at VoLL)
  std::vector<double> spill_mw;           // per bus: surplus energy not absorbed
  std::vector<double> angle_rad;          // per bus voltage angle
  double cost_per_hour = 0.0;             // generation + shedding + spill, $/h
  int iterations = 0;                     // simplex iterations of this clearing

  bool line_congested(std::size_t line, double limit_mw, double tol = 1e-6) const;
};

}  // namespace mfgrid
