// mfgrid validate SCENARIO [--set key=value …]: read and check a scenario without running it.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "mfgrid/config/scenario_loader.hpp"

namespace mfgrid::cli {

namespace {
struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  bool print_resolved = false;
};
}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a scenario file without running it");
  cmd->add_option("scenario", opts->scenario, "Scenario file (or embedded scenario name)")
      ->required();
  cmd->add_option("--set", opts->overrides, "Override a setting: key=value (repeatable)");
  cmd->add_flag("--print", opts->print_resolved,
                "Print the resolved scenario (every setting, defaults filled in)");
  cmd->callback([opts, &exit_code] {
    const Scenario s = load_scenario(opts->scenario, opts->overrides);
    print_notices(s);
    if (opts->print_resolved) {
      std::cout << s.resolved_toml;
    } else {
      std::int64_t households = 0;
      for (const auto& c : s.households.classes) households += c.count;
      auto count = [](auto n, const char* one, const char* many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
      };
      std::cout << s.source << ": ok (" << s.name << ": "
                << count(s.network.buses.size(), "bus", "buses") << ", "
                << count(s.network.lines.size(), "line", "lines") << ", "
                << count(s.network.generators.size(), "generator", "generators") << ", "
                << count(s.households.classes.size(), "household class", "household classes")
                << ", " << count(households, "household", "households") << ", "
                << count(s.time.days, "day", "days") << " of "
                << count(s.time.periods, "period", "periods") << ")\n";
    }
    exit_code = exit_ok;
  });
}

}  // namespace mfgrid::cli
