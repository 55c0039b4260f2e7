// The `mfgrid` subcommands. Each adds itself to the application and, when chosen, stores the
// process exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "mfgrid/config/scenario.hpp"

namespace mfgrid::cli {

// Exit codes: 0 success, 1 mfgrid failed, 2 bad input (scenario, case file, options, files),
// 75 stopped by SIGTERM/SIGUSR1 after writing a checkpoint (EX_TEMPFAIL: try again, i.e. resume).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_stopped = 75;

void add_validate_command(CLI::App& app, int& exit_code);
void add_scenarios_command(CLI::App& app, int& exit_code);
void add_opf_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_finite_n_command(CLI::App& app, int& exit_code);
void add_resume_command(CLI::App& app, int& exit_code);
void add_info_command(CLI::App& app, int& exit_code);
void add_learners_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);

// What the scenario reader accepted but wants changed (deprecated keys), to stderr.
void print_notices(const Scenario& scenario);

}  // namespace mfgrid::cli
