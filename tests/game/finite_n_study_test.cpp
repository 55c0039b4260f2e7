// The finite-N study in the library: with the learned policy frozen, a population's daily state
// distributions come closer to the largest population's as it grows (the sampling error of N
// agents falls like 1/sqrt(N)), the largest is its own reference, and a scenario without a learned
// class policy is refused naming the key.
#include "mfgrid/game/finite_n_study.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/test_scenarios.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {
namespace {

Scenario at_scale(double scale) {
  return testing::small_scenario_with(
      {"time.days=10", "population.scale=" + std::to_string(scale)});
}

TEST(FiniteNStudy, LargerPopulationsComeCloserToTheLargest) {
  const Scenario base = at_scale(1.0);
  FiniteNStudy study(base, Communicator::self(), 1);
  ASSERT_GT(study.prosumers(), 0);
  study.learn(base.time.days);
  std::vector<Scenario> sized;
  for (double n : {100.0, 1600.0, 25600.0}) sized.push_back(at_scale(n / study.prosumers()));
  const std::vector<FiniteNRow> rows = study.evaluate(sized, 2, 4);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_GT(rows[0].to_largest, 2.0 * rows[1].to_largest) << "16x the agents: 1/4 the error";
  EXPECT_GT(rows[1].to_largest, 0.0);
  EXPECT_EQ(rows[2].to_largest, 0.0);
  for (const FiniteNRow& row : rows) EXPECT_GT(row.to_model, 0.0);
}

TEST(FiniteNStudy, RefusesFollowersWithoutAClassPolicy) {
  try {
    FiniteNStudy(testing::small_scenario_with({"followers.learner=optimizer"}),
                 Communicator::self(), 1);
    FAIL() << "optimizer followers were accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "followers.learner");
  }
}

}  // namespace
}  // namespace mfgrid
