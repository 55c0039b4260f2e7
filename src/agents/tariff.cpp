#include "mfgrid/agents/tariff.hpp"

namespace mfgrid {

PostedTariff PostedTariff::from_scenario(const Scenario& s) {
  PostedTariff t;
  const int buses = static_cast<int>(s.network.buses.size()), periods = s.time.periods;
  t.import_rate = Table2<double>(periods, buses);
  // The scenario writes per-bus rates one bus after another, shared rates once.
  for (int p = 0; p < periods; ++p)
    for (int b = 0; b < buses; ++b)
      t.import_rate(p, b) =
          s.tariff.import_rates[static_cast<std::size_t>(s.tariff.per_bus ? b * periods + p : p)];
  t.export_credit = s.tariff.export_credit;
  t.export_rate = s.tariff.export_rate;
  t.fixed_charge = s.tariff.fixed_charges;
  t.peak_charge = s.tariff.peak_charge;
  t.peak_basis = s.tariff.peak_basis;
  return t;
}

}  // namespace mfgrid
