// The aggregators' empirical model of their members' dynamics, estimated from the population.
//
// Transition counts and per-step energies per (class, period, state-of-charge bin, action) are
// physics — demand, PV, the battery — and do not depend on the policy that chose the action, so
// they are accumulated over every simulated day: the estimate sharpens as the run goes on. Prices
// do depend on everyone's behaviour (the mean-field coupling); they are applied separately.
#pragma once

#include <cstdint>
#include <vector>

#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/agents/household_model.hpp"

namespace mfgrid {

class EmpiricalModel {
 public:
  explicit EmpiricalModel(const StatisticsLayout& layout);

  // Adds a day's reduced statistics (the per-cell sections; recorded agents are not part of it).
  void add(const DayStatistics& day);
  std::int64_t days() const { return days_; }
  const DayStatistics& totals() const { return totals_; }
  DayStatistics& totals() { return totals_; }
  void set_days(std::int64_t days) { days_ = days; }
  const StatisticsLayout& layout() const { return *layout_; }

 private:
  const StatisticsLayout* layout_;
  DayStatistics totals_;
  std::int64_t days_ = 0;
};

// One prosumer class's MDP: state (bin, period), periodic in the day; expected per-member energies
// and transition probabilities, each a blend of the observed visits and `prior` pseudo-visits at
// what the class's mean household would do (the physics with mean parameters, demand and PV).
struct ClassMdp {
  int periods = 0, bins = 0, actions = 0;
  std::vector<double> transition;    // [t][s][a][s'] probabilities
  std::vector<double> imports;       // [t][s][a] kWh per member and step
  std::vector<double> exports;       // [t][s][a]
  std::vector<double> moved;         // [t][s][a] kWh through the battery
  std::vector<std::int64_t> visits;  // [t][s][a] observed

  std::size_t cell(int t, int s, int a) const {
    return (static_cast<std::size_t>(t) * bins + static_cast<std::size_t>(s)) * actions +
           static_cast<std::size_t>(a);
  }
};

ClassMdp build_class_mdp(const EmpiricalModel& model, const HouseholdModel& households, int cls,
                         double prior);

}  // namespace mfgrid
