// What a RunWriter holds and the steps its parts share (src/io/run_file.cpp: creating, writing
// days, finishing; src/io/run_checkpoint.cpp: checkpoints, state dumps, resuming).
#pragma once

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "io/compressed_rows.hpp"
#include "io/file_system.hpp"
#include "io/h5.hpp"
#include "io/run_format.hpp"
#include "io/series.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/timer.hpp"
#include "mfgrid/game/run_outputs.hpp"
#include "mfgrid/io/run_file.hpp"
#include "mfgrid/io/run_lock.hpp"
#include "mfgrid/parallel/collective_step.hpp"

namespace mfgrid {

namespace run_file_detail {

using io::h5_type;
using io::Series;

// Rows per chunk of the growing dimensions' scales.
constexpr hsize_t growing_scale_chunk = 256;

// Room HDF5 needs besides the data of a write: object headers, chunk indices, the superblock,
// and the free-space bookkeeping of rewritten chunks.
constexpr std::uint64_t metadata_margin = 1u << 20;

inline std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

inline std::int64_t total_agents(const Simulation& sim) { return sim.layout().total(); }

inline std::vector<std::pair<hsize_t, hsize_t>> agent_blocks(const Simulation& sim) {
  std::vector<std::pair<hsize_t, hsize_t>> blocks;
  for (const ClassBlock& b : sim.population().blocks())
    blocks.emplace_back(static_cast<hsize_t>(b.global_begin), static_cast<hsize_t>(b.size));
  return blocks;
}

inline std::uint64_t archive_bytes(const StateArchive& archive) {
  std::uint64_t bytes = 0;
  for (const auto& entry : archive.entries())
    std::visit([&](const auto& v) { bytes += v.size() * sizeof(v[0]) + 1024; }, entry.second);
  return bytes;
}

// Under the lock, for a new run or a resumed one: notes a stale lock it took over.
RunLock take_lock(const std::string& final_path);

// Whether a new run (or a copy of one) may write `path`: its directory exists, and neither PATH nor
// PATH.partial is anything but a regular file, nor (without `force`) exists.
void check_new_output(const std::string& path, const std::string& partial, bool force);

}  // namespace run_file_detail

using namespace run_file_detail;  // NOLINT(google-build-using-namespace): this header is private

struct RunWriter::Impl {
  // Declared first, so released last: the file is closed before anyone else may open it.
  RunLock lock;  // held by rank 0
  std::string final_path, path;
  Communicator comm;
  MPI_Comm mpi = MPI_COMM_NULL;
  int rank = 0, ranks = 1;
  int threads = 1;  // the rank's: rank 0 compresses a batch's large rows on them
  // Rank 0 alone writes the series, through HDF5's serial driver: the other ranks send it their
  // points. (Collective writes made every rank take part in ~60 small writes a batch, thousands
  // of MPI calls that an oversubscribed node served slowly.) It holds the file open only while it
  // writes (`file`): HDF5's serial driver marks an open file as being written, which every reader
  // refuses, so between batches the file is closed, complete and readable. The ranks open it
  // together (`slabs_file`) only for the per-agent arrays of checkpoints and state dumps.
  h5::Id file;
  h5::Id slabs_file;
  std::map<std::string, Series> series;  // on every rank: the rows each series has
  io::GatherBuffers gathered;
  std::vector<SeriesSpec> outputs;  // the run's series (game's table and the leader's diagnostics)
  std::map<std::string, h5::Id> scales;
  std::map<std::string, hsize_t> dim_size;
  std::int64_t checkpoint_day = -1;  // the day the file's checkpoint resumes at
  hsize_t days_flushed = 0;          // days on disk as of the last flush
  double io_seconds = 0.0;
  // The fault tests' hook (MFGRID_TEST_FAULT=stop-writing@DAY): rank 0 stops itself (SIGSTOP)
  // with the file open, in the first batch that writes a day after this one; -1: never.
  std::int64_t stop_writing_after = -1;

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
    h5::abandon(slabs_file);
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
    dim_size.clear();
    for (const DimensionSpec& d : run_dimensions()) dim_size[d.name] = d.size(sim, ranks);
  }

  // The scales of the dimensions whose members have names (buses, groups, ...) hold the names,
  // as variable-length UTF-8 strings (netCDF strings: xarray and netCDF tools select by them),
  // also listed in a `labels` attribute (what format 1 had). (Parallel HDF5 cannot write such
  // strings: a file opened by one process can.) Returns the new file, open.
  static h5::Id create_with_named_scales(const std::string& file_path, const Simulation& sim) {
    h5::Id f = h5::create_file(file_path, MPI_COMM_NULL);
    const h5::Id type = h5::variable_string_type();
    for (const DimensionSpec& d : run_dimensions()) {
      const std::vector<std::string> labels = d.labels ? d.labels(sim) : std::vector<std::string>{};
      if (labels.empty()) continue;
      const hsize_t n = labels.size();
      h5::Id ds = h5::create_dataset(f, d.name, type, {{n}, {n}, {}, false});  // no filters
      std::vector<const char*> text;
      text.reserve(labels.size());
      for (const std::string& l : labels) text.push_back(l.c_str());
      h5::write_rows(ds, type, 0, n, text.data(), true);
      h5::make_scale(ds, d.name);
      h5::set_attribute(ds, "long_name", std::string(d.long_name));
      h5::set_attribute(ds, "labels", join(labels));
      if (d.member_units) h5::set_attribute(ds, "member_units", join(d.member_units(sim)));
    }
    return f;
  }

  // A fixed dimension's scale: opened where create_with_named_scales wrote it, else its indices.
  void fixed_scale(const DimensionSpec& d) {
    if (h5::exists(file, d.name)) {
      if (h5::rows(h5::open_dataset(file, d.name)) != dim_size.at(d.name))
        throw std::logic_error(std::string("labels of ") + d.name);
      scales[d.name] = h5::open_dataset(file, d.name);
      return;
    }
    const hsize_t n = dim_size.at(d.name);
    h5::Id ds =
        h5::create_dataset(file, d.name, H5T_NATIVE_INT64,
                           {{n}, {d.grows ? H5S_UNLIMITED : n}, {std::max<hsize_t>(1, n)}, false});
    std::vector<std::int64_t> index(n);
    for (hsize_t i = 0; i < n; ++i) index[i] = static_cast<std::int64_t>(i);
    h5::write_rows(ds, H5T_NATIVE_INT64, 0, n, index.data(), true);
    h5::make_scale(ds, d.name);
    h5::set_attribute(ds, "long_name", std::string(d.long_name));
    h5::set_attribute(ds, "units", std::string("1"));
    scales[d.name] = std::move(ds);
  }

  // A fixed auxiliary coordinate (period_start) along its dimension.
  void fixed_coordinate(const Simulation& sim, const CoordinateSpec& c) {
    const std::vector<double> values = c.values(sim);
    const hsize_t n = dim_size.at(c.dim);
    if (values.size() != n) throw std::logic_error(std::string("values of ") + c.name);
    h5::Id ds = h5::create_dataset(file, c.name, H5T_NATIVE_DOUBLE,
                                   {{n}, {n}, {std::max<hsize_t>(1, n)}, false});
    h5::write_rows(ds, H5T_NATIVE_DOUBLE, 0, n, values.data(), true);
    h5::attach_scale(ds, scales[c.dim], 0);
    h5::set_attribute(ds, "units", std::string(c.units));
    h5::set_attribute(ds, "long_name", std::string(c.long_name));
  }

  // The auxiliary coordinates of a series with these dimensions (their names).
  std::vector<std::string> coordinates_of(const std::vector<std::string>& dims,
                                          const std::string& series_path) const {
    std::vector<std::string> names;
    const auto along = [&](const std::string& dim) {
      return std::find(dims.begin(), dims.end(), dim) != dims.end();
    };
    for (const SeriesSpec& v : outputs)
      if (v.coordinate && v.path != series_path && along(v.dims[0])) names.push_back(v.path);
    for (const CoordinateSpec& c : run_coordinates())
      if (along(c.dim)) names.emplace_back(c.name);
    return names;
  }

  // CF and netCDF readers: every series names its auxiliary coordinates, and each group holds
  // (hard links to) the dimension scales and coordinates its series use, since xarray reads a
  // group's coordinates from that group only.
  void link_coordinates() {
    std::map<std::string, std::set<std::string>> wanted;  // group → names
    for (const SeriesSpec& v : outputs) {
      if (v.coordinate) continue;
      const std::vector<std::string> coords = coordinates_of(v.dims, v.path);
      if (!coords.empty()) {
        std::string list;
        for (const std::string& c : coords) list += (list.empty() ? "" : " ") + c;
        h5::set_attribute(series.at(v.path).dataset, "coordinates", list);
      }
      const std::size_t slash = v.path.rfind('/');
      if (slash == std::string::npos) continue;
      std::set<std::string>& names = wanted[v.path.substr(0, slash)];
      names.insert(v.dims.begin(), v.dims.end());
      names.insert(coords.begin(), coords.end());
    }
    for (const auto& [group, names] : wanted)
      for (const std::string& name : names) {
        std::string link = group;
        link += '/';
        link += name;
        if (!h5::exists(file, link)) h5::hard_link(file, name, link);
      }
  }

  // The bytes of one row of a dataset with these dimensions (all but the first, growing one).
  hsize_t row_bytes(const SeriesSpec& v) const {
    hsize_t bytes = H5Tget_size(h5_type(v.type));
    for (std::size_t i = 1; i < v.dims.size(); ++i) bytes *= dim_size.at(v.dims[i]);
    return bytes;
  }

  // The span of a chunk along a series' second dimension: all of it, unless the row is larger
  // than split_row_bytes (then one row a chunk) and that dimension does not grow.
  hsize_t chunk_span(const SeriesSpec& v) const {
    const hsize_t second = v.dims.size() > 1 ? dim_size.at(v.dims[1]) : 1;
    if (v.dims.size() < 2 || dimension_grows(v.dims[1])) return std::max<hsize_t>(1, second);
    const hsize_t bytes = row_bytes(v), element = H5Tget_size(h5_type(v.type));
    return io::chunk_span_for(second, bytes / element / std::max<hsize_t>(1, second), element,
                              io::split_row_bytes);
  }

  // Rows per chunk of a series whose rows take `bytes`: chunks of whole days (or updates), about
  // 16 KiB, at most 64 rows; a few chunks per run for small rows, one day per chunk for large ones.
  static hsize_t rows_per_chunk(hsize_t bytes) {
    return std::clamp<hsize_t>(16384 / std::max<hsize_t>(1, bytes), 1, 64);
  }

  // The run's series, on every rank: what each holds and how many rows (`rows`, by growing
  // dimension; none: a new run). Their datasets are rank 0's to create or open.
  void declare_series(const Simulation& sim, const std::map<std::string, hsize_t>& rows = {}) {
    outputs = run_series(sim);
    series.clear();
    threads = sim.threads();
    if (sim.test_fault().kind == TestFault::Kind::stop_writing)
      stop_writing_after = sim.test_fault().day;
    const auto rows_along = [&](const std::string& dim) {
      const auto it = rows.find(dim);
      return it != rows.end() ? it->second : hsize_t{0};
    };
    for (const char* d : growing_dimension_names) {
      Series sr;
      sr.type = H5T_NATIVE_INT64;
      sr.dim = d;
      sr.rows = rows_along(d);
      sr.chunk_rows = growing_scale_chunk;
      sr.row_bytes = sizeof(std::int64_t);
      series[d] = std::move(sr);
    }
    for (const SeriesSpec& v : outputs) {
      Series sr;
      sr.type = h5_type(v.type);
      sr.dim = v.dims[0];
      sr.rows = rows_along(sr.dim);
      sr.row_bytes = row_bytes(v);
      sr.chunk_rows = rows_per_chunk(sr.row_bytes);
      sr.pointwise = v.source != SeriesSource::whole_row;
      if (v.dims.size() > 1) {
        const hsize_t second = dim_size.at(v.dims[1]), span = chunk_span(v);
        sr.row_chunks = (second + span - 1) / std::max<hsize_t>(1, span);
        sr.stored_row_bytes = sr.row_bytes / std::max<hsize_t>(1, second) * span * sr.row_chunks;
      }
      series[v.path] = std::move(sr);
    }
  }

  // Rank 0: the datasets of a new run's series, scales and coordinates.
  void create_schema(const Simulation& sim) {
    for (const DimensionSpec& d : run_dimensions()) fixed_scale(d);
    for (const CoordinateSpec& c : run_coordinates()) fixed_coordinate(sim, c);
    h5::set_attribute(scales["period"], "hours_per_period", sim.scenario().time.period_hours());
    for (const char* d : growing_dimension_names) {
      h5::Id ds = h5::create_dataset(file, d, H5T_NATIVE_INT64,
                                     {{0}, {H5S_UNLIMITED}, {growing_scale_chunk}, false});
      h5::make_scale(ds, d);
      h5::set_attribute(ds, "long_name", std::string(d));
      h5::set_attribute(ds, "units", std::string("1"));
      series.at(d).dataset = std::move(ds);
    }
    for (const SeriesSpec& v : outputs) {
      Series& sr = series.at(v.path);
      std::vector<hsize_t> dims, maxdims, chunk;
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        const bool grows = i == 0 || dimension_grows(v.dims[i]);
        const hsize_t n = i == 0 ? 0 : dim_size.at(v.dims[i]);
        dims.push_back(n);
        maxdims.push_back(grows ? H5S_UNLIMITED : n);
        chunk.push_back(i == 0 ? sr.chunk_rows : i == 1 ? chunk_span(v) : std::max<hsize_t>(1, n));
      }
      h5::Id ds = h5::create_dataset(file, v.path, h5_type(v.type), {dims, maxdims, chunk, true});
      h5::set_attribute(ds, "units", std::string(v.units));
      h5::set_attribute(ds, "long_name", std::string(v.long_name));
      sr.dataset = std::move(ds);
    }
    attach_all();
    mark_shared();
    // The sampled agents' global ids, fixed.
    const auto& ids = sim.sample_ids();
    h5::Id ds =
        h5::create_dataset(file, "agents/ids", H5T_NATIVE_INT64,
                           {{ids.size()}, {ids.size()}, {std::max<size_t>(1, ids.size())}, false});
    h5::write_rows(ds, H5T_NATIVE_INT64, 0, ids.size(), ids.data(), true);
    h5::attach_scale(ds, scales["agent_sample"], 0);
    h5::set_attribute(ds, "units", std::string("1"));
    h5::set_attribute(ds, "long_name", std::string("global id of the sampled agent"));
    link_coordinates();
  }

  // Rank 0, with the file open: the whole-row series whose rows every rank compresses a share of
  // (series.hpp), as the file chunks them (a file an earlier version made may hold one chunk a
  // row): those of rows over split_row_bytes, of fixed dimensions past the first.
  void mark_shared() {
    for (const SeriesSpec& v : outputs) {
      Series& sr = series.at(v.path);
      sr.shared = {};
      if (sr.pointwise || sr.row_bytes < io::split_row_bytes) continue;
      if (std::any_of(v.dims.begin() + 1, v.dims.end(),
                      [&](const std::string& d) { return dimension_grows(d); }))
        continue;
      if (const std::optional<io::RowChunking> c = io::row_chunking(sr.dataset)) sr.shared = *c;
    }
  }

  // Every rank learns from rank 0 which series are shared and how they are chunked. Collective.
  void share_chunking() {
    constexpr std::size_t fields = 5;
    std::vector<std::int64_t> values;
    for (const auto& [name, s] : series)
      values.insert(values.end(), {static_cast<std::int64_t>(s.shared.chunk_span),
                                   static_cast<std::int64_t>(s.shared.second),
                                   static_cast<std::int64_t>(s.shared.inner),
                                   static_cast<std::int64_t>(s.shared.element_bytes),
                                   static_cast<std::int64_t>(s.shared.deflate_level)});
    std::vector<std::uint8_t> bytes(values.size() * sizeof(std::int64_t));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    comm.broadcast(std::span<std::uint8_t>(bytes));
    std::memcpy(values.data(), bytes.data(), bytes.size());
    std::size_t i = 0;
    for (auto& [name, s] : series) {
      const std::int64_t* f = values.data() + fields * i++;
      s.shared.chunk_span = static_cast<hsize_t>(f[0]);
      s.shared.second = static_cast<hsize_t>(f[1]);
      s.shared.inner = static_cast<hsize_t>(f[2]);
      s.shared.element_bytes = static_cast<std::size_t>(f[3]);
      s.shared.deflate_level = static_cast<int>(f[4]);
      if (s.shared.chunk_span == 0) continue;
      std::vector<unsigned char>().swap(s.data);  // its rows are not kept, only their chunks
      s.scratch.reserve(s.row_bytes);
    }
  }

  void attach_all() {
    for (const SeriesSpec& v : outputs)
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        const auto it = series.find(v.dims[i]);
        const hid_t scale = it != series.end() ? it->second.dataset.get() : scales[v.dims[i]].get();
        h5::attach_scale(series[v.path].dataset, scale, static_cast<unsigned>(i));
      }
  }

  // Rank 0, with the file open: checks a resumed file's series (declared with the checkpoint's
  // rows, to which prepare_resume cut them back) against the scenario.
  void check_schema() {
    for (auto& [name, sr] : series) sr.chunk_rows = h5::chunk_rows(sr.dataset);
    for (const SeriesSpec& v : outputs) {
      const auto e = h5::extent(series.at(v.path).dataset);
      if (e.size() != v.dims.size())
        throw IoError(path, "dataset '" + std::string(v.path) + "' has the wrong shape");
      for (std::size_t i = 1; i < v.dims.size(); ++i)
        if (!dimension_grows(v.dims[i]) && e[i] != dim_size.at(v.dims[i]))
          throw IoError(path, "dataset '" + std::string(v.path) +
                                  "' does not match the scenario (dimension " + v.dims[i] + ")");
    }
    for (const auto& [name, s] : series)
      if (h5::rows(s.dataset) != s.rows)
        throw IoError(path, "'" + name + "' was not cut back to the checkpoint");
    mark_shared();
    scales["rank"] = h5::open_dataset(file, "rank");
  }

  // Rank 0: opens the file and its series' datasets, for a write.
  void open_file() {
    file = h5::open_file(path, MPI_COMM_NULL, true);
    for (auto& [name, s] : series) s.dataset = h5::open_dataset(file, name);
  }
  // Rank 0: closes every dataset and the file, which HDF5 flushes, and syncs the file to disk (as
  // the MPI-IO driver's flush did), so what was written survives a crash of the machine too.
  void close_file() {
    for (auto& [name, s] : series) s.dataset.reset();
    scales.clear();
    file.reset();
    require_closed();
    io::sync_to_disk(path);
  }
  // A close that failed is a failed write.
  void require_closed() const {
    if (h5::file_left_unclosed())
      throw IoFailure(path, "cannot close the file: its last writes could not be completed");
  }
  // A step in which rank 0 writes with the file open: `part()` runs between opening and closing.
  template <class F>
  void root_writes(F&& part) {
    step([&] {
      if (!root()) return;
      open_file();
      part();
      close_file();
    });
  }

  // Writes (or reads) the per-agent arrays: `part(file)` runs on every rank with the file open to
  // all of them (through MPI-IO; on one rank, serially), as one step.
  template <class F>
  void with_every_rank(F&& part, bool writes = true) {
    step(
        [&] {
          slabs_file = h5::open_file(path, ranks > 1 ? mpi : MPI_COMM_NULL, true);
          part(slabs_file.get());
          slabs_file.reset();
          require_closed();
          if (writes && root()) io::sync_to_disk(path);
        },
        writes);
  }

  // Rank 0: grows the rank dimension when a run resumes on more ranks than it had.
  void ensure_ranks() {
    if (h5::rows(scales["rank"]) >= static_cast<hsize_t>(ranks)) return;
    auto e = h5::extent(scales["rank"]);
    const hsize_t old = e[0];
    e[0] = static_cast<hsize_t>(ranks);
    h5::check_write(H5Dset_extent(scales["rank"], e.data()), path,
                    "cannot grow the rank dimension");
    std::vector<std::int64_t> index;
    for (hsize_t i = old; i < e[0]; ++i) index.push_back(static_cast<std::int64_t>(i));
    h5::write_rows(scales["rank"], H5T_NATIVE_INT64, old, index.size(), index.data(), true);
    for (const char* name : {"perf/seconds", "perf/peak_memory"}) {
      Series& perf = series[name];
      auto pe = h5::extent(perf.dataset);
      pe[1] = e[0];
      h5::check_write(H5Dset_extent(perf.dataset, pe.data()), path,
                      "cannot grow " + std::string(name));
    }
  }

  // Appends one row to a series, in memory (rank 0's) until the next batch.
  template <class T>
  void append(const std::string& name, const std::vector<T>& row) {
    Series& s = series.at(name);
    if (root()) s.keep(std::span<const T>(row));
    s.add_row();
  }

  // Room for a batch's rows of every whole-row series, taken at once. Grown by doubling, a
  // series' buffer is copied at each doubling and briefly held twice: texas2000's policy rows
  // (28.8 MB a follower update) made the peak jump by 250 MB at the ninth day of a batch. The
  // room is only address space until rows fill it; after a batch the buffers keep it.
  void reserve_batch(const Simulation& sim) {
    if (!root()) return;
    const auto days = static_cast<hsize_t>(std::max(1, sim.scenario().output.write_every_days));
    for (auto& [name, s] : series)
      if (!s.pointwise && s.shared.chunk_span == 0) s.data.reserve(days * s.row_bytes);
  }

  // Rank 0, holding the file open, writes the pending rows of these series (their points gathered
  // from every rank first); every rank counts them.
  void write_pending(std::span<Series* const> batch) {
    std::vector<Series*> pointwise, shared;
    for (Series* s : batch) {
      if (s->pointwise) pointwise.push_back(s);
      if (s->shared.chunk_span > 0) shared.push_back(s);
    }
    io::gather_points(pointwise, comm, gathered);
    io::gather_chunks(shared, comm, gathered);
    for (Series* s : batch) {
      if (root()) io::write_pending(*s, path, threads);
      io::commit_pending(*s);
    }
  }

  // The days kept in memory: this rank's seconds per phase and peak memory of each.
  struct PendingPerf {
    PhaseTimes times;
    double peak_mib = 0;
  };
  std::vector<PendingPerf> pending_perf;

  // Writes every kept day (rank 0 opens the file, then closes and syncs it). Collective (run it as
  // a step). Each kept day's io time gets an equal share of the batch's writes (the close and the
  // timings' own write are not counted); a rank but 0 only sends its points.
  void write_batch() {
    if (pending_perf.empty()) return;  // every kept row belongs to a kept day
    Stopwatch watch;
    if (root()) open_file();
    std::vector<Series*> days;
    for (auto& [name, s] : series)
      if (!name.starts_with("perf/")) days.push_back(&s);
    write_pending(days);
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
    const std::array<Series*, 2> perf{&seconds, &memory};
    write_pending(perf);
    if (root() && stop_writing_after >= 0 &&
        series.at("day").rows > static_cast<hsize_t>(stop_writing_after)) {
      stop_writing_after = -1;
      std::raise(SIGSTOP);
    }
    if (root())
      h5::set_attribute(file, "days_done", static_cast<std::int64_t>(series.at("day").rows));
    pending_perf.clear();
    if (root()) close_file();
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

  // Every series' buffers go (the file is closed after every write).
  void close() { series.clear(); }
};

}  // namespace mfgrid
