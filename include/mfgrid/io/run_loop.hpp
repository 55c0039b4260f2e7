// A run's day loop, owned by the library so that the command line, tests, benchmarks and bindings
// drive a run the same way: every day simulated, written (when there is a run file) and
// checkpointed every checkpoint.every_days; after the day in which a stop signal arrived on any
// rank (core/stop_signal.hpp: the program installs the handlers), a checkpoint and a stop. It
// prints nothing: what happens is reported to a RunObserver.
#pragma once

#include "mfgrid/core/timer.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/io/run_file.hpp"

namespace mfgrid {

// What a run reports as it goes (every rank calls it; the command line prints on rank 0). One
// virtual call a day, none per agent.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // After each day is written: the day, and the seconds the rest of the run will take at the
  // pace so far.
  virtual void on_day(const Simulation& /*sim*/, const DayOutcome& /*day*/,
                      double /*seconds_left*/) {}
  // The first day the market shed load (MWh over the day).
  virtual void on_first_shedding(const Simulation& /*sim*/, int /*day*/, double /*mwh*/) {}
};

enum class RunEnd { complete, stopped };

struct RunResult {
  RunEnd end = RunEnd::complete;
  int first_day = 0;     // the day the loop started at (after a checkpoint: the next day)
  int last_day = -1;     // the last day simulated
  PhaseTimes total;      // this rank's seconds per phase over the loop
  double seconds = 0.0;  // wall-clock seconds of the loop on the slowest rank
  int shed_days = 0;     // days on which load was shed
  double shed_mwh = 0.0;
  int days_simulated() const { return last_day + 1 - first_day; }
};

// Simulates from the simulation's current day to the scenario's last, or `max_days` days when
// that ends sooner (a program stepping a run a few days at a time). With a writer, each day is
// written, checkpoints are made, and once the scenario's last day is done the file is finished
// (renamed). A NumericError leaves the days before it in the file and says so. Collective.
RunResult run_days(Simulation& sim, RunWriter* writer, RunObserver* observer = nullptr,
                   int max_days = -1);

}  // namespace mfgrid
