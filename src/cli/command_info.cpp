// mfgrid info OUT.h5: what a run file holds, where it stands and what it found.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/io/file_probe.hpp"
#include "mfgrid/io/run_lock.hpp"
#include "mfgrid/io/run_summary.hpp"
#include "mfgrid/parallel/mpi_session.hpp"

namespace mfgrid::cli {

namespace {

void print_named(const char* title, const std::vector<std::string>& names,
                 const std::vector<double>& values, const char* format) {
  std::printf("%s:", title);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::printf(" %s=", i < names.size() ? names[i].c_str() : std::to_string(i).c_str());
    std::printf(format, values[i]);
  }
  std::printf("\n");
}

int summarise(const std::string& path, bool verify) {
  const LockState lock = RunLock::inspect(final_path_of(path));
  const bool in_use = lock.kind == LockState::Kind::held;
  if (in_use && verify)
    throw IoError(path, "in use by " + lock.holder.describe() +
                            ": its contents are being written; verify it once that run has ended");
  RunSummary s;
  try {
    s = read_run_summary(path);
  } catch (const IoError& e) {
    if (!in_use) throw;
    // Between two of its writes a live file can be read; during one, not.
    std::printf(
        "file: %s\nin use by %s: it is being written just now and could not be read "
        "(%s); try again in a moment\n",
        path.c_str(), lock.holder.describe().c_str(), e.what());
    return exit_ok;
  }
  if (verify) {
    const std::size_t n = verify_run_file(path);
    std::printf("verified: %zu datasets read in full, every checksum correct\n", n);
  }
  const RunFileHeader& h = s.header;
  std::printf("file: %s\n", h.path.c_str());
  std::printf(
      "scenario: %s (seed %lld), mfgrid %s (%s), created %s on %lld rank%s x %lld thread%s\n",
      h.scenario_name.c_str(), static_cast<long long>(h.seed), h.version.c_str(),
      h.git_revision.c_str(), h.created.c_str(), static_cast<long long>(h.ranks),
      h.ranks == 1 ? "" : "s", static_cast<long long>(h.threads), h.threads == 1 ? "" : "s");
  std::printf("days: %lld of %lld done, %s", static_cast<long long>(h.days_done),
              static_cast<long long>(h.days),
              h.complete ? "complete" : (in_use ? "running" : "interrupted"));
  if (in_use)
    std::printf(" (in use by %s; what is shown is as of its last batch)",
                lock.holder.describe().c_str());
  else if (!h.complete && h.checkpoint_day >= 0)
    std::printf(" (checkpoint after day %lld: `mfgrid resume %s`)",
                static_cast<long long>(h.checkpoint_day - 1), h.final_path.c_str());
  else if (!h.complete)
    std::printf(" (no checkpoint yet)");
  std::printf("\n");
  if (lock.kind == LockState::Kind::stale)
    std::printf("stale lock: %s was left by %s, which is gone; %s\n", lock.lock_path.c_str(),
                lock.holder.describe().c_str(), lock.advice.c_str());
  if (h.days_done == 0) return exit_ok;
  if (!s.theta.empty()) print_named("final tariff", s.params, s.theta, "%.6g");
  print_named("EEI by group (last day)", s.groups, s.eei, "%.5f");
  print_named("bill by group, $/day (last day)", s.groups, s.bill, "%.3f");
  std::printf("inequality %.5f, revenue adequacy %.1f $/day, wholesale cost %.1f $/day\n",
              s.inequality, s.revenue_adequacy, s.cost);
  if (s.follower_updates > 0)
    std::printf("followers: %s after %lld updates (residuals: policy %.3e, mean field %.3e)\n",
                s.followers_converged ? "converged" : "not converged",
                static_cast<long long>(s.follower_updates), s.policy_residual,
                s.meanfield_residual);
  else
    std::printf("followers: no update\n");
  if (s.interactions > 0)
    std::printf("leader: %lld interactions, last J %.6g, best J %.6g\n",
                static_cast<long long>(s.interactions), s.last_objective, s.best_objective);
  return exit_ok;
}

// Reading a run file needs no MPI (the reader opens it with HDF5's default driver): info starts
// none, which saves the 0.4 s of MPI_Init that every `mfgrid info` cost; under a launcher, the
// process of rank 0 alone prints.
int info(const std::string& path, bool verify) {
  if (MpiSession::world_rank() != 0) return exit_ok;
  // A file being written is not probed (its text is in flux); any other is read in a child first
  // (file_probe.hpp).
  if (RunLock::inspect(final_path_of(path)).kind != LockState::Kind::held) probe_run_file(path);
  return summarise(path, verify);
}

}  // namespace

void add_info_command(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  auto verify = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("info", "Summarise a run file");
  cmd->add_option("file", *path, "The run file (OUT.h5 or OUT.h5.partial)")->required();
  cmd->add_flag("--verify", *verify, "Read every dataset in full and check its checksums");
  cmd->callback([path, verify, &exit_code] { exit_code = info(*path, *verify); });
}

}  // namespace mfgrid::cli
