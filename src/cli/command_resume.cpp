// mfgrid resume OUT.h5: continue an interrupted run from its checkpoint, on any number of ranks
// and threads; the finished file is the one an uninterrupted run would have written.
#include <memory>

#include "cli/commands.hpp"
#include "cli/run_loop.hpp"
#include "mfgrid/core/stop_signal.hpp"
#include "mfgrid/parallel/mpi_session.hpp"
#include "mfgrid/parallel/rank_threads.hpp"

namespace mfgrid::cli {

namespace {

struct ResumeOptions {
  std::string path;
  int threads = 0;
  bool quiet = false;
  ProgressStyle progress = ProgressStyle::automatic;
};

int resume(const ResumeOptions& o) {
  // From the start: a stop requested while the run is being set up is honoured after its first
  // day (with a checkpoint), not by dying with a half-created file.
  install_stop_handlers();
  MpiSession mpi(nullptr, nullptr);
  const Communicator world = Communicator::world();
  // A file another run is writing is not even read: its contents are in flux.
  RunWriter::check_resumable(o.path, world);
  const RunFileHeader header = read_run_header(o.path);
  const Scenario scenario = scenario_of(header);
  if (world.is_root()) print_notices(scenario);
  const int threads = rank_threads(o.threads, world);
  Simulation sim(scenario, world, threads);
  RunWriter writer = RunWriter::resume(o.path, sim, {header.scenario_dir, threads});
  return run_and_report(sim, &writer, {"resume", o.quiet, header.final_path, o.progress});
}

}  // namespace

void add_resume_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ResumeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "resume", "Continue an interrupted run from its checkpoint (OUT.h5 or OUT.h5.partial)");
  cmd->add_option("file", o->path, "The run file")->required();
  cmd->add_option("--threads", o->threads,
                  "OpenMP threads per rank (default: OMP_NUM_THREADS, else cores / ranks)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("-q,--quiet", o->quiet, "Only the first and last lines");
  add_progress_option(*cmd, o->progress);
  cmd->callback([o, &exit_code] { exit_code = resume(*o); });
}

}  // namespace mfgrid::cli
