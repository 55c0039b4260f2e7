// The tariff households face on a day: what the leader posts.
#pragma once

#include <vector>

#include "mfgrid/config/scenario.hpp"
#include "mfgrid/core/table.hpp"

namespace mfgrid {

struct PostedTariff {
  Table2<double> import_rate;  // $/MWh, [period][bus] (the LMPs' layout)
  ExportCredit export_credit = ExportCredit::net_billing;
  double export_rate = 0.0;          // $/MWh when export_credit is fixed_rate
  std::vector<double> fixed_charge;  // $/day per income group
  double peak_charge = 0.0;          // $/kW-day
  PeakBasis peak_basis = PeakBasis::individual;

  // The scenario's initial tariff.
  static PostedTariff from_scenario(const Scenario& scenario);

  int periods() const { return import_rate.rows(); }
  int buses() const { return import_rate.columns(); }
  double import_price(int bus, int period) const { return import_rate(period, bus); }
  // $/MWh credited for exports: the import rate (net metering), the bus LMP (net billing) or the
  // fixed export rate.
  double export_price(int bus, int period, double lmp) const {
    switch (export_credit) {
      case ExportCredit::net_metering:
        return import_price(bus, period);
      case ExportCredit::net_billing:
        return lmp;
      case ExportCredit::fixed_rate:
        return export_rate;
    }
    return 0.0;
  }
};

}  // namespace mfgrid
