// Per-agent plans for a day, for followers that decide every household's schedule exactly
// (the optimizer followers) instead of sampling a class policy.
#pragma once

#include <cstdint>
#include <limits>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/table.hpp"

namespace mfgrid {

struct PlannedActions {
  // Per period and local agent ([period][agent]: the rollout reads one period of a tile of agents
  // at a time, contiguously): battery energy at the house's connection, kWh (> 0 charges, < 0
  // discharges; the battery physics still clips), and the shift of flexible demand, kWh (its sum
  // over the day is 0).
  Table2<float> battery_kwh;
  Table2<float> load_shift_kwh;

  int periods() const { return battery_kwh.rows(); }
  std::int64_t agents() const { return battery_kwh.columns(); }

  void resize(std::int64_t agents, int day_periods) {
    if (agents > std::numeric_limits<int>::max())
      throw Error("per-agent plans: " + std::to_string(agents) +
                  " agents on one rank; plans hold at most 2^31 − 1 (use more ranks)");
    battery_kwh = Table2<float>(day_periods, static_cast<int>(agents));
    load_shift_kwh = Table2<float>(day_periods, static_cast<int>(agents));
  }
};

}  // namespace mfgrid
