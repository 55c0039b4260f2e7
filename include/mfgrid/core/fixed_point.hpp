// Fixed-point energy: sums of energies are kept in 64-bit integers of micro-kWh, so they are
// exact and independent of the order in which threads and ranks add them.
#pragma once

#include <cmath>
#include <cstdint>

namespace mfgrid {

inline constexpr double micro_kwh_per_kwh = 1e6;

// Rounds to the nearest micro-kWh (ties to even). Per-agent energies are below 10^12 kWh.
inline std::int64_t to_micro_kwh(double kwh) {
  return static_cast<std::int64_t>(std::nearbyint(kwh * micro_kwh_per_kwh));
}
inline double from_micro_kwh(std::int64_t micro) {
  return static_cast<double>(micro) / micro_kwh_per_kwh;
}

}  // namespace mfgrid
