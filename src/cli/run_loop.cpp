// What `mfgrid run` and `mfgrid resume` print around the library's day loop (io/run_loop.hpp):
// the header, progress lines, warnings, the stop message and the final reports.
#include "cli/run_loop.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/stop_signal.hpp"
#include "mfgrid/io/run_loop.hpp"

namespace mfgrid::cli {

namespace {

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

void print_header() {
  std::printf("%5s %9s %8s %8s %5s %8s %11s %5s %9s %9s %11s %9s\n", "day", "net_MWh", "LMP_avg",
              "LMP_max", "cong", "EEI_gap", "adequacy_$", "F_it", "dpi", "dmu", "agent-st/s",
              "left");
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
    std::snprintf(learn, sizeof learn, "%5d %9.2e %9.2e", day.follower_update->iteration,
                  day.follower_update->policy_residual, day.follower_update->meanfield_residual);
  else
    std::snprintf(learn, sizeof learn, "%5s %9s %9s", "-", "-", "-");
  const double rate =
      agent_steps_per_day / std::max(1e-12, day.times[Phase::rollout] + day.times[Phase::reduce]);
  std::printf("%5d %9.2f %8.2f %8.2f %5d %8.4f %11.1f %s %11.3g %9s\n", day.day, net,
              lmp_sum / static_cast<double>(day.lmp.values().size()), lmp_max,
              day.congested_periods, gap, day.bills.revenue_adequacy, learn, rate,
              clock_text(seconds_left).c_str());
  std::fflush(stdout);
}

// A leader update: the interaction's objective and its parts, and the tariff it evaluated.
void print_leader(const LeaderUpdate& u, const Simulation& sim) {
  const LeaderEvaluation& e = u.evaluation;
  std::printf(
      "      leader %s #%d: J %.6g | inequality %.5f, adequacy %.1f $/day, cost %.1f $/day, peak "
      "%.3f MW",
      std::string(sim.leader().name()).c_str(), u.interaction, e.objective, e.inequality,
      e.bills.revenue_adequacy, e.wholesale_cost, e.peak_mw);
  const auto specs = sim.leader().diagnostic_specs();
  for (std::size_t k = 0; k < specs.size() && k < u.diagnostics.size(); ++k)
    std::printf(", %s %.4g", specs[k].name, u.diagnostics[k]);
  std::printf("\n        theta:");
  const auto& names = sim.tariff_parameters().names();
  for (std::size_t i = 0; i < names.size(); ++i)
    std::printf(" %s=%.4g", names[i].c_str(), u.theta_real[i]);
  std::printf("\n");
}

void report_leader(const Simulation& sim) {
  const auto& h = sim.leader_history();
  if (h.empty()) return;
  const LeaderLearner& l = sim.leader();
  const LeaderUpdate& last = h.back();
  std::printf("leader (%s): %d interactions; last J %.6g, best J %.6g; EEI by group:",
              std::string(l.name()).c_str(), l.interactions(), last.evaluation.objective,
              l.best_objective());
  for (std::size_t g = 0; g < last.evaluation.bills.group_eei.size(); ++g)
    std::printf(" %s %.4f", sim.scenario().households.groups[g].name.c_str(),
                last.evaluation.bills.group_eei[g]);
  std::printf("; revenue adequacy %.1f $/day\n", last.evaluation.bills.revenue_adequacy);
  if (sim.tariff_parameters().dimension() > 0) {
    std::printf("best tariff:");
    const auto real = sim.tariff_parameters().real_values(l.best_theta());
    const auto& names = sim.tariff_parameters().names();
    for (std::size_t i = 0; i < names.size(); ++i)
      std::printf(" %s=%.4g", names[i].c_str(), real[i]);
    std::printf("\n");
  }
}

// The followers' fixed point: where it stands, and how far each class is from equilibrium.
void report_followers(const Simulation& sim) {
  const FollowerLearner& f = sim.followers();
  const auto& history = f.history();
  const Scenario& s = sim.scenario();
  if (history.empty()) {
    std::printf("followers (%s): no update yet\n", std::string(f.name()).c_str());
    return;
  }
  const FollowerUpdate& last = history.back();
  std::printf(
      "followers (%s): %s after %d iterations (day %d): policy residual %.3e (tolerance %.1e), "
      "mean-field residual %.3e (tolerance %.1e)\n",
      std::string(f.name()).c_str(), f.converged() ? "converged" : "not converged", last.iteration,
      last.day, last.policy_residual, s.followers.policy_tolerance, last.meanfield_residual,
      s.followers.meanfield_tolerance);
  if (f.plans_actions()) {
    const LearnerParameters& p = s.followers.parameters;
    const bool strictly_convex = p.has("wear_quadratic") && p.number("wear_quadratic") > 0 &&
                                 p.has("discomfort") && p.number("discomfort") > 0;
    std::printf(
        "every household plays its exact best response (%s) to the posted tariff and the "
        "previous day's prices\n",
        strictly_convex ? "a strictly convex QP: one schedule" : "an LP");
    return;
  }
  std::printf(
      "exploitability ($ per member-day a member saves by switching to its best response):");
  for (std::size_t c = 0; c < s.households.classes.size(); ++c)
    if (s.households.classes[c].kind == HouseholdKind::prosumer)
      std::printf(" %s %.4f", s.households.classes[c].name.c_str(), last.exploitability[c]);
  std::printf("\n");
}

// The agents and prosumers simulated, for the header line.
void print_run_header(const Simulation& sim, const char* verb) {
  const Scenario& scenario = sim.scenario();
  const Communicator& world = sim.communicator();
  std::int64_t prosumers = 0;
  for (int c = 0; c < sim.layout().classes(); ++c)
    if (sim.model().classes[static_cast<std::size_t>(c)].prosumer)
      prosumers += sim.layout().simulated(c);
  std::printf(
      "mfgrid %s: %s, %d days x %d periods, %lld agents (%lld prosumers), %d rank%s x %d "
      "thread%s, seed %llu\n",
      verb, scenario.name.c_str(), scenario.time.days, scenario.time.periods,
      static_cast<long long>(sim.layout().total()), static_cast<long long>(prosumers), world.size(),
      world.size() == 1 ? "" : "s", sim.threads(), sim.threads() == 1 ? "" : "s",
      static_cast<unsigned long long>(scenario.seed));
}

// The progress lines of a run on rank 0: one a day for short runs, about a hundred for long
// ones, every leader update, and every follower update of runs up to 200 days.
class ProgressPrinter : public RunObserver {
 public:
  ProgressPrinter(const Simulation& sim, bool quiet)
      : root_(sim.communicator().is_root()),
        quiet_(quiet),
        days_(sim.scenario().time.days),
        every_(std::max(1, days_ / 100)),
        agent_steps_per_day_(static_cast<double>(sim.layout().total()) *
                             sim.scenario().time.periods) {}

  void on_day(const Simulation& sim, const DayOutcome& day, double seconds_left) override {
    const int d = day.day;
    const bool show = d % every_ == 0 || d == days_ - 1 || day.leader_update.has_value() ||
                      (day.follower_update.has_value() && days_ <= 200);
    if (!root_ || quiet_ || !show) return;
    print_day(day, sim.scenario(), agent_steps_per_day_, seconds_left);
    if (day.leader_update) print_leader(*day.leader_update, sim);
    std::fflush(stdout);
  }

  void on_first_shedding(const Simulation& sim, int day, double mwh) override {
    if (!root_) return;
    std::fprintf(stderr,
                 "mfgrid: warning: day %d: the market could not serve all demand and shed %.3f "
                 "MWh at the value of lost load (%g $/MWh), which sets the LMPs there; "
                 "/market/shed holds every day's shedding\n",
                 day, mwh, sim.scenario().network.voll);
  }

 private:
  bool root_, quiet_;
  int days_, every_;
  double agent_steps_per_day_;
};

}  // namespace

int run_and_report(Simulation& sim, RunWriter* writer, const LoopOptions& o) {
  install_stop_handlers();  // already done by the commands; idempotent
  const Scenario& scenario = sim.scenario();
  const bool root = sim.communicator().is_root();
  const int days = scenario.time.days;
  if (root) {
    print_run_header(sim, o.verb);
    if (writer != nullptr)
      std::printf("output: %s (renamed without .partial when the run completes)\n",
                  writer->path().c_str());
    else
      std::printf("output: none (give -o OUT.h5 to keep the results)\n");
    if (sim.day() > 0) std::printf("resuming after day %d\n", sim.day() - 1);
    if (!o.quiet) print_header();
    std::fflush(stdout);
  }
  ProgressPrinter progress(sim, o.quiet);
  const RunResult result = run_days(sim, writer, &progress);
  if (result.end == RunEnd::stopped) {
    if (root) {
      std::printf("stopped by a signal after day %d; ", result.last_day);
      if (writer != nullptr)
        std::printf("checkpoint written: continue with `mfgrid resume %s`\n", o.final_path.c_str());
      else
        std::printf("no output file, nothing kept\n");
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
    std::printf("done: %d days in %.2f s (%.3g agent-steps/s); seconds per phase on rank 0:",
                simulated, result.seconds, agent_steps_per_day * simulated / result.seconds);
    for (std::size_t p = 0; p < result.total.seconds.size(); ++p)
      std::printf(" %s %.3f", std::string(phase_names[p]).c_str(),
                  p == static_cast<std::size_t>(Phase::io) && writer != nullptr
                      ? writer->io_seconds()
                      : result.total.seconds[p]);
    std::printf("\n");
    if (writer != nullptr) std::printf("wrote %s\n", o.final_path.c_str());
  }
  return exit_ok;
}

}  // namespace mfgrid::cli
