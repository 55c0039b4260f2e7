// The library's day loop (io/run_loop.hpp) on the world communicator (under mpiexec at each of
// the build's rank counts): it reports every day to its observer, writes and finishes the run file
// as the days themselves produced them, and a run continued from a checkpoint by the same loop
// ends in the same days.
#include "mfgrid/io/run_loop.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "agents/test_scenarios.hpp"
#include "io/h5.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {
namespace {

namespace fs = std::filesystem;

class DayRecorder : public RunObserver {
 public:
  void on_day(const Simulation&, const DayOutcome& day, double seconds_left) override {
    days.push_back(day.day);
    lmp.insert(lmp.end(), day.lmp.values().begin(), day.lmp.values().end());
    EXPECT_GE(seconds_left, 0.0);
  }
  std::vector<int> days;
  std::vector<double> lmp;
};

Scenario scenario() {
  return testing::small_scenario_with({"population.scale=41", "output.sample_agents=5",
                                       "time.days=9", "checkpoint.every_days=4",
                                       "output.write_every_days=3"});
}

TEST(RunLoop, ReportsEveryDayWritesItAndContinuesFromACheckpoint) {
  const Communicator world = Communicator::world();
  std::string dir;
  if (world.is_root())
    dir = (fs::temp_directory_path() / ("mfgrid-loop-" + std::to_string(::getpid()))).string();
  world.broadcast(dir);
  if (world.is_root()) fs::create_directories(dir);
  world.barrier();
  const std::string whole = dir + "/whole.h5", cut = dir + "/cut.h5";
  const Scenario s = scenario();

  DayRecorder recorded;
  {
    Simulation sim(s, world, 1);
    RunWriter writer = RunWriter::create(whole, sim, {".", 1}, false);
    const RunResult result = run_days(sim, &writer, &recorded);
    EXPECT_EQ(result.end, RunEnd::complete);
    EXPECT_EQ(result.first_day, 0);
    EXPECT_EQ(result.days_simulated(), s.time.days);
    EXPECT_GT(result.seconds, 0.0);
  }
  EXPECT_EQ(recorded.days, std::vector<int>({0, 1, 2, 3, 4, 5, 6, 7, 8}));
  if (world.is_root()) {
    EXPECT_FALSE(fs::exists(partial_path(whole))) << "a complete run's file is renamed";
    h5::Id file = h5::open_file(whole, MPI_COMM_NULL, false);
    EXPECT_EQ(h5::read_all<double>(h5::open_dataset(file, "market/lmp")), recorded.lmp);
    EXPECT_EQ(h5::integer_attribute(h5::group(file, "checkpoint", false), "day"), s.time.days)
        << "a finished run's checkpoint is after its last day";
  }

  // The same run cut after day 5 (its checkpoint there), continued by the loop: the same days.
  {
    Simulation sim(s, world, 1);
    RunWriter writer = RunWriter::create(cut, sim, {".", 1}, false);
    for (int d = 0; d < 6; ++d) writer.write_day(sim, sim.step());
    writer.write_checkpoint(sim);
  }
  world.barrier();
  {
    Simulation resumed(s, world, 1);
    RunWriter writer = RunWriter::resume(cut, resumed, {".", 1});
    DayRecorder rest;
    const RunResult result = run_days(resumed, &writer, &rest);
    EXPECT_EQ(result.first_day, 6);
    EXPECT_EQ(rest.days, std::vector<int>({6, 7, 8}));
    EXPECT_EQ(rest.lmp, std::vector<double>(
                            recorded.lmp.end() - 3 * static_cast<std::ptrdiff_t>(
                                                         s.time.periods * s.network.buses.size()),
                            recorded.lmp.end()));
  }
  world.barrier();
  if (world.is_root()) fs::remove_all(dir);
}

}  // namespace
}  // namespace mfgrid
