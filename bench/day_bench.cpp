// A whole simulated day of the default scenario scaled to about 10^6 agents, split into its
// phases (rollout, reduce, market, learn), and the cost of the day's one MPI_Allreduce on its own.
// Run under mpiexec for several ranks; every rank runs the same fixed iteration count.
#include <benchmark/benchmark.h>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/parallel/threads.hpp"
#include "mpi_benchmark_main.hpp"

namespace {

using namespace mfgrid;

void BM_Day(benchmark::State& state) {
  const double agents = static_cast<double>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const Scenario s =
      load_scenario("ieee3-equity", {"population.scale=" + std::to_string(agents / 10800.0)});
  const Communicator world = Communicator::world();
  Simulation sim(s, world, threads);
  sim.step();  // warm-up: first touch of every page
  PhaseTimes total;
  for (auto _ : state) {
    const DayOutcome& d = sim.step();
    for (std::size_t p = 0; p < total.seconds.size(); ++p) total.seconds[p] += d.times.seconds[p];
  }
  const double days = static_cast<double>(state.iterations());
  state.counters["agents"] = static_cast<double>(sim.layout().total());
  state.counters["ranks"] = world.size();
  state.counters["threads"] = threads;
  state.counters["rollout_ms"] = 1e3 * total[Phase::rollout] / days;
  state.counters["reduce_ms"] = 1e3 * total[Phase::reduce] / days;
  state.counters["market_ms"] = 1e3 * total[Phase::market] / days;
  state.counters["learn_ms"] = 1e3 * total[Phase::learn] / days;
  state.counters["agent-steps/s"] =
      benchmark::Counter(static_cast<double>(sim.layout().total()) * s.time.periods * days,
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Day)
    ->ArgNames({"agents", "threads"})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The day's reduction: the statistics buffer of the default scenario (21 bins), and of a 101-bin
// discretisation, summed over all ranks.
void BM_Reduce(benchmark::State& state) {
  const Scenario s =
      load_scenario("ieee3-equity", {"followers.soc_bins=" + std::to_string(state.range(0))});
  const HouseholdModel model = HouseholdModel::from_scenario(s);
  const StatisticsLayout layout(model, s.output.sample_agents);
  DayStatistics stats(layout);
  const Communicator world = Communicator::world();
  for (auto _ : state) {
    stats.raw()[0] = 1;
    world.sum(stats.raw());
  }
  state.counters["bytes"] = static_cast<double>(layout.size() * sizeof(std::int64_t));
  state.counters["ranks"] = world.size();
}
BENCHMARK(BM_Reduce)
    ->ArgName("soc_bins")
    ->Arg(21)
    ->Arg(101)
    ->Iterations(200)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace

MFGRID_MPI_BENCHMARK_MAIN();
