// The agents a rank simulates, as a structure of arrays: 28 bytes per agent.
//
// Per-agent parameters are drawn once from the agent's own random stream (purpose
// agent_parameters), so an agent is the same household on whichever rank holds it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/agents/population_layout.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {

class Population {
 public:
  // The agents of rank `rank` of `ranks`.
  Population(const HouseholdModel& model, const PopulationLayout& layout,
             const RandomStreams& streams, int rank, int ranks);

  std::int64_t size() const { return static_cast<std::int64_t>(soc_kwh.size()); }
  const std::vector<ClassBlock>& blocks() const { return blocks_; }
  static constexpr std::size_t bytes_per_agent = 7 * sizeof(float);

  // Structure of arrays, indexed by local agent index.
  std::vector<float> soc_kwh;           // battery state of charge (0 for consumers)
  std::vector<float> pv_kw;             // rooftop PV capacity
  std::vector<float> capacity_kwh;      // battery capacity
  std::vector<float> power_kw;          // battery power limit
  std::vector<float> demand_factor;     // the agent's demand relative to its class
  std::vector<float> soc_at_day_start;  // soc_kwh before the day: its bills replay it
  std::vector<float> bill_to_date;      // $ billed since day 0 (checkpointed)

  // Local index of a global id held by this rank, or -1.
  std::int64_t local_index(std::int64_t global_id) const;

 private:
  std::vector<ClassBlock> blocks_;
};

}  // namespace mfgrid
