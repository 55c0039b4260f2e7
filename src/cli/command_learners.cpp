// mfgrid learners: every registered learner with its parameters, as the scenario reads them.
#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "mfgrid/config/learner_catalogue.hpp"

namespace mfgrid::cli {

namespace {

std::string range_text(const ParameterSpec& p) {
  char text[96];
  std::snprintf(text, sizeof text, "%s%g, %g]", p.lo_open ? "(" : "[", p.lo, p.hi);
  return text;
}

}  // namespace

void add_learners_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "learners", "List the follower and leader learners and the keys of their tables");
  cmd->callback([&exit_code] {
    for (const LearnerType& type : learner_types()) {
      std::printf("%s.learner = \"%s\": %s\n", to_string(type.role), type.name.c_str(),
                  type.doc.c_str());
      if (!type.parameters.empty())
        std::printf("  [%s.%s]\n", to_string(type.role), type.name.c_str());
      for (const ParameterSpec& p : type.parameters)
        std::printf("  %-20s %-7s default %-8g in %-14s %s\n", p.key.c_str(),
                    p.type == ParameterType::integer ? "integer" : "number", p.default_value,
                    range_text(p).c_str(), p.doc.c_str());
    }
    exit_code = exit_ok;
  });
}

void print_notices(const Scenario& scenario) {
  for (const std::string& notice : scenario.notices)
    std::fprintf(stderr, "warning: %s\n", notice.c_str());
}

}  // namespace mfgrid::cli
