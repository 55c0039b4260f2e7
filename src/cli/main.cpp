// mfgrid: the command line (DESIGN.md §6).
#include <iostream>

#include "cli/commands.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/version.hpp"
#include "mfgrid/parallel/mpi_session.hpp"

namespace {
// Every rank meets the same input errors; one message is enough.
void report(const char* prefix, const std::exception& e) {
  if (mfgrid::MpiSession::world_rank() == 0) std::cerr << prefix << e.what() << "\n";
}
}  // namespace

int main(int argc, char** argv) {
  using namespace mfgrid::cli;
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_bad_input;
  } catch (const mfgrid::InputError& e) {
    report("error: ", e);
    return exit_bad_input;
  } catch (const mfgrid::IoError& e) {
    report("error: ", e);
    return exit_bad_input;
  } catch (const std::exception& e) {
    report("mfgrid failed: ", e);
    return exit_failure;
  }
  return exit_code;
}
