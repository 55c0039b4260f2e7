// The dsm-community study (DESIGN.md §7): the learning-based surrogate method reaches the
// objective that plain zeroth-order descent reaches with its whole budget, using at most a fifth
// of the interactions (mean over 5 seeds). Real simulations: optimizer followers, market, bills.
#include <gtest/gtest.h>

#include <cstdio>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid {
namespace {

// Best objective so far after each interaction.
std::vector<double> best_so_far(const std::string& learner, int seed) {
  const Scenario s = load_scenario(
      "dsm-community", {"leader.learner=" + learner, "scenario.seed=" + std::to_string(seed)});
  Simulation sim(s, Communicator::self(), 2);
  std::vector<double> best;
  for (int d = 0; d < s.time.days; ++d) {
    const DayOutcome& day = sim.step();
    if (!day.leader_update) continue;
    const double j = day.leader_update->evaluation.objective;
    best.push_back(best.empty() ? j : std::min(best.back(), j));
  }
  return best;
}

TEST(DsmStudy, SurrogateReachesTheZoLevelWithAFifthOfTheInteractions) {
  double total_fraction = 0;
  const int seeds = 5;
  for (int seed = 1; seed <= seeds; ++seed) {
    const std::vector<double> zo = best_so_far("zo", seed);
    const std::vector<double> surrogate = best_so_far("zo-surrogate", seed);
    ASSERT_EQ(zo.size(), 200u);
    ASSERT_EQ(surrogate.size(), 200u);
    std::size_t needed = surrogate.size() + 1;  // not reached
    for (std::size_t k = 0; k < surrogate.size(); ++k)
      if (surrogate[k] <= zo.back()) {
        needed = k + 1;
        break;
      }
    const double fraction = static_cast<double>(needed) / static_cast<double>(zo.size());
    std::printf(
        "seed %d: zo after %zu interactions J = %.6f; zo-surrogate reaches it after %zu (%.1f %%), "
        "ends at %.6f\n",
        seed, zo.size(), zo.back(), needed, 100 * fraction, surrogate.back());
    total_fraction += fraction;
  }
  std::printf("mean fraction of zo's budget: %.3f\n", total_fraction / seeds);
  EXPECT_LE(total_fraction / seeds, 0.2);
}

}  // namespace
}  // namespace mfgrid
