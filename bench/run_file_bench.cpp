// Writing the run file. The full-state dump: every agent's state and parameters (20 bytes an agent)
// written collectively by all ranks into one HDF5 file, flushed to disk (fsync) — compare with the
// disk's sequential write speed (bench/disk_speed.sh runs both). A day's record: what every
// simulated day appends (market, tariff, outcome, mean-field histograms, sampled agents, the
// learners' updates, per-rank times), in days written per second. The files go to
// $MFGRID_BENCH_DIR (default: the working directory), which should be on the disk being measured.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/io/run_file.hpp"
#include "mpi_benchmark_main.hpp"

namespace {

using namespace mfgrid;

std::string bench_file(const Communicator& world, const std::string& name) {
  const char* dir = std::getenv("MFGRID_BENCH_DIR");
  std::string path = (std::filesystem::path(dir != nullptr ? dir : ".") /
                      (name + "-bench-" + std::to_string(world.size()) + ".h5"))
                         .string();
  return path;
}

void BM_StateDump(benchmark::State& state) {
  const double agents = static_cast<double>(state.range(0));
  const Scenario s =
      load_scenario("ieee3-equity", {"population.scale=" + std::to_string(agents / 10800.0),
                                     "output.sample_agents=0", "leader.learner=\"fixed\""});
  const Communicator world = Communicator::world();
  const std::string path = bench_file(world, "state-dump");
  std::optional<Simulation> sim;
  sim.emplace(s, world, 1);
  std::optional<RunWriter> writer;
  writer.emplace(RunWriter::create(path, *sim, {".", 1}, true));
  writer->write_state_dump(*sim);  // warm-up: file space allocated once
  for (auto _ : state) writer->write_state_dump(*sim);
  const double bytes = static_cast<double>(sim->layout().total() * Population::bytes_per_agent);
  state.counters["agents"] = static_cast<double>(sim->layout().total());
  state.counters["ranks"] = world.size();
  state.counters["MB"] = bytes / 1e6;
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) *
                          static_cast<std::int64_t>(state.iterations()));
  writer.reset();
  world.barrier();
  if (world.is_root()) std::filesystem::remove(partial_path(path));
}
BENCHMARK(BM_StateDump)
    ->ArgNames({"agents"})
    ->Arg(1000000)
    ->Arg(10000000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A day of the default scenario (with a follower update and a leader interaction, as on the days
// both learn), appended again and again, in batches of output.write_every_days.
void BM_WriteDay(benchmark::State& state) {
  const Scenario s = load_scenario(
      "ieee3-equity",
      {"population.scale=0.1", "output.write_every_days=" + std::to_string(state.range(0))});
  const Communicator world = Communicator::world();
  const std::string path = bench_file(world, "write-day");
  std::optional<Simulation> sim;
  sim.emplace(s, world, 1);
  const int leader_days = s.leader.update_every_days;
  for (int d = 0; d < leader_days; ++d) sim->step();
  std::optional<RunWriter> writer;
  writer.emplace(RunWriter::create(path, *sim, {".", 1}, true));
  for (auto _ : state) writer->write_day(*sim, sim->last_day());
  state.counters["days/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["ranks"] = world.size();
  writer.reset();
  world.barrier();
  if (world.is_root()) std::filesystem::remove(partial_path(path));
}
BENCHMARK(BM_WriteDay)
    ->ArgNames({"days_per_write"})
    ->Arg(1)
    ->Arg(10)
    ->Iterations(400)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace

MFGRID_MPI_BENCHMARK_MAIN();
