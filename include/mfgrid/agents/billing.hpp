// Bills, energy expenditure incidence and the utility's books for one day, from the reduced
// statistics and the day's LMPs. Bills are linear in the per-class sums, so they are exact
// aggregates of every household's bill.
#pragma once

#include <span>
#include <vector>

#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/agents/population_layout.hpp"
#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

struct DayBills {
  std::vector<double> group_bill;  // mean bill per household of each income group, $/day
  std::vector<double> group_eei;   // energy expenditure incidence: annualised bill / income
  std::vector<double> class_bill;  // mean bill per household of each class, $/day
  double revenue = 0.0;            // Σ of every household's bill, $/day
  double energy_purchase = 0.0;    // Σ_t,b LMP × households' net withdrawal, $/day
  double revenue_adequacy = 0.0;   // revenue − energy purchase − network cost, $/day
};

// `lmp` is [period][bus] in $/MWh.
DayBills compute_bills(const Scenario& scenario, const PopulationLayout& layout,
                       const DayStatistics& stats, const PostedTariff& tariff,
                       std::span<const double> lmp);

// Households' net withdrawal per [period][bus] in MW (real households, averaged over the period).
std::vector<double> household_net_mw(const Scenario& scenario, const PopulationLayout& layout,
                                     const DayStatistics& stats);

}  // namespace mfgrid
