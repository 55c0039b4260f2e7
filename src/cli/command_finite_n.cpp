// mfgrid finite-n [SCENARIO] [--sizes N,…] [--learn-days D] [--days D]: how far a finite
// population's state distribution is from the mean field.
//
// Learns the followers' equilibrium policy on the scenario as given, then runs that policy frozen
// in populations of N prosumers (population.scale chosen for each N) on the same weather, and
// reports the L1 distance of each day's observed state-of-charge distribution (mean over prosumer
// classes and periods) from the largest population's (the N → ∞ reference) and from the mean
// field the policy generates in the learned model.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/rank_threads.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/soft_q_followers.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/meanfield/distribution.hpp"
#include "mfgrid/parallel/mpi_session.hpp"
#include "mfgrid/parallel/threads.hpp"

namespace mfgrid::cli {

namespace {

struct FiniteNOptions {
  std::string scenario = std::string(default_scenario_name);
  std::vector<long long> sizes{100, 1000, 10000, 100000, 1000000};
  int learn_days = 0;
  int days = 20;
  int warmup = 10;
  int threads = 0;
  std::vector<std::string> overrides;
};

// Observed distributions of every prosumer class for each simulated day: [day][class] → [t][s].
using DayDistributions = std::vector<std::vector<std::vector<double>>>;

DayDistributions observe(Simulation& sim, int warmup, int days) {
  DayDistributions out;
  out.reserve(static_cast<std::size_t>(days));
  for (int d = 0; d < warmup; ++d) sim.step();  // forget the initial state of charge
  for (int d = 0; d < days; ++d) {
    sim.step();
    std::vector<std::vector<double>> classes;
    classes.reserve(static_cast<std::size_t>(sim.layout().classes()));
    for (int c = 0; c < sim.layout().classes(); ++c)
      classes.push_back(sim.model().classes[static_cast<std::size_t>(c)].prosumer
                            ? observed_distribution(sim.statistics(), c)
                            : std::vector<double>{});
    out.push_back(std::move(classes));
  }
  return out;
}

// Mean over days, prosumer classes and periods of the L1 distance between distributions.
double mean_distance(const DayDistributions& a, const DayDistributions& b, int periods) {
  double sum = 0;
  int terms = 0;
  for (std::size_t d = 0; d < a.size(); ++d)
    for (std::size_t c = 0; c < a[d].size(); ++c) {
      if (a[d][c].empty()) continue;
      const std::size_t bins = a[d][c].size() / static_cast<std::size_t>(periods);
      for (int t = 0; t < periods; ++t) {
        sum += l1_distance(
            std::span<const double>(a[d][c]).subspan(static_cast<std::size_t>(t) * bins, bins),
            std::span<const double>(b[d][c]).subspan(static_cast<std::size_t>(t) * bins, bins));
        ++terms;
      }
    }
  return terms ? sum / terms : 0.0;
}

// The scenario at the population.scale that gives `n` prosumers. A size the scenario cannot take
// (a class scaled to no agent, too many agents) is a mistake in --sizes, and says so.
Scenario scenario_for_size(const FiniteNOptions& o, long long n, double prosumers) {
  const double scale = static_cast<double>(n) / prosumers;
  char scale_text[32];
  std::snprintf(scale_text, sizeof scale_text, "%.17g", scale);
  auto overrides = o.overrides;
  overrides.push_back(std::string("population.scale=") + scale_text);
  try {
    return load_scenario(o.scenario, overrides);
  } catch (const InputError& e) {
    throw InputError(SourceLocation{"--sizes"}, "",
                     std::to_string(n) + " prosumers (population.scale = " + scale_text +
                         ") do not make a valid population: " + e.key() + ": " + e.reason());
  }
}

int run_finite_n(const FiniteNOptions& o) {
  MpiSession mpi(nullptr, nullptr);
  const Communicator world = Communicator::world();
  const int threads = rank_threads(o.threads, world);
  const Scenario base = load_scenario(o.scenario, o.overrides);
  const int learn_days = o.learn_days > 0 ? o.learn_days : base.time.days;
  const bool root = world.is_root();

  // Everything the options and the scenario decide is checked before the (long) learning run.
  if (base.followers.learner != FollowerLearnerKind::soft_q)
    throw InputError(SourceLocation{base.source}, "followers.learner",
                     "finite-n evaluates a learned class policy: use \"soft-q\" (is \"" +
                         std::string(to_string(base.followers.learner)) + "\")");
  double prosumers = 0;
  for (const auto& c : base.households.classes)
    if (c.kind == HouseholdKind::prosumer) prosumers += static_cast<double>(c.count);
  if (prosumers == 0)
    throw InputError(SourceLocation{base.source}, "households.class",
                     "finite-n compares populations of prosumers; the scenario has none");
  std::vector<long long> sizes = o.sizes;
  std::sort(sizes.begin(), sizes.end());
  std::vector<Scenario> sized;
  sized.reserve(sizes.size());
  for (long long n : sizes) sized.push_back(scenario_for_size(o, n, prosumers));

  Simulation learner(base, world, threads);
  for (int d = 0; d < learn_days; ++d) learner.step();
  const auto* soft_q = dynamic_cast<const SoftQFollowers*>(&learner.followers());
  if (!soft_q) throw Error("finite-n: the soft-q followers are not SoftQFollowers");
  if (root) {
    const auto& h = learner.followers().history();
    std::printf(
        "mfgrid finite-n: %s, policy learned over %d days (%s, residuals %.2e / %.2e), evaluated "
        "over %d days per size after %d days of warm-up\n",
        base.name.c_str(), learn_days,
        learner.followers().converged() ? "converged" : "not converged",
        h.empty() ? 0.0 : h.back().policy_residual, h.empty() ? 0.0 : h.back().meanfield_residual,
        o.days, o.warmup);
  }

  std::vector<DayDistributions> runs;
  for (const Scenario& s : sized) {
    Simulation sim(s, world, threads);
    sim.set_learning(false);
    sim.policy() = learner.policy();
    runs.push_back(observe(sim, o.warmup, o.days));
  }
  // The mean field the learned policy generates in the learned model (repeated for every day).
  DayDistributions model_mu(static_cast<std::size_t>(o.days));
  for (auto& day : model_mu) day = soft_q->mean_field();

  if (root) {
    std::printf("%12s %16s %16s %14s\n", "prosumers", "L1 to largest N", "L1 to model mu",
                "x sqrt(N)");
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      const double to_largest = mean_distance(runs[k], runs.back(), base.time.periods);
      const double to_model = mean_distance(runs[k], model_mu, base.time.periods);
      std::printf("%12lld %16.4e %16.4e %14.3f\n", sizes[k], to_largest, to_model,
                  to_largest * std::sqrt(static_cast<double>(sizes[k])));
    }
    std::printf(
        "(L1 distances are means over prosumer classes, periods and days; the largest N is the "
        "reference, so its own distance is 0)\n");
  }
  return exit_ok;
}

}  // namespace

void add_finite_n_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<FiniteNOptions>();
  CLI::App* cmd = app.add_subcommand(
      "finite-n", "Distance of finite populations from the mean field under the learned policy");
  cmd->add_option("scenario", o->scenario, "Scenario file or embedded scenario name")
      ->capture_default_str();
  cmd->add_option("--sizes", o->sizes, "Numbers of prosumers to evaluate")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  cmd->add_option("--learn-days", o->learn_days, "Days of learning first (default: time.days)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--days", o->days, "Days evaluated per size")->check(CLI::PositiveNumber);
  cmd->add_option("--warmup", o->warmup, "Days run before the evaluation, per size")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", o->threads, "OpenMP threads per rank")->check(CLI::PositiveNumber);
  cmd->add_option("--set", o->overrides, "Override a setting: key=value (repeatable)");
  cmd->callback([o, &exit_code] { exit_code = run_finite_n(*o); });
}

}  // namespace mfgrid::cli
