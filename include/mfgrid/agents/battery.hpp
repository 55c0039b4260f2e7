// One period of a household battery, shared by the rollout kernel and its tests.
#pragma once

namespace mfgrid {

// Charge and discharge efficiencies with their reciprocals (the kernel multiplies, never divides).
struct BatteryEfficiency {
  float charge = 1.0f;
  float discharge = 1.0f;
  float inv_charge = 1.0f;
  float inv_discharge = 1.0f;

  static BatteryEfficiency of(float eta_charge, float eta_discharge) {
    return {eta_charge, eta_discharge, 1.0f / eta_charge, 1.0f / eta_discharge};
  }
};

// Applies the action `level` (fraction of the battery's power, < 0 discharges) for `hours`:
// charging stops at the capacity, discharging at empty. `charge` is the energy drawn from the
// house's connection, `discharge` the energy delivered to it (kWh), so that
// soc_after − soc_before = charge·η_c − discharge/η_d (to float rounding).
inline void battery_step(float level, float power_kw, float hours, float capacity_kwh,
                         const BatteryEfficiency& eta, float& soc_kwh, float& charge_kwh,
                         float& discharge_kwh) {
  const float request = level * power_kw * hours;
  const float want_charge = request > 0.0f ? request : 0.0f;
  const float want_discharge = request < 0.0f ? -request : 0.0f;
  const float room = (capacity_kwh - soc_kwh) * eta.inv_charge;
  const float available = soc_kwh * eta.discharge;
  charge_kwh = want_charge < room ? want_charge : room;
  discharge_kwh = want_discharge < available ? want_discharge : available;
  const float next = soc_kwh + charge_kwh * eta.charge - discharge_kwh * eta.inv_discharge;
  // Rounding can leave a few ulps outside [0, capacity].
  soc_kwh = next < 0.0f ? 0.0f : (next > capacity_kwh ? capacity_kwh : next);
}

// 1 / capacity, or 0 for a household without a battery (whose state is then always bin 0).
inline float inverse_capacity(float capacity_kwh) {
  return capacity_kwh > 0.0f ? 1.0f / capacity_kwh : 0.0f;
}

// The state-of-charge bin: the nearest of `bins` evenly spaced levels from empty to full.
inline int soc_bin(float soc_kwh, float inv_capacity, int bins) {
  const int b = static_cast<int>(soc_kwh * inv_capacity * static_cast<float>(bins - 1) + 0.5f);
  return b < 0 ? 0 : (b > bins - 1 ? bins - 1 : b);
}

}  // namespace mfgrid
