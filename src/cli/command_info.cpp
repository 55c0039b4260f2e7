// mfgrid info OUT.h5: what a run file holds, where it stands and what it found.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/json_text.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/io/file_probe.hpp"
#include "mfgrid/io/run_lock.hpp"
#include "mfgrid/io/run_summary.hpp"
#include "mfgrid/parallel/mpi_session.hpp"

namespace mfgrid::cli {

namespace {

// Everything info says of a file, for its text and its JSON.
struct Info {
  RunSummary summary;
  LockState lock;
  bool in_use = false;
  bool unreadable_now = false;  // in use, and caught in the middle of a write
  std::string unreadable_reason;
  long long verified = -1;  // datasets read by --verify; -1 without it

  const RunFileHeader& h() const { return summary.header; }
  std::string state() const {
    return h().complete ? "complete" : (in_use ? "running" : "interrupted");
  }
};

Info read_info(const std::string& path, bool verify) {
  Info info;
  info.lock = RunLock::inspect(final_path_of(path));
  info.in_use = info.lock.kind == LockState::Kind::held;
  if (info.in_use && verify)
    throw IoError(path, "in use by " + info.lock.holder.describe() +
                            ": its contents are being written; verify it once that run has ended");
  try {
    info.summary = read_run_summary(path);
  } catch (const IoError& e) {
    if (!info.in_use) throw;
    // Between two of its writes a live file can be read; during one, not.
    info.unreadable_now = true;
    info.unreadable_reason = e.what();
    info.summary.header.path = path;
    return info;
  }
  if (verify) info.verified = static_cast<long long>(verify_run_file(path));
  return info;
}

void print_named(const char* title, const std::vector<std::string>& names,
                 const std::vector<double>& values, const char* format) {
  std::printf("%s:", title);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::printf(" %s=", i < names.size() ? names[i].c_str() : std::to_string(i).c_str());
    std::printf(format, values[i]);
  }
  std::printf("\n");
}

void print_text(const Info& info) {
  const RunFileHeader& h = info.h();
  if (info.unreadable_now) {
    std::printf(
        "file: %s\nin use by %s: it is being written just now and could not be read "
        "(%s); try again in a moment\n",
        h.path.c_str(), info.lock.holder.describe().c_str(), info.unreadable_reason.c_str());
    return;
  }
  const RunSummary& s = info.summary;
  if (info.verified >= 0)
    std::printf("verified: %lld datasets read in full, every checksum correct\n", info.verified);
  std::printf("file: %s\n", h.path.c_str());
  std::printf(
      "scenario: %s (seed %lld), mfgrid %s (%s), created %s on %lld rank%s x %lld thread%s\n",
      h.scenario_name.c_str(), static_cast<long long>(h.seed), h.version.c_str(),
      h.git_revision.c_str(), h.created.c_str(), static_cast<long long>(h.ranks),
      h.ranks == 1 ? "" : "s", static_cast<long long>(h.threads), h.threads == 1 ? "" : "s");
  std::printf("days: %lld of %lld done, %s", static_cast<long long>(h.days_done),
              static_cast<long long>(h.days), info.state().c_str());
  if (info.in_use)
    std::printf(" (in use by %s; what is shown is as of its last batch)",
                info.lock.holder.describe().c_str());
  else if (!h.complete && h.checkpoint_day >= 0)
    std::printf(" (checkpoint after day %lld: `mfgrid resume %s`)",
                static_cast<long long>(h.checkpoint_day - 1), h.final_path.c_str());
  else if (!h.complete)
    std::printf(" (no checkpoint yet)");
  else if (h.checkpoint_dropped)
    std::printf(" (its checkpoint dropped at the end: output.keep_checkpoint = false)");
  std::printf("\n");
  if (info.lock.kind == LockState::Kind::stale)
    std::printf("stale lock: %s was left by %s, which is gone; %s\n", info.lock.lock_path.c_str(),
                info.lock.holder.describe().c_str(), info.lock.advice.c_str());
  if (h.days_done == 0) return;
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
}

// {"name": value, …} of values named by a dimension's labels.
std::string json_named(const std::vector<std::string>& names, const std::vector<double>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + json_string(i < names.size() ? names[i] : std::to_string(i)) + ": " +
           json_number(values[i]);
  return out + "}";
}

// The same as print_text, as one JSON object (null where the text says nothing).
void print_json(const Info& info) {
  const RunFileHeader& h = info.h();
  const RunSummary& s = info.summary;
  const auto integer = [](std::int64_t v) { return std::to_string(v); };
  std::vector<std::pair<std::string, std::string>> fields{{"file", json_string(h.path)}};
  if (info.unreadable_now) {
    fields.emplace_back("state", json_string("running"));
    fields.emplace_back("in_use_by", json_string(info.lock.holder.describe()));
    fields.emplace_back("unreadable_now", json_string(info.unreadable_reason));
  } else {
    fields.insert(
        fields.end(),
        {{"scenario", json_string(h.scenario_name)},
         {"seed", integer(h.seed)},
         {"mfgrid_version", json_string(h.version)},
         {"git_revision", json_string(h.git_revision)},
         {"created", json_string(h.created)},
         {"format_version", integer(h.format_version)},
         {"ranks", integer(h.ranks)},
         {"threads", integer(h.threads)},
         {"days", integer(h.days)},
         {"days_done", integer(h.days_done)},
         {"state", json_string(info.state())},
         {"in_use_by", info.in_use ? json_string(info.lock.holder.describe()) : "null"},
         // The last day the checkpoint covers (resume continues after it).
         {"checkpoint_after_day", h.checkpoint_day >= 0 ? integer(h.checkpoint_day - 1) : "null"},
         // Complete and rewritten without it (output.keep_checkpoint = false).
         {"checkpoint_dropped", h.checkpoint_dropped ? "true" : "false"},
         {"stale_lock", info.lock.kind == LockState::Kind::stale
                            ? "{\"path\": " + json_string(info.lock.lock_path) +
                                  ", \"left_by\": " + json_string(info.lock.holder.describe()) +
                                  ", \"advice\": " + json_string(info.lock.advice) + "}"
                            : "null"},
         {"verified_datasets", info.verified >= 0 ? std::to_string(info.verified) : "null"}});
    if (h.days_done > 0) {
      fields.insert(
          fields.end(),
          {{"final_tariff", json_named(s.params, s.theta)},
           {"eei_last_day", json_named(s.groups, s.eei)},
           {"bill_last_day", json_named(s.groups, s.bill)},
           {"inequality", json_number(s.inequality)},
           {"revenue_adequacy", json_number(s.revenue_adequacy)},
           {"wholesale_cost", json_number(s.cost)},
           {"followers",
            s.follower_updates > 0
                ? "{\"updates\": " + integer(s.follower_updates) +
                      ", \"converged\": " + (s.followers_converged ? "true" : "false") +
                      ", \"policy_residual\": " + json_number(s.policy_residual) +
                      ", \"meanfield_residual\": " + json_number(s.meanfield_residual) + "}"
                : "null"},
           {"leader", s.interactions > 0
                          ? "{\"interactions\": " + integer(s.interactions) +
                                ", \"last_objective\": " + json_number(s.last_objective) +
                                ", \"best_objective\": " + json_number(s.best_objective) + "}"
                          : "null"}});
    }
  }
  std::printf("{\n");
  for (std::size_t i = 0; i < fields.size(); ++i)
    std::printf("  %s: %s%s\n", json_string(fields[i].first).c_str(), fields[i].second.c_str(),
                i + 1 < fields.size() ? "," : "");
  std::printf("}\n");
}

// Reading a run file needs no MPI (the reader opens it with HDF5's default driver): info starts
// none, which saves the 0.4 s of MPI_Init that every `mfgrid info` cost; under a launcher, the
// process of rank 0 alone prints.
int info(const std::string& path, bool verify, bool json) {
  if (MpiSession::world_rank() != 0) return exit_ok;
  // A file being written is not probed (its text is in flux); any other is read in a child first
  // (file_probe.hpp).
  if (RunLock::inspect(final_path_of(path)).kind != LockState::Kind::held) probe_run_file(path);
  const Info i = read_info(path, verify);
  json ? print_json(i) : print_text(i);
  return exit_ok;
}

}  // namespace

void add_info_command(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  auto verify = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("info", "Summarise a run file");
  cmd->add_option("file", *path, "The run file (OUT.h5 or OUT.h5.partial)")->required();
  cmd->add_flag("--verify", *verify, "Read every dataset in full and check its checksums");
  cmd->add_flag("--json", *json, "Print it as one JSON object (the same facts, machine-readable)");
  cmd->callback([path, verify, json, &exit_code] { exit_code = info(*path, *verify, *json); });
}

}  // namespace mfgrid::cli
