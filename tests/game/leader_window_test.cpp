// The leader's interaction windows: after leader.warmup_days, every K_L days, and J of a window is
// the objective of its days' mean response under their mean exogenous load.
#include <gtest/gtest.h>

#include <vector>

#include "agents/test_scenarios.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/leader/leader_objective.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {
namespace {

TEST(LeaderWindow, StartsAfterTheWarmUpAndEvaluatesItsDaysUnderTheirLoad) {
  const Scenario s = testing::small_scenario_with(
      {"time.days=9", "leader.warmup_days=3", "leader.update_every_days=2", "network.load_sd=0.2",
       "network.load_season=0.3"});
  Simulation sim(s, Communicator::self(), 1);
  std::vector<DayOutcome> days;
  std::vector<int> update_days;
  for (int d = 0; d < s.time.days; ++d) {
    days.push_back(sim.step());
    if (days.back().leader_update) update_days.push_back(d);
  }
  EXPECT_EQ(update_days, (std::vector<int>{4, 6, 8}));  // windows {3, 4}, {5, 6}, {7, 8}
  ASSERT_EQ(sim.leader_history().size(), 3u);

  const TariffParameters parameters(s);
  LeaderObjective objective(s, parameters);
  for (std::size_t k = 0; k < 3; ++k) {
    const DayOutcome &a = days[3 + 2 * k], &b = days[4 + 2 * k];
    std::vector<double> load(a.load_factor.size());
    for (std::size_t i = 0; i < load.size(); ++i)
      load[i] = a.load_factor[i] / 2 + b.load_factor[i] / 2;
    EXPECT_NE(load[0], 1.0);
    std::vector<double> exogenous;  // periods × buses
    for (int t = 0; t < s.time.periods; ++t)
      for (std::size_t i = 0; i < load.size(); ++i)
        exogenous.push_back(s.network.buses[i].base_load_mw[static_cast<std::size_t>(t)] * load[i]);
    objective.set_exogenous_load(exogenous);
    const std::vector<ClassEnergy> window{a.energy, b.energy};
    const LeaderUpdate& u = sim.leader_history()[k];
    EXPECT_EQ(u.day, static_cast<int>(4 + 2 * k));
    EXPECT_DOUBLE_EQ(u.evaluation.objective,
                     objective.evaluate(u.theta, ClassEnergy::mean(window)).objective)
        << "interaction " << k + 1;
  }
}

}  // namespace
}  // namespace mfgrid
