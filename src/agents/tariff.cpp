#include "mfgrid/agents/tariff.hpp"

namespace mfgrid {

PostedTariff PostedTariff::from_scenario(const Scenario& s) {
  PostedTariff t;
  t.buses = static_cast<int>(s.network.buses.size());
  t.periods = s.time.periods;
  if (s.tariff.per_bus) {
    t.import_rate = s.tariff.import_rates;
  } else {
    for (int b = 0; b < t.buses; ++b)
      t.import_rate.insert(t.import_rate.end(), s.tariff.import_rates.begin(),
                           s.tariff.import_rates.end());
  }
  t.export_credit = s.tariff.export_credit;
  t.export_rate = s.tariff.export_rate;
  t.fixed_charge = s.tariff.fixed_charges;
  t.peak_charge = s.tariff.peak_charge;
  t.peak_basis = s.tariff.peak_basis;
  return t;
}

}  // namespace mfgrid
