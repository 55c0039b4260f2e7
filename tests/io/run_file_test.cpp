// The run file, written by every rank of the world communicator (run under mpiexec at 1, 2 and 3
// ranks): what it holds equals what the simulation produced, every dataset is described and has
// named dimensions, days written in batches equal days written daily, a checkpoint restores a
// simulation that continues exactly as the original, a copy taken after a checkpoint is a run of
// its own, and a complete run's file can drop its checkpoint (output.keep_checkpoint = false).
#include "mfgrid/io/run_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <array>
#include <filesystem>
#include <map>

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

// A copy of the run taken after its checkpoint (copy_to) is a run of its own: resumed, it ends
// with the file the run itself ends with, whose own file the copy left untouched. The copy refuses
// the run's own name, an existing copy without force, and a time that is not right after a
// checkpoint.
TEST_F(RunFileTest, ACopyAfterTheCheckpointIsARunOfItsOwn) {
  const Scenario s = scenario();
  {
    Simulation sim(s, world, 1);
    RunWriter writer = RunWriter::create(path("trunk.h5"), sim, {".", 1}, false);
    for (int d = 0; d < 3; ++d) writer.write_day(sim, sim.step());
    EXPECT_THROW(writer.copy_to(sim, path("branch.h5"), false), Error);  // no checkpoint of day 3
    writer.write_checkpoint(sim);
    writer.copy_to(sim, path("branch.h5"), false);
    EXPECT_THROW(writer.copy_to(sim, path("branch.h5"), false), IoError);
    EXPECT_THROW(writer.copy_to(sim, path("trunk.h5.partial"), true), IoError);
    writer.copy_to(sim, path("branch.h5"), true);
    for (int d = 3; d < s.time.days; ++d) writer.write_day(sim, sim.step());
    writer.finish(sim);
  }
  {
    Simulation sim(s, world, 1);
    RunWriter writer = RunWriter::resume(path("branch.h5"), sim, {".", 1});
    EXPECT_EQ(sim.day(), 3);
    for (int d = 3; d < s.time.days; ++d) writer.write_day(sim, sim.step());
    writer.finish(sim);
  }
  world.barrier();
  if (!world.is_root()) return;
  EXPECT_FALSE(fs::exists(path("branch.h5.partial")));
  h5::Id trunk = h5::open_file(path("trunk.h5"), MPI_COMM_NULL, false);
  h5::Id branch = h5::open_file(path("branch.h5"), MPI_COMM_NULL, false);
  for (const char* name : {"market/lmp", "outcome/eei", "agents/soc", "followers/policy"})
    EXPECT_EQ(read<double>(branch, name), read<double>(trunk, name)) << name;
  EXPECT_EQ(read<std::int64_t>(branch, "meanfield/soc_hist"),
            read<std::int64_t>(trunk, "meanfield/soc_hist"));
  EXPECT_EQ(h5::integer_attribute(branch, "resumed"), 1);
  EXPECT_EQ(h5::integer_attribute(trunk, "days_done"), s.time.days);
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

// What a dataset holds, comparable between files: its bytes as stored, or its strings.
std::string contents(hid_t dataset) {
  h5::Id type(H5Dget_type(dataset), H5Tclose);
  h5::Id space(H5Dget_space(dataset), H5Sclose);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  if (H5Tis_variable_str(type) > 0) {
    std::vector<char*> text(n);
    if (n > 0) H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data());
    std::string all;
    for (char* t : text) all += std::string(t) + '\n';
    if (n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, text.data());
    return all;
  }
  std::string bytes(n * H5Tget_size(type), '\0');
  if (n > 0) H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
  return bytes;
}

// output.keep_checkpoint = false: the complete file is a copy without /checkpoint, smaller by at
// least what the checkpoints stored (the replaced mid-run one's space included), every other
// dataset as the kept file has it, its checksums valid; its header says so, and a resume refuses
// it before anything is built.
TEST_F(RunFileTest, WithoutKeepCheckpointTheCompleteFileDropsIt) {
  std::map<bool, std::string> files;
  for (bool keep : {true, false}) {
    const Scenario s = scenario(std::string("output.keep_checkpoint=") + (keep ? "true" : "false"));
    Simulation sim(s, world, 2);
    files[keep] = path(keep ? "kept.h5" : "dropped.h5");
    RunWriter writer = RunWriter::create(files[keep], sim, {".", 2}, false);
    for (int d = 0; d < s.time.days; ++d) {
      writer.write_day(sim, sim.step());
      if (d == 2) writer.write_checkpoint(sim);
    }
    writer.finish(sim);
  }
  for (const char* left : {".partial", ".partial.compact", ".lock"})
    EXPECT_FALSE(fs::exists(files[false] + left)) << left;
  try {
    RunWriter::check_resumable(files[false], world);
    ADD_FAILURE() << "a complete run without its checkpoint was resumable";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("complete; nothing to resume (and its checkpoint was "
                                         "dropped when it completed"),
              std::string::npos)
        << e.what();
  }
  if (!world.is_root()) return;

  h5::Id kept = h5::open_file(files[true], MPI_COMM_NULL, false);
  h5::Id dropped = h5::open_file(files[false], MPI_COMM_NULL, false);
  EXPECT_TRUE(h5::exists(kept, "checkpoint"));
  EXPECT_FALSE(h5::exists(dropped, "checkpoint"));
  EXPECT_FALSE(h5::exists(dropped, "checkpoint_next"));
  std::uint64_t checkpoint_bytes = 0;
  std::size_t compared = 0;
  for (const std::string& name : h5::dataset_names(kept)) {
    h5::Id ds = h5::open_dataset(kept, name);
    if (name.starts_with("checkpoint/")) {
      checkpoint_bytes += H5Dget_storage_size(ds);
    } else if (!name.starts_with("perf/")) {  // timings differ from run to run
      EXPECT_EQ(contents(h5::open_dataset(dropped, name)), contents(ds)) << name;
      ++compared;
    }
  }
  EXPECT_EQ(h5::dataset_names(dropped).size(), compared + 2);  // and perf/*
  EXPECT_GT(checkpoint_bytes, 0u);
  EXPECT_LE(fs::file_size(files[false]) + checkpoint_bytes, fs::file_size(files[true]));
  // Every dimension of every series still names its scale.
  for (const char* name : {"market/lmp", "outcome/eei", "agents/ids", "followers/policy"}) {
    h5::Id ds = h5::open_dataset(dropped, name);
    for (unsigned k = 0; k < h5::extent(ds).size(); ++k)
      EXPECT_EQ(H5DSget_num_scales(ds, k), 1) << name << " dimension " << k;
  }

  const RunFileHeader h = read_run_header(files[false]);
  EXPECT_TRUE(h.complete);
  EXPECT_TRUE(h.checkpoint_dropped);
  EXPECT_EQ(h.checkpoint_day, -1);
  const RunFileHeader k = read_run_header(files[true]);
  EXPECT_FALSE(k.checkpoint_dropped);
  EXPECT_EQ(k.checkpoint_day, 6);
  EXPECT_GT(verify_run_file(files[false]), 40u);  // the metadata checksum included
  EXPECT_EQ(read_run_summary(files[false]).eei, read_run_summary(files[true]).eei);
}

// The copy keeps what it does not drop as it was: soft and hard links (an object linked twice is
// one object), group and root attributes (text too), chunked data, and dimension lists naming
// the copies; a kept object that refers to a dropped one is refused.
TEST(H5Copy, KeepsLinksAttributesAndDimensionScales) {
  const Communicator world = Communicator::world();
  if (!world.is_root()) return;
  const fs::path dir = fs::temp_directory_path() / ("mfgrid-copy-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string source = (dir / "source.h5").string(), copy = (dir / "copy.h5").string();
  {
    h5::Id f = h5::create_file(source, MPI_COMM_NULL);
    h5::set_attribute(f, "note", std::string("kept text"));
    h5::set_attribute(f, "gone", std::int64_t{7});
    const std::vector<std::int64_t> index{0, 1, 2};
    h5::Id x = h5::create_dataset(f, "x", H5T_NATIVE_INT64, {{3}, {H5S_UNLIMITED}, {2}, true});
    h5::write_rows(x, H5T_NATIVE_INT64, 0, 3, index.data(), true);
    h5::make_scale(x, "x");
    h5::Id g = h5::group(f, "g", true);
    h5::set_attribute(g, "about", std::string("a group"));
    const std::vector<double> values{1.5, 2.5, 3.5};
    h5::Id y = h5::create_dataset(f, "g/y", H5T_NATIVE_DOUBLE, {{3}, {H5S_UNLIMITED}, {2}, true});
    h5::write_rows(y, H5T_NATIVE_DOUBLE, 0, 3, values.data(), true);
    h5::attach_scale(y, x, 0);
    h5::hard_link(f, "x", "g/x");
    ASSERT_GE(H5Lcreate_soft("/g/y", f, "alias", H5P_DEFAULT, H5P_DEFAULT), 0);
    h5::Id z = h5::create_dataset(f, "drop/z", H5T_NATIVE_DOUBLE, {{3}, {3}, {}, false});
    h5::write_rows(z, H5T_NATIVE_DOUBLE, 0, 3, values.data(), true);
  }
  constexpr std::array<std::string_view, 1> drop{"drop"};
  constexpr std::array<std::string_view, 1> drop_attributes{"gone"};
  {
    h5::Id s = h5::open_file(source, MPI_COMM_NULL, false);
    h5::Id c = h5::copy_file_without(s, copy, drop, drop_attributes);
    // Names, text and dimension lists as the source has them, outside what was dropped.
    EXPECT_EQ(h5::unchecked_metadata(c, drop, {}), h5::unchecked_metadata(s, drop, {}));
  }
  h5::Id c = h5::open_file(copy, MPI_COMM_NULL, false);
  EXPECT_FALSE(h5::exists(c, "drop"));
  EXPECT_FALSE(h5::has_attribute(c, "gone"));
  EXPECT_EQ(h5::string_attribute(c, "note"), "kept text");
  EXPECT_EQ(h5::string_attribute(h5::group(c, "g", false), "about"), "a group");
  EXPECT_EQ(read<double>(c, "g/y"), (std::vector<double>{1.5, 2.5, 3.5}));
  EXPECT_EQ(h5::chunk_dims(h5::open_dataset(c, "g/y")), (std::vector<hsize_t>{2}));
  H5L_info_t alias;
  ASSERT_GE(H5Lget_info(c, "alias", &alias, H5P_DEFAULT), 0);
  EXPECT_EQ(alias.type, H5L_TYPE_SOFT);
  EXPECT_EQ(read<double>(c, "alias"), read<double>(c, "g/y"));
  H5O_info_t root_x, group_x, scale;
  H5Oget_info_by_name2(c, "x", &root_x, H5O_INFO_BASIC, H5P_DEFAULT);
  H5Oget_info_by_name2(c, "g/x", &group_x, H5O_INFO_BASIC, H5P_DEFAULT);
  EXPECT_EQ(root_x.addr, group_x.addr);
  h5::Id y = h5::open_dataset(c, "g/y");
  ASSERT_EQ(H5DSget_num_scales(y, 0), 1);
  H5DSiterate_scales(
      y, 0, nullptr,
      [](hid_t, unsigned, hid_t s, void* out) -> herr_t {
        return H5Oget_info2(s, static_cast<H5O_info_t*>(out), H5O_INFO_BASIC);
      },
      &scale);
  EXPECT_EQ(scale.addr, root_x.addr);
  EXPECT_EQ(H5DSis_attached(y, h5::open_dataset(c, "x"), 0), 1);

  // A kept dataset whose dimension is a dropped scale cannot be copied faithfully.
  {
    h5::Id f = h5::open_file(source, MPI_COMM_NULL, true);
    h5::Id z = h5::open_dataset(f, "drop/z");
    h5::make_scale(z, "z");
    h5::attach_scale(h5::open_dataset(f, "g/y"), z, 0);
  }
  h5::Id s = h5::open_file(source, MPI_COMM_NULL, false);
  try {
    h5::copy_file_without(s, (dir / "refused.h5").string(), drop, drop_attributes);
    ADD_FAILURE() << "copied a reference to a dropped object";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("refers to an object that is not copied"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}
}  // namespace
}  // namespace mfgrid
