#include "bindings/simulation_handle.hpp"

#include <algorithm>
#include <vector>

#include "mfgrid/core/error.hpp"
#include "mfgrid/io/run_loop.hpp"

namespace py = pybind11;

namespace mfgrid::bindings {

namespace {
// The handles not yet closed, in the order they were made (the same on every rank: close_all's
// checkpoints are collective).
std::vector<SimulationHandle*>& open_handles() {
  static std::vector<SimulationHandle*> handles;
  return handles;
}
void forget(SimulationHandle* handle) {
  auto& handles = open_handles();
  handles.erase(std::remove(handles.begin(), handles.end(), handle), handles.end());
}
}  // namespace

SimulationHandle::SimulationHandle(std::unique_ptr<Simulation> sim, int threads)
    : sim_(std::move(sim)), arrays_(std::make_unique<DayArrays>(*sim_)), threads_(threads) {
  open_handles().push_back(this);
}

SimulationHandle::SimulationHandle(const Scenario& scenario, int threads, const std::string& output,
                                   bool force, const std::string& scenario_dir)
    : threads_(threads) {
  const Communicator world = Communicator::world();
  // What the file would refuse is said before a large population is built.
  if (!output.empty()) RunWriter::check_output(output, force, world);
  sim_ = std::make_unique<Simulation>(scenario, world, threads);
  arrays_ = std::make_unique<DayArrays>(*sim_);
  if (!output.empty())
    writer_.emplace(RunWriter::create(output, *sim_, RunMetadata{scenario_dir, threads}, force));
  open_handles().push_back(this);
}

std::unique_ptr<SimulationHandle> SimulationHandle::resume(const std::string& path, int threads) {
  const Communicator world = Communicator::world();
  RunWriter::check_resumable(path, world);
  const RunFileHeader header = read_run_header(path);
  const Scenario scenario = scenario_of(header);
  auto handle = std::unique_ptr<SimulationHandle>(
      new SimulationHandle(std::make_unique<Simulation>(scenario, world, threads), threads));
  handle->writer_.emplace(
      RunWriter::resume(path, *handle->sim_, RunMetadata{header.scenario_dir, threads}));
  return handle;
}

SimulationHandle::~SimulationHandle() { forget(this); }

Simulation& SimulationHandle::live() {
  if (!sim_) throw Error("the simulation is closed");
  return *sim_;
}

const Simulation& SimulationHandle::simulation() const {
  if (!sim_) throw Error("the simulation is closed");
  return *sim_;
}

void SimulationHandle::step(int days) {
  Simulation& sim = live();
  const int last = sim.scenario().time.days;
  if (days < 1) throw InputError(SourceLocation{"step"}, "days", "must be at least 1");
  if (sim.day() + days > last)
    throw InputError(SourceLocation{"step"}, "days",
                     std::to_string(days) + " more days would pass the scenario's last day (" +
                         std::to_string(last) + " days, time.days; " + std::to_string(sim.day()) +
                         " done): load it with a larger time.days to go on");
  // Day by day, so that Ctrl-C stops a long step after the day under way (Python's handler only
  // runs while it holds the GIL). Every rank stops after the same day: a signal on one is agreed
  // on with the others (one more Allreduce of a flag a day).
  for (int d = 0; d < days; ++d) {
    {
      py::gil_scoped_release free_python;
      run_days(sim, writer_ ? &*writer_ : nullptr, nullptr, 1);
    }
    stepped_ = true;
    complete_ = sim.day() == last;
    const bool interrupted = PyErr_CheckSignals() != 0;
    const bool stop = sim.communicator().any(interrupted);
    // The day day_outcome() gives: its sampled agents, each on one rank, gathered onto all.
    if (stop || d == days - 1) arrays_->gather_points(sim, sim.last_day());
    if (stop) {
      if (interrupted) throw py::error_already_set();
      PyErr_SetString(PyExc_KeyboardInterrupt, "interrupted on another rank");
      throw py::error_already_set();
    }
  }
}

void SimulationHandle::post_tariff(const std::vector<double>& theta) { live().post_tariff(theta); }

void SimulationHandle::set_class_policy(
    int cls, const py::array_t<double, py::array::c_style | py::array::forcecast>& probabilities) {
  live().set_class_policy(cls,
                          std::span<const double>(probabilities.data(),
                                                  static_cast<std::size_t>(probabilities.size())));
}

void SimulationHandle::release_class_policy(int cls) { live().release_class_policy(cls); }

py::array_t<double> SimulationHandle::class_policy(int cls) const {
  const PolicyTable& policy = simulation().policy();
  if (cls < 0 || cls >= policy.classes())
    throw InputError(SourceLocation{"class_policy"}, "class", "no class " + std::to_string(cls));
  py::array_t<double> rows({policy.periods(), policy.bins(), policy.actions()});
  double* out = rows.mutable_data();
  for (int t = 0; t < policy.periods(); ++t)
    for (int b = 0; b < policy.bins(); ++b)
      for (double p : policy.probabilities(cls, t, b)) *out++ = p;
  return rows;
}

const DayOutcome& SimulationHandle::last_day() const {
  const Simulation& sim = simulation();
  if (!stepped_)
    throw Error(sim.day() == 0 ? "no day has been simulated yet: call step() first"
                               : "no day has been simulated since the resume or restore (at day " +
                                     std::to_string(sim.day()) + "): call step() first");
  return sim.last_day();
}

py::dict SimulationHandle::day_outcome() const { return arrays_->arrays(simulation(), last_day()); }

std::shared_ptr<const Snapshot> SimulationHandle::snapshot() const {
  const Simulation& sim = simulation();
  auto snap = std::make_shared<Snapshot>();
  sim.save(snap->archive);
  snap->agents = sim.agent_state();
  snap->day = sim.day();
  snap->scenario_toml = sim.scenario().resolved_toml;
  snap->ranks = sim.communicator().size();
  return snap;
}

void SimulationHandle::restore(const Snapshot& snapshot) {
  Simulation& sim = live();
  if (writer_)
    throw Error("a simulation with a run file (" + writer_->path() +
                ") goes back only through its file, which holds the days after the snapshot: "
                "checkpoint(path), then Simulation.resume(path)");
  if (snapshot.ranks != sim.communicator().size())
    throw InputError(SourceLocation{"restore"}, "snapshot",
                     "taken on " + std::to_string(snapshot.ranks) + " ranks, not " +
                         std::to_string(sim.communicator().size()));
  if (snapshot.scenario_toml != sim.scenario().resolved_toml)
    throw InputError(SourceLocation{"restore"}, "snapshot",
                     "taken of a simulation of another scenario (or other settings, the seed "
                     "included)");
  sim.load(snapshot.archive, snapshot.agents);
  complete_ = sim.day() == sim.scenario().time.days;
  stepped_ = false;  // no day simulated since: day_outcome() says so
}

void SimulationHandle::checkpoint(const std::string& copy_to, bool force) {
  Simulation& sim = live();
  if (!writer_)
    throw Error(
        "the simulation has no run file to checkpoint into: make it with output=…" +
        std::string(copy_to.empty() ? "" : " (a copy of it is what checkpoint(path) writes)"));
  if (complete_) throw Error(writer_->path() + " is complete: its final checkpoint is written");
  py::gil_scoped_release free_python;
  writer_->write_checkpoint(sim);
  if (!copy_to.empty()) writer_->copy_to(sim, copy_to, force);
}

void SimulationHandle::close() {
  if (!sim_) return;
  // Closed even when the checkpoint fails (a full disk: the error says what the file keeps), so
  // that the interpreter's exit does not try again.
  const std::unique_ptr<Simulation> sim = std::move(sim_);
  std::optional<RunWriter> writer = std::move(writer_);
  writer_.reset();
  forget(this);
  // Day 0 has nothing to keep: the file says "no checkpoint yet" and a resume starts it again.
  if (writer && !complete_ && sim->day() > 0) {
    py::gil_scoped_release free_python;
    writer->write_checkpoint(*sim);
  }
}

void SimulationHandle::close_all() {
  // close() takes the handle out of the list.
  while (!open_handles().empty()) open_handles().front()->close();
}

}  // namespace mfgrid::bindings
