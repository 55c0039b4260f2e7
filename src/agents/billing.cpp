#include "mfgrid/agents/billing.hpp"

#include <algorithm>

#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/core/units.hpp"

namespace mfgrid {

std::vector<double> household_net_mw(const Scenario& s, const PopulationLayout& layout,
                                     const DayStatistics& stats) {
  const int periods = s.time.periods, buses = static_cast<int>(s.network.buses.size());
  const double hours = s.time.period_hours();
  std::vector<double> mw(static_cast<std::size_t>(periods) * buses, 0.0);
  for (int c = 0; c < layout.classes(); ++c) {
    const int bus = s.households.classes[static_cast<std::size_t>(c)].bus;
    for (int t = 0; t < periods; ++t) {
      const double kwh =
          from_micro_kwh(stats.class_imports(c, t) - stats.class_exports(c, t)) * layout.weight(c);
      mw[static_cast<std::size_t>(t) * buses + bus] += kwh / hours / units::kw_per_mw;
    }
  }
  return mw;
}

DayBills compute_bills(const Scenario& s, const PopulationLayout& layout,
                       const DayStatistics& stats, const PostedTariff& tariff,
                       std::span<const double> lmp) {
  const int periods = s.time.periods, buses = static_cast<int>(s.network.buses.size());
  const double hours = s.time.period_hours();
  const auto& classes = s.households.classes;
  DayBills out;
  out.class_bill.assign(classes.size(), 0.0);
  std::vector<double> group_total(s.households.groups.size(), 0.0),
      group_count(s.households.groups.size(), 0.0);

  // Community peak: the largest period net import of all households together, kW.
  double community_peak_kw = 0.0, households = 0.0;
  if (tariff.peak_basis == PeakBasis::community) {
    for (int t = 0; t < periods; ++t) {
      double kwh = 0.0;
      for (int c = 0; c < layout.classes(); ++c)
        kwh += from_micro_kwh(stats.class_imports(c, t) - stats.class_exports(c, t)) *
               layout.weight(c);
      community_peak_kw = std::max(community_peak_kw, kwh / hours);
    }
  }
  for (const auto& c : classes) households += static_cast<double>(c.count);

  for (int c = 0; c < layout.classes(); ++c) {
    const HouseholdClass& hc = classes[static_cast<std::size_t>(c)];
    const double w = layout.weight(c);
    double energy_cost = 0.0;  // $ for the real households of the class
    for (int t = 0; t < periods; ++t) {
      const double imported = from_micro_kwh(stats.class_imports(c, t)) * w;
      const double exported = from_micro_kwh(stats.class_exports(c, t)) * w;
      const double price_lmp = lmp[static_cast<std::size_t>(t) * buses + hc.bus];
      energy_cost += units::cost_of_kwh(tariff.import_price(hc.bus, t), imported) -
                     units::cost_of_kwh(tariff.export_price(hc.bus, t, price_lmp), exported);
      out.energy_purchase += units::cost_of_kwh(price_lmp, imported - exported);
    }
    const double count = static_cast<double>(hc.count);
    double peak_cost = 0.0;
    if (tariff.peak_basis == PeakBasis::individual)
      peak_cost = tariff.peak_charge * from_micro_kwh(stats.class_peak_import(c)) * w / hours;
    else
      peak_cost = tariff.peak_charge * community_peak_kw * count / households;
    const double fixed = tariff.fixed_charge[static_cast<std::size_t>(hc.group)] * count;
    const double total = energy_cost + peak_cost + fixed;
    out.class_bill[static_cast<std::size_t>(c)] = total / count;
    out.revenue += total;
    group_total[static_cast<std::size_t>(hc.group)] += total;
    group_count[static_cast<std::size_t>(hc.group)] += count;
  }
  for (std::size_t g = 0; g < group_total.size(); ++g) {
    const double bill = group_count[g] > 0 ? group_total[g] / group_count[g] : 0.0;
    out.group_bill.push_back(bill);
    out.group_eei.push_back(bill * units::days_per_year / s.households.groups[g].income);
  }
  out.revenue_adequacy = out.revenue - out.energy_purchase - s.tariff.network_cost;
  return out;
}

}  // namespace mfgrid
