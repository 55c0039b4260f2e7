// Unit conventions. Internally: power in MW on the network side and kW on the household side,
// energy in kWh per household, prices in $/MWh, money in $.
#pragma once

namespace mfgrid::units {

inline constexpr double kw_per_mw = 1000.0;
inline constexpr double kwh_per_mwh = 1000.0;
inline constexpr double hours_per_day = 24.0;
inline constexpr double days_per_year = 365.0;

// $/MWh × kWh → $
constexpr double cost_of_kwh(double price_per_mwh, double kwh) {
  return price_per_mwh * kwh / kwh_per_mwh;
}

}  // namespace mfgrid::units
