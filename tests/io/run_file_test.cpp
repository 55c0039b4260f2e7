// The run file, written by every rank of the world communicator (run under mpiexec at 1, 2 and 3
// ranks): what it holds equals what the simulation produced, every dataset is described and has
// named dimensions, days written in batches equal days written daily, and a checkpoint restores a
// simulation that continues exactly as the original.
#include "mfgrid/io/run_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <filesystem>

#include "agents/test_scenarios.hpp"
#include "io/h5.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/io/run_summary.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {
namespace {

namespace fs = std::filesystem;

// A directory every rank agrees on, removed at the end.
class RunFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir;
    if (world.is_root())
      dir = (fs::temp_directory_path() / ("mfgrid-io-" + std::to_string(::getpid()))).string();
    world.broadcast(dir);
    dir_ = dir;
    if (world.is_root()) fs::create_directories(dir_);
    world.barrier();
  }
  void TearDown() override {
    world.barrier();
    if (world.is_root()) fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (fs::path(dir_) / name).string(); }

  Communicator world = Communicator::world();
  std::string dir_;
};

Scenario scenario(const std::string& extra = "output.write_every_days=10") {
  return testing::small_scenario_with({"population.scale=41", "output.sample_agents=7",
                                       "time.days=6", "checkpoint.every_days=0", extra});
}

template <class T>
std::vector<T> read(hid_t file, const std::string& name) {
  h5::Id ds = h5::open_dataset(file, name);
  return h5::read_all<T>(ds);
}

TEST_F(RunFileTest, HoldsWhatTheSimulationProduced) {
  const Scenario s = scenario();
  Simulation sim(s, world, 2);
  RunWriter writer = RunWriter::create(path("run.h5"), sim, {".", 2}, false);
  std::vector<double> lmp, eei, sample_soc;
  std::vector<std::int64_t> soc_hist_total;
  for (int d = 0; d < s.time.days; ++d) {
    const DayOutcome& day = sim.step();
    writer.write_day(sim, day);
    lmp.insert(lmp.end(), day.lmp.values().begin(), day.lmp.values().end());
    eei.insert(eei.end(), day.bills.group_eei.begin(), day.bills.group_eei.end());
    for (int t = 0; t < s.time.periods; ++t)
      for (int j = 0; j < 7; ++j)
        sample_soc.push_back(static_cast<double>(sim.statistics().sample_soc(j, t)) * 1e-6);
  }
  writer.finish(sim);
  EXPECT_TRUE(fs::exists(path("run.h5")));
  EXPECT_FALSE(fs::exists(path("run.h5.partial")));
  if (!world.is_root()) return;

  h5::Id file = h5::open_file(path("run.h5"), MPI_COMM_NULL, false);
  EXPECT_EQ(read<double>(file, "market/lmp"), lmp);
  EXPECT_EQ(read<double>(file, "outcome/eei"), eei);
  EXPECT_EQ(read<double>(file, "agents/soc"), sample_soc);
  EXPECT_EQ(read<std::int64_t>(file, "agents/ids"), sim.sample_ids());
  EXPECT_EQ(
      h5::extent(h5::open_dataset(file, "market/lmp")),
      (std::vector<hsize_t>{6, static_cast<hsize_t>(s.time.periods), s.network.buses.size()}));
  // Every agent's state is in the checkpoint, by global id: the sum is the population's.
  const auto soc = read<float>(file, "checkpoint/soc");
  EXPECT_EQ(soc.size(), static_cast<std::size_t>(sim.layout().total()));
  EXPECT_EQ(h5::integer_attribute(file, "seed"), static_cast<std::int64_t>(s.seed));
  EXPECT_EQ(h5::integer_attribute(file, "ranks"), world.size());
  EXPECT_EQ(h5::integer_attribute(file, "days_done"), 6);
  EXPECT_EQ(h5::integer_attribute(file, "complete"), 1);
  EXPECT_EQ(h5::string_attribute(file, "scenario"), s.resolved_toml);

  // Every result dataset has units, a description, and a dimension scale on every dimension.
  int described = 0;
  for (const char* group :
       {"market", "tariff", "outcome", "meanfield", "followers", "leader", "agents", "perf"}) {
    h5::Id g = h5::group(file, group, false);
    H5G_info_t info;
    H5Gget_info(g, &info);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      char name[256];
      H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
      H5O_info_t oi;
      H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT);
      if (oi.type != H5O_TYPE_DATASET) continue;
      h5::Id ds = h5::open_dataset(g, name);
      // The group's links to the dimension scales (for netCDF readers): described, no scales.
      if (H5DSis_scale(ds) > 0) {
        EXPECT_TRUE(h5::has_attribute(ds, "long_name")) << group << "/" << name;
        continue;
      }
      EXPECT_TRUE(h5::has_attribute(ds, "units")) << group << "/" << name;
      EXPECT_TRUE(h5::has_attribute(ds, "long_name")) << group << "/" << name;
      const auto dims = h5::extent(ds);
      for (unsigned k = 0; k < dims.size(); ++k)
        EXPECT_EQ(H5DSget_num_scales(ds, k), 1) << group << "/" << name << " dimension " << k;
      ++described;
    }
  }
  EXPECT_GE(described, 40);

  const RunSummary summary = read_run_summary(path("run.h5"));
  EXPECT_EQ(summary.header.days_done, 6);
  EXPECT_EQ(summary.eei.size(), s.households.groups.size());
  EXPECT_GT(verify_run_file(path("run.h5")), 40u);
}

// A simulation restored from a checkpoint, on this communicator, continues exactly like the
// original did (written on one rank, read back on all).
TEST_F(RunFileTest, CheckpointRestoresTheSimulation) {
  const Scenario s = scenario();
  std::vector<double> reference;
  {
    Simulation sim(s, Communicator::self(), 1);
    for (int d = 0; d < s.time.days; ++d) {
      const DayOutcome& day = sim.step();
      if (d >= 3)
        reference.insert(reference.end(), day.lmp.values().begin(), day.lmp.values().end());
    }
  }
  if (world.is_root()) {
    Simulation sim(s, Communicator::self(), 1);
    RunWriter writer = RunWriter::create(path("ck.h5"), sim, {".", 1}, false);
    for (int d = 0; d < 3; ++d) writer.write_day(sim, sim.step());
    writer.write_checkpoint(sim);
  }
  world.barrier();
  Simulation resumed(s, world, 2);
  RunWriter writer = RunWriter::resume(path("ck.h5"), resumed, {".", 2});
  EXPECT_EQ(resumed.day(), 3);
  std::vector<double> lmp;
  for (int d = 3; d < s.time.days; ++d) {
    const DayOutcome& day = resumed.step();
    writer.write_day(resumed, day);
    lmp.insert(lmp.end(), day.lmp.values().begin(), day.lmp.values().end());
  }
  EXPECT_EQ(lmp, reference);
  writer.finish(resumed);
  if (world.is_root()) {
    h5::Id file = h5::open_file(path("ck.h5"), MPI_COMM_NULL, false);
    EXPECT_EQ(h5::extent(h5::open_dataset(file, "market/lmp")).at(0), 6u);
    EXPECT_EQ(h5::integer_attribute(file, "resumed"), 1);
  }
}

// Days are kept in memory and written in batches (output.write_every_days) and before every
// checkpoint: the file holds exactly what daily writes hold, and a run that dies between batches
// leaves the days of its last batch, readable.
TEST_F(RunFileTest, BatchesOfDaysHoldWhatDailyWritesHold) {
  auto run = [&](const std::string& name, int every, bool finish) {
    const Scenario s = scenario("output.write_every_days=" + std::to_string(every));
    Simulation sim(s, world, 1);
    RunWriter writer = RunWriter::create(path(name), sim, {".", 1}, false);
    for (int d = 0; d < s.time.days; ++d) writer.write_day(sim, sim.step());
    if (finish) writer.finish(sim);
  };
  run("daily.h5", 1, true);
  run("batched.h5", 4, true);
  run("died.h5", 4, false);  // closed without finishing after day 5, as if killed
  world.barrier();
  if (!world.is_root()) return;
  h5::Id daily = h5::open_file(path("daily.h5"), MPI_COMM_NULL, false);
  h5::Id batched = h5::open_file(path("batched.h5"), MPI_COMM_NULL, false);
  for (const char* name : {"market/lmp", "tariff/theta", "outcome/eei", "agents/soc", "agents/net",
                           "followers/policy", "followers/exploitability", "leader/objective"})
    EXPECT_EQ(read<double>(batched, name), read<double>(daily, name)) << name;
  for (const char* name : {"day", "iteration", "interaction", "meanfield/soc_hist"})
    EXPECT_EQ(read<std::int64_t>(batched, name), read<std::int64_t>(daily, name)) << name;
  EXPECT_EQ(h5::extent(h5::open_dataset(batched, "perf/seconds")),
            h5::extent(h5::open_dataset(daily, "perf/seconds")));
  EXPECT_EQ(h5::integer_attribute(batched, "days_done"), 6);

  h5::Id died = h5::open_file(path("died.h5.partial"), MPI_COMM_NULL, false);
  EXPECT_EQ(h5::integer_attribute(died, "days_done"), 4);
  EXPECT_EQ(h5::integer_attribute(died, "complete"), 0);
  std::vector<double> first_four = read<double>(daily, "market/lmp");
  first_four.resize(first_four.size() / 6 * 4);
  EXPECT_EQ(read<double>(died, "market/lmp"), first_four);
  EXPECT_EQ(h5::extent(h5::open_dataset(died, "perf/seconds")).at(0), 4u);
}

TEST_F(RunFileTest, RefusesToOverwriteWithoutForce) {
  const Scenario s = scenario();
  Simulation sim(s, world, 1);
  { RunWriter w = RunWriter::create(path("x.h5"), sim, {".", 1}, false); }
  // The abandoned PATH.partial stands for an interrupted run.
  try {
    RunWriter::create(path("x.h5"), sim, {".", 1}, false);
    FAIL() << "overwrote an interrupted run";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("mfgrid resume"), std::string::npos) << e.what();
  }
  RunWriter again = RunWriter::create(path("x.h5"), sim, {".", 1}, true);
  again.finish(sim);
  EXPECT_THROW(RunWriter::create(path("x.h5"), sim, {".", 1}, false), IoError);
}

TEST_F(RunFileTest, ForeignAndMissingFilesAreClearErrors) {
  if (!world.is_root()) return;
  EXPECT_THROW(read_run_header(path("none.h5")), IoError);
  {
    std::FILE* f = std::fopen(path("text.h5").c_str(), "w");
    std::fputs("not hdf5\n", f);
    std::fclose(f);
  }
  try {
    read_run_header(path("text.h5"));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("not an HDF5 file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("text.h5"), std::string::npos) << e.what();
  }
  { h5::Id f = h5::create_file(path("other.h5"), MPI_COMM_NULL); }
  try {
    read_run_header(path("other.h5"));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("not an mfgrid run file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mfgrid
