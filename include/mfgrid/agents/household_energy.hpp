// A household's demand and PV in one period: the one definition shared by the rollout kernel and
// by everything that must see the same numbers (the optimising followers' plans, exploitability).
#pragma once

#include <cstdint>
#include <span>

#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/agents/population.hpp"
#include "mfgrid/core/fast_math.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {

// Words an agent draws per period from its day stream (see RandomStreams).
inline constexpr int prosumer_words_per_period = 3;  // a normal pair (demand, PV), an action draw
inline constexpr int consumer_words_per_period = 2;  // a normal pair

struct EnergyInputs {
  float demand_mean;  // the class's mean demand in the period, kWh
  float pv_energy;    // kWh per kW of PV in the period (capacity factor × weather × hours)
  float sd_demand;
  float sd_pv;
};

inline EnergyInputs energy_inputs(const HouseholdModel& m, const ClassModel& cls, float weather,
                                  int period) {
  return {cls.demand_kwh[static_cast<std::size_t>(period)],
          m.solar[static_cast<std::size_t>(period)] * weather * m.period_hours, m.demand_noise,
          m.pv_noise};
}

// Demand and PV (kWh) from the period's two noise words and the agent's parameters.
inline void demand_and_pv(const EnergyInputs& e, std::uint32_t w_demand, std::uint32_t w_pv,
                          float demand_factor, float pv_kw, float& demand, float& pv) {
  float z_demand, z_pv;
  fast_math::normal_pair(uniform_open01(w_demand), uniform_open01(w_pv), z_demand, z_pv);
  const float noise_d = 1.0f + e.sd_demand * z_demand;
  const float noise_pv = 1.0f + e.sd_pv * z_pv;
  demand = demand_factor * e.demand_mean * (noise_d > 0.0f ? noise_d : 0.0f);
  pv = pv_kw * e.pv_energy * (noise_pv > 0.0f ? noise_pv : 0.0f);
}

// The day's demand and PV of one agent (local index `local`, global id `id`), period by period,
// exactly as the rollout kernel computes them; also its action draws (prosumers).
void agent_day_energy(const HouseholdModel& model, const RandomStreams& streams,
                      const Population& population, int cls, std::int64_t local, std::int64_t id,
                      int day, std::span<const float> weather, std::span<float> demand,
                      std::span<float> pv);

}  // namespace mfgrid
