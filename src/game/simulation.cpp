#include "mfgrid/game/simulation.hpp"

#include "mfgrid/agents/weather.hpp"

namespace mfgrid {

Simulation::Simulation(const Scenario& scenario, const Communicator& comm, int threads)
    : scenario_(scenario),
      comm_(comm),
      streams_(scenario.seed),
      model_(HouseholdModel::from_scenario(scenario)),
      layout_(scenario),
      population_(model_, layout_, streams_, comm.rank(), comm.size()),
      sample_ids_(layout_.sample_ids(scenario.output.sample_agents)),
      stats_layout_(model_, static_cast<int>(sample_ids_.size())),
      stats_(stats_layout_),
      rollout_(model_, stats_layout_, sample_ids_, threads),
      policy_(layout_.classes(), model_.periods, model_.soc_bins, model_.actions()),
      tariff_(PostedTariff::from_scenario(scenario)),
      market_(scenario.network) {}

const DayOutcome& Simulation::step() {
  DayOutcome& out = outcome_;
  out.day = day_;
  out.times = PhaseTimes{};
  Stopwatch watch;
  out.weather =
      daily_weather(model_, streams_, static_cast<int>(scenario_.network.buses.size()), day_);
  rollout_.run_day(population_, policy_, streams_, day_, out.weather, stats_);
  out.times[Phase::rollout] = watch.seconds();

  watch.restart();
  comm_.sum(stats_.raw());
  out.times[Phase::reduce] = watch.seconds();

  watch.restart();
  clear_market();
  out.bills = compute_bills(scenario_, layout_, stats_, tariff_, out.lmp);
  out.times[Phase::market] = watch.seconds();
  ++day_;
  return out;
}

void Simulation::clear_market() {
  DayOutcome& out = outcome_;
  const NetworkSpec& net = scenario_.network;
  const std::size_t periods = static_cast<std::size_t>(scenario_.time.periods),
                    buses = net.buses.size();
  out.household_mw = household_net_mw(scenario_, layout_, stats_);
  out.demand_mw.assign(periods * buses, 0.0);
  out.lmp.assign(periods * buses, 0.0);
  out.shed_mw.assign(periods * buses, 0.0);
  out.spill_mw.assign(periods * buses, 0.0);
  out.dispatch_mw.assign(periods * net.generators.size(), 0.0);
  out.flow_mw.assign(periods * net.lines.size(), 0.0);
  out.wholesale_cost = 0.0;
  out.congested_periods = 0;
  const double hours = scenario_.time.period_hours();
  for (std::size_t t = 0; t < periods; ++t) {
    for (std::size_t b = 0; b < buses; ++b)
      out.demand_mw[t * buses + b] = net.buses[b].base_load_mw[t] + out.household_mw[t * buses + b];
    const MarketClearing& r = market_.clear(
        static_cast<int>(t), std::span<const double>(out.demand_mw).subspan(t * buses, buses));
    std::copy(r.lmp.begin(), r.lmp.end(), out.lmp.begin() + static_cast<std::ptrdiff_t>(t * buses));
    std::copy(r.shed_mw.begin(), r.shed_mw.end(),
              out.shed_mw.begin() + static_cast<std::ptrdiff_t>(t * buses));
    std::copy(r.spill_mw.begin(), r.spill_mw.end(),
              out.spill_mw.begin() + static_cast<std::ptrdiff_t>(t * buses));
    std::copy(r.dispatch_mw.begin(), r.dispatch_mw.end(),
              out.dispatch_mw.begin() + static_cast<std::ptrdiff_t>(t * net.generators.size()));
    std::copy(r.flow_mw.begin(), r.flow_mw.end(),
              out.flow_mw.begin() + static_cast<std::ptrdiff_t>(t * net.lines.size()));
    out.wholesale_cost += r.cost_per_hour * hours;
    bool congested = false;
    for (std::size_t l = 0; l < net.lines.size(); ++l)
      congested = congested || r.line_congested(l, net.lines[l].limit_mw);
    out.congested_periods += congested ? 1 : 0;
  }
}

}  // namespace mfgrid
