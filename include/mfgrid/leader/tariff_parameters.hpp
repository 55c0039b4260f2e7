// The leader's action θ: the learned parts of a tariff, as a point of the unit box [0, 1]^d.
//
// Learners work in normalised coordinates (so one step size fits rates in $/MWh and charges in
// $/day alike); this class maps θ to the tariff households face. Parts (tariff.learn): import
// rates, fixed charges per income group, the peak charge. Parameterisations:
//   full          one coordinate per import rate (per period, or per bus and period) and per group
//   peak-offpeak  two import levels (tariff.peak_periods and the rest) for every bus, and fixed
//                 charges as a level and a slope in income: fixed_g = level + slope·(income_g/mean
//                 − 1)
// Parts not learned stay as the scenario posts them.
#pragma once

#include <string>
#include <vector>

#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

class TariffParameters {
 public:
  explicit TariffParameters(const Scenario& scenario);

  int dimension() const { return static_cast<int>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::string>& units() const { return units_; }

  // The tariff posted for θ (clamped into the box first); for initial(), the scenario's tariff
  // exactly, whether or not the parameterisation can represent it. Both refuse (Error) a θ without
  // one value per parameter.
  PostedTariff tariff(const std::vector<double>& theta) const;
  // θ in real units ($/MWh, $/day, $/kW-day), for reports.
  std::vector<double> real_values(const std::vector<double>& theta) const;
  // The scenario's own tariff as θ (exact for `full`; levels, level and slope fitted for
  // `peak-offpeak`, exact when the scenario's tariff has that form, which validation demands of a
  // learning leader).
  const std::vector<double>& initial() const { return initial_; }

  static void project(std::vector<double>& theta);  // onto [0, 1]^d

 private:
  void require_dimension(const std::vector<double>& theta) const;

  struct Coordinate {
    enum Kind {
      import_rate,
      import_offpeak,
      import_peak,
      fixed_group,
      fixed_level,
      fixed_slope,
      peak
    } kind;
    int index = 0;  // period (bus-major for per-bus rates) or group
    double lo = 0, hi = 0;
  };
  std::vector<Coordinate> coordinates_;
  std::vector<std::string> names_, units_;
  std::vector<double> initial_;
  PostedTariff base_;
  std::vector<bool> is_peak_period_;
  std::vector<double> income_ratio_;  // income_g / mean income − 1
  Bounds fixed_bounds_;
};

}  // namespace mfgrid
