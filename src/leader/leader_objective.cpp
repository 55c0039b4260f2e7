#include "mfgrid/leader/leader_objective.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/grid/dc_opf.hpp"
#include "mfgrid/parallel/collective_step.hpp"

namespace mfgrid {

double inequality(InequalityMeasure measure, const std::vector<double>& eei,
                  const std::vector<double>& weights) {
  if (eei.empty()) return 0.0;
  double total = 0, mean = 0;
  for (std::size_t g = 0; g < eei.size(); ++g) {
    total += weights[g];
    mean += weights[g] * eei[g];
  }
  mean /= total;
  switch (measure) {
    case InequalityMeasure::gap:
      return *std::max_element(eei.begin(), eei.end()) - *std::min_element(eei.begin(), eei.end());
    case InequalityMeasure::variance: {
      double v = 0;
      for (std::size_t g = 0; g < eei.size(); ++g)
        v += weights[g] * (eei[g] - mean) * (eei[g] - mean);
      return v / total;
    }
    case InequalityMeasure::gini: {
      double d = 0;
      for (std::size_t i = 0; i < eei.size(); ++i)
        for (std::size_t j = 0; j < eei.size(); ++j)
          d += weights[i] * weights[j] * std::abs(eei[i] - eei[j]);
      return mean > 0 ? d / (2.0 * total * total * mean) : 0.0;
    }
  }
  return 0.0;
}

namespace {
// What the leader may know of the scenario: its grid, its tariff rules and objective, and of the
// households only where they are, how many, and their income group. Their costs, batteries, PV and
// learning are removed, so nothing the leader computes can depend on them.
Scenario leader_view(const Scenario& s) {
  Scenario v = s;
  v.followers = FollowerSpec{};
  for (HouseholdClass& c : v.households.classes) {
    c.pv_kw = c.battery_kwh = c.battery_kw = 0.0;
    c.eta_charge = c.eta_discharge = 1.0;
    c.daily_kwh = 0.0;
    std::fill(c.demand_shape.begin(), c.demand_shape.end(), 0.0);
    c.demand_series = DailySeries{};
  }
  return v;
}
}  // namespace

struct LeaderObjective::Impl {
  Scenario scenario;
  const TariffParameters* parameters;
  mutable DcOpf market;
  std::vector<unsigned char> canonical_basis;  // every evaluation starts here: a pure function
  std::vector<double> group_weight;
  std::vector<double> exogenous_mw;  // periods × buses: the conditions of the window last observed
  std::optional<Communicator> ranks;  // what objectives() deals its evaluations to
  Impl(const Scenario& s, const TariffParameters& p)
      : scenario(leader_view(s)), parameters(&p), market(s.network) {
    for (int t = 0; t < s.time.periods; ++t)
      for (const BusSpec& bus : s.network.buses)
        exogenous_mw.push_back(bus.base_load_mw[static_cast<std::size_t>(t)]);
    market.clear_base_load(0);
    canonical_basis = market.basis();
    group_weight = group_weights(s);
  }
};

std::vector<double> group_weights(const Scenario& s) {
  std::vector<double> w(s.households.groups.size(), 0.0);
  for (const auto& c : s.households.classes)
    w[static_cast<std::size_t>(c.group)] += static_cast<double>(c.count);
  return w;
}

LeaderObjective::LeaderObjective(const Scenario& scenario, const TariffParameters& parameters)
    : impl_(std::make_unique<Impl>(scenario, parameters)) {}
LeaderObjective::~LeaderObjective() = default;
LeaderObjective::LeaderObjective(LeaderObjective&&) noexcept = default;
LeaderObjective& LeaderObjective::operator=(LeaderObjective&&) noexcept = default;

std::vector<double> ObjectiveModel::objectives(std::span<const std::vector<double>> thetas,
                                               std::span<const ClassEnergy> responses) const {
  if (thetas.size() != responses.size())
    throw Error("leader objective: " + std::to_string(thetas.size()) + " tariffs and " +
                std::to_string(responses.size()) + " responses");
  std::vector<double> values;
  values.reserve(thetas.size());
  for (std::size_t i = 0; i < thetas.size(); ++i)
    values.push_back(objective(thetas[i], responses[i]));
  return values;
}

void LeaderObjective::spread_over(const Communicator& comm) { impl_->ranks = comm; }

std::vector<double> LeaderObjective::objectives(std::span<const std::vector<double>> thetas,
                                                std::span<const ClassEnergy> responses) const {
  if (!impl_->ranks || impl_->ranks->size() == 1 || thetas.size() != responses.size())
    return ObjectiveModel::objectives(thetas, responses);
  const Communicator& comm = *impl_->ranks;
  const auto ranks = static_cast<std::size_t>(comm.size());
  std::vector<double> mine;
  // A failed clearing on one rank stops every rank with its message, as it would undealt.
  collectively(comm, [&] {
    for (std::size_t i = static_cast<std::size_t>(comm.rank()); i < thetas.size(); i += ranks)
      mine.push_back(evaluate(thetas[i], responses[i]).objective);
  });
  std::vector<int> counts;
  const std::vector<double> all = comm.gather_to_all(mine, counts);
  std::vector<std::size_t> first(ranks, 0);  // where each rank's values start in `all`
  for (std::size_t r = 1; r < ranks; ++r)
    first[r] = first[r - 1] + static_cast<std::size_t>(counts[r - 1]);
  std::vector<double> values(thetas.size());
  for (std::size_t i = 0; i < thetas.size(); ++i) values[i] = all[first[i % ranks] + i / ranks];
  return values;
}

void LeaderObjective::set_exogenous_load(std::span<const double> mw_per_period_and_bus) {
  if (mw_per_period_and_bus.size() != impl_->exogenous_mw.size())
    throw Error("leader objective: " + std::to_string(mw_per_period_and_bus.size()) +
                " exogenous loads for " + std::to_string(impl_->exogenous_mw.size()) +
                " (periods × buses)");
  impl_->exogenous_mw.assign(mw_per_period_and_bus.begin(), mw_per_period_and_bus.end());
}

void LeaderObjective::set_cost_factors(std::span<const double> factor_per_period_and_generator) {
  impl_->market.set_cost_factors(factor_per_period_and_generator);
}

LeaderEvaluation LeaderObjective::evaluate(const std::vector<double>& theta,
                                           const ClassEnergy& y) const {
  const Scenario& s = impl_->scenario;
  const LeaderSpec& w = s.leader;
  const NetworkSpec& net = s.network;
  const std::size_t periods = static_cast<std::size_t>(s.time.periods), buses = net.buses.size();
  const double hours = s.time.period_hours();
  LeaderEvaluation out;
  const PostedTariff tariff = impl_->parameters->tariff(theta);
  const std::vector<double> households = household_net_mw(s, y);
  out.lmp.assign(periods * buses, 0.0);
  std::vector<double> demand(buses);
  // The same starting basis every time, so J(θ, y) does not depend on what was evaluated before
  // (and a resumed run evaluates exactly as an uninterrupted one).
  impl_->market.set_basis(impl_->canonical_basis);
  for (std::size_t t = 0; t < periods; ++t) {
    double total = 0;
    for (std::size_t b = 0; b < buses; ++b) {
      demand[b] = impl_->exogenous_mw[t * buses + b] + households[t * buses + b];
      total += households[t * buses + b];
    }
    const MarketClearing& r = impl_->market.clear(static_cast<int>(t), demand);
    std::copy(r.lmp.begin(), r.lmp.end(), out.lmp.begin() + static_cast<std::ptrdiff_t>(t * buses));
    out.wholesale_cost += r.cost_per_hour * hours;
    out.peak_mw = t == 0 ? total : std::max(out.peak_mw, total);
    if (!w.target_profile.empty())
      out.tracking += (total - w.target_profile[t]) * (total - w.target_profile[t]);
  }
  double mean = 0, var = 0;
  for (double p : out.lmp) mean += p / static_cast<double>(out.lmp.size());
  for (double p : out.lmp) var += (p - mean) * (p - mean) / static_cast<double>(out.lmp.size());
  out.lmp_spread = std::sqrt(var);
  out.bills = compute_bills(s, y, tariff, out.lmp);
  out.inequality = inequality(w.inequality, out.bills.group_eei, impl_->group_weight);
  out.objective = w.weight_inequality * out.inequality + w.weight_cost * out.wholesale_cost +
                  w.weight_volatility * out.lmp_spread + w.weight_peak * out.peak_mw +
                  w.weight_tracking * out.tracking +
                  w.penalty * std::max(0.0, -out.bills.revenue_adequacy);
  return out;
}

}  // namespace mfgrid
