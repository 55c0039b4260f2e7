#include "mfgrid/followers/optimizer_followers.hpp"

#include <algorithm>
#include <cmath>

#include "mfgrid/agents/household_energy.hpp"
#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/meanfield/distribution.hpp"
#include "mfgrid/parallel/threads.hpp"

namespace mfgrid {

double nearest_cycle_level(const HouseholdPlan& cycle, double capacity_kwh, double soc_kwh) {
  // The cycle's levels are its start plus the energy stored so far; every start that keeps them
  // all within [0, E] gives the same day at the same cost.
  double lowest = 0, highest = 0;
  for (double s : cycle.soc) {
    lowest = std::min(lowest, s - cycle.start_soc_kwh);
    highest = std::max(highest, s - cycle.start_soc_kwh);
  }
  const double from = std::max(0.0, -lowest), to = std::min(capacity_kwh, capacity_kwh - highest);
  return from <= to ? std::clamp(soc_kwh, from, to) : cycle.start_soc_kwh;
}

OptimizerFollowers::OptimizerFollowers(const Scenario& s, const HouseholdModel& model, int threads)
    : FollowerLearner(s.followers),
      households_(&model),
      threads_(std::max(1, threads)),
      flexible_share_(s.followers.parameters.number("flexible_share")),
      wear_quadratic_(s.followers.parameters.number("wear_quadratic")),
      discomfort_(s.followers.parameters.number("discomfort")) {
  for (int k = 0; k < threads_; ++k) lps_.emplace_back(model.periods, model.period_hours);
}

void OptimizerFollowers::plan_day(const PlanningInputs& in, PlannedActions& plans) {
  const HouseholdModel& m = *households_;
  const int T = m.periods;
  const auto periods = static_cast<std::size_t>(T);
  const double flexible_share = flexible_share_;
  plans.resize(in.population.size(), T);
  std::vector<std::int64_t> solved(static_cast<std::size_t>(threads_), 0);
  run_on_threads(threads_, [&](int thread, int threads) {
    HouseholdLp& lp = lps_[static_cast<std::size_t>(thread)];
    std::vector<float> demand(periods), pv(periods);
    std::vector<double> import_price(periods), export_price(periods);
    for (const ClassBlock& block : thread_blocks(in.population.blocks(), thread, threads)) {
      const ClassModel& c = m.classes[static_cast<std::size_t>(block.cls)];
      if (!c.prosumer || block.size == 0) continue;
      for (int t = 0; t < T; ++t) {
        const auto i = static_cast<std::size_t>(t);
        import_price[i] = in.tariff.import_price(c.bus, t);
        export_price[i] = in.tariff.export_price(
            c.bus, t,
            in.price_forecast[i * static_cast<std::size_t>(in.tariff.buses()) +
                              static_cast<std::size_t>(c.bus)]);
      }
      const HouseholdPrices prices{import_price,          export_price,    spec().degradation_cost,
                                   in.tariff.peak_charge, wear_quadratic_, discomfort_};
      // The canonical basis: the class's mean household, solved from scratch.
      std::vector<float> mean_demand(periods), mean_pv(periods);
      const float weather = in.weather[static_cast<std::size_t>(c.bus)];
      for (int t = 0; t < T; ++t) {
        const EnergyInputs e = energy_inputs(m, c, weather, t);
        mean_demand[static_cast<std::size_t>(t)] = e.demand_mean;
        mean_pv[static_cast<std::size_t>(t)] = c.pv_kw * e.pv_energy;
      }
      lp.solve({mean_demand, mean_pv, 0.0, c.battery_kwh, c.battery_kw, c.eta_charge,
                c.eta_discharge, flexible_share, -1.0, SocRule::free_cycle},
               prices);
      const HouseholdLp::WarmStart canonical = lp.warm_start();
      for (std::int64_t k = 0; k < block.size; ++k) {
        const std::int64_t local = block.local_begin + k;
        const auto i = static_cast<std::size_t>(local);
        agent_day_energy(m, in.streams, in.population, block.cls, local, block.global_begin + k,
                         in.day, in.weather, demand, pv);
        // First the best cycle of this day: the level a household living it over and over
        // would start and end it at. Then the day from where the battery really stands to that
        // level (as near as the battery can get in a day).
        const double capacity = in.population.capacity_kwh[i], power = in.population.power_kw[i];
        const double soc = in.population.soc_kwh[i];
        const HouseholdPlan& cycle =
            lp.solve({demand, pv, 0.0, capacity, power, c.eta_charge, c.eta_discharge,
                      flexible_share, -1.0, SocRule::free_cycle},
                     prices, canonical);
        const double target = nearest_cycle_level(cycle, capacity, soc);
        const double reach = power * m.period_hours * T;  // kWh the battery can move in a day
        const double level = std::clamp(target, std::max(0.0, soc - reach / c.eta_discharge),
                                        std::min(capacity, soc + reach * c.eta_charge));
        // A battery that stands where the cycle may start lives the cycle itself (its day from
        // there back to there is optimal, and with the strictly convex cost the only optimum).
        // "Where" up to the resolution of the state, a float32 updated every period (10 µkWh per
        // kWh of capacity): a battery the kernel left a rounding error outside the cycle's
        // range is on it, and the kernel's bounds absorb the error.
        const bool on_cycle = std::abs(level - soc) <= 1e-5 * capacity;
        const HouseholdPlan& plan =
            on_cycle ? cycle
                     : lp.resolve({demand, pv, soc, capacity, power, c.eta_charge, c.eta_discharge,
                                   flexible_share, level, SocRule::end_exactly},
                                  prices);
        const auto agent = static_cast<int>(i);
        for (int t = 0; t < T; ++t) {
          const auto ti = static_cast<std::size_t>(t);
          plans.battery_kwh(t, agent) = static_cast<float>(plan.charge[ti] - plan.discharge[ti]);
          plans.load_shift_kwh(t, agent) =
              static_cast<float>(plan.flexible[ti] - flexible_share * demand[ti]);
        }
        solved[static_cast<std::size_t>(thread)] += on_cycle ? 1 : 2;  // the cycle (and the day)
      }
    }
  });
  for (std::int64_t n : solved) lps_solved_ += n;
}

void OptimizerFollowers::on_transfer(StateTransfer& t) {
  t.values("followers/net", net_);
  t.values("followers/previous_net", previous_net_);
  t.ragged("followers/mean_field", mean_field_);
  t.ragged("followers/previous_mean_field", previous_mean_field_);
}

void OptimizerFollowers::on_observe(const FollowerObservation& o) {
  const StatisticsLayout& layout = o.stats.layout();
  net_.assign(
      static_cast<std::size_t>(layout.classes()) * static_cast<std::size_t>(layout.periods()), 0.0);
  mean_field_.assign(static_cast<std::size_t>(layout.classes()), {});
  for (int c = 0; c < layout.classes(); ++c) {
    std::int64_t members = 0;
    for (int b = 0; b < layout.bins(c); ++b) members += o.stats.state_count(c, 0, b);
    for (int t = 0; t < layout.periods(); ++t)
      net_[static_cast<std::size_t>(c) * static_cast<std::size_t>(layout.periods()) +
           static_cast<std::size_t>(t)] =
          from_micro_kwh(o.stats.class_imports(c, t) - o.stats.class_exports(c, t)) /
          static_cast<double>(std::max<std::int64_t>(1, members));
    if (households_->classes[static_cast<std::size_t>(c)].prosumer)
      mean_field_[static_cast<std::size_t>(c)] = observed_distribution(o.stats, c);
  }
}

FollowerUpdate OptimizerFollowers::on_update(PolicyTable&) {
  // The plans are exact best responses; what changes from update to update is the prices they
  // answer. The residuals measure how much the response moved: the relative change of each
  // class's mean net profile, and of its state-of-charge distribution.
  FollowerUpdate u;
  const int T = households_->periods;
  double change = 0, mean_field_change = 0;
  int classes = 0, terms = 0;
  for (std::size_t c = 0; c < households_->classes.size(); ++c) {
    u.exploitability.push_back(0.0);
    if (!households_->classes[c].prosumer) continue;
    if (!previous_net_.empty()) {
      double diff = 0, scale = 0;
      for (int t = 0; t < T; ++t) {
        const std::size_t i = c * static_cast<std::size_t>(T) + static_cast<std::size_t>(t);
        diff += std::abs(net_[i] - previous_net_[i]);
        scale += std::abs(net_[i]);
      }
      change += scale > 0 ? diff / scale : 0.0;
      for (int t = 0; t < T; ++t) {
        const auto bins = mean_field_[c].size() / static_cast<std::size_t>(T);
        mean_field_change += l1_distance(std::span<const double>(mean_field_[c])
                                             .subspan(static_cast<std::size_t>(t) * bins, bins),
                                         std::span<const double>(previous_mean_field_[c])
                                             .subspan(static_cast<std::size_t>(t) * bins, bins));
        ++terms;
      }
    } else {
      change += 2.0;  // nothing to compare with yet
      mean_field_change += 2.0 * T;
      terms += T;
    }
    ++classes;
  }
  u.policy_residual = classes ? change / classes : 0.0;
  u.meanfield_residual = terms ? mean_field_change / terms : 0.0;
  previous_net_ = net_;
  previous_mean_field_ = mean_field_;
  return u;
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(followers, optimizer) {
  using namespace mfgrid;
  register_follower_learner(
      {.name = "optimizer",
       .doc = "every household plays its exact best response: a QP (or LP) of its day",
       .parameters =
           {{"flexible_share", ParameterType::number, 0.0, 0.0, 1.0, false,
             "share of the daily demand a household can move between periods"},
            // The strictly convex part of a household's cost, which makes its response unique.
            {"wear_quadratic", ParameterType::number, 0.001, 0.0, 1e6, false,
             "$/kWh² per period, on energy charged and on energy discharged"},
            {"discomfort", ParameterType::number, 0.005, 0.0, 1e6, false,
             "$/kWh² per period, on flexible demand moved from its hour"}},
       .plans_actions = true},
      [](const Scenario& s, const HouseholdModel& model, const StatisticsLayout&,
         int threads) -> std::unique_ptr<FollowerLearner> {
        return std::make_unique<OptimizerFollowers>(s, model, threads);
      });
}
