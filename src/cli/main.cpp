// mfgrid: the command line (docs/model.md §10).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/solver_memory.hpp"
#include "mfgrid/core/version.hpp"
#include "mfgrid/io/run_file.hpp"
#include "mfgrid/parallel/mpi_session.hpp"

namespace {

// The exit code an error calls for, after printing it (on rank 0 only: every rank reports the same
// error, see MpiSession::agree_on_error).
int report(const std::exception_ptr& error) {
  using namespace mfgrid;
  using namespace mfgrid::cli;
  const bool speak = MpiSession::world_rank() == 0;
  try {
    std::rethrow_exception(error);
  } catch (const InputError& e) {
    if (speak) std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const IoError& e) {
    if (speak) std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const IoFailure& e) {
    if (speak) std::cerr << "error: " << e.what() << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    if (speak) std::cerr << "mfgrid failed: " << e.what() << "\n";
    return exit_failure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mfgrid::cli;
  mfgrid::keep_solver_memory();
  CLI::App app{
      "mfgrid: parallel mean-field simulator for Stackelberg games in electricity tariff design"};
  app.set_version_flag("--version", std::string(mfgrid::version()) + " (" +
                                        std::string(mfgrid::git_revision()) + ")");
  app.require_subcommand(1);
  int exit_code = exit_ok;
  add_validate_command(app, exit_code);
  add_scenarios_command(app, exit_code);
  add_run_command(app, exit_code);
  add_opf_command(app, exit_code);
  add_finite_n_command(app, exit_code);
  add_resume_command(app, exit_code);
  add_info_command(app, exit_code);
  add_learners_command(app, exit_code);
  add_export_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;
  } catch (...) {
    exit_code = report(mfgrid::MpiSession::agree_on_error(std::current_exception()));
  }
  if (mfgrid::run_file_left_open()) {
    // HDF5 could not close a file whose writes failed; shutting it down now would crash.
    std::fflush(nullptr);
    std::_Exit(exit_code);
  }
  mfgrid::MpiSession::end();
  return exit_code;
}
