// Reading a run file's header: what it holds, and whether a run may continue it.
#include <filesystem>

#include "io/checksums.hpp"
#include "io/file_system.hpp"
#include "io/h5.hpp"
#include "io/run_format.hpp"
#include "mfgrid/config/scenario_diff.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/io/file_probe.hpp"
#include "mfgrid/io/run_file.hpp"
#include "mfgrid/io/run_lock.hpp"
#include "mfgrid/parallel/collective_step.hpp"

namespace mfgrid {

Scenario scenario_of(const RunFileHeader& header) {
  return parse_scenario(header.scenario_toml, header.path + " (scenario)", {}, header.scenario_dir);
}

RunFileHeader read_run_header(const std::string& path) {
  namespace fs = std::filesystem;
  RunFileHeader h;
  std::error_code ec;
  h.final_path = final_path_of(path);
  if (h.final_path != path) {
    h.path = path;
  } else {
    h.path = fs::exists(path, ec) ? path : partial_path(path);
    if (!fs::exists(h.path, ec))
      throw IoError(path, "no such run file (nor " + partial_path(path) + ")");
  }
  h5::Id file = h5::open_file(h.path, MPI_COMM_NULL, false);
  if (!h5::has_attribute(file, "format") ||
      h5::string_attribute(file, "format") != io::run_format_name)
    throw IoError(h.path, "not an mfgrid run file (no format attribute 'mfgrid-run')");
  const std::int64_t v = h5::integer_attribute(file, "format_version");
  if (v > io::run_format_version)
    throw IoError(h.path, "written by a newer mfgrid (format " + std::to_string(v) + ")");
  h.format_version = v;
  h.scenario_toml = h5::string_attribute(file, "scenario");
  if (h5::string_attribute(file, "scenario_fnv1a64") != io::text_checksum(h.scenario_toml))
    throw IoError(h.path, "the scenario attribute is damaged (its checksum does not match)");
  h.scenario_name = h5::string_attribute(file, "scenario_name");
  h.scenario_dir = h5::string_attribute(file, "scenario_dir");
  h.version = h5::string_attribute(file, "version");
  h.git_revision = h5::string_attribute(file, "git_revision");
  h.created = h5::string_attribute(file, "created");
  h.seed = h5::integer_attribute(file, "seed");
  h.ranks = h5::integer_attribute(file, "ranks");
  h.threads = h5::integer_attribute(file, "threads");
  h.days = h5::integer_attribute(file, "days");
  h.days_done = h5::integer_attribute(file, "days_done");
  h.complete = h5::integer_attribute(file, "complete") != 0;
  if (h5::has_attribute(file, "checkpoint_day"))
    h.checkpoint_day = h5::integer_attribute(file, "checkpoint_day");
  h.checkpoint_dropped = h5::has_attribute(file, "checkpoint_dropped") &&
                         h5::integer_attribute(file, "checkpoint_dropped") != 0;
  return h;
}

namespace {

// Throws when the run file at `path` holds another scenario than `resolved_toml`.
RunFileHeader same_run_or_refuse(const std::string& path, const std::string& resolved_toml) {
  probe_run_file(path);
  RunFileHeader h = read_run_header(path);
  const auto differences =
      scenario_differences(resolved_toml, h.scenario_toml, "requested", "in the file");
  if (differences.empty()) return h;
  std::string listing;
  for (std::size_t i = 0; i < differences.size() && i < 20; ++i) listing += "\n  " + differences[i];
  if (differences.size() > 20)
    listing += "\n  … and " + std::to_string(differences.size() - 20) + " more";
  throw IoError(h.path,
                "holds a run of another scenario than the one requested; choose another "
                "output, or pass --force instead of --continue to replace it. What "
                "differs:" +
                    listing);
}

}  // namespace

Continuation continuation_of(const std::string& path, const std::string& resolved_toml,
                             const Communicator& comm) {
  std::uint8_t decision = 0;
  collectively(comm, [&] {
    if (!comm.is_root()) return;
    RunLock::refuse_if_held(path);
    namespace fs = std::filesystem;
    std::error_code ec;
    io::require_regular_or_absent(path, "the output");
    io::require_regular_or_absent(partial_path(path), "the run file being written");
    Continuation c = Continuation::start;
    if (fs::exists(path, ec)) {
      const RunFileHeader h = same_run_or_refuse(path, resolved_toml);
      if (!h.complete) throw IoError(path, "is not marked complete, yet has its final name");
      c = Continuation::complete;
    } else if (fs::exists(partial_path(path), ec)) {
      const RunFileHeader h = same_run_or_refuse(partial_path(path), resolved_toml);
      c = h.checkpoint_day >= 0 ? Continuation::resume : Continuation::restart;
    }
    decision = static_cast<std::uint8_t>(c);
  });
  comm.broadcast(std::span<std::uint8_t>(&decision, 1));
  return static_cast<Continuation>(decision);
}

}  // namespace mfgrid
