#include "mfgrid/agents/population.hpp"

#include "mfgrid/config/input_limits.hpp"

namespace mfgrid {

static_assert(Population::bytes_per_agent == limits::population_bytes_per_agent,
              "the memory estimate (config/input_limits.hpp) counts Population's arrays");

Population::Population(const HouseholdModel& model, const PopulationLayout& layout,
                       const RandomStreams& streams, int rank, int ranks)
    : blocks_(layout.rank_blocks(rank, ranks)) {
  std::int64_t n = 0;
  for (const auto& b : blocks_) n += b.size;
  const auto size = static_cast<std::size_t>(n);
  soc_kwh.resize(size);
  pv_kw.resize(size);
  capacity_kwh.resize(size);
  power_kw.resize(size);
  demand_factor.resize(size);
  soc_at_day_start.resize(size);
  bill_to_date.resize(size);
  const float spread = model.parameter_spread;
  for (const auto& b : blocks_) {
    const ClassModel& c = model.classes[static_cast<std::size_t>(b.cls)];
    for (std::int64_t k = 0; k < b.size; ++k) {
      const auto i = static_cast<std::size_t>(b.local_begin + k);
      const auto id = static_cast<std::uint32_t>(b.global_begin + k);
      const auto w = streams.draw(id, 0, 0, StreamPurpose::agent_parameters);
      // Uniform factors in [1 − spread, 1 + spread]; power scales with the battery's size.
      auto factor = [&](std::uint32_t word) {
        return 1.0f + spread * (2.0f * uniform_open01(word) - 1.0f);
      };
      pv_kw[i] = c.pv_kw * factor(w[0]);
      const float battery = factor(w[1]);
      capacity_kwh[i] = c.battery_kwh * battery;
      power_kw[i] = c.battery_kw * battery;
      demand_factor[i] = factor(w[2]);
      soc_kwh[i] = c.initial_soc * capacity_kwh[i];
    }
  }
}

std::int64_t Population::local_index(std::int64_t global_id) const {
  for (const auto& b : blocks_)
    if (global_id >= b.global_begin && global_id < b.global_begin + b.size)
      return b.local_begin + (global_id - b.global_begin);
  return -1;
}

}  // namespace mfgrid
