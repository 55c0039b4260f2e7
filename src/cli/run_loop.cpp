// What `mfgrid run` and `mfgrid resume` print around the library's day loop (io/run_loop.hpp):
// the header, progress lines, warnings, the stop message and the final reports.
#include "cli/run_loop.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/stop_signal.hpp"
#include "mfgrid/core/timer.hpp"
#include "mfgrid/io/run_loop.hpp"
#include "mfgrid/parallel/mpi_session.hpp"

namespace mfgrid::cli {

const char* const progress_columns_help =
    "Progress: on a terminal a one-line bar (percent, day, elapsed time, time left, speed); "
    "otherwise (or with --progress table) a table, one row a day for runs up to 100 days, about "
    "100 rows for longer ones, plus every leader and (up to 200 days) every follower update:\n"
    "  day      the simulated day (0, 1, ...)\n"
    "  net_MWh  households' net withdrawal over the day, all buses (negative: net export)\n"
    "  LMP_avg  mean locational marginal price over periods and buses, $/MWh\n"
    "  LMP_max  highest LMP of the day, $/MWh\n"
    "  cong     periods with a congested line\n"
    "  EEI_gap  max - min over income groups of the energy expenditure incidence (bill/income)\n"
    "  adequacy revenue adequacy, $/day: what the tariff collects minus the energy it buys\n"
    "  F_it     the followers' fixed-point iteration at this tariff (-: none today)\n"
    "  dpi      policy residual of that iteration (mean L1 change of the policies)\n"
    "  dmu      mean-field residual (mean L1 change of the state distributions)\n"
    "  steps/s  agent-steps per second in the rollout and reduction (agents x periods)\n"
    "  left     estimated time to the end of the run, h:mm:ss\n"
    "A leader line follows each leader update: J and its parts, the learner's diagnostics, and "
    "the tariff evaluated (theta in real units).";

namespace {

double agent_steps_per_second(const DayOutcome& day, double agent_steps_per_day) {
  return agent_steps_per_day /
         std::max(1e-12, day.times[Phase::rollout] + day.times[Phase::reduce]);
}

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

// What the run prints on stdout, the bar excepted: a line longer than 100 columns wraps at spaces,
// continued two columns further in than it starts.
void say(const char* format, ...) __attribute__((format(printf, 1, 2)));
void say(const char* format, ...) {
  static std::string pending;  // the line so far (rank 0 prints; one thread)
  char buf[4096];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  pending += buf;
  for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
    std::string line = pending.substr(0, end);
    pending.erase(0, end + 1);
    const std::string indent(
        line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' ') + 2,
        ' ');
    while (line.size() > 100) {
      const std::size_t cut = line.rfind(' ', 100);
      if (cut == std::string::npos || cut <= indent.size()) break;
      std::printf("%s\n", line.substr(0, cut).c_str());
      std::string rest = indent;
      rest += line.substr(line.find_first_not_of(' ', cut));
      line = std::move(rest);
    }
    std::printf("%s\n", line.c_str());
  }
}

// The table's columns; every row fits 100 columns (see progress_columns_help).
void print_header() {
  say("%5s %9s %8s %8s %4s %7s %9s %4s %8s %8s %8s %8s\n", "day", "net_MWh", "LMP_avg", "LMP_max",
      "cong", "EEI_gap", "adequacy", "F_it", "dpi", "dmu", "steps/s", "left");
}

// One line per shown day: the market, equity and books, the followers' residuals when they learned.
void print_day(const DayOutcome& day, const Scenario& scenario, double agent_steps_per_day,
               double seconds_left) {
  double net = 0, lmp_sum = 0, lmp_max = 0;
  for (double mw : day.household_mw.values()) net += mw * scenario.time.period_hours();
  for (double p : day.lmp.values()) {
    lmp_sum += p;
    lmp_max = std::max(lmp_max, p);
  }
  const auto& eei = day.bills.group_eei;
  const double gap = eei.empty() ? 0
                                 : *std::max_element(eei.begin(), eei.end()) -
                                       *std::min_element(eei.begin(), eei.end());
  char learn[64];
  if (day.follower_update)
    std::snprintf(learn, sizeof learn, "%4d %8.2e %8.2e", day.follower_update->iteration,
                  day.follower_update->policy_residual, day.follower_update->meanfield_residual);
  else
    std::snprintf(learn, sizeof learn, "%4s %8s %8s", "-", "-", "-");
  say("%5d %9.2f %8.2f %8.2f %4d %7.4f %9.1f %s %8.2e %8s\n", day.day, net,
      lmp_sum / static_cast<double>(day.lmp.values().size()), lmp_max, day.congested_periods, gap,
      day.bills.revenue_adequacy, learn, agent_steps_per_second(day, agent_steps_per_day),
      clock_text(seconds_left).c_str());
  std::fflush(stdout);
}

std::string number_text(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

// A leader update: the interaction's objective and its parts, and the tariff it evaluated.
void print_leader(const LeaderUpdate& u, const Simulation& sim) {
  const LeaderEvaluation& e = u.evaluation;
  std::vector<std::string> items{
      "leader " + std::string(sim.leader().name()) + " #" + std::to_string(u.interaction) + ":",
      "J " + number_text("%.6g", e.objective) + " |",
      "inequality " + number_text("%.5f,", e.inequality),
      "adequacy " + number_text("%.1f", e.bills.revenue_adequacy) + " $/day,",
      "cost " + number_text("%.1f", e.wholesale_cost) + " $/day,",
      "peak " + number_text("%.3f", e.peak_mw) + " MW"};
  const auto specs = sim.leader().diagnostic_specs();
  for (std::size_t k = 0; k < specs.size() && k < u.diagnostics.size(); ++k) {
    items.back() += ",";
    items.push_back(std::string(specs[k].name) + " " + number_text("%.4g", u.diagnostics[k]));
  }
  std::string line = "     ";
  for (const std::string& item : items) line += " " + item;
  say("%s\n        theta:", line.c_str());
  const auto& names = sim.tariff_parameters().names();
  for (std::size_t i = 0; i < names.size(); ++i)
    say(" %s=%s", names[i].c_str(), number_text("%.4g", u.theta_real[i]).c_str());
  say("\n");
}

void report_leader(const Simulation& sim) {
  const auto& h = sim.leader_history();
  if (h.empty()) return;
  const LeaderLearner& l = sim.leader();
  const LeaderUpdate& last = h.back();
  say("leader (%s): %d interactions; last J %.6g, best J %.6g; EEI by group:",
      std::string(l.name()).c_str(), l.interactions(), last.evaluation.objective,
      l.best_objective());
  for (std::size_t g = 0; g < last.evaluation.bills.group_eei.size(); ++g)
    say(" %s=%.4f", sim.scenario().households.groups[g].name.c_str(),
        last.evaluation.bills.group_eei[g]);
  say("; revenue adequacy %.1f $/day\n", last.evaluation.bills.revenue_adequacy);
  if (sim.tariff_parameters().dimension() > 0) {
    say("best tariff:");
    const auto real = sim.tariff_parameters().real_values(l.best_theta());
    const auto& names = sim.tariff_parameters().names();
    for (std::size_t i = 0; i < names.size(); ++i) say(" %s=%.4g", names[i].c_str(), real[i]);
    say("\n");
  }
}

// The followers' fixed point: where it stands, and how far each class is from equilibrium.
void report_followers(const Simulation& sim) {
  const FollowerLearner& f = sim.followers();
  const auto& history = f.history();
  const Scenario& s = sim.scenario();
  if (history.empty()) {
    say("followers (%s): no update yet\n", std::string(f.name()).c_str());
    return;
  }
  const FollowerUpdate& last = history.back();
  say("followers (%s): %s after %d iterations (day %d): policy residual %.3e (tolerance %.1e), "
      "mean-field residual %.3e (tolerance %.1e)\n",
      std::string(f.name()).c_str(), f.converged() ? "converged" : "not converged", last.iteration,
      last.day, last.policy_residual, s.followers.policy_tolerance, last.meanfield_residual,
      s.followers.meanfield_tolerance);
  if (f.plans_actions()) {
    const LearnerParameters& p = s.followers.parameters;
    const bool strictly_convex = p.has("wear_quadratic") && p.number("wear_quadratic") > 0 &&
                                 p.has("discomfort") && p.number("discomfort") > 0;
    say("every household plays its exact best response (%s) to the posted tariff and the "
        "previous day's prices\n",
        strictly_convex ? "a strictly convex QP: one schedule" : "an LP");
    return;
  }
  say("exploitability ($ per member-day a member saves by switching to its best response):");
  std::vector<std::size_t> prosumer_classes;
  for (std::size_t c = 0; c < s.households.classes.size(); ++c)
    if (s.households.classes[c].kind == HouseholdKind::prosumer) prosumer_classes.push_back(c);
  // A large grid has thousands of classes (a template at every bus): their spread, not a list.
  constexpr std::size_t listed_classes = 12;
  if (prosumer_classes.size() <= listed_classes) {
    for (const std::size_t c : prosumer_classes)
      say(" %s=%.4f", s.households.classes[c].name.c_str(), last.exploitability[c]);
    say("\n");
    return;
  }
  std::vector<double> values;
  values.reserve(prosumer_classes.size());
  for (const std::size_t c : prosumer_classes) values.push_back(last.exploitability[c]);
  const auto largest =
      static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
  const std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                   values.end());
  say("\n  %zu prosumer classes: median %.4f, largest %.4f (%s); each class's is in "
      "followers/exploitability\n",
      prosumer_classes.size(), values[middle], last.exploitability[prosumer_classes[largest]],
      s.households.classes[prosumer_classes[largest]].name.c_str());
}

// The agents and prosumers simulated, for the header line.
void print_run_header(const Simulation& sim, const char* verb) {
  const Scenario& scenario = sim.scenario();
  const Communicator& world = sim.communicator();
  std::int64_t prosumers = 0;
  for (int c = 0; c < sim.layout().classes(); ++c)
    if (sim.model().classes[static_cast<std::size_t>(c)].prosumer)
      prosumers += sim.layout().simulated(c);
  say("mfgrid %s: %s, %d days x %d periods, %lld agents (%lld prosumers), %d rank%s x %d "
      "thread%s, seed %llu\n",
      verb, scenario.name.c_str(), scenario.time.days, scenario.time.periods,
      static_cast<long long>(sim.layout().total()), static_cast<long long>(prosumers), world.size(),
      world.size() == 1 ? "" : "s", sim.threads(), sim.threads() == 1 ? "" : "s",
      static_cast<unsigned long long>(scenario.seed));
}

// The progress lines of a run on rank 0: one a day for short runs, about a hundred for long
// ones, every leader update, and every follower update of runs up to 200 days.
// On a terminal, one line redrawn after every day instead: a bar, the percentage, the day, the
// elapsed time, the time left and the speed.
class ProgressPrinter : public RunObserver {
 public:
  ProgressPrinter(const Simulation& sim, bool quiet, bool bar)
      : root_(sim.communicator().is_root()),
        quiet_(quiet),
        bar_(bar),
        days_(sim.scenario().time.days),
        every_(std::max(1, days_ / 100)),
        agent_steps_per_day_(static_cast<double>(sim.layout().total()) *
                             sim.scenario().time.periods) {}

  void on_day(const Simulation& sim, const DayOutcome& day, double seconds_left) override {
    if (!root_ || quiet_) return;
    if (bar_) return draw_bar(day, seconds_left);
    const int d = day.day;
    const bool show = d % every_ == 0 || d == days_ - 1 || day.leader_update.has_value() ||
                      (day.follower_update.has_value() && days_ <= 200);
    if (!show) return;
    print_day(day, sim.scenario(), agent_steps_per_day_, seconds_left);
    if (day.leader_update) print_leader(*day.leader_update, sim);
    std::fflush(stdout);
  }

  // Ends the bar's line, so that what follows starts on a line of its own.
  void end_line() {
    if (bar_drawn_) std::printf("\n");
    bar_drawn_ = false;
    std::fflush(stdout);
  }

  void on_first_shedding(const Simulation& sim, int day, double mwh) override {
    if (!root_) return;
    end_line();
    std::fprintf(stderr,
                 "mfgrid: warning: day %d: the market could not serve all demand and shed %.3f "
                 "MWh at the value of lost load (%g $/MWh), which sets the LMPs there; "
                 "/market/shed holds every day's shedding\n",
                 day, mwh, sim.scenario().network.voll);
  }

 private:
  void draw_bar(const DayOutcome& day, double seconds_left) {
    constexpr int width = 30;
    const double done = static_cast<double>(day.day + 1) / std::max(1, days_);
    const int filled = static_cast<int>(done * width);
    std::printf("\r[%s%s] %3d%%  day %d of %d  elapsed %s  left %s  %.2e steps/s ",
                std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(width - filled), '.').c_str(),
                static_cast<int>(done * 100.0), day.day + 1, days_,
                clock_text(elapsed_.seconds()).c_str(), clock_text(seconds_left).c_str(),
                agent_steps_per_second(day, agent_steps_per_day_));
    std::fflush(stdout);
    bar_drawn_ = true;
  }

  bool root_, quiet_, bar_;
  bool bar_drawn_ = false;
  int days_, every_;
  double agent_steps_per_day_;
  Stopwatch elapsed_;
};

}  // namespace

void add_progress_option(CLI::App& cmd, ProgressStyle& style) {
  cmd.add_option("--progress", style,
                 "auto: a bar on a terminal, the table otherwise; bar; table (columns below)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, ProgressStyle>{{"auto", ProgressStyle::automatic},
                                               {"bar", ProgressStyle::bar},
                                               {"table", ProgressStyle::table}},
          CLI::ignore_case));
  cmd.footer(progress_columns_help);
}

int run_and_report(Simulation& sim, RunWriter* writer, const LoopOptions& o) {
  install_stop_handlers();  // already done by the commands; idempotent
  const Scenario& scenario = sim.scenario();
  const bool root = sim.communicator().is_root();
  const int days = scenario.time.days;
  // A terminal of our own: under a launcher, stdout is its forwarding, whatever isatty says.
  const bool bar =
      o.progress == ProgressStyle::bar || (o.progress == ProgressStyle::automatic &&
                                           isatty(STDOUT_FILENO) == 1 && !MpiSession::launched());
  if (root) {
    print_run_header(sim, o.verb);
    if (writer != nullptr)
      say("output: %s (renamed without .partial when the run completes)\n", writer->path().c_str());
    else
      say("output: none (give -o OUT.h5 to keep the results)\n");
    if (sim.day() > 0) say("resuming after day %d\n", sim.day() - 1);
    if (!o.quiet && !bar) print_header();
    std::fflush(stdout);
  }
  ProgressPrinter progress(sim, o.quiet, bar);
  const RunResult result = run_days(sim, writer, &progress);
  progress.end_line();
  if (result.end == RunEnd::stopped) {
    if (root) {
      say("stopped by a signal after day %d; ", result.last_day);
      if (writer != nullptr)
        say("checkpoint written: continue with `mfgrid resume %s`\n", o.final_path.c_str());
      else
        say("no output file, nothing kept\n");
      std::fflush(stdout);
    }
    return exit_stopped;
  }
  if (root && result.shed_days > 0)
    std::fprintf(stderr, "mfgrid: warning: load was shed on %d of %d days (%.3f MWh in all)\n",
                 result.shed_days, days - result.first_day, result.shed_mwh);
  if (root) {
    report_followers(sim);
    report_leader(sim);
    const int simulated = days - result.first_day;
    const double agent_steps_per_day =
        static_cast<double>(sim.layout().total()) * scenario.time.periods;
    say("done: %d days in %.2f s (%.3g agent-steps/s); seconds per phase on rank 0:", simulated,
        result.seconds, agent_steps_per_day * simulated / result.seconds);
    for (std::size_t p = 0; p < result.total.seconds.size(); ++p)
      say(" %s=%.3f", std::string(phase_names[p]).c_str(),
          p == static_cast<std::size_t>(Phase::io) && writer != nullptr ? writer->io_seconds()
                                                                        : result.total.seconds[p]);
    say("\n");
    if (writer != nullptr) say("wrote %s\n", o.final_path.c_str());
  }
  return exit_ok;
}

}  // namespace mfgrid::cli
