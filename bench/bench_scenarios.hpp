// Scenarios for the benchmarks, built in code so the benchmark controls the population.
#pragma once

#include <string>

#include "mfgrid/config/scenario_loader.hpp"

namespace mfgrid::bench {

// One bus, one class of `agents` prosumers (or consumers), the default scenario's household data.
inline Scenario single_class(long long agents, bool prosumers) {
  const std::string text =
      std::string(R"(
[scenario]
name = "bench-single-class"
[time]
days = 1
periods = 8
[[network.bus]]
name = "b1"
base_load_mw = 1.0
[[network.generator]]
name = "g"
bus = "b1"
pmax_mw = 1e6
cost_per_mwh = 30.0
[households]
solar_profile = [0.0, 0.0, 0.12, 0.50, 0.60, 0.28, 0.02, 0.0]
[[households.group]]
name = "all"
income = 40000.0
[[households.class]]
name = "agents"
bus = "b1"
group = "all"
daily_kwh = 22.0
demand_shape = [0.07, 0.06, 0.12, 0.11, 0.11, 0.14, 0.23, 0.16]
)") + "kind = \"" +
      (prosumers ? "prosumer" : "consumer") + "\"\ncount = " + std::to_string(agents) + "\n" +
      (prosumers ? "pv_kw = 4.0\nbattery_kwh = 10.0\nbattery_kw = 5.0\n" : "") +
      "[tariff]\nfixed_charges = [0.0]\n";
  return parse_scenario(text, "bench-single-class");
}

}  // namespace mfgrid::bench
