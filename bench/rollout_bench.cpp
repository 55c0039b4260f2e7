// Rollout kernel throughput in agent-steps per second (one agent for one period), statistics
// included, for 10^4, 10^6 and 10^7 prosumers (and consumers) on 1 and 2 threads; prosumers sample
// the policy, or follow per-agent plans as under the optimizer followers. BM_Bill*: the day's
// bills of every agent (Rollout::bill_day: the day replayed, billed, the burden counted).
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_scenarios.hpp"
#include "mfgrid/agents/billing.hpp"
#include "mfgrid/agents/burden_distribution.hpp"
#include "mfgrid/agents/planned_actions.hpp"
#include "mfgrid/agents/rollout.hpp"
#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/agents/weather.hpp"

namespace {

using namespace mfgrid;

struct Fixture {
  Scenario scenario;
  HouseholdModel model;
  PopulationLayout layout;
  RandomStreams streams;
  Population population;
  StatisticsLayout stats_layout;
  Rollout rollout;
  DayStatistics stats;
  PolicyTable policy;
  std::vector<float> weather;

  Fixture(long long agents, bool prosumers, int threads)
      : scenario(bench::single_class(agents, prosumers)),
        model(HouseholdModel::from_scenario(scenario)),
        layout(scenario),
        streams(scenario.seed),
        population(model, layout, streams, 0, 1),
        stats_layout(model, 16),
        rollout(model, stats_layout, layout.sample_ids(16), threads),
        stats(stats_layout),
        policy(layout.classes(), model.periods, model.soc_bins, model.actions()),
        weather(WeatherModel(scenario).day(streams, 0).solar) {}
};

// Plans that charge in the first half of the day and discharge in the second, with a demand shift
// from the evening to the morning: every agent's battery works, as under the optimizer followers.
PlannedActions plans_for(const Fixture& f) {
  PlannedActions plans;
  plans.resize(f.population.size(), f.model.periods);
  for (int t = 0; t < f.model.periods; ++t)
    for (int agent = 0; agent < plans.agents(); ++agent) {
      plans.battery_kwh(t, agent) =
          (t < f.model.periods / 2 ? 1.0f : -1.0f) * (0.5f + 0.1f * static_cast<float>(agent % 7));
      plans.load_shift_kwh(t, agent) = t == 1 ? 0.2f : (t == f.model.periods - 2 ? -0.2f : 0.0f);
    }
  return plans;
}

// The counters: agent-steps (one agent for one period) per second, in all and per thread.
void count_steps(benchmark::State& state, long long agents, int periods, int threads) {
  const double steps =
      static_cast<double>(agents) * periods * static_cast<double>(state.iterations());
  state.counters["agent-steps/s"] = benchmark::Counter(steps, benchmark::Counter::kIsRate);
  state.counters["agent-steps/s/thread"] =
      benchmark::Counter(steps / threads, benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

void run(benchmark::State& state, bool prosumers, bool planned = false) {
  const long long agents = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  Fixture f(agents, prosumers, threads);
  const PlannedActions plans = planned ? plans_for(f) : PlannedActions{};
  int day = 0;
  for (auto _ : state) {
    f.rollout.run_day(f.population, f.policy, f.streams, day++, f.weather, f.stats,
                      planned ? &plans : nullptr);
    benchmark::DoNotOptimize(f.stats.raw().data());
  }
  count_steps(state, agents, f.model.periods, threads);
}

void bill(benchmark::State& state, bool prosumers) {
  const long long agents = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  Fixture f(agents, prosumers, threads);
  const std::vector<double> lmp(
      static_cast<std::size_t>(f.model.periods) * f.scenario.network.buses.size(), 50.0);
  const BillingPrices prices =
      billing_prices(f.scenario, ClassEnergy{}, PostedTariff::from_scenario(f.scenario), lmp);
  BurdenDistribution burden(static_cast<int>(f.scenario.households.groups.size()));
  f.population.soc_at_day_start = f.population.soc_kwh;
  int day = 0;
  for (auto _ : state) {
    f.rollout.bill_day(f.population, f.policy, f.streams, day++, f.weather, nullptr, prices,
                       burden);
    benchmark::DoNotOptimize(burden.raw().data());
  }
  count_steps(state, agents, f.model.periods, threads);
}

void BM_RolloutProsumers(benchmark::State& state) { run(state, true); }
void BM_BillProsumers(benchmark::State& state) { bill(state, true); }
void BM_BillConsumers(benchmark::State& state) { bill(state, false); }
void BM_RolloutConsumers(benchmark::State& state) { run(state, false); }
void BM_RolloutPlannedProsumers(benchmark::State& state) { run(state, true, true); }

BENCHMARK(BM_RolloutProsumers)
    ->ArgNames({"agents", "threads"})
    ->Args({10000, 1})
    ->Args({10000, 2})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Args({10000000, 1})
    ->Args({10000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RolloutPlannedProsumers)
    ->ArgNames({"agents", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RolloutConsumers)
    ->ArgNames({"agents", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_BillProsumers)
    ->ArgNames({"agents", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_BillConsumers)
    ->ArgNames({"agents", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
