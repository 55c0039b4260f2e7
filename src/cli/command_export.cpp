// mfgrid export RUN.h5 --format csv|netcdf -o DIR: one tidy CSV per group, or one netCDF-4 file.
// The writing is the Python package's (python/mfgrid/export.py: xarray writes both formats, with
// the run's coordinates); this command finds the package and the interpreter and hands over.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "mfgrid/parallel/mpi_session.hpp"

namespace mfgrid::cli {

namespace {

namespace fs = std::filesystem;

struct ExportOptions {
  std::string run, format, output;
};

// MFGRID_PYTHON, else Debian's interpreter (the one with numpy, h5py and xarray), else python3.
std::string python_interpreter() {
  if (const char* chosen = std::getenv("MFGRID_PYTHON"); chosen != nullptr && *chosen != '\0')
    return chosen;
  return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

// The package next to this program once installed (PREFIX/share/mfgrid/python), else the
// checkout it was built from.
std::string package_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "mfgrid" / "python");
  candidates.emplace_back(MFGRID_PYTHON_SOURCE_DIR);
  for (const fs::path& dir : candidates)
    if (fs::exists(dir / "mfgrid" / "export.py", ec)) return dir.string();
  return {};
}

int export_run(const ExportOptions& o) {
  if (MpiSession::world_rank() != 0) return exit_ok;
  const std::string dir = package_dir();
  if (dir.empty()) {
    std::fprintf(stderr,
                 "error: the mfgrid Python package is not installed next to this program (%s) "
                 "nor in the checkout it was built from (%s)\n",
                 "PREFIX/share/mfgrid/python", MFGRID_PYTHON_SOURCE_DIR);
    return exit_failure;
  }
  const char* old_path = std::getenv("PYTHONPATH");
  const std::string path =
      dir +
      (old_path != nullptr && *old_path != '\0' ? ":" + std::string(old_path) : std::string());
  setenv("PYTHONPATH", path.c_str(), 1);
  const std::string python = python_interpreter();
  std::vector<std::string> args{python,     "-m",     "mfgrid",   "export", o.run,
                                "--format", o.format, "--output", o.output};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  execvp(python.c_str(), argv.data());
  std::fprintf(stderr, "error: cannot run %s for the export: %s\n", python.c_str(),
               std::strerror(errno));
  return exit_failure;
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Export a run file: one tidy CSV per group, or one netCDF-4 file");
  cmd->add_option("file", o->run, "The run file (OUT.h5 or OUT.h5.partial)")->required();
  cmd->add_option("--format", o->format, "csv or netcdf")
      ->required()
      ->check(CLI::IsMember({"csv", "netcdf"}));
  cmd->add_option("-o,--output", o->output, "Directory to write into (made if missing)")
      ->required();
  cmd->footer(
      "csv: DIR/<group>.csv, one row per value (a column per dimension and coordinate, variable, "
      "value, units), and DIR/attributes.csv. netcdf: DIR/<run>.nc with every group, its "
      "coordinates and the root attributes. Runs the Python package's exporter (MFGRID_PYTHON "
      "chooses the interpreter; it needs numpy, h5py, xarray, h5netcdf and, for netcdf, netCDF4).");
  cmd->callback([o, &exit_code] { exit_code = export_run(*o); });
}

}  // namespace mfgrid::cli
