// `mfgrid run` and `mfgrid resume` around the library's day loop (mfgrid/io/run_loop.hpp).
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

// Runs the library's day loop (run_days) with progress lines and reports on rank 0: exit_ok when
// the run completed, exit_stopped after a stop signal (checkpoint written).
int run_and_report(Simulation& sim, RunWriter* writer, const LoopOptions& options);

}  // namespace mfgrid::cli
