#include "mfgrid/game/simulation.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "mfgrid/agents/expected_load.hpp"
#include "mfgrid/agents/weather.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/numeric_guards.hpp"

namespace mfgrid {

namespace {
// Day d of the run reads day d of the network's measured series (the scenario loader refuses a
// run longer than them; a continued run may ask for more).
void check_series_day(const NetworkSpec& net, int day) {
  const int days = net.series_days();
  if (days > 0 && day >= days)
    throw Error("day " + std::to_string(day) + " lies past the end of the network's measured " +
                "series (" + std::to_string(days) +
                " days; day d of the run reads day d of the series)");
}
}  // namespace

Simulation::Simulation(const Scenario& scenario, const Communicator& comm, int threads)
    : scenario_(scenario),
      comm_(comm),
      streams_(scenario.seed),
      model_(HouseholdModel::from_scenario(scenario)),
      weather_(scenario),
      layout_(scenario),
      population_(model_, layout_, streams_, comm.rank(), comm.size()),
      sample_ids_(layout_.sample_ids(scenario.output.sample_agents)),
      stats_layout_(model_, static_cast<int>(sample_ids_.size())),
      stats_(stats_layout_),
      burden_(static_cast<int>(scenario.households.groups.size())),
      rollout_(model_, stats_layout_, sample_ids_, threads),
      policy_(layout_.classes(), model_.periods, model_.soc_bins, model_.actions()),
      tariff_(PostedTariff::from_scenario(scenario)),
      market_(scenario.network, DcOpf::Start::network_basis),
      followers_(make_follower_learner(scenario, model_, stats_layout_, threads)),
      parameters_(scenario),
      objective_(scenario, parameters_),
      leader_(make_leader_learner(scenario.leader, parameters_, objective_, scenario.seed)),
      theta_(parameters_.initial()),
      test_fault_(TestFault::from_environment()) {
  followers_->share_work(comm_);
  objective_.spread_over(comm_);
  initial_price_forecast();
  post_tariff(leader_->propose());
}

// The scenario's own tariff stays exactly as written while θ is its initial value.
void Simulation::post_tariff(const std::vector<double>& theta) {
  if (theta == theta_ && leader_history_.empty() && theta == parameters_.initial()) return;
  if (theta != theta_) followers_->restart();  // a new tariff: the followers learn again
  theta_ = theta;
  tariff_ = parameters_.tariff(theta_);
}

// Every K_L days: the leader evaluates the window's mean response to the tariff it posted (one
// interaction), learns, and posts its next tariff.
void Simulation::leader_step(DayOutcome& out) {
  out.leader_update.reset();
  const int warmup = scenario_.leader.warmup_days;
  if (day_ < warmup) return;  // the followers settle; the leader observes nothing yet
  window_.push_back(out.energy);
  if ((day_ + 1 - warmup) % scenario_.leader.update_every_days != 0) return;
  LeaderUpdate u;
  u.day = day_;
  u.theta = theta_;
  u.theta_real = parameters_.real_values(theta_);
  const ClassEnergy response = ClassEnergy::mean(window_);
  set_window_conditions();
  u.evaluation = objective_.evaluate(theta_, response);
  const bool learning = leader_->learning();
  leader_->observe({theta_, u.evaluation.objective, response});
  u.interaction = leader_->interactions();
  u.next_theta = leader_->propose();
  if (test_fault_.at(TestFault::Kind::leader_inf, day_) && !u.next_theta.empty())
    u.next_theta[0] = std::numeric_limits<double>::infinity();
  if constexpr (check_every_update)
    require_within(u.next_theta, 0.0, 1.0, day_,
                   "leader/next_theta (as " + std::string(leader_->name()) + " proposed it)");
  u.diagnostics = leader_->diagnostics();
  window_.clear();
  if (learning) post_tariff(u.next_theta);
  leader_history_.push_back(u);
  out.leader_update = u;
}

// J is the window's: its mean response under its mean exogenous load (and, where generators have
// cost series, its mean costs). The weather's factors are drawn again from the streams (a function
// of the day alone), so a resumed run needs no state for them.
void Simulation::set_window_conditions() {
  const NetworkSpec& net = scenario_.network;
  const int window_days = scenario_.leader.update_every_days, first = day_ - window_days + 1;
  const std::size_t periods = static_cast<std::size_t>(scenario_.time.periods),
                    buses = net.buses.size();
  std::vector<double> load(buses, 0.0);  // the mean weather factor of each bus
  std::vector<double> exogenous(periods * buses, 0.0);
  const bool load_series = net.has_load_series();
  for (int d = first; d <= day_; ++d) {
    const std::vector<double> f = weather_.day(streams_, d).load;
    for (std::size_t b = 0; b < buses; ++b) load[b] += f[b] / window_days;
    if (load_series)
      for (std::size_t t = 0; t < periods; ++t)
        for (std::size_t b = 0; b < buses; ++b)
          exogenous[t * buses + b] +=
              net.base_load_mw(static_cast<int>(b), d, static_cast<int>(t)) * f[b] / window_days;
  }
  if (!load_series)
    for (std::size_t t = 0; t < periods; ++t)
      for (std::size_t b = 0; b < buses; ++b)
        exogenous[t * buses + b] = net.buses[b].base_load_mw[t] * load[b];
  objective_.set_exogenous_load(exogenous);
  if (!net.has_cost_series()) return;
  std::vector<double> cost(periods * net.generators.size(), 0.0);
  for (int d = first; d <= day_; ++d)
    for (std::size_t t = 0; t < periods; ++t)
      for (std::size_t g = 0; g < net.generators.size(); ++g)
        cost[t * net.generators.size() + g] +=
            net.generators[g].cost_factor(d, static_cast<int>(t)) / window_days;
  objective_.set_cost_factors(cost);
}

// Before the first day the followers have seen no price: forecast the LMPs of the households'
// expected load with idle batteries.
void Simulation::initial_price_forecast() {
  const NetworkSpec& net = scenario_.network;
  const std::size_t buses = net.buses.size();
  price_forecast_ = Table2<double>(scenario_.time.periods, static_cast<int>(buses));
  const std::vector<double> load = weather_.expected_load(0);
  for (int t = 0; t < scenario_.time.periods; ++t) {
    std::vector<double> demand = expected_household_load_mw(scenario_, t);
    for (std::size_t b = 0; b < buses; ++b)
      demand[b] += net.buses[b].base_load_mw[static_cast<std::size_t>(t)] * load[b];
    const MarketClearing& r = market_.clear(t, demand);
    std::copy(r.lmp.begin(), r.lmp.end(), price_forecast_.row(t).begin());
  }
  market_.reset_basis();  // the run's first clearing starts from scratch, as after a restart
}

const DayOutcome& Simulation::step() {
  DayOutcome& out = outcome_;
  out.day = day_;
  out.theta = theta_;
  out.tariff = tariff_;
  out.times = PhaseTimes{};
  Stopwatch watch;
  model_.set_day(day_);  // today's profiles where the scenario gives measured series
  check_series_day(scenario_.network, day_);
  market_.set_day(day_);
  DayWeather weather = weather_.day(streams_, day_);
  out.weather = std::move(weather.solar);
  out.load_factor = std::move(weather.load);
  const bool planned = followers_->plans_actions();
  if (planned) {
    followers_->plan_day(
        {day_, population_, streams_, out.weather, tariff_, price_forecast_.values()}, plans_);
    out.times[Phase::learn] += watch.seconds();
    watch.restart();
  }
  std::copy(population_.soc_kwh.begin(), population_.soc_kwh.end(),
            population_.soc_at_day_start.begin());  // the day's bills replay it
  rollout_.run_day(population_, policy_, streams_, day_, out.weather, stats_,
                   planned ? &plans_ : nullptr);
  out.times[Phase::rollout] = watch.seconds();

  watch.restart();
  // Most cells of a large grid's statistics are empty (a battery reaches few bins from a bin):
  // only the values some rank counted in travel, and a rank looks for its own among the classes
  // it holds.
  comm_.sum_sparse(stats_.raw(), stats_layout_.ranges_counted_by(population_.blocks()),
                   &sparse_sum_);
  stats_.swap_support(sparse_sum_.used);
  out.times[Phase::reduce] = watch.seconds();

  watch.restart();
  clear_market();
  out.bills = compute_bills(scenario_, out.energy, tariff_, out.lmp.values());
  out.times[Phase::market] = watch.seconds();

  // Every household's bill at the day's prices, for the distribution of the energy burden: the
  // policy and the plans are still the day's (the learners update below).
  watch.restart();
  rollout_.bill_day(population_, policy_, streams_, day_, out.weather, planned ? &plans_ : nullptr,
                    billing_prices(scenario_, out.energy, tariff_, out.lmp.values()), burden_);
  out.times[Phase::rollout] += watch.seconds();
  watch.restart();
  comm_.sum(burden_.raw());
  out.burden = burden_.summary();
  out.times[Phase::reduce] += watch.seconds();

  watch.restart();
  price_forecast_ = out.lmp;
  out.follower_update.reset();
  if (learning_) {
    followers_->observe({day_, stats_, out.lmp.values(), tariff_});
    if ((day_ + 1) % scenario_.followers.update_every_days == 0)
      if (const FollowerUpdate* u = followers_->update(policy_, day_)) {
        out.follower_update = *u;
        apply_class_policies();
      }
    if (test_fault_.at(TestFault::Kind::followers_nan, day_))
      policy_.probabilities(0, 0, 0)[0] = std::numeric_limits<double>::quiet_NaN();
  }
  leader_step(out);
  out.times[Phase::learn] += watch.seconds();
  check_day(out);
  ++day_;
  return out;
}

void Simulation::set_class_policy(int cls, std::span<const double> probabilities) {
  const auto where = [&](const std::string& what) {
    return InputError(SourceLocation{"set_class_policy"}, "policy", what);
  };
  if (cls < 0 || cls >= layout_.classes())
    throw where("no class " + std::to_string(cls) + " (the scenario has " +
                std::to_string(layout_.classes()) + ")");
  const HouseholdClass& spec = scenario_.households.classes[static_cast<std::size_t>(cls)];
  if (spec.kind != HouseholdKind::prosumer)
    throw where("class " + spec.name + " has no battery: it has no policy to play");
  if (followers_->plans_actions())
    throw where("the followers' learner (" + std::string(followers_->name()) +
                ") plans each household's actions: there is no policy table to set");
  const int periods = policy_.periods(), bins = policy_.bins(), actions = policy_.actions();
  const std::size_t size = static_cast<std::size_t>(periods) * bins * actions;
  if (probabilities.size() != size)
    throw where(std::to_string(probabilities.size()) + " values, not " + std::to_string(size) +
                " ([period][bin][action]: " + std::to_string(periods) + " × " +
                std::to_string(bins) + " × " + std::to_string(actions) + ")");
  for (std::size_t r = 0; r < size; r += static_cast<std::size_t>(actions)) {
    double total = 0.0;
    bool valid = true;
    for (int a = 0; a < actions; ++a) {
      const double p = probabilities[r + static_cast<std::size_t>(a)];
      valid = valid && std::isfinite(p) && p >= 0.0;
      total += p;
    }
    if (!valid || std::abs(total - 1.0) > 1e-9) {
      const std::size_t row = r / static_cast<std::size_t>(actions);
      throw where("row (period " + std::to_string(row / static_cast<std::size_t>(bins)) + ", bin " +
                  std::to_string(row % static_cast<std::size_t>(bins)) +
                  ") is not a distribution over the " + std::to_string(actions) +
                  " actions (non-negative, summing to 1)");
    }
  }
  class_policies_[cls].assign(probabilities.begin(), probabilities.end());
  apply_class_policies();
}

void Simulation::release_class_policy(int cls) { class_policies_.erase(cls); }

void Simulation::apply_class_policies() {
  for (const auto& [cls, probabilities] : class_policies_) {
    std::size_t i = 0;
    for (int t = 0; t < policy_.periods(); ++t)
      for (int b = 0; b < policy_.bins(); ++b)
        for (double& p : policy_.probabilities(cls, t, b)) p = probabilities[i++];
    policy_.update_thresholds(cls);
  }
}

void Simulation::freeze_followers(const PolicyTable& policy) {
  if (policy.classes() != policy_.classes() || policy.all().size() != policy_.all().size())
    throw Error("freeze_followers: the policy's shape is not the scenario's");
  policy_ = policy;
  learning_ = false;
}

// The day's periods are cleared independently, each from the network's basis (DcOpf::Start), so
// period t is cleared by rank t mod P alone and broadcast to the others: a clearing's bits do not
// depend on which rank made it, and P ranks share the market's serial work (8 or 24 clearings a
// day of up to 25 ms each on ACTIVSg2000).
void Simulation::clear_market() {
  DayOutcome& out = outcome_;
  const NetworkSpec& net = scenario_.network;
  const int periods = scenario_.time.periods, buses = static_cast<int>(net.buses.size());
  const auto n_bus = static_cast<std::size_t>(buses), n_gen = net.generators.size(),
             n_line = net.lines.size();
  out.energy = ClassEnergy::from_statistics(layout_, stats_);
  out.household_mw = Table2<double>(periods, buses, household_net_mw(scenario_, out.energy));
  out.demand_mw = Table2<double>(periods, buses);
  out.lmp = Table2<double>(periods, buses);
  out.shed_mw = Table2<double>(periods, buses);
  out.spill_mw = Table2<double>(periods, buses);
  out.dispatch_mw = Table2<double>(periods, static_cast<int>(n_gen));
  out.flow_mw = Table2<double>(periods, static_cast<int>(n_line));
  out.wholesale_cost = 0.0;
  out.congested_periods = 0;
  const double hours = scenario_.time.period_hours();
  // Each period's clearing as its owner sends it: LMPs, shedding, spill, dispatch, flows, then the
  // cost per hour and whether a line is congested (1 or 0). Every rank first clears its own
  // periods, then each period is broadcast from its owner.
  const std::size_t record = 3 * n_bus + n_gen + n_line + 2;
  std::vector<double> cleared(static_cast<std::size_t>(periods) * record);
  const auto period_record = [&](int t) {
    return std::span<double>(cleared).subspan(static_cast<std::size_t>(t) * record, record);
  };
  for (int t = 0; t < periods; ++t) {
    for (int b = 0; b < buses; ++b)
      out.demand_mw(t, b) =
          net.base_load_mw(b, day_, t) * out.load_factor[static_cast<std::size_t>(b)] +
          out.household_mw(t, b);
    if (t % comm_.size() != comm_.rank()) continue;
    const MarketClearing& r = market_.clear(t, out.demand_mw.row(t));
    bool congested = false;
    for (std::size_t l = 0; l < n_line; ++l)
      congested = congested || r.line_congested(l, net.lines[l].limit_mw);
    auto at = period_record(t).begin();
    for (const std::vector<double>* v :
         {&r.lmp, &r.shed_mw, &r.spill_mw, &r.dispatch_mw, &r.flow_mw})
      at = std::copy(v->begin(), v->end(), at);
    *at++ = r.cost_per_hour;
    *at = congested ? 1.0 : 0.0;
  }
  for (int t = 0; t < periods; ++t) {
    const std::span<double> from = period_record(t);
    comm_.broadcast(from, t % comm_.size());
    auto at = from.begin();
    for (std::span<double> row : {out.lmp.row(t), out.shed_mw.row(t), out.spill_mw.row(t),
                                  out.dispatch_mw.row(t), out.flow_mw.row(t)}) {
      std::copy(at, at + static_cast<std::ptrdiff_t>(row.size()), row.begin());
      at += static_cast<std::ptrdiff_t>(row.size());
    }
    out.wholesale_cost += *at++ * hours;
    out.congested_periods += *at != 0.0 ? 1 : 0;
  }
  // The checkpoint's market basis (kept for the file's layout) is the network's on every rank.
  market_.reset_basis();
}

}  // namespace mfgrid
