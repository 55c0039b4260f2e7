// Synthetic transmission networks of any size, for benchmarks and scaling tests: a meshed grid
// with realistic reactances, some limited lines, and a merit order of generators.
#pragma once

#include <cstdint>

#include "mfgrid/config/network_spec.hpp"

namespace mfgrid {

// `buses` buses in a ring with random chords (about 1.5 lines per bus), a generator on every
// fourth bus with costs from 10 to 120 $/MWh, base loads of 20–120 MW with a daily profile
// over `periods`, and one line in five limited so that some congest at peak. Deterministic in
// `seed`.
NetworkSpec make_synthetic_network(int buses, int periods = 8, std::uint64_t seed = 1);

}  // namespace mfgrid
