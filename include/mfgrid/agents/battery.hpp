// One period of a household battery, shared by the rollout kernel and its tests.
#pragma once

namespace mfgrid {

// Applies the action `level` (fraction of the battery's power, < 0 discharges) for `hours`:
// charging stops at the capacity, discharging at empty. `charge` is the energy drawn from the
// house's connection, `discharge` the energy delivered to it (kWh), so that
// soc_after − soc_before = charge·η_c − discharge/η_d.
inline void battery_step(float level, float power_kw, float hours, float capacity_kwh, float eta_charge,
                         float eta_discharge, float& soc_kwh, float& charge_kwh, float& discharge_kwh) {
  const float request = level * power_kw * hours;
  const float want_charge = request > 0.0f ? request : 0.0f;
  const float want_discharge = request < 0.0f ? -request : 0.0f;
  const float room = (capacity_kwh - soc_kwh) / eta_charge;
  const float available = soc_kwh * eta_discharge;
  charge_kwh = want_charge < room ? want_charge : room;
  discharge_kwh = want_discharge < available ? want_discharge : available;
  const float next = soc_kwh + charge_kwh * eta_charge - discharge_kwh / eta_discharge;
  // Rounding can leave a few ulps outside [0, capacity].
  soc_kwh = next < 0.0f ? 0.0f : (next > capacity_kwh ? capacity_kwh : next);
}

// The state-of-charge bin (nearest of `bins` evenly spaced levels from empty to full).
inline int soc_bin(float soc_kwh, float capacity_kwh, int bins) {
  const float fraction = capacity_kwh > 0.0f ? soc_kwh / capacity_kwh : 0.0f;
  const int b = static_cast<int>(fraction * static_cast<float>(bins - 1) + 0.5f);
  return b < 0 ? 0 : (b > bins - 1 ? bins - 1 : b);
}

}  // namespace mfgrid
