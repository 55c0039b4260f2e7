// `mfgrid run` and `mfgrid resume` around the library's day loop (mfgrid/io/run_loop.hpp).
#pragma once

#include <string>

#include "cli/commands.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/io/run_file.hpp"

namespace mfgrid::cli {

// How progress is shown: a bar on a terminal and a table otherwise (automatic), or either.
enum class ProgressStyle { automatic, bar, table };

struct LoopOptions {
  const char* verb = "run";
  bool quiet = false;
  std::string final_path;  // the output's name once complete
  ProgressStyle progress = ProgressStyle::automatic;
};

// What each column of the progress table means (the run and resume commands' --help).
extern const char* const progress_columns_help;

// Adds --progress auto|bar|table to a command.
void add_progress_option(CLI::App& cmd, ProgressStyle& style);

// Runs the library's day loop (run_days) with progress lines and reports on rank 0: exit_ok when
// the run completed, exit_stopped after a stop signal (checkpoint written).
int run_and_report(Simulation& sim, RunWriter* writer, const LoopOptions& options);

}  // namespace mfgrid::cli
