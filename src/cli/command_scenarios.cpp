// mfgrid scenarios [show NAME]: the scenarios compiled into the binary.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "mfgrid/config/embedded_scenarios.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid::cli {

void add_scenarios_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd =
      app.add_subcommand("scenarios", "List the embedded scenarios (`show NAME` prints one)");
  auto name = std::make_shared<std::string>();
  CLI::App* show = cmd->add_subcommand(
      "show", "Print an embedded scenario file, as a starting point for your own");
  show->add_option("name", *name, "Scenario name")->required();
  cmd->callback([cmd, &exit_code] {
    if (cmd->got_subcommand("show")) return;
    for (const auto& s : embedded_scenarios()) {
      std::cout << s.name << (s.name == default_scenario_name ? " (default)" : "") << "\n    "
                << s.description << "\n";
    }
    exit_code = exit_ok;
  });
  show->callback([name, &exit_code] {
    const auto s = find_embedded_scenario(*name);
    if (!s) {
      std::string names;
      for (const auto& e : embedded_scenarios()) names += (names.empty() ? "" : ", ") + e.name;
      throw IoError(*name, "no embedded scenario of that name (embedded: " + names + ")");
    }
    std::cout << s->text;
    exit_code = exit_ok;
  });
}

}  // namespace mfgrid::cli
