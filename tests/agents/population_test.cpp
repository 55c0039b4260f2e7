#include "mfgrid/agents/population.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

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

// The cost of a list of blocks' days, each block's overhead counted once.
std::int64_t cost_of(const std::vector<ClassBlock>& blocks) {
  std::int64_t cost = 0;
  for (const auto& b : blocks) cost += b.overhead + b.cost * b.size;
  return cost;
}

// A part's cost is its share to within one agent and the overheads of the classes at its ends (a
// class cut between two parts costs both its overhead).
constexpr std::int64_t share_tolerance = agent_cost(HouseholdKind::prosumer) + 2 * class_overhead;

TEST(PopulationLayout, RanksAndThreadsCoverEveryAgentOnceWithEvenCosts) {
  const Scenario s = testing::small_scenario_with({"population.scale=3.33"});
  const PopulationLayout layout(s);
  const std::int64_t total_cost = cost_of(layout.rank_blocks(0, 1));
  EXPECT_GT(total_cost, 2 * layout.total());  // the prosumers count for more
  for (int ranks : {1, 2, 3, 7, 1000}) {
    std::int64_t next_id = 0;
    for (int r = 0; r < ranks; ++r) {
      const auto blocks = layout.rank_blocks(r, ranks);
      // An even share of the cost, to one agent's cost.
      EXPECT_LE(std::abs(cost_of(blocks) - total_cost / ranks), share_tolerance);
      std::int64_t local = 0;
      for (const auto& b : blocks) {
        // Contiguous ids in order across the ranks, packed local indices, within the class.
        EXPECT_GT(b.size, 0);
        EXPECT_EQ(b.global_begin, next_id);
        EXPECT_EQ(b.local_begin, local);
        EXPECT_EQ(layout.class_of(b.global_begin), b.cls);
        EXPECT_EQ(layout.class_of(b.global_begin + b.size - 1), b.cls);
        next_id += b.size;
        local += b.size;
      }
      for (int threads : {1, 2, 3, 16}) {
        std::int64_t next_local = 0;
        for (int t = 0; t < threads; ++t) {
          const auto mine = thread_blocks(blocks, t, threads);
          EXPECT_LE(std::abs(cost_of(mine) - cost_of(blocks) / threads), share_tolerance);
          for (const auto& tb : mine) {
            EXPECT_EQ(tb.local_begin, next_local);
            next_local += tb.size;
          }
        }
        EXPECT_EQ(next_local, local);
      }
    }
    EXPECT_EQ(next_id, layout.total());
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
