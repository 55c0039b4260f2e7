// Mean-field distributions μ_c(s, t): the share of a class's members in each state-of-charge bin
// at the start of each period.
#pragma once

#include <span>
#include <vector>

#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/meanfield/empirical_model.hpp"

namespace mfgrid {

// The observed distribution of a day: [t][s], each period summing to 1.
std::vector<double> observed_distribution(const DayStatistics& day, int cls);

// The distribution a policy generates in the model: the periodic stationary distribution of the
// chain μ_{t+1}(s') = Σ_{s,a} μ_t(s) π_t(a|s) P_t(s'|s,a), periodic over the day. `policy` is
// [t][s][a]; `start` (optional) is a guess for μ_0. Returns [t][s].
std::vector<double> stationary_distribution(const ClassMdp& mdp, std::span<const double> policy,
                                            std::span<const double> start = {},
                                            double tolerance = 1e-12, int max_days = 100000);

// Σ |a − b|
double l1_distance(std::span<const double> a, std::span<const double> b);

}  // namespace mfgrid
