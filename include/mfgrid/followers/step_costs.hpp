// What a step costs an aggregator's member: the bill for the period's imports and exports at the
// posted tariff and the given prices, plus battery wear. Rewards are the negated costs.
#pragma once

#include <span>
#include <vector>

#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/meanfield/empirical_model.hpp"

namespace mfgrid {

// $ per member for each [t][s][a] of the class's MDP. `lmp` is [t][bus] ($/MWh), used for exports
// under net billing; `degradation_cost` is $ per kWh moved through the battery.
std::vector<double> step_costs(const ClassMdp& mdp, const PostedTariff& tariff, int bus,
                               std::span<const double> lmp, double degradation_cost);

}  // namespace mfgrid
