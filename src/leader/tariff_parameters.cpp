#include "mfgrid/leader/tariff_parameters.hpp"

#include <algorithm>
#include <numeric>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

TariffParameters::TariffParameters(const Scenario& s)
    : base_(PostedTariff::from_scenario(s)), fixed_bounds_(s.tariff.fixed_bounds) {
  const TariffSpec& spec = s.tariff;
  const int T = s.time.periods, B = static_cast<int>(s.network.buses.size()),
            G = static_cast<int>(s.households.groups.size());
  is_peak_period_.assign(static_cast<std::size_t>(T), false);
  for (int p : spec.peak_periods) is_peak_period_[static_cast<std::size_t>(p)] = true;
  double mean_income = 0;
  for (const auto& g : s.households.groups) mean_income += g.income / G;
  for (const auto& g : s.households.groups) income_ratio_.push_back(g.income / mean_income - 1.0);
  const bool low = spec.parameterisation == TariffParameterisation::peak_offpeak;
  auto add = [&](Coordinate c, std::string name, std::string unit, double real) {
    coordinates_.push_back(c);
    names_.push_back(std::move(name));
    units_.push_back(std::move(unit));
    initial_.push_back(c.hi > c.lo ? std::clamp((real - c.lo) / (c.hi - c.lo), 0.0, 1.0) : 0.0);
  };
  const Bounds ib = spec.import_bounds, fb = spec.fixed_bounds, pb = spec.peak_bounds;
  if (spec.learn_import) {
    if (low) {
      double peak = 0, off = 0;
      int n_peak = 0, n_off = 0;
      for (int b = 0; b < B; ++b)
        for (int t = 0; t < T; ++t) {
          const double r = base_.import_price(b, t);
          if (is_peak_period_[static_cast<std::size_t>(t)]) {
            peak += r;
            ++n_peak;
          } else {
            off += r;
            ++n_off;
          }
        }
      add({Coordinate::import_offpeak, 0, ib.lo, ib.hi}, "import_offpeak", "$/MWh",
          n_off ? off / n_off : ib.lo);
      add({Coordinate::import_peak, 0, ib.lo, ib.hi}, "import_peak", "$/MWh",
          n_peak ? peak / n_peak : ib.lo);
    } else {
      const int n = spec.per_bus ? B * T : T;
      for (int k = 0; k < n; ++k) {
        const std::string name =
            spec.per_bus ? "import_" + s.network.buses[static_cast<std::size_t>(k / T)].name +
                               "_t" + std::to_string(k % T)
                         : "import_t" + std::to_string(k);
        add({Coordinate::import_rate, k, ib.lo, ib.hi}, name, "$/MWh",
            spec.import_rates[static_cast<std::size_t>(k)]);
      }
    }
  }
  if (spec.learn_fixed) {
    if (low) {
      const double level =
          std::accumulate(spec.fixed_charges.begin(), spec.fixed_charges.end(), 0.0) / G;
      double num = 0, den = 0;  // least-squares slope of the scenario's charges in the income ratio
      for (int g = 0; g < G; ++g) {
        num += income_ratio_[static_cast<std::size_t>(g)] *
               (spec.fixed_charges[static_cast<std::size_t>(g)] - level);
        den +=
            income_ratio_[static_cast<std::size_t>(g)] * income_ratio_[static_cast<std::size_t>(g)];
      }
      const double span = fb.hi - fb.lo;
      add({Coordinate::fixed_level, 0, fb.lo, fb.hi}, "fixed_level", "$/day", level);
      add({Coordinate::fixed_slope, 0, -span, span}, "fixed_slope", "$/day",
          den > 0 ? num / den : 0.0);
    } else {
      for (int g = 0; g < G; ++g)
        add({Coordinate::fixed_group, g, fb.lo, fb.hi},
            "fixed_" + s.households.groups[static_cast<std::size_t>(g)].name, "$/day",
            spec.fixed_charges[static_cast<std::size_t>(g)]);
    }
  }
  if (spec.learn_peak)
    add({Coordinate::peak, 0, pb.lo, pb.hi}, "peak_charge", "$/kW-day", spec.peak_charge);
}

void TariffParameters::project(std::vector<double>& theta) {
  for (double& x : theta) x = std::clamp(x, 0.0, 1.0);
}

void TariffParameters::require_dimension(const std::vector<double>& theta) const {
  if (static_cast<int>(theta.size()) != dimension())
    throw Error("tariff parameters: θ has " + std::to_string(theta.size()) +
                " coordinates, expected " + std::to_string(dimension()));
}

std::vector<double> TariffParameters::real_values(const std::vector<double>& theta) const {
  require_dimension(theta);
  std::vector<double> v;
  for (std::size_t i = 0; i < coordinates_.size(); ++i) {
    const Coordinate& c = coordinates_[i];
    v.push_back(c.lo + std::clamp(theta[i], 0.0, 1.0) * (c.hi - c.lo));
  }
  return v;
}

PostedTariff TariffParameters::tariff(const std::vector<double>& theta) const {
  require_dimension(theta);
  // θ's initial value stands for the scenario's own tariff, exactly: the fixed leader posts it on
  // every day, and a parameterisation that cannot represent it (peak-offpeak with three price
  // levels) would otherwise post its fit instead. Validation refuses such a tariff for a learning
  // leader, so for one the two differ only in rounding.
  if (theta == initial_) return base_;
  PostedTariff t = base_;
  const std::vector<double> real = real_values(theta);
  double level = 0, slope = 0;
  bool fixed_low = false;
  for (std::size_t i = 0; i < coordinates_.size(); ++i) {
    const Coordinate& c = coordinates_[i];
    switch (c.kind) {
      case Coordinate::import_rate:  // indexed as the scenario's rates: bus after bus
        t.import_rate(c.index % t.periods(), c.index / t.periods()) = real[i];
        break;
      case Coordinate::import_offpeak:
      case Coordinate::import_peak:
        for (int p = 0; p < t.periods(); ++p)
          if (is_peak_period_[static_cast<std::size_t>(p)] == (c.kind == Coordinate::import_peak))
            for (int b = 0; b < t.buses(); ++b) t.import_rate(p, b) = real[i];
        break;
      case Coordinate::fixed_group:
        t.fixed_charge[static_cast<std::size_t>(c.index)] = real[i];
        break;
      case Coordinate::fixed_level:
        level = real[i];
        fixed_low = true;
        break;
      case Coordinate::fixed_slope:
        slope = real[i];
        fixed_low = true;
        break;
      case Coordinate::peak:
        t.peak_charge = real[i];
        break;
    }
  }
  if (fixed_low)
    for (std::size_t g = 0; g < t.fixed_charge.size(); ++g)
      t.fixed_charge[g] =
          std::clamp(level + slope * income_ratio_[g], fixed_bounds_.lo, fixed_bounds_.hi);
  // With one import rate for all buses, `full` sets the first bus's rates: copy them to the rest.
  const bool shared =
      !coordinates_.empty() &&
      std::any_of(coordinates_.begin(), coordinates_.end(),
                  [](const Coordinate& c) { return c.kind == Coordinate::import_rate; });
  if (shared) {
    bool per_bus = false;
    for (const Coordinate& c : coordinates_)
      if (c.kind == Coordinate::import_rate && c.index >= t.periods()) per_bus = true;
    if (!per_bus)
      for (int p = 0; p < t.periods(); ++p)
        for (int b = 1; b < t.buses(); ++b) t.import_rate(p, b) = t.import_rate(p, 0);
  }
  return t;
}

}  // namespace mfgrid
