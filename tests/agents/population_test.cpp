#include "mfgrid/agents/population.hpp"

#include <gtest/gtest.h>

#include <set>

#include "agents/test_scenarios.hpp"

namespace mfgrid {
namespace {

TEST(PopulationLayout, ScaleAndWeights) {
  const Scenario s = testing::small_scenario_with({"population.scale=2.5"});
  const PopulationLayout layout(s);
  EXPECT_EQ(layout.simulated(0), 250);
  EXPECT_EQ(layout.simulated(1), 125);
  EXPECT_EQ(layout.total(), 375);
  EXPECT_DOUBLE_EQ(layout.weight(0), 0.4);  // real households per simulated agent
  EXPECT_EQ(layout.first_id(1), 250);
  EXPECT_EQ(layout.class_of(249), 0);
  EXPECT_EQ(layout.class_of(250), 1);
}

TEST(PopulationLayout, RanksAndThreadsCoverEveryAgentOnceWithEvenShares) {
  const Scenario s = testing::small_scenario_with({"population.scale=3.33"});
  const PopulationLayout layout(s);
  for (int ranks : {1, 2, 3, 7}) {
    std::set<std::int64_t> seen;
    for (int r = 0; r < ranks; ++r) {
      const auto blocks = layout.rank_blocks(r, ranks);
      for (const auto& b : blocks) {
        // Every rank holds a balanced share of every class.
        EXPECT_LE(std::abs(b.size - layout.simulated(b.cls) / ranks), 1);
        for (int threads : {1, 2, 3}) {
          std::int64_t covered = 0;
          for (int t = 0; t < threads; ++t)
            for (const auto& tb : thread_blocks(blocks, t, threads))
              if (tb.cls == b.cls) covered += tb.size;
          EXPECT_EQ(covered, b.size);
        }
        for (std::int64_t k = 0; k < b.size; ++k)
          EXPECT_TRUE(seen.insert(b.global_begin + k).second);
      }
    }
    EXPECT_EQ(static_cast<std::int64_t>(seen.size()), layout.total());
  }
}

TEST(Population, AgentsAreTheSameHouseholdsOnAnyRank) {
  const Scenario s = testing::small_scenario_with();
  const HouseholdModel model = HouseholdModel::from_scenario(s);
  const PopulationLayout layout(s);
  const RandomStreams streams(s.seed);
  const Population whole(model, layout, streams, 0, 1);
  EXPECT_EQ(whole.size(), layout.total());
  for (int r = 0; r < 3; ++r) {
    const Population part(model, layout, streams, r, 3);
    for (const auto& b : part.blocks())
      for (std::int64_t k = 0; k < b.size; ++k) {
        const auto i = static_cast<std::size_t>(b.local_begin + k);
        const auto j = static_cast<std::size_t>(whole.local_index(b.global_begin + k));
        EXPECT_EQ(part.pv_kw[i], whole.pv_kw[j]);
        EXPECT_EQ(part.capacity_kwh[i], whole.capacity_kwh[j]);
        EXPECT_EQ(part.demand_factor[i], whole.demand_factor[j]);
      }
  }
}

TEST(Population, ParametersStayWithinTheSpread) {
  const Scenario s =
      testing::small_scenario_with({"households.parameter_spread=0.2", "population.scale=10"});
  const HouseholdModel model = HouseholdModel::from_scenario(s);
  const Population pop(model, PopulationLayout(s), RandomStreams(5), 0, 1);
  for (const auto& b : pop.blocks()) {
    const ClassModel& c = model.classes[static_cast<std::size_t>(b.cls)];
    double mean = 0;
    for (std::int64_t k = 0; k < b.size; ++k) {
      const auto i = static_cast<std::size_t>(b.local_begin + k);
      EXPECT_GE(pop.demand_factor[i], 0.8f);
      EXPECT_LE(pop.demand_factor[i], 1.2f);
      EXPECT_NEAR(pop.pv_kw[i], c.pv_kw, 0.2 * c.pv_kw + 1e-6);
      EXPECT_FLOAT_EQ(pop.soc_kwh[i], c.initial_soc * pop.capacity_kwh[i]);
      mean += pop.demand_factor[i];
    }
    EXPECT_NEAR(mean / static_cast<double>(b.size), 1.0, 0.02);
  }
  EXPECT_LE(Population::bytes_per_agent, 32u);
}

}  // namespace
}  // namespace mfgrid
