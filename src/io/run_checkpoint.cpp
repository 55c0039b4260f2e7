// Checkpoints, state dumps and resuming a run file.
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "io/checksums.hpp"
#include "io/run_writer_impl.hpp"
#include "mfgrid/io/file_probe.hpp"

namespace mfgrid {

namespace {

// The rows of every series a checkpoint keeps, by growing dimension.
std::map<std::string, hsize_t> kept_rows(hid_t checkpoint) {
  std::map<std::string, hsize_t> rows;
  for (const char* d : growing_dimension_names)
    rows[d] = static_cast<hsize_t>(h5::integer_attribute(checkpoint, std::string("rows_") + d));
  return rows;
}

// The growing dimension of each series (the growing scales are series of their own).
std::map<std::string, std::string> series_dims(const std::vector<SeriesSpec>& outputs) {
  std::map<std::string, std::string> dims;
  for (const char* d : growing_dimension_names) dims[d] = d;
  for (const SeriesSpec& v : outputs) dims[v.path] = v.dims[0];
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
void prepare_resume(const std::string& path, const std::vector<SeriesSpec>& outputs) {
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
  // Files written before leader learners declared their diagnostics hold trust_radius and
  // policy_change for every learner: the ones this learner does not report are removed, not left
  // behind shorter than the run.
  for (const char* retired : {"leader/trust_radius", "leader/policy_change"})
    if (h5::exists(file, retired) &&
        std::none_of(outputs.begin(), outputs.end(),
                     [&](const SeriesSpec& v) { return v.path == retired; })) {
      {
        h5::Id ds = h5::open_dataset(file, retired);
        h5::Id scale = h5::open_dataset(file, "interaction");
        h5::detach_scale(ds, scale, 0);
      }
      h5::remove(file, retired, path);
    }
  const std::vector<std::string> names = h5::dataset_names(file);
  const auto dims = series_dims(outputs);
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

// The large compressed arrays (texas2000's statistics, 527 MB) are compressed on the rank's
// threads; the bytes of the file do not depend on how many.
void write_archive(hid_t group, const StateArchive& archive, int threads, const std::string& path) {
  for (const auto& entry : archive.entries()) {
    const std::string& key = entry.first;
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          const hsize_t n = v.size();
          const bool compress = n > 4096;
          h5::Id ds = h5::create_dataset(
              group, "state/" + key, h5::type_of<T>(),
              {{n}, {H5S_UNLIMITED}, {std::clamp<hsize_t>(n, 1, 1 << 16)}, compress});
          if (!compress || !io::write_compressed_whole(ds, v.data(), threads, path))
            h5::write_rows(ds, h5::type_of<T>(), 0, n, v.data(), true);
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

// The per-agent arrays a checkpoint keeps, by global id.
struct AgentArray {
  const char* name;
  const std::vector<float>* values;
  const char* units;
  const char* long_name;
};
std::array<AgentArray, 2> checkpoint_arrays(const Population& p) {
  return {{{"soc", &p.soc_kwh, "kWh", "every agent's state of charge, by global id"},
           {"bill", &p.bill_to_date, "$",
            "every agent's bill since day 0 (the energy burden's), by global id"}}};
}

}  // namespace

void RunWriter::write_checkpoint(const Simulation& sim) {
  Impl& w = *impl_;
  Stopwatch watch;
  StateArchive archive;
  sim.save(archive);
  const auto agents = static_cast<hsize_t>(total_agents(sim));
  const auto arrays = checkpoint_arrays(sim.population());
  // The new checkpoint is written beside the old one: room for the kept days and all of it.
  w.ensure_space(w.pending_bytes() + archive_bytes(archive) + 2 * agents * sizeof(float),
                 "writing a checkpoint");
  w.step([&] { w.write_batch(); });  // the checkpoint's row counts include every day simulated
  // Rank 0 writes the replicated state and makes room for the agents' arrays, ...
  w.root_writes([&] {
    if (h5::exists(w.file, "checkpoint_next"))
      h5::check_write(H5Ldelete(w.file, "checkpoint_next", H5P_DEFAULT), w.path,
                      "cannot remove an unfinished checkpoint");
    h5::Id g = h5::group(w.file, "checkpoint_next", true);
    write_archive(g, archive, w.threads, w.path);
    for (const AgentArray& a : arrays) {
      h5::Id ds = h5::create_dataset(
          g, a.name, H5T_NATIVE_FLOAT,
          {{agents}, {agents}, {std::clamp<hsize_t>(agents, 1, 1 << 20)}, false});
      h5::set_attribute(ds, "units", std::string(a.units));
      h5::set_attribute(ds, "long_name", std::string(a.long_name));
    }
  });
  // ... every rank writes its agents, ...
  w.with_every_rank([&](hid_t file) {
    for (const AgentArray& a : arrays)
      h5::write_blocks(h5::open_dataset(file, std::string("checkpoint_next/") + a.name),
                       H5T_NATIVE_FLOAT, agent_blocks(sim), a.values->data());
  });
  // ... and once the new checkpoint is complete and on disk, it replaces the old one.
  w.root_writes([&] {
    h5::Id g = h5::group(w.file, "checkpoint_next", false);
    h5::set_attribute(g, "day", static_cast<std::int64_t>(sim.day()));
    for (const char* d : growing_dimension_names)
      h5::set_attribute(g, std::string("rows_") + d,
                        static_cast<std::int64_t>(w.series.at(d).rows));
    h5::set_attribute(g, "complete", std::int64_t{1});
  });
  w.root_writes([&] {
    if (h5::exists(w.file, "checkpoint"))
      h5::check_write(H5Ldelete(w.file, "checkpoint", H5P_DEFAULT), w.path,
                      "cannot remove the previous checkpoint");
    h5::check_write(
        H5Lmove(w.file, "checkpoint_next", w.file, "checkpoint", H5P_DEFAULT, H5P_DEFAULT), w.path,
        "cannot install the checkpoint");
    h5::set_attribute(w.file, "checkpoint_day", static_cast<std::int64_t>(sim.day()));
  });
  w.checkpoint_day = sim.day();
  w.io_seconds += watch.seconds();
}

void RunWriter::copy_to(const Simulation& sim, const std::string& dest, bool force) {
  Impl& w = *impl_;
  if (w.checkpoint_day != sim.day())
    throw Error("a run file is copied right after its checkpoint, which holds day " +
                std::to_string(w.checkpoint_day) + ", not " + std::to_string(sim.day()));
  Stopwatch watch;
  // Rank 0, under the copy's own lock; the run's file is closed between writes. A failure leaves
  // this run's file as it was (the step does not write it).
  w.step(
      [&] {
        if (!w.root()) return;
        namespace fs = std::filesystem;
        const std::string target = final_path_of(dest);
        std::error_code ec;
        if (fs::weakly_canonical(target, ec) == fs::weakly_canonical(w.final_path, ec))
          throw IoError(dest, "is this run's own file: its copy needs another name");
        const RunLock lock = take_lock(target);
        check_new_output(target, partial_path(target), force);
        const std::string copying = partial_path(target) + ".copying";
        try {
          io::require_space(target, fs::file_size(w.path) + metadata_margin,
                            "copying the run file");
          fs::copy_file(w.path, copying, fs::copy_options::overwrite_existing);
          io::sync_to_disk(copying);
          fs::remove(target);  // with force: a complete run of that name would be read first
          fs::rename(copying, partial_path(target));
        } catch (const fs::filesystem_error& e) {
          fs::remove(copying, ec);
          throw IoError(target,
                        std::string("cannot copy the run file to it: ") + e.code().message());
        }
      },
      false);
  w.io_seconds += watch.seconds();
}

void RunWriter::write_state_dump(const Simulation& sim) {
  Impl& w = *impl_;
  Stopwatch watch;
  const auto n = static_cast<hsize_t>(total_agents(sim));
  const Population& p = sim.population();
  struct Field {
    const char* name;
    const char* units;
    const std::vector<float>* values;
  };
  const std::array<Field, 5> fields{{{"soc_kwh", "kWh", &p.soc_kwh},
                                     {"pv_kw", "kW", &p.pv_kw},
                                     {"capacity_kwh", "kWh", &p.capacity_kwh},
                                     {"power_kw", "kW", &p.power_kw},
                                     {"demand_factor", "1", &p.demand_factor}}};
  w.ensure_space(fields.size() * n * sizeof(float), "writing the state dump");
  const auto path_of = [](const Field& f) { return std::string("agents/state/") + f.name; };
  w.root_writes([&] {
    for (const Field& f : fields) {
      const std::string path = path_of(f);
      if (h5::exists(w.file, path))
        h5::check_write(H5Ldelete(w.file, path.c_str(), H5P_DEFAULT), w.path,
                        "cannot replace " + path);
      h5::Id ds = h5::create_dataset(w.file, path, H5T_NATIVE_FLOAT, {{n}, {n}, {}, false});
      h5::set_attribute(ds, "units", std::string(f.units));
      h5::set_attribute(ds, "long_name", std::string("every agent's ") + f.name + ", by global id");
    }
  });
  w.with_every_rank([&](hid_t file) {
    for (const Field& f : fields)
      h5::write_blocks(h5::open_dataset(file, path_of(f)), H5T_NATIVE_FLOAT, agent_blocks(sim),
                       f.values->data());
  });
  w.root_writes([&] {
    h5::set_attribute(h5::group(w.file, "agents/state", false), "day",
                      static_cast<std::int64_t>(sim.day()));
  });
  w.io_seconds += watch.seconds();
}

RunWriter RunWriter::resume(const std::string& path, Simulation& sim, const RunMetadata& meta) {
  RunFileHeader header = read_run_header(path);
  if (header.complete) throw IoError(header.path, "this run is complete; nothing to resume");
  if (header.checkpoint_day < 0)
    throw IoError(header.path, "has no checkpoint to resume from (it stopped before the first)");
  if (header.format_version < io::run_format_version)
    throw IoError(header.path, "was written in run-file format " +
                                   std::to_string(header.format_version) + " by mfgrid " +
                                   header.version + "; this mfgrid writes format " +
                                   std::to_string(io::run_format_version) +
                                   " and cannot continue it: resume it with the mfgrid that "
                                   "started it (its checkpoint is intact), or start it again "
                                   "with --force");
  auto impl = std::make_unique<Impl>(sim.communicator(), header.final_path, header.path);
  Impl& w = *impl;
  w.outputs = run_series(sim);
  w.set_dims(sim);
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
        if (w.root()) prepare_resume(w.path, w.outputs);
      },
      false);
  // Every rank reads the checkpoint, ...
  std::map<std::string, hsize_t> kept;
  w.with_every_rank(
      [&](hid_t file) {
        const std::string group = h5::exists(file, "checkpoint") ? "checkpoint" : "checkpoint_next";
        h5::Id g = h5::group(file, group, false);
        kept = kept_rows(g);
        Simulation::AgentState agents;
        for (auto [name, values] :
             {std::pair{"soc", &agents.soc_kwh}, std::pair{"bill", &agents.bill_to_date}}) {
          h5::Id ds = h5::open_dataset(g, name);
          if (h5::rows(ds) != static_cast<hsize_t>(total_agents(sim)))
            throw IoError(w.path, "the checkpoint's agents do not match the scenario");
          values->resize(sim.population().soc_kwh.size());
          h5::read_blocks(ds, H5T_NATIVE_FLOAT, agent_blocks(sim), values->data());
        }
        h5::Id state = h5::group(g, "state", false);
        sim.load(read_archive(state), agents);
      },
      false);
  // ... and the series go on from the checkpoint's rows.
  w.declare_series(sim, kept);
  w.reserve_batch(sim);
  w.checkpoint_day = sim.day();
  w.days_flushed = static_cast<hsize_t>(sim.day());
  w.root_writes([&] {
    w.check_schema();
    w.ensure_ranks();
    h5::set_attribute(w.file, "days_done", static_cast<std::int64_t>(sim.day()));
    h5::set_attribute(w.file, "ranks", static_cast<std::int64_t>(w.ranks));
    h5::set_attribute(w.file, "threads", static_cast<std::int64_t>(meta.threads));
    const std::int64_t resumed =
        h5::has_attribute(w.file, "resumed") ? h5::integer_attribute(w.file, "resumed") : 0;
    h5::set_attribute(w.file, "resumed", resumed + 1);
    h5::set_attribute(w.file, "writer", RunLock::self().describe());
    h5::set_attribute(w.file, io::metadata_checksum_attribute, io::metadata_checksum(w.file));
  });
  w.share_chunking();
  w.io_seconds += watch.seconds();
  return RunWriter(std::move(impl));
}

}  // namespace mfgrid
