// Per-agent plans for a day, for followers that decide every household's schedule exactly
// (the optimizer followers) instead of sampling a class policy.
#pragma once

#include <cstdint>
#include <vector>

namespace mfgrid {

struct PlannedActions {
  int periods = 0;
  // Per local agent and period ([agent][period]): battery energy at the house's connection, kWh
  // (> 0 charges, < 0 discharges; the battery physics still clips), and the shift of flexible
  // demand, kWh (its sum over the day is 0).
  std::vector<float> battery_kwh;
  std::vector<float> load_shift_kwh;

  void resize(std::int64_t agents, int day_periods) {
    periods = day_periods;
    battery_kwh.assign(static_cast<std::size_t>(agents) * static_cast<std::size_t>(day_periods),
                       0.0f);
    load_shift_kwh.assign(battery_kwh.size(), 0.0f);
  }
};

}  // namespace mfgrid
