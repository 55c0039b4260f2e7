// The run file: one HDF5 file per run. Rank 0 writes the series, opening the file for each write
// and closing it after (the other ranks send it their points); the per-agent arrays of checkpoints
// and state dumps are written by every rank, its own agents, through parallel HDF5.
//
// Layout (docs/model.md §8): the series and dimensions game/run_outputs.hpp declares (market/,
// tariff/, outcome/, meanfield/, agents/, perf/ by day; followers/ by iteration; leader/ by
// interaction), their dimension scales in the root group so every group sees them (what netCDF
// readers and xarray need to name the dimensions); /agents/ids and, with output.dump_state,
// /agents/state/; /checkpoint/, the state to resume from (soc [agent] written by the owning ranks),
// which a complete run's file keeps unless output.keep_checkpoint = false.
//
// A run writes PATH.partial and renames it to PATH when it completes. Days are kept in memory and
// appended in batches (output.write_every_days, and before every checkpoint) to chunked,
// compressed, checksummed datasets, each batch flushed: a killed run keeps every day up to its
// last batch, readable, and a resume recomputes the days after its checkpoint anyway. (Appending
// every day cost 4–6 ms a day, mostly re-compressing each chunk and extending each dataset; a
// batch pays that once.) A checkpoint is written to a new group that replaces the old one only
// once it is complete.
#pragma once

#include <memory>
#include <string>

#include "mfgrid/game/simulation.hpp"

namespace mfgrid {

// How the run was started (root attributes).
struct RunMetadata {
  std::string scenario_dir;  // where relative paths in the scenario resolve (a MATPOWER case)
  int threads = 1;
};

// The file names of a run: the final one and the one written while it runs.
std::string partial_path(const std::string& path);
// The final name of a run given by either name (OUT.h5 or OUT.h5.partial).
std::string final_path_of(const std::string& path);

// True when a run file could not be closed because its last writes failed: HDF5's state is then
// undefined and shutting the library down (MPI_Finalize does) would crash, so the process must
// end without it (the command line reports the error, then _Exit).
bool run_file_left_open();

class RunWriter {
 public:
  // Starts PATH.partial, holding PATH.lock (see run_lock.hpp) until the run ends. Refuses
  // (IoError) when another process holds the lock, when PATH or PATH.partial exists (unless
  // `force`), or when either is not a regular file. Failures of the writes are IoFailures that
  // say what the file still holds; every rank throws them together.
  static RunWriter create(const std::string& path, const Simulation& sim, const RunMetadata& meta,
                          bool force);
  // What create() would refuse before it does anything, checked before the simulation is built
  // (for a large population, minutes): run on every rank, rank 0 looks.
  static void check_output(const std::string& path, bool force, const Communicator& comm);
  // What resume() would refuse before reading the file: another process writing it, or a run
  // file (PATH or PATH.partial) that is not a regular file. Collective, as check_output.
  static void check_resumable(const std::string& path, const Communicator& comm);
  // Reopens the file of an interrupted run (PATH or PATH.partial) under its lock, checks every
  // checksum of what the checkpoint keeps, drops whatever was written after the checkpoint and
  // restores `sim` from it (agents included).
  static RunWriter resume(const std::string& path, Simulation& sim, const RunMetadata& meta);

  RunWriter(RunWriter&&) noexcept;
  RunWriter& operator=(RunWriter&&) noexcept;
  ~RunWriter();

  // Appends the day just simulated (and the learners' updates it brought); every
  // output.write_every_days days, writes the batch and flushes.
  void write_day(const Simulation& sim, const DayOutcome& day);
  // Writes the days kept in memory now (a run stopped by an error keeps every day it finished).
  void write_kept_days();
  // Writes the days kept, then the complete state; replaces the previous checkpoint once it is on
  // disk.
  void write_checkpoint(const Simulation& sim);
  // Right after write_checkpoint: a copy of the run as it stands (its days and that checkpoint)
  // as DEST.partial, an interrupted run of its own that `resume(DEST)` continues, while this run
  // goes on in its own file: a branch. Refuses (IoError) this run's own name, a DEST whose lock
  // another process holds, and an existing DEST or DEST.partial unless `force`. Collective.
  void copy_to(const Simulation& sim, const std::string& dest, bool force);
  // Every agent's state and parameters, by global id (the scaling studies' full dump).
  void write_state_dump(const Simulation& sim);
  // Final checkpoint, marks the file complete, closes and renames PATH.partial to PATH. With
  // output.keep_checkpoint = false, PATH is instead a copy without the checkpoint (its space
  // reclaimed), written once the file is closed; if the copy cannot be made (a warning says why)
  // the file keeps its checkpoint.
  void finish(const Simulation& sim);

  const std::string& path() const;
  double io_seconds() const;  // spent in this writer so far, on this rank

 private:
  struct Impl;
  explicit RunWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What a run file says of itself: read by `mfgrid resume` before it builds the simulation, and
// by `mfgrid info`. Throws IoError (path and reason) on a foreign, truncated or damaged file.
struct RunFileHeader {
  std::string path;        // the file actually read (PATH or PATH.partial)
  std::string final_path;  // PATH
  std::string scenario_toml;
  std::string scenario_name;
  std::string scenario_dir;
  std::string version, git_revision, created;
  std::int64_t seed = 0, ranks = 0, threads = 0, days = 0, days_done = 0;
  std::int64_t checkpoint_day = -1;  // -1: no checkpoint
  bool checkpoint_dropped = false;   // complete, rewritten without it (output.keep_checkpoint)
  std::int64_t format_version = 0;
  bool complete = false;
};
RunFileHeader read_run_header(const std::string& path);
// The scenario a run file records, read back (its relative paths resolved where the run started):
// what a resume simulates.
Scenario scenario_of(const RunFileHeader& header);

// What `mfgrid run --continue -o PATH` does, for a request whose resolved scenario is given:
//   start    nothing is there: a new run;
//   restart  PATH.partial holds this run but no checkpoint yet: it starts again, replacing it;
//   resume   PATH.partial holds this run with a checkpoint: it resumes;
//   complete PATH holds this run, complete: nothing to do.
// Throws IoError when either file holds a run of another scenario (every setting that differs
// is listed), is not a run file, or is in use. Collective: rank 0 looks, every rank learns.
enum class Continuation { start, restart, resume, complete };
Continuation continuation_of(const std::string& path, const std::string& resolved_toml,
                             const Communicator& comm);

}  // namespace mfgrid
