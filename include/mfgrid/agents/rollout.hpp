// The one-day rollout kernel: every agent of a rank, every period of the day.
//
// For each agent and period: demand and PV with the agent's own noise, a battery action sampled
// from its class's policy π(a | soc bin, period), the physics of the battery, the net withdrawal;
// accumulated into integer statistics (DayStatistics): each thread counts its own classes straight
// into the day's, and the classes it shares with a neighbour into its own copy, added after. Agents
// are processed in tiles: a vectorised pass computes the tile's physics for all periods in 32-bit
// lanes, a scalar pass scatters the results into the 64-bit histograms. No allocation, no virtual
// call, no atomic.
//
// A household's energy in one period is held in micro-kWh in 32 bits in the tile records, which
// bounds it at 2 147 kWh; the constructor rejects classes that could come near it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "mfgrid/agents/billing.hpp"
#include "mfgrid/agents/burden_distribution.hpp"
#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/agents/planned_actions.hpp"
#include "mfgrid/agents/policy_table.hpp"
#include "mfgrid/agents/population.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {

namespace detail {
// Per-thread records of one tile of agents, period-major: [period][agent in tile].
struct TileBuffers {
  std::vector<std::uint32_t> words;   // the day's random words: [word][agent in tile]
  std::vector<std::int32_t> bin;      // (periods + 1) × tile: bin at the start of each period
  std::vector<std::int32_t> action;   // periods × tile
  std::vector<std::int32_t> energy;   // periods × tile: |net| in micro-kWh
  std::vector<std::int32_t> exports;  // periods × tile: 1 if the net was an export
  std::vector<std::int32_t> moved;    // periods × tile: micro-kWh through the battery
  std::vector<std::int32_t> peak;     // tile
  std::vector<float> soc;             // periods × tile: state of charge at the end of the period
  std::vector<float> inv_capacity;    // tile
  std::vector<float> replay_soc;      // tile: states of charge of a day replayed for its bills
  std::vector<double> day_bill;       // tile: $ of the day's bill
};
}  // namespace detail

class Rollout {
 public:
  // `sample_ids`: agents whose trajectories are recorded (sorted global ids).
  Rollout(const HouseholdModel& model, const StatisticsLayout& layout,
          std::vector<std::int64_t> sample_ids, int threads);

  int threads() const { return threads_; }

  // Simulates `day` for every agent of `population`; `out` is overwritten with the rank's sums.
  // Prosumers sample their class's policy, or follow `plans` when given.
  void run_day(Population& population, const PolicyTable& policy, const RandomStreams& streams,
               int day, std::span<const float> weather, DayStatistics& out,
               const PlannedActions* plans = nullptr);

  // Bills the day of every agent at `prices` (known once the market has cleared): the day is
  // replayed from Population::soc_at_day_start with the draws, policy and plans run_day used, each
  // agent's bill added to its Population::bill_to_date, and its burden to date counted in `out`.
  void bill_day(Population& population, const PolicyTable& policy, const RandomStreams& streams,
                int day, std::span<const float> weather, const PlannedActions* plans,
                const BillingPrices& prices, BurdenDistribution& out);

 private:
  const HouseholdModel* model_;
  const StatisticsLayout* layout_;
  std::vector<std::int64_t> samples_;
  int threads_;
  int tile_;
  std::vector<DayStatistics> thread_stats_;  // threads 1, 2, …: thread 0 counts into run_day's out
  std::vector<BurdenDistribution> thread_burden_;
  std::vector<detail::TileBuffers> tiles_;
};

}  // namespace mfgrid
