// A linear model of the followers' response y (what the leader observes) to the tariff θ, as the
// model-based leaders (zo-surrogate, softmax-net) fit it from their interactions:
//   y_o(θ) = max(0, b_o + Σ_i a_oi·(θ_i − c_i)),
// stored per output o as model[o·(d + 1)] = b_o, model[o·(d + 1) + 1 + i] = a_oi, with the outputs
// in the order of flatten_response (imports, exports, peak imports). Each leader fits it its own
// way (which interactions, which weights); the layout and the prediction are shared.
#pragma once

#include <span>
#include <vector>

#include "mfgrid/agents/billing.hpp"

namespace mfgrid {

// y as one vector: its imports, then its exports, then its peak imports.
std::vector<double> flatten_response(const ClassEnergy& y);

// The model's y at θ (inputs centred at `center`), with the dimensions of `shape`. Energies are
// never negative, so the prediction is clipped at 0.
ClassEnergy linear_response(std::span<const double> model, std::span<const double> center,
                            std::span<const double> theta, const ClassEnergy& shape);

}  // namespace mfgrid
