// mfgrid run [SCENARIO] [-o OUT.h5] [--force] [--days N] [--seed S] [--set key=value …]
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/run_loop.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/stop_signal.hpp"
#include "mfgrid/parallel/mpi_session.hpp"
#include "mfgrid/parallel/rank_threads.hpp"

namespace mfgrid::cli {

namespace {

struct RunOptions {
  std::string scenario = std::string(default_scenario_name);
  std::string output;
  bool force = false;
  bool continue_run = false;
  int days = 0;
  long long seed = -1;
  int threads = 0;
  std::vector<std::string> overrides;
  bool quiet = false;
  ProgressStyle progress = ProgressStyle::automatic;
};

int run(const RunOptions& o) {
  // From the start: a stop requested while the run is being set up is honoured after its first
  // day (with a checkpoint), not by dying with a half-created file.
  install_stop_handlers();
  MpiSession mpi(nullptr, nullptr);
  const Communicator world = Communicator::world();
  std::vector<std::string> overrides = o.overrides;
  if (o.days > 0) overrides.push_back("time.days=" + std::to_string(o.days));
  if (o.seed >= 0) overrides.push_back("scenario.seed=" + std::to_string(o.seed));
  const Scenario scenario = load_scenario(o.scenario, overrides);
  if (world.is_root()) print_notices(scenario);
  // -o none: no file, even where the scenario names one.
  const std::string path =
      o.output.empty() ? scenario.output.path : (o.output == "none" ? std::string() : o.output);
  Continuation continuation = Continuation::start;
  if (o.continue_run) {
    if (path.empty()) throw InputError(SourceLocation{"--continue"}, "", "needs an output (-o)");
    if (o.force)
      throw InputError(SourceLocation{"--continue"}, "",
                       "cannot be combined with --force (which starts the run again)");
    continuation = continuation_of(path, scenario.resolved_toml, world);
    if (continuation == Continuation::complete) {
      if (world.is_root())
        std::printf("%s holds this run, complete: nothing to do\n", path.c_str());
      return exit_ok;
    }
  } else if (!path.empty()) {
    RunWriter::check_output(path, o.force, world);
  }
  const int threads = rank_threads(o.threads, world);
  Simulation sim(scenario, world, threads);
  std::optional<RunWriter> writer;
  const RunMetadata meta{scenario_directory(o.scenario), threads};
  if (continuation == Continuation::resume) {
    writer.emplace(RunWriter::resume(path, sim, meta));
    return run_and_report(sim, &*writer, {"resume", o.quiet, path, o.progress});
  }
  if (continuation == Continuation::restart && world.is_root())
    std::printf("%s holds this run without a checkpoint: starting it again\n",
                partial_path(path).c_str());
  if (!path.empty())
    writer.emplace(
        RunWriter::create(path, sim, meta, o.force || continuation == Continuation::restart));
  return run_and_report(sim, writer ? &*writer : nullptr, {"run", o.quiet, path, o.progress});
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd =
      app.add_subcommand("run", "Simulate a scenario (the embedded default when none is given)");
  cmd->add_option("scenario", o->scenario, "Scenario file or embedded scenario name")
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output,
                  "HDF5 run file to write (overrides output.path; none: no file)");
  cmd->add_flag("--force", o->force, "Overwrite an existing output file");
  cmd->add_flag("--continue", o->continue_run,
                "Bring the output to completion: resume it if it holds this run interrupted, do "
                "nothing if complete; refuse if it holds another scenario");
  cmd->add_option("--days", o->days, "Simulated days (overrides time.days)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", o->seed, "Run seed (overrides scenario.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", o->threads,
                  "OpenMP threads per rank (default: OMP_NUM_THREADS, else cores / ranks)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--set", o->overrides, "Override a setting: key=value (repeatable)");
  cmd->add_flag("-q,--quiet", o->quiet, "Only the first and last lines");
  add_progress_option(*cmd, o->progress);
  cmd->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace mfgrid::cli
