// Bills, energy expenditure incidence and the utility's books for one day.
//
// Everything is computed from each class's energy per household (ClassEnergy): bills are linear
// in imports and exports, so the mean bill of a class is the bill of its mean energies — exact
// aggregates of every household's bill. ClassEnergy is also exactly what the leader observes of
// the followers (their aggregate actions).
#pragma once

#include <span>
#include <vector>

#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/agents/population_layout.hpp"
#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

// Energy per household of each class, kWh: [class][period] imports and exports, and the mean of
// each household's largest period import.
struct ClassEnergy {
  int classes = 0;
  int periods = 0;
  std::vector<double> imports;
  std::vector<double> exports;
  std::vector<double> peak_import;

  double import_kwh(int cls, int t) const {
    return imports[static_cast<std::size_t>(cls) * periods + t];
  }
  double export_kwh(int cls, int t) const {
    return exports[static_cast<std::size_t>(cls) * periods + t];
  }

  // From a day's reduced statistics (per simulated agent = per household in expectation).
  static ClassEnergy from_statistics(const PopulationLayout& layout, const DayStatistics& stats);
  // Element-wise mean of several days.
  static ClassEnergy mean(std::span<const ClassEnergy> days);
};

struct DayBills {
  std::vector<double> group_bill;  // mean bill per household of each income group, $/day
  std::vector<double> group_eei;   // energy expenditure incidence: annualised bill / income
  std::vector<double> class_bill;  // mean bill per household of each class, $/day
  double revenue = 0.0;            // Σ of every household's bill, $/day
  double energy_purchase = 0.0;    // Σ_t,b LMP × households' net withdrawal, $/day
  double revenue_adequacy = 0.0;   // revenue − energy purchase − network cost, $/day
};

// `lmp` is [period][bus] in $/MWh.
DayBills compute_bills(const Scenario& scenario, const ClassEnergy& energy,
                       const PostedTariff& tariff, std::span<const double> lmp);

// What one household of each class pays on the day, for billing every agent
// (Rollout::bill_day) as compute_bills bills each class's mean household.
struct BillingPrices {
  std::vector<double> import_price, export_price;  // $/MWh, [class][period]
  std::vector<double> peak_charge;  // $/kW of the household's own peak import (individual basis)
  std::vector<double> fixed;        // $/day: the group's charge (and a community peak's share)
  std::vector<double> burden_per_dollar;  // 365 / the group's income
  std::vector<int> group;
};

BillingPrices billing_prices(const Scenario& scenario, const ClassEnergy& energy,
                             const PostedTariff& tariff, std::span<const double> lmp);

// Households' net withdrawal per [period][bus] in MW (real households, averaged over the period).
std::vector<double> household_net_mw(const Scenario& scenario, const ClassEnergy& energy);

}  // namespace mfgrid
