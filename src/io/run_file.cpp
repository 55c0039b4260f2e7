#include "mfgrid/io/run_file.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>

#include "io/checksums.hpp"
#include "io/run_writer_impl.hpp"
#include "mfgrid/core/version.hpp"
#include "mfgrid/io/file_probe.hpp"

namespace mfgrid {

std::string partial_path(const std::string& path) { return path + ".partial"; }

std::string final_path_of(const std::string& path) {
  constexpr std::string_view suffix = ".partial";
  if (path.size() > suffix.size() && path.ends_with(suffix))
    return path.substr(0, path.size() - suffix.size());
  return path;
}

bool run_file_left_open() { return h5::file_left_unclosed(); }

RunWriter::RunWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RunWriter::RunWriter(RunWriter&&) noexcept = default;
RunWriter& RunWriter::operator=(RunWriter&&) noexcept = default;
RunWriter::~RunWriter() = default;
const std::string& RunWriter::path() const { return impl_->path; }
double RunWriter::io_seconds() const { return impl_->io_seconds; }

namespace run_file_detail {

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

// The bytes the datasets of `file` take, but those under the checkpoints.
std::uint64_t bytes_without_checkpoint(hid_t file) {
  std::uint64_t bytes = 0;
  for (const std::string& name : h5::dataset_names(file)) {
    if (name.starts_with("checkpoint/") || name.starts_with("checkpoint_next/")) continue;
    bytes += H5Dget_storage_size(h5::open_dataset(file, name));
  }
  return bytes;
}

// output.keep_checkpoint = false: rank 0, once the ranks have closed the complete run's file (its
// final checkpoint in place, not yet marked complete) and under its lock, writes a copy without
// the checkpoint, marked complete, next to it (PATH.partial.compact), checks its metadata
// checksum, syncs it to disk and renames it to PATH, then removes PATH.partial. Deleting the
// checkpoint in place would give back only what lies at the file's end: HDF5 keeps freed space
// inside a file (every replaced checkpoint's is there too). Until the rename, PATH.partial is a run
// stopped after its last day, with its checkpoint: a crash here leaves it to `mfgrid resume`, which
// simulates nothing and finishes again. Returns false, after a warning, when the copy could not be
// made (the caller then keeps the file with its checkpoint).
bool install_without_checkpoint(const std::string& path, const std::string& final_path) {
  const std::string copy = path + ".compact";
  try {
    io::create_exclusively(copy, true);
    {
      h5::Id source = h5::open_file(path, MPI_COMM_NULL, false);
      io::require_space(copy, bytes_without_checkpoint(source) + metadata_margin,
                        "writing the run file without its checkpoint");
      constexpr std::array<std::string_view, 2> dropped{"checkpoint", "checkpoint_next"};
      constexpr std::array<std::string_view, 1> dropped_attributes{"checkpoint_day"};
      h5::Id target = h5::copy_file_without(source, copy, dropped, dropped_attributes);
      h5::set_attribute(target, "checkpoint_dropped", std::int64_t{1});
      h5::set_attribute(target, "complete", std::int64_t{1});
      // What HDF5 keeps without a checksum (names, text, dimension lists) must read as it did.
      if (h5::string_attribute(target, io::metadata_checksum_attribute) !=
          io::metadata_checksum(target))
        throw IoError(copy, "its metadata checksum does not match the run file's");
      h5::check_write(H5Fflush(target, H5F_SCOPE_GLOBAL), copy, "cannot flush");
    }
    if (h5::file_left_unclosed()) throw IoFailure(copy, "cannot close it");
    io::sync_to_disk(copy);
    std::filesystem::rename(copy, final_path);
  } catch (const std::exception& e) {
    std::remove(copy.c_str());
    std::fprintf(stderr,
                 "mfgrid: warning: could not write the run file without its checkpoint "
                 "(output.keep_checkpoint = false): %s; it keeps the checkpoint\n",
                 e.what());
    return false;
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (ec)
    std::fprintf(stderr, "mfgrid: warning: cannot remove %s (%s); %s is the complete run\n",
                 path.c_str(), ec.message().c_str(), final_path.c_str());
  return true;
}

// The fallback when the copy failed: the file, with its checkpoint, marked complete serially.
void mark_complete(const std::string& path) {
  h5::Id file = h5::open_file(path, MPI_COMM_NULL, true);
  h5::set_attribute(file, "complete", std::int64_t{1});
  h5::check_write(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "cannot flush");
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

}  // namespace run_file_detail

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
    // Refused before the simulation is built: a complete run, whether or not it kept its
    // checkpoint, has nothing left to simulate.
    const RunFileHeader h = read_run_header(path);
    if (h.complete)
      throw IoError(h.path, h.checkpoint_dropped
                                ? "this run is complete; nothing to resume (and its checkpoint "
                                  "was dropped when it completed: output.keep_checkpoint = false)"
                                : "this run is complete; nothing to resume");
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
  w.set_dims(sim);
  w.declare_series(sim);
  w.reserve_batch(sim);
  try {
    w.step([&] {
      if (!w.root()) return;
      w.file = Impl::create_with_named_scales(w.path, sim);
      const Scenario& s = sim.scenario();
      const hid_t f = w.file;
      h5::set_attribute(f, "format", std::string(io::run_format_name));
      h5::set_attribute(f, "format_version", io::run_format_version);
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
      h5::set_attribute(f, "Conventions", std::string("CF-1.8"));
      h5::set_attribute(f, "created", utc_timestamp());
      h5::set_attribute(f, "writer", RunLock::self().describe());
      w.create_schema(sim);
      h5::set_attribute(f, io::metadata_checksum_attribute, io::metadata_checksum(f));
      w.close_file();
    });
    w.share_chunking();
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
  for (const char* name : growing_dimension_names) {
    const SeriesRows rows = rows_along(name);
    if (!day_adds_row(day, rows)) continue;
    const auto so_far = static_cast<std::int64_t>(w.series.at(name).next_row());
    w.append_integer(name, growing_scale_value(day, rows, so_far));
  }
  for (const SeriesSpec& v : w.outputs) {
    if (v.source == SeriesSource::io_timing || !day_adds_row(day, v.rows())) continue;
    Series& sr = w.series.at(v.path);
    const hsize_t row = sr.add_row();
    if (v.source == SeriesSource::own_points) {
      PointBuffer points(row, sr.coords, sr.data);
      v.read_points(sim, day, points);
    } else if (sr.shared.chunk_span > 0) {  // every rank compresses its share of its chunks
      sr.scratch.clear();
      RowBuffer buffer(v.type, sr.scratch);
      v.read_row(sim, day, buffer);
      io::encode_row_share(sr.shared, sr.scratch.data(), row - sr.rows, w.rank, w.ranks, w.threads,
                           sr.encoded);
    } else if (w.root()) {  // the same on every rank: rank 0 keeps it
      RowBuffer buffer(v.type, sr.data);
      v.read_row(sim, day, buffer);
    }
  }

  // This rank's seconds per phase; io is this day's share so far (its batch adds its share).
  PhaseTimes times = day.times;
  times[Phase::io] = watch.seconds();
  w.pending_perf.push_back({times, peak_memory_mib()});
  if (static_cast<int>(w.pending_perf.size()) >= s.output.write_every_days) w.write_batch_step();
  w.io_seconds += watch.seconds();
}

void RunWriter::write_kept_days() {
  Stopwatch watch;
  impl_->write_batch_step();
  impl_->io_seconds += watch.seconds();
}

void RunWriter::finish(const Simulation& sim) {
  Impl& w = *impl_;
  const bool keep = sim.scenario().output.keep_checkpoint;
  // The final checkpoint is written either way: without output.keep_checkpoint it is what a run
  // stopped while its file is rewritten without it resumes from.
  write_checkpoint(sim);
  if (sim.scenario().output.dump_state) write_state_dump(sim);
  // Without the checkpoint, the copy that leaves it out is the one marked complete.
  if (keep) w.root_writes([&] { h5::set_attribute(w.file, "complete", std::int64_t{1}); });
  w.close();
  w.step([&] {
    if (!w.root()) return;
    if (!keep) {
      Stopwatch watch;
      const bool dropped = install_without_checkpoint(w.path, w.final_path);
      w.io_seconds += watch.seconds();
      if (dropped) {
        w.lock.release();
        return;
      }
      mark_complete(w.path);
    }
    std::error_code ec;
    std::filesystem::rename(w.path, w.final_path, ec);
    if (ec)
      throw IoFailure(w.final_path, "cannot rename " + w.path + " to it: " + ec.message() +
                                        " (the complete run is in " + w.path + ")");
    w.lock.release();
  });
}

}  // namespace mfgrid
