// A simulation driven from Python: the library's Simulation and, when asked for, its run file,
// stepped with the library's day loop (io/run_loop.hpp) so that a run stepped from Python writes
// the file `mfgrid run` writes. Every rank of an MPI job holds one and makes the same calls.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings/day_arrays.hpp"
#include "mfgrid/core/state_archive.hpp"
#include "mfgrid/io/run_file.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid::bindings {

// A simulation's whole state in memory (what a checkpoint keeps: save() and this rank's agents),
// for restore(): into the simulation that made it, or another of the same scenario on as many
// ranks.
struct Snapshot {
  StateArchive archive;
  Simulation::AgentState agents;
  int day = 0;
  std::string scenario_toml;  // the resolved scenario, every setting
  int ranks = 1;
};

class SimulationHandle {
 public:
  // `scenario_dir`: where the scenario's relative paths resolve, recorded in the run file.
  // `output` empty: no run file.
  SimulationHandle(const Scenario& scenario, int threads, const std::string& output, bool force,
                   const std::string& scenario_dir);
  // Continues the interrupted run of a run file (OUT.h5 or OUT.h5.partial) from its checkpoint.
  static std::unique_ptr<SimulationHandle> resume(const std::string& path, int threads);
  ~SimulationHandle();
  SimulationHandle(const SimulationHandle&) = delete;
  SimulationHandle& operator=(const SimulationHandle&) = delete;

  // Simulates `days` days (collective; without the GIL). Past the scenario's last day: InputError.
  void step(int days);
  void post_tariff(const std::vector<double>& theta);
  // Class `cls` plays these rows ([period][bin][action], C order) from the next day on.
  void set_class_policy(
      int cls,
      const pybind11::array_t<double, pybind11::array::c_style | pybind11::array::forcecast>&
          probabilities);
  void release_class_policy(int cls);
  // The class's rows of the policy in force, [period][bin][action].
  pybind11::array_t<double> class_policy(int cls) const;
  // The last simulated day's outputs, as the run file names them.
  pybind11::dict day_outcome() const;
  // Writes a checkpoint into the run file and, with `copy_to`, copies the run as it stands there
  // (RunWriter::copy_to): a run that resume(copy_to) continues (collective).
  void checkpoint(const std::string& copy_to, bool force);
  // The state now, kept in memory (collective only in that every rank keeps its own agents).
  std::shared_ptr<const Snapshot> snapshot() const;
  // Back to a snapshot's day and state; the days after it are simulated again, bit for bit. A
  // simulation with a run file is refused: its file holds the days after the snapshot (a branch
  // of a run with a file is checkpoint(path) and resume(path)).
  void restore(const Snapshot& snapshot);
  // Ends it: an unfinished run file gets a checkpoint, from which `resume` continues (collective).
  // Later calls other than close() raise.
  void close();
  // Closes every handle still open: at the interpreter's exit, before MPI is finalised.
  static void close_all();

  const Simulation& simulation() const;
  // The day this handle last simulated; refused (Error) before its first step, after a resume too.
  const DayOutcome& last_day() const;
  const DayArrays& arrays() const { return *arrays_; }
  std::string output_path() const { return writer_ ? writer_->path() : std::string(); }
  bool complete() const { return complete_; }

 private:
  SimulationHandle(std::unique_ptr<Simulation> sim, int threads);
  Simulation& live();

  std::unique_ptr<Simulation> sim_;
  std::optional<RunWriter> writer_;
  std::unique_ptr<DayArrays> arrays_;
  int threads_ = 1;
  bool complete_ = false;
  bool stepped_ = false;  // a day simulated here: a resumed simulation has none to show at first
};

}  // namespace mfgrid::bindings
