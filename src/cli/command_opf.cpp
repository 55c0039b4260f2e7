// mfgrid opf CASE.m|SCENARIO.toml [--period T] [--format text|csv|json]: one market clearing
// per period, printing dispatch, flows and LMPs — the check a power-systems user runs on a case.
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "cli/opf_report.hpp"
#include "mfgrid/agents/expected_load.hpp"
#include "mfgrid/config/matpower.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/timer.hpp"
#include "mfgrid/grid/dc_opf.hpp"

namespace mfgrid::cli {

namespace {

struct OpfOptions {
  std::string input;
  std::vector<int> periods;
  ReportFormat format = ReportFormat::text;
  std::vector<std::string> overrides;
  bool no_households = false;
  int cost_segments = 10;
};

std::string period_label(int period, int periods) {
  const int minutes = 24 * 60 / periods;
  char buf[32];
  const int a = period * minutes, b = (period + 1) * minutes;
  std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", a / 60, a % 60, b / 60, b % 60);
  return buf;
}

bool is_matpower(const std::string& path) { return path.size() > 2 && path.ends_with(".m"); }

int run_opf(const OpfOptions& o) {
  NetworkSpec net;
  std::string title;
  std::unique_ptr<Scenario> scenario;
  if (is_matpower(o.input)) {
    if (!o.overrides.empty())
      throw InputError(SourceLocation{"--set"}, "",
                       "--set applies to scenario files, not to MATPOWER cases");
    MatpowerCase mc = read_matpower(o.input, o.cost_segments);
    // The same check a scenario's network gets (there with the households' load too): an island
    // with load and no generation can only shed.
    if (auto island = find_unsupplied_island(mc.network))
      throw InputError(
          SourceLocation{o.input, mc.bus_lines[static_cast<std::size_t>(island->bus)], 1},
          "mpc.bus", island->reason);
    net = std::move(mc.network);
    title = "mfgrid opf: " + o.input + " (" + std::to_string(net.buses.size()) + " buses, " +
            std::to_string(net.lines.size()) + " lines, " + std::to_string(net.generators.size()) +
            " generators";
    if (mc.skipped_branches || mc.skipped_generators)
      title += "; skipped out of service: " + std::to_string(mc.skipped_branches) + " branches, " +
               std::to_string(mc.skipped_generators) + " generators";
    title += ")";
  } else {
    scenario = std::make_unique<Scenario>(load_scenario(o.input, o.overrides));
    net = scenario->network;
    title = "mfgrid opf: scenario " + scenario->name + ", " +
            (o.no_households
                 ? "base load only"
                 : "base load + households' expected net load (idle batteries, mean weather)");
  }
  std::vector<int> periods = o.periods;
  if (periods.empty())
    for (int t = 0; t < net.periods; ++t) periods.push_back(t);
  for (int t : periods)
    if (t < 0 || t >= net.periods)
      throw InputError(
          SourceLocation{"--period"}, "",
          "period " + std::to_string(t) + " outside 0.." + std::to_string(net.periods - 1));

  Stopwatch watch;
  DcOpf opf(net);
  const double build_seconds = watch.seconds();
  std::vector<PeriodClearing> clearings;
  for (int t : periods) {
    PeriodClearing pc;
    pc.period = t;
    pc.label = period_label(t, net.periods);
    pc.load_mw.resize(net.buses.size());
    for (std::size_t b = 0; b < net.buses.size(); ++b)
      pc.load_mw[b] = net.buses[b].base_load_mw[static_cast<std::size_t>(t)];
    if (scenario && !o.no_households) {
      const auto households = expected_household_load_mw(*scenario, t);
      for (std::size_t b = 0; b < net.buses.size(); ++b) pc.load_mw[b] += households[b];
    }
    watch.restart();
    pc.result = opf.clear(t, pc.load_mw);
    pc.seconds = watch.seconds();
    clearings.push_back(std::move(pc));
  }
  write_opf_report(std::cout, o.format, title, net, clearings, build_seconds);
  return exit_ok;
}

}  // namespace

void add_opf_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<OpfOptions>();
  CLI::App* cmd =
      app.add_subcommand("opf", "Clear the market once per period: dispatch, flows and LMPs");
  cmd->add_option("input", o->input, "MATPOWER case (.m), scenario file, or embedded scenario name")
      ->required();
  cmd->add_option("--period", o->periods, "Period(s) to clear (default: every period)");
  const std::map<std::string, ReportFormat> formats{
      {"text", ReportFormat::text}, {"csv", ReportFormat::csv}, {"json", ReportFormat::json}};
  cmd->add_option("--format", o->format, "Output format: text, csv or json")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
  cmd->add_option("--set", o->overrides, "Override a scenario setting: key=value (repeatable)");
  cmd->add_flag("--no-households", o->no_households, "Clear the base load only");
  cmd->add_option("--cost-segments", o->cost_segments,
                  "Linear pieces for polynomial costs of a MATPOWER case")
      ->check(CLI::Range(1, 1000));
  cmd->callback([o, &exit_code] { exit_code = run_opf(*o); });
}

}  // namespace mfgrid::cli
