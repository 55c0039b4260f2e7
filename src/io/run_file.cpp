#include "mfgrid/io/run_file.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>

#include "io/checksums.hpp"
#include "io/file_system.hpp"
#include "io/h5.hpp"
#include "mfgrid/config/scenario_diff.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/timer.hpp"
#include "mfgrid/core/version.hpp"
#include "mfgrid/io/file_probe.hpp"
#include "mfgrid/io/run_lock.hpp"
#include "mfgrid/leader/leader_objective.hpp"
#include "mfgrid/parallel/collective_step.hpp"

namespace mfgrid {

namespace {

constexpr const char* format_name = "mfgrid-run";
constexpr std::int64_t format_version = 1;
constexpr double micro = 1e-6;  // micro-kWh → kWh

// The growing dimensions: a row per day, per follower update, per leader interaction.
constexpr std::array<const char*, 3> growing_dims{"day", "iteration", "interaction"};
constexpr hsize_t growing_scale_chunk = 256;  // rows per chunk of their scales
// The series every rank writes its own part of (its sampled agents, its timings), point by point.
constexpr std::array<const char*, 4> pointwise_series{"agents/soc", "agents/net", "perf/seconds",
                                                      "perf/peak_memory"};

struct Variable {
  const char* path;
  std::vector<std::string> dims;
  hid_t type;
  const char* units;
  const char* long_name;
};

// Every dataset the run file holds, with its dimensions, units and description.
std::vector<Variable> schema() {
  const hid_t f64 = H5T_NATIVE_DOUBLE, f32 = H5T_NATIVE_FLOAT, i64 = H5T_NATIVE_INT64;
  return {
      {"market/lmp", {"day", "period", "bus"}, f64, "$/MWh", "locational marginal price"},
      {"market/net_load",
       {"day", "period", "bus"},
       f64,
       "MW",
       "net withdrawal at the bus: base load plus households"},
      {"market/household_load",
       {"day", "period", "bus"},
       f64,
       "MW",
       "households' net withdrawal (imports minus exports)"},
      {"market/dispatch", {"day", "period", "generator"}, f64, "MW", "generator dispatch"},
      {"market/flow", {"day", "period", "line"}, f64, "MW", "line flow, from → to"},
      {"market/shed", {"day", "period", "bus"}, f64, "MW", "load shed at the value of lost load"},
      {"market/spill", {"day", "period", "bus"}, f64, "MW", "surplus injection spilled"},
      {"market/solar_factor", {"day", "bus"}, f32, "1", "the day's solar factor (weather)"},
      {"market/load_factor",
       {"day", "bus"},
       f64,
       "1",
       "the day's factor of the exogenous base load (weather and season)"},
      {"tariff/theta",
       {"day", "param"},
       f64,
       "mixed (see param labels)",
       "posted tariff parameters, real units"},
      {"tariff/import_rate", {"day", "period", "bus"}, f64, "$/MWh", "posted import rate"},
      {"tariff/fixed_charge", {"day", "group"}, f64, "$/day", "fixed charge per household"},
      {"tariff/peak_charge", {"day"}, f64, "$/kW-day", "peak (capacity) charge"},
      {"tariff/export_rate", {"day"}, f64, "$/MWh", "fixed export rate (when crediting is fixed)"},
      {"outcome/bill", {"day", "group"}, f64, "$/day", "mean bill per household of the group"},
      {"outcome/class_bill",
       {"day", "class"},
       f64,
       "$/day",
       "mean bill per household of the class"},
      {"outcome/eei",
       {"day", "group"},
       f64,
       "1",
       "energy expenditure incidence: annual energy bill / income"},
      {"outcome/inequality",
       {"day"},
       f64,
       "1",
       "inequality of EEI across groups (the leader's measure)"},
      {"outcome/revenue", {"day"}, f64, "$/day", "utility revenue from all bills"},
      {"outcome/energy_purchase",
       {"day"},
       f64,
       "$/day",
       "utility's purchase of the households' net energy at LMP"},
      {"outcome/revenue_adequacy",
       {"day"},
       f64,
       "$/day",
       "revenue minus energy purchase minus network cost"},
      {"outcome/cost", {"day"}, f64, "$/day", "wholesale cost: generation, shedding, spill"},
      {"outcome/congested_periods", {"day"}, i64, "1", "periods with a line at its limit"},
      {"meanfield/soc_hist",
       {"day", "period", "class", "soc_bin"},
       i64,
       "agents",
       "agents by state-of-charge bin at the start of the period"},
      {"meanfield/action_hist",
       {"day", "period", "class", "action"},
       i64,
       "agents",
       "agents by battery action in the period"},
      {"agents/soc",
       {"day", "period", "agent_sample"},
       f64,
       "kWh",
       "sampled agents' state of charge at the end of the period"},
      {"agents/net",
       {"day", "period", "agent_sample"},
       f64,
       "kWh",
       "sampled agents' net withdrawal in the period"},
      {"perf/seconds", {"day", "rank", "phase"}, f64, "s", "wall-clock seconds per phase and rank"},
      {"perf/peak_memory", {"day", "rank"}, f64, "MiB", "peak resident memory of the rank so far"},
      {"followers/policy",
       {"iteration", "class", "period", "soc_bin", "action"},
       f64,
       "1",
       "followers' policy π(action | soc_bin, period) after the update"},
      {"followers/policy_residual", {"iteration"}, f64, "1", "‖Δπ‖₁ of the update"},
      {"followers/meanfield_residual", {"iteration"}, f64, "1", "‖Δμ‖₁ of the update"},
      {"followers/fixed_point_iteration",
       {"iteration"},
       i64,
       "1",
       "iteration of the fixed point since the tariff last changed"},
      {"followers/day", {"iteration"}, i64, "day", "the day after which the followers learned"},
      {"followers/converged", {"iteration"}, i64, "1", "both residuals below tolerance"},
      {"followers/exploitability",
       {"iteration", "class"},
       f64,
       "$/member-day",
       "what a member saves by deviating to its best response"},
      {"leader/objective", {"interaction"}, f64, "1", "leader objective J of the posted tariff"},
      {"leader/theta",
       {"interaction", "param"},
       f64,
       "mixed (see param labels)",
       "the tariff evaluated, real units"},
      {"leader/next_theta",
       {"interaction", "param"},
       f64,
       "mixed (see param labels)",
       "the tariff posted next, real units"},
      {"leader/eei", {"interaction", "group"}, f64, "1", "EEI per group of the window's response"},
      {"leader/bill", {"interaction", "group"}, f64, "$/day", "mean bill per household"},
      {"leader/inequality", {"interaction"}, f64, "1", "inequality of EEI across groups"},
      {"leader/revenue_adequacy", {"interaction"}, f64, "$/day", "revenue adequacy"},
      {"leader/cost", {"interaction"}, f64, "$/day", "wholesale cost"},
      {"leader/peak", {"interaction"}, f64, "MW", "peak household net withdrawal"},
      {"leader/trust_radius", {"interaction"}, f64, "1", "trust radius (zo-surrogate)"},
      {"leader/policy_change", {"interaction"}, f64, "1", "‖Δπ_L‖₁ (softmax-net)"},
      {"leader/day", {"interaction"}, i64, "day", "last day of the interaction's window"},
  };
}

struct Series {
  h5::Id dataset;
  hid_t type = H5T_NATIVE_DOUBLE;
  std::string dim;   // its growing dimension
  hsize_t rows = 0;  // in the file
  // Rows kept in memory until the next batch: whole rows (written by rank 0), or, for the series
  // each rank writes its own part of, the points' coordinates and values.
  hsize_t pending = 0;
  std::vector<unsigned char> data;
  std::vector<hsize_t> coords;
  bool pointwise = false;
  hsize_t chunk_rows = 1;  // rows per chunk
  hsize_t row_bytes = 0;   // bytes of one whole row (every rank's points together)

  hsize_t next_row() const { return rows + pending; }
  // Adds one row (kept in memory); returns its index.
  hsize_t add_row() { return rows + pending++; }
  template <class T>
  void keep(std::span<const T> values) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
    data.insert(data.end(), bytes, bytes + values.size_bytes());
  }
  // At most the bytes the pending rows add to the file: every chunk they touch is written anew
  // (compressed, a chunk that grows gets new space), deflate expands incompressible data by under
  // 1 %, and each chunk carries a checksum and an index entry.
  std::uint64_t batch_bytes_bound() const {
    if (pending == 0) return 0;
    const hsize_t chunks = (rows + pending - 1) / chunk_rows - rows / chunk_rows + 1;
    return chunks * (chunk_rows * row_bytes * 101 / 100 + 64);
  }
};

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::int64_t total_agents(const Simulation& sim) { return sim.layout().total(); }

std::vector<std::pair<hsize_t, hsize_t>> agent_blocks(const Simulation& sim) {
  std::vector<std::pair<hsize_t, hsize_t>> blocks;
  for (const ClassBlock& b : sim.population().blocks())
    blocks.emplace_back(static_cast<hsize_t>(b.global_begin), static_cast<hsize_t>(b.size));
  return blocks;
}

std::uint64_t archive_bytes(const StateArchive& archive) {
  std::uint64_t bytes = 0;
  for (const auto& entry : archive.entries())
    std::visit([&](const auto& v) { bytes += v.size() * sizeof(v[0]) + 1024; }, entry.second);
  return bytes;
}

// Room HDF5 needs besides the data of a write: object headers, chunk indices, the superblock,
// and the free-space bookkeeping of rewritten chunks.
constexpr std::uint64_t metadata_margin = 1u << 20;

// The rows of every series a checkpoint keeps, by growing dimension.
std::map<std::string, hsize_t> kept_rows(hid_t checkpoint) {
  std::map<std::string, hsize_t> rows;
  for (const char* d : growing_dims)
    rows[d] = static_cast<hsize_t>(h5::integer_attribute(checkpoint, std::string("rows_") + d));
  return rows;
}

// The growing dimension of each series (the growing scales are series of their own).
std::map<std::string, std::string> series_dims() {
  std::map<std::string, std::string> dims;
  for (const char* d : growing_dims) dims[d] = d;
  for (const Variable& v : schema()) dims[v.path] = v.dims[0];
  return dims;
}

// h5::read_checked, with the error a resume gives.
void read_rows_checked(hid_t dataset, const std::string& name, hsize_t rows,
                       const std::string& path) {
  if (h5::rows(dataset) < rows)
    throw IoError(path, "'" + name + "' is shorter than the checkpoint says (" +
                            std::to_string(h5::rows(dataset)) + " rows, " + std::to_string(rows) +
                            " kept)");
  try {
    h5::read_checked(dataset, rows);
  } catch (const IoError& damaged) {
    throw IoError(path, "cannot resume: '" + name +
                            "' is damaged in the part the checkpoint keeps (" + damaged.what() +
                            "); the run cannot be continued: start it again with `mfgrid run "
                            "… --force`");
  }
}

// Rank 0, before the ranks open the file together: checks everything the checkpoint keeps (each
// chunk's checksum, and ours over the text HDF5 keeps without one) and cuts every series back to
// the checkpoint, through HDF5's serial driver. Why serially: shrinking a chunked, filtered
// dataset through the MPI-IO driver (HDF5 1.10.8) leaves its edge chunk such that the next
// collective write to it fails, with nothing on the error stack — every resume after a batch had
// been written past the checkpoint failed at 1 rank and hung at 2. The serial driver prunes the
// edge chunk correctly (tested: the resumed file equals an uninterrupted run's).
void prepare_resume(const std::string& path) {
  h5::Id file = h5::open_file(path, MPI_COMM_NULL, true);
  const std::string group = h5::exists(file, "checkpoint") ? "checkpoint" : "checkpoint_next";
  std::map<std::string, hsize_t> rows;
  {
    h5::Id g = h5::group(file, group, false);
    if (h5::integer_attribute(g, "complete") != 1)
      throw IoError(path, "the checkpoint is incomplete");
    rows = kept_rows(g);
  }
  if (h5::has_attribute(file, io::metadata_checksum_attribute) &&
      h5::string_attribute(file, io::metadata_checksum_attribute) != io::metadata_checksum(file))
    throw IoError(path,
                  "cannot resume: attribute text or dimension lists are damaged (their checksum "
                  "does not match); start the run again with --force");
  const std::vector<std::string> names = h5::dataset_names(file);
  const auto dims = series_dims();
  const std::string dropped = group == "checkpoint" ? "checkpoint_next/" : "";
  for (const std::string& name : names) {
    if ((!dropped.empty() && name.starts_with(dropped)) || name.starts_with("agents/state/"))
      continue;
    h5::Id ds = h5::open_dataset(file, name);
    const auto dim = dims.find(name);
    const hsize_t keep = dim != dims.end() ? rows.at(dim->second) : h5::rows(ds);
    read_rows_checked(ds, name, keep, path);
  }
  for (const auto& [name, dim] : dims) {
    h5::Id ds = h5::open_dataset(file, name);
    if (h5::rows(ds) == rows.at(dim)) continue;
    auto e = h5::extent(ds);
    e[0] = rows.at(dim);
    h5::check_write(H5Dset_extent(ds, e.data()), path, "cannot cut '" + name + "' back");
  }
  if (!dropped.empty() && h5::exists(file, "checkpoint_next"))
    h5::check_write(H5Ldelete(file, "checkpoint_next", H5P_DEFAULT), path,
                    "cannot remove an unfinished checkpoint");
  h5::check_write(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "cannot flush");
}

}  // namespace

std::string partial_path(const std::string& path) { return path + ".partial"; }

std::string final_path_of(const std::string& path) {
  constexpr std::string_view suffix = ".partial";
  if (path.size() > suffix.size() && path.ends_with(suffix))
    return path.substr(0, path.size() - suffix.size());
  return path;
}

bool run_file_left_open() { return h5::file_left_unclosed(); }

struct RunWriter::Impl {
  // Declared first, so released last: the file is closed before anyone else may open it.
  RunLock lock;  // held by rank 0
  std::string final_path, path;
  Communicator comm;
  MPI_Comm mpi = MPI_COMM_NULL;
  int rank = 0, ranks = 1;
  h5::Id file;
  std::map<std::string, Series> series;
  std::map<std::string, h5::Id> scales;
  std::map<std::string, hsize_t> dim_size;
  std::int64_t checkpoint_day = -1;  // the day the file's checkpoint resumes at
  hsize_t days_flushed = 0;          // days on disk as of the last flush
  double io_seconds = 0.0;

  Impl(const Communicator& c, std::string final_name, std::string written_name)
      : final_path(std::move(final_name)),
        path(std::move(written_name)),
        comm(c),
        mpi(c.handle()),
        rank(c.rank()),
        ranks(c.size()) {}

  bool root() const { return rank == 0; }

  // What a failure leaves of the run, for the messages of failed writes: after a refused write
  // (`wrote` false) what the file certainly keeps, after a failed one what its last flush wrote.
  std::string what_survives(bool wrote) const {
    const std::string days =
        days_flushed > 0 ? "days 0-" + std::to_string(days_flushed - 1) : std::string("no day");
    const std::string kept = checkpoint_day > 0 ? days + " and the checkpoint after day " +
                                                      std::to_string(checkpoint_day - 1)
                                                : days + " and no checkpoint yet";
    const std::string next = checkpoint_day > 0 ? "continue with `mfgrid resume " + final_path + "`"
                                                : "start again with --force";
    if (!wrote)
      return "nothing was written: the file keeps " + kept + "; once the cause is fixed, " + next;
    return "the file was left as its last flush wrote it (" + kept +
           "; the failed write may have damaged more, which resume checks); once the cause is "
           "fixed, " +
           next;
  }

  // One step every rank takes together (see collectively): its failures, on whichever rank,
  // stop every rank; a failed write also says what the file still holds and how to go on.
  // A step that `writes` and fails abandons the file (see abandon).
  template <class F>
  void step(F&& part, bool writes = true) {
    try {
      collectively(comm, [&] {
        try {
          part();
        } catch (const IoFailure& e) {
          throw IoFailure(e.path(), e.reason() + "; " + what_survives(writes));
        }
      });
    } catch (...) {
      if (writes) abandon();
      throw;
    }
  }

  // After a failed write: the file is left as its last flush wrote it. Closing it would make
  // HDF5 flush what the failed write left in its caches — on a full disk, half of it, which
  // damaged the file's structure and lost the checkpoint (tested). The identifiers are dropped
  // unclosed, and the process must then end without shutting HDF5 down (run_file_left_open).
  void abandon() {
    for (auto& [name, s] : series) h5::abandon(s.dataset);
    for (auto& [name, s] : scales) h5::abandon(s);
    h5::abandon(file);
    series.clear();
    scales.clear();
  }

  // Before a write of up to `bytes`: every rank learns, before any collective HDF5 call, that the
  // file system cannot take it (a write HDF5 cannot finish leaves its state undefined).
  void ensure_space(std::uint64_t bytes, const std::string& what) {
    step(
        [&] {
          if (root()) io::require_space(path, bytes + metadata_margin, what);
        },
        false);
  }

  std::uint64_t pending_bytes() const {
    std::uint64_t bytes = 0;
    for (const auto& [name, s] : series) bytes += s.batch_bytes_bound();
    // The timings of the kept days are added to their series only when the batch is written.
    for (const char* name : {"perf/seconds", "perf/peak_memory"}) {
      Series s = {};
      const Series& perf = series.at(name);
      s.rows = perf.rows;
      s.pending = pending_perf.size();
      s.chunk_rows = perf.chunk_rows;
      s.row_bytes = perf.row_bytes;
      bytes += s.batch_bytes_bound();
    }
    return bytes;
  }

  void set_dims(const Simulation& sim) {
    const Scenario& s = sim.scenario();
    dim_size = {{"period", s.time.periods},
                {"bus", s.network.buses.size()},
                {"line", s.network.lines.size()},
                {"generator", s.network.generators.size()},
                {"class", s.households.classes.size()},
                {"group", s.households.groups.size()},
                {"soc_bin", sim.model().soc_bins},
                {"action", sim.model().actions()},
                {"param", sim.tariff_parameters().dimension()},
                {"agent_sample", sim.sample_ids().size()},
                {"rank", ranks},
                {"phase", phase_names.size()}};
  }

  // A fixed dimension's scale: its index values, with the names of its members as labels.
  void fixed_scale(const std::string& name, const std::vector<std::string>& labels,
                   const char* long_name) {
    const hsize_t n = dim_size.at(name);
    const bool growing = name == "rank";
    h5::Id ds =
        h5::create_dataset(file, name, H5T_NATIVE_INT64,
                           {{n}, {growing ? H5S_UNLIMITED : n}, {std::max<hsize_t>(1, n)}, false});
    std::vector<std::int64_t> index(n);
    for (hsize_t i = 0; i < n; ++i) index[i] = static_cast<std::int64_t>(i);
    h5::write_rows(ds, H5T_NATIVE_INT64, 0, n, index.data(), root());
    h5::make_scale(ds, name);
    h5::set_attribute(ds, "long_name", std::string(long_name));
    h5::set_attribute(ds, "units", std::string("1"));
    if (!labels.empty()) h5::set_attribute(ds, "labels", join(labels));
    scales[name] = std::move(ds);
  }

  // The bytes of one row of a dataset with these dimensions (all but the first, growing one).
  hsize_t row_bytes(const Variable& v) const {
    hsize_t bytes = H5Tget_size(v.type);
    for (std::size_t i = 1; i < v.dims.size(); ++i) bytes *= dim_size.at(v.dims[i]);
    return bytes;
  }

  void create_schema(const Simulation& sim) {
    const Scenario& s = sim.scenario();
    std::vector<std::string> buses, lines, gens, classes, groups, ranks_l, phases, periods;
    for (const auto& b : s.network.buses) buses.push_back(b.name);
    for (const auto& l : s.network.lines) lines.push_back(l.name);
    for (const auto& g : s.network.generators) gens.push_back(g.name);
    for (const auto& c : s.households.classes) classes.push_back(c.name);
    for (const auto& g : s.households.groups) groups.push_back(g.name);
    for (auto p : phase_names) phases.emplace_back(p);
    fixed_scale("period", {}, "period of the day");
    fixed_scale("bus", buses, "bus");
    fixed_scale("line", lines, "line");
    fixed_scale("generator", gens, "generator");
    fixed_scale("class", classes, "household class");
    fixed_scale("group", groups, "income group");
    fixed_scale("soc_bin", {}, "state-of-charge bin");
    fixed_scale("action", {}, "battery action level");
    fixed_scale("param", sim.tariff_parameters().names(), "tariff parameter");
    fixed_scale("agent_sample", {}, "sampled agent");
    fixed_scale("rank", {}, "MPI rank");
    fixed_scale("phase", phases, "phase of a simulated day");
    h5::set_attribute(scales["period"], "hours_per_period", s.time.period_hours());
    for (const char* d : growing_dims) {
      h5::Id ds = h5::create_dataset(file, d, H5T_NATIVE_INT64,
                                     {{0}, {H5S_UNLIMITED}, {growing_scale_chunk}, false});
      h5::make_scale(ds, d);
      h5::set_attribute(ds, "long_name", std::string(d));
      h5::set_attribute(ds, "units", std::string("1"));
      Series sr;
      sr.type = H5T_NATIVE_INT64;
      sr.dim = d;
      sr.dataset = std::move(ds);
      sr.chunk_rows = growing_scale_chunk;
      sr.row_bytes = sizeof(std::int64_t);
      series[d] = std::move(sr);
    }
    for (const Variable& v : schema()) {
      std::vector<hsize_t> dims, maxdims, chunk;
      const hsize_t bytes = row_bytes(v);
      // Chunks of whole days (or updates), about 16 KiB, at most 64 rows: a few chunks per run
      // for small rows, one day per chunk for large ones.
      const hsize_t rows_per_chunk =
          std::clamp<hsize_t>(16384 / std::max<hsize_t>(1, bytes), 1, 64);
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        const bool grows = i == 0 || v.dims[i] == "rank";
        const hsize_t n = i == 0 ? 0 : dim_size.at(v.dims[i]);
        dims.push_back(n);
        maxdims.push_back(grows ? H5S_UNLIMITED : n);
        chunk.push_back(i == 0 ? rows_per_chunk : std::max<hsize_t>(1, n));
      }
      h5::Id ds = h5::create_dataset(file, v.path, v.type, {dims, maxdims, chunk, true});
      h5::set_attribute(ds, "units", std::string(v.units));
      h5::set_attribute(ds, "long_name", std::string(v.long_name));
      Series sr;
      sr.type = v.type;
      sr.dim = v.dims[0];
      sr.dataset = std::move(ds);
      sr.chunk_rows = rows_per_chunk;
      sr.row_bytes = bytes;
      series[v.path] = std::move(sr);
    }
    mark_pointwise();
    attach_all();
    // The sampled agents' global ids, fixed.
    const auto& ids = sim.sample_ids();
    h5::Id ds =
        h5::create_dataset(file, "agents/ids", H5T_NATIVE_INT64,
                           {{ids.size()}, {ids.size()}, {std::max<size_t>(1, ids.size())}, false});
    h5::write_rows(ds, H5T_NATIVE_INT64, 0, ids.size(), ids.data(), root());
    h5::attach_scale(ds, scales["agent_sample"], 0);
    h5::set_attribute(ds, "units", std::string("1"));
    h5::set_attribute(ds, "long_name", std::string("global id of the sampled agent"));
  }

  void attach_all() {
    for (const Variable& v : schema())
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        const auto it = series.find(v.dims[i]);
        const hid_t scale = it != series.end() ? it->second.dataset.get() : scales[v.dims[i]].get();
        h5::attach_scale(series[v.path].dataset, scale, static_cast<unsigned>(i));
      }
  }

  // Opens the series of a resumed file, which prepare_resume cut back to the checkpoint's rows.
  void open_schema(const std::map<std::string, hsize_t>& kept) {
    for (const char* d : growing_dims) {
      Series sr;
      sr.type = H5T_NATIVE_INT64;
      sr.dim = d;
      sr.dataset = h5::open_dataset(file, d);
      sr.rows = h5::rows(sr.dataset);
      sr.chunk_rows = h5::chunk_rows(sr.dataset);
      sr.row_bytes = sizeof(std::int64_t);
      series[d] = std::move(sr);
    }
    for (const Variable& v : schema()) {
      Series sr;
      sr.type = v.type;
      sr.dim = v.dims[0];
      sr.dataset = h5::open_dataset(file, v.path);
      const auto e = h5::extent(sr.dataset);
      if (e.size() != v.dims.size())
        throw IoError(path, "dataset '" + std::string(v.path) + "' has the wrong shape");
      for (std::size_t i = 1; i < v.dims.size(); ++i)
        if (v.dims[i] != "rank" && e[i] != dim_size.at(v.dims[i]))
          throw IoError(path, "dataset '" + std::string(v.path) +
                                  "' does not match the scenario (dimension " + v.dims[i] + ")");
      sr.rows = e[0];
      sr.chunk_rows = h5::chunk_rows(sr.dataset);
      sr.row_bytes = row_bytes(v);
      series[v.path] = std::move(sr);
    }
    for (const auto& [name, s] : series)
      if (s.rows != kept.at(s.dim))
        throw IoError(path, "'" + name + "' was not cut back to the checkpoint");
    scales["rank"] = h5::open_dataset(file, "rank");
    mark_pointwise();
  }

  // Grows the rank dimension when a run resumes on more ranks than it had.
  void ensure_ranks() {
    if (h5::rows(scales["rank"]) >= static_cast<hsize_t>(ranks)) return;
    auto e = h5::extent(scales["rank"]);
    const hsize_t old = e[0];
    e[0] = static_cast<hsize_t>(ranks);
    h5::check_write(H5Dset_extent(scales["rank"], e.data()), path,
                    "cannot grow the rank dimension");
    std::vector<std::int64_t> index;
    for (hsize_t i = old; i < e[0]; ++i) index.push_back(static_cast<std::int64_t>(i));
    h5::write_rows(scales["rank"], H5T_NATIVE_INT64, old, index.size(), index.data(), root());
    for (const char* name : {"perf/seconds", "perf/peak_memory"}) {
      Series& perf = series[name];
      auto pe = h5::extent(perf.dataset);
      pe[1] = e[0];
      h5::check_write(H5Dset_extent(perf.dataset, pe.data()), path,
                      "cannot grow " + std::string(name));
      perf.row_bytes = perf.row_bytes / old * e[0];
    }
  }

  // Appends one row to a series, in memory until the next batch.
  template <class T>
  void append(const std::string& name, const std::vector<T>& row) {
    Series& s = series.at(name);
    s.keep(std::span<const T>(row));
    s.add_row();
  }

  // Writes a series' pending rows: one extension and one write. Collective.
  void write_pending(Series& s) {
    if (s.pending == 0) return;
    auto e = h5::extent(s.dataset);
    e[0] = s.rows + s.pending;
    h5::check_write(H5Dset_extent(s.dataset, e.data()), path, "cannot extend a dataset");
    if (s.pointwise)
      h5::write_points(s.dataset, s.type, s.coords, s.coords.size() / e.size(), s.data.data());
    else
      h5::write_rows(s.dataset, s.type, s.rows, s.pending, s.data.data(), root());
    s.rows += s.pending;
    s.pending = 0;
    s.data.clear();
    s.coords.clear();
  }
  void mark_pointwise() {
    for (const char* name : pointwise_series) series.at(name).pointwise = true;
  }

  // The days kept in memory: this rank's seconds per phase and peak memory of each.
  struct PendingPerf {
    PhaseTimes times;
    double peak_mib = 0;
  };
  std::vector<PendingPerf> pending_perf;

  // Writes every kept day, then flushes. Collective (run it as a step). Each kept day's io time
  // gets an equal share of the batch's writes (the flush and the timings' own write are not
  // counted).
  void write_batch() {
    if (pending_perf.empty()) return;  // every kept row belongs to a kept day
    Stopwatch watch;
    for (auto& [name, s] : series)
      if (!name.starts_with("perf/")) write_pending(s);
    const double share = watch.seconds() / static_cast<double>(pending_perf.size());
    Series& seconds = series.at("perf/seconds");
    Series& memory = series.at("perf/peak_memory");
    for (PendingPerf& p : pending_perf) {
      p.times[Phase::io] += share;
      const hsize_t d = seconds.add_row();
      for (std::size_t k = 0; k < p.times.seconds.size(); ++k)
        seconds.coords.insert(seconds.coords.end(), {d, static_cast<hsize_t>(rank), k});
      seconds.keep(std::span<const double>(p.times.seconds));
      const hsize_t m = memory.add_row();
      memory.coords.insert(memory.coords.end(), {m, static_cast<hsize_t>(rank)});
      memory.keep(std::span<const double>(&p.peak_mib, 1));
    }
    write_pending(seconds);
    write_pending(memory);
    h5::set_attribute(file, "days_done", static_cast<std::int64_t>(series.at("day").rows));
    pending_perf.clear();
    flush();
    days_flushed = series.at("day").rows;
  }
  // The kept days as one step, after checking there is room for them.
  void write_batch_step() {
    if (pending_perf.empty()) return;
    ensure_space(pending_bytes(), "writing days to the run file");
    step([&] { write_batch(); });
  }

  void append_scalar(const std::string& name, double v) { append(name, std::vector<double>{v}); }
  void append_integer(const std::string& name, std::int64_t v) {
    append(name, std::vector<std::int64_t>{v});
  }

  void flush() { h5::check_write(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "cannot flush"); }

  // Closes every dataset and the file (collectively); a close that fails is a failed write.
  void close() {
    series.clear();
    scales.clear();
    file.reset();
    if (h5::file_left_unclosed())
      throw IoFailure(path, "cannot close the file: its last writes could not be completed");
  }
};

RunWriter::RunWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RunWriter::RunWriter(RunWriter&&) noexcept = default;
RunWriter& RunWriter::operator=(RunWriter&&) noexcept = default;
RunWriter::~RunWriter() = default;
const std::string& RunWriter::path() const { return impl_->path; }
double RunWriter::io_seconds() const { return impl_->io_seconds; }

namespace {

// Whether a new run may write `path`: its directory exists, and neither PATH nor PATH.partial is
// anything but a regular file, nor (without `force`) exists.
void check_new_output(const std::string& path, const std::string& partial, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw IoError(path, "the directory " + parent.string() + " does not exist");
  io::require_regular_or_absent(path, "the output");
  io::require_regular_or_absent(partial, "the run file being written");
  if (!force) {
    if (fs::exists(fs::symlink_status(path, ec)))
      throw IoError(path, "exists already; choose another output or pass --force to overwrite it");
    if (fs::exists(fs::symlink_status(partial, ec)))
      throw IoError(partial, "exists: an interrupted run; continue it with `mfgrid resume " + path +
                                 "`, or pass --force to start again");
  }
}

RunLock take_lock(const std::string& final_path) {
  std::optional<LockHolder> previous;
  RunLock lock = RunLock::acquire(final_path, &previous);
  if (previous)
    std::fprintf(stderr,
                 "mfgrid: note: took over the stale lock %s left by %s (no longer running)\n",
                 lock_path(final_path).c_str(), previous->describe().c_str());
  return lock;
}

}  // namespace

void RunWriter::check_output(const std::string& path, bool force, const Communicator& comm) {
  collectively(comm, [&] {
    if (!comm.is_root()) return;
    RunLock::refuse_if_held(path);
    check_new_output(path, partial_path(path), force);
  });
}

void RunWriter::check_resumable(const std::string& path, const Communicator& comm) {
  collectively(comm, [&] {
    if (!comm.is_root()) return;
    const std::string final_path = final_path_of(path);
    RunLock::refuse_if_held(final_path);
    io::require_regular_or_absent(final_path, "the run file");
    io::require_regular_or_absent(partial_path(final_path), "the run file");
    probe_run_file(path);
  });
}

RunWriter RunWriter::create(const std::string& path, const Simulation& sim, const RunMetadata& meta,
                            bool force) {
  auto impl = std::make_unique<Impl>(sim.communicator(), path, partial_path(path));
  Impl& w = *impl;
  Stopwatch watch;
  // Under the lock, rank 0 checks the outputs and creates PATH.partial; nobody creates the file
  // before that succeeded.
  w.step(
      [&] {
        if (!w.root()) return;
        w.lock = take_lock(path);
        check_new_output(path, w.path, force);
        io::create_exclusively(w.path, force);
      },
      false);
  w.ensure_space(0, "creating the run file");
  try {
    w.step([&] {
      w.file = h5::create_file(w.path, w.mpi);
      w.set_dims(sim);
      const Scenario& s = sim.scenario();
      const hid_t f = w.file;
      h5::set_attribute(f, "format", std::string(format_name));
      h5::set_attribute(f, "format_version", format_version);
      h5::set_attribute(f, "program", std::string("mfgrid"));
      h5::set_attribute(f, "version", std::string(version()));
      h5::set_attribute(f, "git_revision", std::string(git_revision()));
      h5::set_attribute(f, "seed", static_cast<std::int64_t>(s.seed));
      h5::set_attribute(f, "ranks", static_cast<std::int64_t>(w.ranks));
      h5::set_attribute(f, "threads", static_cast<std::int64_t>(meta.threads));
      h5::set_attribute(f, "scenario", s.resolved_toml);
      h5::set_attribute(f, "scenario_fnv1a64", io::text_checksum(s.resolved_toml));
      h5::set_attribute(f, "scenario_name", s.name);
      h5::set_attribute(f, "scenario_dir", meta.scenario_dir);
      h5::set_attribute(f, "agents", static_cast<std::int64_t>(total_agents(sim)));
      h5::set_attribute(f, "days", static_cast<std::int64_t>(s.time.days));
      h5::set_attribute(f, "days_done", std::int64_t{0});
      h5::set_attribute(f, "complete", std::int64_t{0});
      h5::set_attribute(f, "title", "mfgrid run of " + s.name);
      // Every rank must write the same attribute values; rank 0's clock and name decide.
      std::string created = utc_timestamp(), writer = RunLock::self().describe();
      w.comm.broadcast(created);
      w.comm.broadcast(writer);
      h5::set_attribute(f, "created", created);
      h5::set_attribute(f, "writer", writer);
      w.create_schema(sim);
      h5::set_attribute(f, io::metadata_checksum_attribute, io::metadata_checksum(f));
      w.flush();
    });
  } catch (...) {
    // Nothing of the run exists yet: the new file goes (abandoned, unclosed, by step).
    if (w.root()) std::remove(w.path.c_str());
    throw;
  }
  w.io_seconds += watch.seconds();
  return RunWriter(std::move(impl));
}

void RunWriter::write_day(const Simulation& sim, const DayOutcome& day) {
  Impl& w = *impl_;
  Stopwatch watch;
  const Scenario& s = sim.scenario();
  const std::size_t periods = static_cast<std::size_t>(s.time.periods),
                    buses = s.network.buses.size();
  w.append_integer("day", day.day);
  w.append("market/lmp", day.lmp);
  w.append("market/net_load", day.demand_mw);
  w.append("market/household_load", day.household_mw);
  w.append("market/dispatch", day.dispatch_mw);
  w.append("market/flow", day.flow_mw);
  w.append("market/shed", day.shed_mw);
  w.append("market/spill", day.spill_mw);
  w.append("market/solar_factor", day.weather);
  w.append("market/load_factor", day.load_factor);

  const PostedTariff& tariff = sim.tariff();
  w.append("tariff/theta", sim.tariff_parameters().real_values(sim.posted_theta()));
  std::vector<double> rate(periods * buses);
  for (std::size_t t = 0; t < periods; ++t)
    for (std::size_t b = 0; b < buses; ++b)
      rate[t * buses + b] = tariff.import_price(static_cast<int>(b), static_cast<int>(t));
  w.append("tariff/import_rate", rate);
  w.append("tariff/fixed_charge", tariff.fixed_charge);
  w.append_scalar("tariff/peak_charge", tariff.peak_charge);
  w.append_scalar("tariff/export_rate", tariff.export_rate);

  const DayBills& bills = day.bills;
  w.append("outcome/bill", bills.group_bill);
  w.append("outcome/class_bill", bills.class_bill);
  w.append("outcome/eei", bills.group_eei);
  w.append_scalar("outcome/inequality",
                  inequality(s.leader.inequality, bills.group_eei, group_weights(s)));
  w.append_scalar("outcome/revenue", bills.revenue);
  w.append_scalar("outcome/energy_purchase", bills.energy_purchase);
  w.append_scalar("outcome/revenue_adequacy", bills.revenue_adequacy);
  w.append_scalar("outcome/cost", day.wholesale_cost);
  w.append_integer("outcome/congested_periods", day.congested_periods);

  const DayStatistics& stats = sim.statistics();
  const int classes = sim.layout().classes(), bins = sim.model().soc_bins,
            actions = sim.model().actions();
  std::vector<std::int64_t> soc_hist(periods * classes * bins, 0),
      action_hist(periods * classes * actions, 0);
  const StatisticsLayout& sl = sim.statistics_layout();
  for (int t = 0; t < static_cast<int>(periods); ++t)
    for (int c = 0; c < classes; ++c) {
      const std::size_t row = static_cast<std::size_t>(t) * classes + c;
      for (int b = 0; b < sl.bins(c); ++b) soc_hist[row * bins + b] = stats.state_count(c, t, b);
      for (int a = 0; a < sl.actions(c); ++a)
        action_hist[row * actions + a] = stats.action_count(c, t, a);
    }
  w.append("meanfield/soc_hist", soc_hist);
  w.append("meanfield/action_hist", action_hist);

  // Sampled agents: each rank writes the columns of the agents it owns.
  const auto& ids = sim.sample_ids();
  for (const bool soc : {true, false}) {
    Series& sr = w.series.at(soc ? "agents/soc" : "agents/net");
    const hsize_t d = sr.add_row();
    for (std::size_t j = 0; j < ids.size(); ++j) {
      if (sim.population().local_index(ids[j]) < 0) continue;
      for (std::size_t t = 0; t < periods; ++t) {
        sr.coords.insert(sr.coords.end(), {d, t, j});
        const auto sample = static_cast<int>(j), period = static_cast<int>(t);
        const std::int64_t v =
            soc ? stats.sample_soc(sample, period) : stats.sample_net(sample, period);
        const double kwh = static_cast<double>(v) * micro;
        sr.keep(std::span<const double>(&kwh, 1));
      }
    }
  }

  if (day.follower_update) {
    const FollowerUpdate& u = *day.follower_update;
    const auto probs = sim.policy().all();
    w.append_integer("iteration", static_cast<std::int64_t>(w.series.at("iteration").next_row()));
    w.append("followers/policy", std::vector<double>(probs.begin(), probs.end()));
    w.append_scalar("followers/policy_residual", u.policy_residual);
    w.append_scalar("followers/meanfield_residual", u.meanfield_residual);
    w.append_integer("followers/fixed_point_iteration", u.iteration);
    w.append_integer("followers/day", u.day);
    w.append_integer("followers/converged", u.converged ? 1 : 0);
    std::vector<double> exploit = u.exploitability;
    exploit.resize(static_cast<std::size_t>(classes), 0.0);
    w.append("followers/exploitability", exploit);
  }
  if (day.leader_update) {
    const LeaderUpdate& u = *day.leader_update;
    const LeaderEvaluation& e = u.evaluation;
    w.append_integer("interaction", u.interaction);
    w.append_scalar("leader/objective", e.objective);
    w.append("leader/theta", u.theta_real);
    w.append("leader/next_theta", sim.tariff_parameters().real_values(u.next_theta));
    w.append("leader/eei", e.bills.group_eei);
    w.append("leader/bill", e.bills.group_bill);
    w.append_scalar("leader/inequality", e.inequality);
    w.append_scalar("leader/revenue_adequacy", e.bills.revenue_adequacy);
    w.append_scalar("leader/cost", e.wholesale_cost);
    w.append_scalar("leader/peak", e.peak_mw);
    w.append_scalar("leader/trust_radius", u.trust_radius);
    w.append_scalar("leader/policy_change", u.policy_change);
    w.append_integer("leader/day", u.day);
  }

  // This rank's seconds per phase; io is this day's share so far (its batch adds its share).
  PhaseTimes times = day.times;
  times[Phase::io] = watch.seconds();
  w.pending_perf.push_back({times, peak_memory_mib()});
  if (static_cast<int>(w.pending_perf.size()) >= s.output.write_every_days) w.write_batch_step();
  w.io_seconds += watch.seconds();
}

namespace {

void write_archive(hid_t group, const StateArchive& archive, bool root) {
  for (const auto& entry : archive.entries()) {
    const std::string& key = entry.first;
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          const hsize_t n = v.size();
          h5::Id ds = h5::create_dataset(
              group, "state/" + key, h5::type_of<T>(),
              {{n}, {H5S_UNLIMITED}, {std::clamp<hsize_t>(n, 1, 1 << 16)}, n > 4096});
          h5::write_rows(ds, h5::type_of<T>(), 0, n, v.data(), root);
        },
        entry.second);
  }
}

StateArchive read_archive(hid_t group) {
  StateArchive a;
  for (const std::string& key : h5::dataset_names(group)) {
    h5::Id ds = h5::open_dataset(group, key);
    h5::Id type(H5Dget_type(ds), H5Tclose);
    if (H5Tget_class(type) == H5T_FLOAT)
      a.put(key, h5::read_all<double>(ds));
    else if (H5Tget_size(type) == 1)
      a.put(key, h5::read_all<std::uint8_t>(ds));
    else
      a.put(key, h5::read_all<std::int64_t>(ds));
  }
  return a;
}

}  // namespace

void RunWriter::write_kept_days() {
  Stopwatch watch;
  impl_->write_batch_step();
  impl_->io_seconds += watch.seconds();
}

void RunWriter::write_checkpoint(const Simulation& sim) {
  Impl& w = *impl_;
  Stopwatch watch;
  StateArchive archive;
  sim.save(archive);
  const auto agents = static_cast<hsize_t>(total_agents(sim));
  // The new checkpoint is written beside the old one: room for the kept days and all of it.
  w.ensure_space(w.pending_bytes() + archive_bytes(archive) + agents * sizeof(float),
                 "writing a checkpoint");
  w.step([&] { w.write_batch(); });  // the checkpoint's row counts include every day simulated
  w.step([&] {
    if (h5::exists(w.file, "checkpoint_next"))
      h5::check_write(H5Ldelete(w.file, "checkpoint_next", H5P_DEFAULT), w.path,
                      "cannot remove an unfinished checkpoint");
    {
      h5::Id g = h5::group(w.file, "checkpoint_next", true);
      write_archive(g, archive, w.root());
      h5::Id soc = h5::create_dataset(
          g, "soc", H5T_NATIVE_FLOAT,
          {{agents}, {agents}, {std::clamp<hsize_t>(agents, 1, 1 << 20)}, false});
      h5::write_blocks(soc, H5T_NATIVE_FLOAT, agent_blocks(sim), sim.population().soc_kwh.data());
      h5::set_attribute(soc, "units", std::string("kWh"));
      h5::set_attribute(soc, "long_name",
                        std::string("every agent's state of charge, by global id"));
      h5::set_attribute(g, "day", static_cast<std::int64_t>(sim.day()));
      for (const char* d : growing_dims)
        h5::set_attribute(g, std::string("rows_") + d,
                          static_cast<std::int64_t>(w.series.at(d).rows));
      h5::set_attribute(g, "complete", std::int64_t{1});
    }
    w.flush();
    // Only now that the new checkpoint is on disk does it replace the old one.
    if (h5::exists(w.file, "checkpoint"))
      h5::check_write(H5Ldelete(w.file, "checkpoint", H5P_DEFAULT), w.path,
                      "cannot remove the previous checkpoint");
    h5::check_write(
        H5Lmove(w.file, "checkpoint_next", w.file, "checkpoint", H5P_DEFAULT, H5P_DEFAULT), w.path,
        "cannot install the checkpoint");
    h5::set_attribute(w.file, "checkpoint_day", static_cast<std::int64_t>(sim.day()));
    w.flush();
  });
  w.checkpoint_day = sim.day();
  w.io_seconds += watch.seconds();
}

void RunWriter::write_state_dump(const Simulation& sim) {
  Impl& w = *impl_;
  Stopwatch watch;
  const auto n = static_cast<hsize_t>(total_agents(sim));
  const Population& p = sim.population();
  const auto blocks = agent_blocks(sim);
  const std::array<std::pair<const char*, const std::vector<float>*>, 5> fields{
      {{"soc_kwh", &p.soc_kwh},
       {"pv_kw", &p.pv_kw},
       {"capacity_kwh", &p.capacity_kwh},
       {"power_kw", &p.power_kw},
       {"demand_factor", &p.demand_factor}}};
  w.ensure_space(fields.size() * n * sizeof(float), "writing the state dump");
  w.step([&] {
    for (const auto& [name, values] : fields) {
      const std::string path = std::string("agents/state/") + name;
      if (h5::exists(w.file, path))
        h5::check_write(H5Ldelete(w.file, path.c_str(), H5P_DEFAULT), w.path,
                        "cannot replace " + path);
      h5::Id ds = h5::create_dataset(w.file, path, H5T_NATIVE_FLOAT, {{n}, {n}, {}, false});
      h5::write_blocks(ds, H5T_NATIVE_FLOAT, blocks, values->data());
      h5::set_attribute(ds, "long_name", std::string("every agent's ") + name + ", by global id");
    }
    h5::set_attribute(h5::group(w.file, "agents/state", false), "day",
                      static_cast<std::int64_t>(sim.day()));
    w.flush();
  });
  w.io_seconds += watch.seconds();
}

void RunWriter::finish(const Simulation& sim) {
  Impl& w = *impl_;
  write_checkpoint(sim);
  if (sim.scenario().output.dump_state) write_state_dump(sim);
  w.step([&] {
    h5::set_attribute(w.file, "complete", std::int64_t{1});
    w.flush();
    w.close();
  });
  w.step([&] {
    if (!w.root()) return;
    std::error_code ec;
    std::filesystem::rename(w.path, w.final_path, ec);
    if (ec)
      throw IoFailure(w.final_path, "cannot rename " + w.path + " to it: " + ec.message() +
                                        " (the complete run is in " + w.path + ")");
    w.lock.release();
  });
}

RunWriter RunWriter::resume(const std::string& path, Simulation& sim, const RunMetadata& meta) {
  RunFileHeader header = read_run_header(path);
  if (header.complete) throw IoError(header.path, "this run is complete; nothing to resume");
  if (header.checkpoint_day < 0)
    throw IoError(header.path, "has no checkpoint to resume from (it stopped before the first)");
  auto impl = std::make_unique<Impl>(sim.communicator(), header.final_path, header.path);
  Impl& w = *impl;
  Stopwatch watch;
  // Rank 0, under the lock: checks what the checkpoint keeps and cuts the rest, serially.
  w.step(
      [&] {
        if (!w.root()) return;
        w.lock = take_lock(w.final_path);
        io::require_regular_or_absent(w.path, "the run file");
      },
      false);
  // A step of its own: every rank has read the header (HDF5's serial driver locks the file, so a
  // rank still reading it would make the writable open below fail).
  w.step(
      [&] {
        if (w.root()) prepare_resume(w.path);
      },
      false);
  w.step(
      [&] {
        w.file = h5::open_file(w.path, w.mpi, true);
        w.set_dims(sim);
        const std::string group =
            h5::exists(w.file, "checkpoint") ? "checkpoint" : "checkpoint_next";
        h5::Id g = h5::group(w.file, group, false);
        w.open_schema(kept_rows(g));
        {
          h5::Id state = h5::group(g, "state", false);
          sim.load(read_archive(state));
        }
        h5::Id soc = h5::open_dataset(g, "soc");
        if (h5::rows(soc) != static_cast<hsize_t>(total_agents(sim)))
          throw IoError(w.path, "the checkpoint's agents do not match the scenario");
        h5::read_blocks(soc, H5T_NATIVE_FLOAT, agent_blocks(sim), sim.population().soc_kwh.data());
      },
      false);
  w.checkpoint_day = sim.day();
  w.days_flushed = static_cast<hsize_t>(sim.day());
  w.step([&] {
    w.ensure_ranks();
    h5::set_attribute(w.file, "days_done", static_cast<std::int64_t>(sim.day()));
    h5::set_attribute(w.file, "ranks", static_cast<std::int64_t>(w.ranks));
    h5::set_attribute(w.file, "threads", static_cast<std::int64_t>(meta.threads));
    const std::int64_t resumed =
        h5::has_attribute(w.file, "resumed") ? h5::integer_attribute(w.file, "resumed") : 0;
    h5::set_attribute(w.file, "resumed", resumed + 1);
    std::string writer = RunLock::self().describe();
    w.comm.broadcast(writer);
    h5::set_attribute(w.file, "writer", writer);
    h5::set_attribute(w.file, io::metadata_checksum_attribute, io::metadata_checksum(w.file));
    w.flush();
  });
  w.io_seconds += watch.seconds();
  return RunWriter(std::move(impl));
}

RunFileHeader read_run_header(const std::string& path) {
  namespace fs = std::filesystem;
  RunFileHeader h;
  std::error_code ec;
  h.final_path = final_path_of(path);
  if (h.final_path != path) {
    h.path = path;
  } else {
    h.path = fs::exists(path, ec) ? path : partial_path(path);
    if (!fs::exists(h.path, ec))
      throw IoError(path, "no such run file (nor " + partial_path(path) + ")");
  }
  h5::Id file = h5::open_file(h.path, MPI_COMM_NULL, false);
  if (!h5::has_attribute(file, "format") || h5::string_attribute(file, "format") != format_name)
    throw IoError(h.path, "not an mfgrid run file (no format attribute 'mfgrid-run')");
  const std::int64_t v = h5::integer_attribute(file, "format_version");
  if (v > format_version)
    throw IoError(h.path, "written by a newer mfgrid (format " + std::to_string(v) + ")");
  h.scenario_toml = h5::string_attribute(file, "scenario");
  if (h5::string_attribute(file, "scenario_fnv1a64") != io::text_checksum(h.scenario_toml))
    throw IoError(h.path, "the scenario attribute is damaged (its checksum does not match)");
  h.scenario_name = h5::string_attribute(file, "scenario_name");
  h.scenario_dir = h5::string_attribute(file, "scenario_dir");
  h.version = h5::string_attribute(file, "version");
  h.git_revision = h5::string_attribute(file, "git_revision");
  h.created = h5::string_attribute(file, "created");
  h.seed = h5::integer_attribute(file, "seed");
  h.ranks = h5::integer_attribute(file, "ranks");
  h.threads = h5::integer_attribute(file, "threads");
  h.days = h5::integer_attribute(file, "days");
  h.days_done = h5::integer_attribute(file, "days_done");
  h.complete = h5::integer_attribute(file, "complete") != 0;
  if (h5::has_attribute(file, "checkpoint_day"))
    h.checkpoint_day = h5::integer_attribute(file, "checkpoint_day");
  return h;
}

namespace {

// Throws when the run file at `path` holds another scenario than `resolved_toml`.
RunFileHeader same_run_or_refuse(const std::string& path, const std::string& resolved_toml) {
  probe_run_file(path);
  RunFileHeader h = read_run_header(path);
  const auto differences =
      scenario_differences(resolved_toml, h.scenario_toml, "requested", "in the file");
  if (differences.empty()) return h;
  std::string listing;
  for (std::size_t i = 0; i < differences.size() && i < 20; ++i) listing += "\n  " + differences[i];
  if (differences.size() > 20)
    listing += "\n  … and " + std::to_string(differences.size() - 20) + " more";
  throw IoError(h.path,
                "holds a run of another scenario than the one requested; choose another "
                "output, or pass --force instead of --continue to replace it. What "
                "differs:" +
                    listing);
}

}  // namespace

Continuation continuation_of(const std::string& path, const std::string& resolved_toml,
                             const Communicator& comm) {
  std::uint8_t decision = 0;
  collectively(comm, [&] {
    if (!comm.is_root()) return;
    RunLock::refuse_if_held(path);
    namespace fs = std::filesystem;
    std::error_code ec;
    io::require_regular_or_absent(path, "the output");
    io::require_regular_or_absent(partial_path(path), "the run file being written");
    Continuation c = Continuation::start;
    if (fs::exists(path, ec)) {
      const RunFileHeader h = same_run_or_refuse(path, resolved_toml);
      if (!h.complete) throw IoError(path, "is not marked complete, yet has its final name");
      c = Continuation::complete;
    } else if (fs::exists(partial_path(path), ec)) {
      const RunFileHeader h = same_run_or_refuse(partial_path(path), resolved_toml);
      c = h.checkpoint_day >= 0 ? Continuation::resume : Continuation::restart;
    }
    decision = static_cast<std::uint8_t>(c);
  });
  comm.broadcast(std::span<std::uint8_t>(&decision, 1));
  return static_cast<Continuation>(decision);
}

}  // namespace mfgrid
