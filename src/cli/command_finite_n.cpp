// mfgrid finite-n [SCENARIO] [--sizes N,…] [--learn-days D] [--days D]: how far a finite
// population's state distribution is from the mean field (the study: game/finite_n_study.hpp;
// here the options, a scenario per size, and the table).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "cli/commands.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/game/finite_n_study.hpp"
#include "mfgrid/parallel/mpi_session.hpp"
#include "mfgrid/parallel/rank_threads.hpp"

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
  if (root) print_notices(base);

  // Everything the options and the scenario decide is checked before the (long) learning run.
  FiniteNStudy study(base, world, threads);
  std::vector<long long> sizes = o.sizes;
  std::sort(sizes.begin(), sizes.end());
  std::vector<Scenario> sized;
  sized.reserve(sizes.size());
  for (long long n : sizes) sized.push_back(scenario_for_size(o, n, study.prosumers()));

  study.learn(learn_days);
  if (root) {
    const FollowerLearner& followers = study.followers();
    const auto& h = followers.history();
    std::printf(
        "mfgrid finite-n: %s, policy learned over %d days (%s, residuals %.2e / %.2e), evaluated "
        "over %d days per size after %d days of warm-up\n",
        base.name.c_str(), learn_days, followers.converged() ? "converged" : "not converged",
        h.empty() ? 0.0 : h.back().policy_residual, h.empty() ? 0.0 : h.back().meanfield_residual,
        o.days, o.warmup);
  }
  const std::vector<FiniteNRow> rows = study.evaluate(sized, o.warmup, o.days);
  if (root) {
    std::printf("%12s %16s %16s %14s\n", "prosumers", "L1 to largest N", "L1 to model mu",
                "x sqrt(N)");
    for (std::size_t k = 0; k < sizes.size(); ++k)
      std::printf("%12lld %16.4e %16.4e %14.3f\n", sizes[k], rows[k].to_largest, rows[k].to_model,
                  rows[k].to_largest * std::sqrt(static_cast<double>(sizes[k])));
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
