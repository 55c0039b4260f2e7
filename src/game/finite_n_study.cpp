#include "mfgrid/game/finite_n_study.hpp"

#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/soft_q_followers.hpp"
#include "mfgrid/meanfield/distribution.hpp"

namespace mfgrid {

namespace {

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

// The checks of the constructor, before its Simulation is built.
const Scenario& checked(const Scenario& s) {
  if (s.followers.learner != "soft-q")
    throw InputError(SourceLocation{s.source}, "followers.learner",
                     "finite-n evaluates a learned class policy: use \"soft-q\" (is \"" +
                         s.followers.learner + "\")");
  return s;
}

double prosumers_of(const Scenario& s) {
  double prosumers = 0;
  for (const auto& c : s.households.classes)
    if (c.kind == HouseholdKind::prosumer) prosumers += static_cast<double>(c.count);
  if (prosumers == 0)
    throw InputError(SourceLocation{s.source}, "households.class",
                     "finite-n compares populations of prosumers; the scenario has none");
  return prosumers;
}

}  // namespace

FiniteNStudy::FiniteNStudy(const Scenario& scenario, const Communicator& comm, int threads)
    : comm_(comm),
      threads_(threads),
      prosumers_(prosumers_of(checked(scenario))),
      learner_(scenario, comm, threads) {}

void FiniteNStudy::learn(int days) {
  for (int d = 0; d < days; ++d) learner_.step();
}

std::vector<FiniteNRow> FiniteNStudy::evaluate(std::span<const Scenario> sized, int warmup,
                                               int days) const {
  const auto* soft_q = dynamic_cast<const SoftQFollowers*>(&learner_.followers());
  if (!soft_q) throw Error("finite-n: the soft-q followers are not SoftQFollowers");
  std::vector<DayDistributions> runs;
  for (const Scenario& s : sized) {
    Simulation sim(s, comm_, threads_);
    sim.freeze_followers(learner_.policy());
    runs.push_back(observe(sim, warmup, days));
  }
  // The mean field the learned policy generates in the learned model (repeated for every day).
  DayDistributions model_mu(static_cast<std::size_t>(days));
  for (auto& day : model_mu) day = soft_q->mean_field();
  const int periods = learner_.scenario().time.periods;
  std::vector<FiniteNRow> rows;
  rows.reserve(sized.size());
  for (std::size_t k = 0; k < sized.size(); ++k)
    rows.push_back(
        {mean_distance(runs[k], runs.back(), periods), mean_distance(runs[k], model_mu, periods)});
  return rows;
}

}  // namespace mfgrid
