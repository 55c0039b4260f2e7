// The day loop of `mfgrid run` and `mfgrid resume`.
#pragma once

#include <string>

#include "cli/commands.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/io/run_file.hpp"

namespace mfgrid::cli {

struct LoopOptions {
  const char* verb = "run";
  bool quiet = false;
  std::string final_path;  // the output's name once complete
};

// Simulates from the simulation's current day to the scenario's last, writing every day (when
// `writer` is given), checkpointing every `checkpoint.every_days`, and stopping after the day
// in which SIGTERM or SIGUSR1 arrived (checkpoint written, exit_stopped returned).
int run_days(Simulation& sim, RunWriter* writer, const LoopOptions& options);

}  // namespace mfgrid::cli
