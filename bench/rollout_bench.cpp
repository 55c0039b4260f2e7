// Rollout kernel throughput in agent-steps per second (one agent for one period), statistics
// included, for 10^4, 10^6 and 10^7 prosumers (and consumers) on 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_scenarios.hpp"
#include "mfgrid/agents/rollout.hpp"
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

void run(benchmark::State& state, bool prosumers) {
  const long long agents = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  Fixture f(agents, prosumers, threads);
  int day = 0;
  for (auto _ : state) {
    f.rollout.run_day(f.population, f.policy, f.streams, day++, f.weather, f.stats);
    benchmark::DoNotOptimize(f.stats.raw().data());
  }
  const double steps =
      static_cast<double>(agents) * f.model.periods * static_cast<double>(state.iterations());
  state.counters["agent-steps/s"] = benchmark::Counter(steps, benchmark::Counter::kIsRate);
  state.counters["agent-steps/s/thread"] =
      benchmark::Counter(steps / threads, benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

void BM_RolloutProsumers(benchmark::State& state) { run(state, true); }
void BM_RolloutConsumers(benchmark::State& state) { run(state, false); }

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
BENCHMARK(BM_RolloutConsumers)
    ->ArgNames({"agents", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
