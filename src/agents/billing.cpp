#include "mfgrid/agents/billing.hpp"

#include <algorithm>

#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/core/units.hpp"

namespace mfgrid {

ClassEnergy ClassEnergy::from_statistics(const PopulationLayout& layout,
                                         const DayStatistics& stats) {
  ClassEnergy e;
  e.classes = layout.classes();
  e.periods = stats.layout().periods();
  const auto cells = static_cast<std::size_t>(e.classes) * static_cast<std::size_t>(e.periods);
  e.imports.assign(cells, 0.0);
  e.exports.assign(cells, 0.0);
  e.peak_import.assign(static_cast<std::size_t>(e.classes), 0.0);
  for (int c = 0; c < e.classes; ++c) {
    const auto n = static_cast<double>(layout.simulated(c));
    for (int t = 0; t < e.periods; ++t) {
      const std::size_t i = static_cast<std::size_t>(c) * static_cast<std::size_t>(e.periods) +
                            static_cast<std::size_t>(t);
      e.imports[i] = from_micro_kwh(stats.class_imports(c, t)) / n;
      e.exports[i] = from_micro_kwh(stats.class_exports(c, t)) / n;
    }
    e.peak_import[static_cast<std::size_t>(c)] = from_micro_kwh(stats.class_peak_import(c)) / n;
  }
  return e;
}

ClassEnergy ClassEnergy::mean(std::span<const ClassEnergy> days) {
  ClassEnergy m = days.front();
  for (std::size_t d = 1; d < days.size(); ++d) {
    for (std::size_t i = 0; i < m.imports.size(); ++i) {
      m.imports[i] += days[d].imports[i];
      m.exports[i] += days[d].exports[i];
    }
    for (std::size_t c = 0; c < m.peak_import.size(); ++c)
      m.peak_import[c] += days[d].peak_import[c];
  }
  const auto n = static_cast<double>(days.size());
  for (double& x : m.imports) x /= n;
  for (double& x : m.exports) x /= n;
  for (double& x : m.peak_import) x /= n;
  return m;
}

std::vector<double> household_net_mw(const Scenario& s, const ClassEnergy& e) {
  const int periods = s.time.periods, buses = static_cast<int>(s.network.buses.size());
  const double hours = s.time.period_hours();
  std::vector<double> mw(static_cast<std::size_t>(periods) * buses, 0.0);
  for (int c = 0; c < e.classes; ++c) {
    const HouseholdClass& hc = s.households.classes[static_cast<std::size_t>(c)];
    for (int t = 0; t < periods; ++t)
      mw[static_cast<std::size_t>(t) * buses + hc.bus] +=
          static_cast<double>(hc.count) * (e.import_kwh(c, t) - e.export_kwh(c, t)) / hours /
          units::kw_per_mw;
  }
  return mw;
}

namespace {
double household_count(const Scenario& s) {
  double households = 0.0;
  for (const auto& c : s.households.classes) households += static_cast<double>(c.count);
  return households;
}

// Under a community peak charge, the largest period net import of all households together, kW (0
// for an individual basis); each household pays its equal share.
double community_peak_kw(const Scenario& s, const ClassEnergy& e, const PostedTariff& tariff) {
  if (tariff.peak_basis != PeakBasis::community) return 0.0;
  const auto& classes = s.households.classes;
  const double hours = s.time.period_hours();
  double community_peak_kw = 0.0;
  for (int t = 0; t < s.time.periods; ++t) {
    double kwh = 0.0;
    for (int c = 0; c < e.classes; ++c)
      kwh += static_cast<double>(classes[static_cast<std::size_t>(c)].count) *
             (e.import_kwh(c, t) - e.export_kwh(c, t));
    community_peak_kw = std::max(community_peak_kw, kwh / hours);
  }
  return community_peak_kw;
}
}  // namespace

BillingPrices billing_prices(const Scenario& s, const ClassEnergy& e, const PostedTariff& tariff,
                             std::span<const double> lmp) {
  const int periods = s.time.periods, buses = static_cast<int>(s.network.buses.size());
  const double community_kw = community_peak_kw(s, e, tariff), households = household_count(s);
  BillingPrices p;
  for (const HouseholdClass& hc : s.households.classes) {
    for (int t = 0; t < periods; ++t) {
      p.import_price.push_back(tariff.import_price(hc.bus, t));
      p.export_price.push_back(
          tariff.export_price(hc.bus, t, lmp[static_cast<std::size_t>(t) * buses + hc.bus]));
    }
    const bool individual = tariff.peak_basis == PeakBasis::individual;
    p.peak_charge.push_back(individual ? tariff.peak_charge : 0.0);
    p.fixed.push_back(tariff.fixed_charge[static_cast<std::size_t>(hc.group)] +
                      (individual ? 0.0 : tariff.peak_charge * community_kw / households));
    p.burden_per_dollar.push_back(units::days_per_year /
                                  s.households.groups[static_cast<std::size_t>(hc.group)].income);
    p.group.push_back(hc.group);
  }
  return p;
}

DayBills compute_bills(const Scenario& s, const ClassEnergy& e, const PostedTariff& tariff,
                       std::span<const double> lmp) {
  const int periods = s.time.periods, buses = static_cast<int>(s.network.buses.size());
  const double hours = s.time.period_hours();
  const auto& classes = s.households.classes;
  DayBills out;
  out.class_bill.assign(classes.size(), 0.0);
  std::vector<double> group_total(s.households.groups.size(), 0.0),
      group_count(s.households.groups.size(), 0.0);

  const double community_kw = community_peak_kw(s, e, tariff), households = household_count(s);
  for (int c = 0; c < e.classes; ++c) {
    const HouseholdClass& hc = classes[static_cast<std::size_t>(c)];
    const double count = static_cast<double>(hc.count);
    double energy = 0.0;  // $ per household
    for (int t = 0; t < periods; ++t) {
      const double price_lmp = lmp[static_cast<std::size_t>(t) * buses + hc.bus];
      energy += units::cost_of_kwh(tariff.import_price(hc.bus, t), e.import_kwh(c, t)) -
                units::cost_of_kwh(tariff.export_price(hc.bus, t, price_lmp), e.export_kwh(c, t));
      out.energy_purchase +=
          count * units::cost_of_kwh(price_lmp, e.import_kwh(c, t) - e.export_kwh(c, t));
    }
    const double peak =
        tariff.peak_basis == PeakBasis::individual
            ? tariff.peak_charge * e.peak_import[static_cast<std::size_t>(c)] / hours
            : tariff.peak_charge * community_kw / households;
    const double bill = energy + peak + tariff.fixed_charge[static_cast<std::size_t>(hc.group)];
    out.class_bill[static_cast<std::size_t>(c)] = bill;
    out.revenue += bill * count;
    group_total[static_cast<std::size_t>(hc.group)] += bill * count;
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
