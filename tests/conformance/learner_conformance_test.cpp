// The conformance suite: every registered learner, follower and leader, passes the same properties
// (as OpenSpiel's basic_tests run over every registered game). A new learner is tested here without
// editing this file. The build runs it under mpiexec at each point of its grid of ranks × threads
// (MFGRID_TEST_RANKS × MFGRID_TEST_THREADS; the threads reach the test as
// MFGRID_TEST_THREADS_PER_RANK), CTest label `conformance`.
//
// Properties: identical results on any decomposition (this grid point against one rank and one
// thread); a checkpoint in mid-run continues bit-identically; every proposal inside the tariff
// box; budgets honoured (a leader's interactions, the followers' iterations at one tariff); and
// the known answers — the closed-form pricing game for leaders, the LP optimum of a repeated day
// for followers — checked once, at one rank and one thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "agents/test_scenarios.hpp"
#include "followers/follower_known_answers.hpp"
#include "followers/follower_scenarios.hpp"
#include "leader/pricing_game.hpp"
#include "mfgrid/config/learner_catalogue.hpp"
#include "mfgrid/core/state_archive.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/leader/leader_learner.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"
#include "mfgrid/parallel/communicator.hpp"
#include "parallel/sanitized_build.hpp"

namespace mfgrid {
namespace {

int threads_per_rank() {
  const char* v = std::getenv("MFGRID_TEST_THREADS_PER_RANK");
  return v ? std::max(1, std::atoi(v)) : 1;
}

struct LearnerCase {
  LearnerRole role;
  std::string name;
};
void PrintTo(const LearnerCase& c, std::ostream* os) { *os << to_string(c.role) << "." << c.name; }

std::vector<LearnerCase> every_learner() {
  std::vector<LearnerCase> cases;
  for (const LearnerType& type : learner_types()) cases.push_back({type.role, type.name});
  return cases;
}

// small.toml (300 households at scale 2: every learner's cost in a sanitizer build is mostly
// per household) with the learner chosen; a leader learns the import rates (an off-peak and a peak
// level: softmax-net's net has 9² points, not 9⁴) for a budget of 16 one-day interactions after a
// day of warm-up, the followers iterate at most 4 times at one tariff: within 22 days every
// property is reached. The checkpoint falls where a learner's saved state still matters: zo's
// gradient steps take 8 interactions, and the day-12 checkpoint lies inside its second step. Under
// the sanitizers, whose job is memory errors on every code path (which the shorter run reaches), a
// run of 12 days: the release suite keeps the checkpoint where the saved state still matters.
using testing::sanitized;
constexpr int days = sanitized ? 12 : 22, checkpoint_day = sanitized ? 5 : 12,
              leader_budget = sanitized ? 6 : 16, follower_budget = 4;

Scenario scenario_for(const LearnerCase& c) {
  std::vector<std::string> o = {"population.scale=2",
                                "time.days=" + std::to_string(days),
                                "tariff.learn=[\"import\"]",
                                "tariff.import_rates=[100.0, 100.0, 200.0, 200.0]",
                                "tariff.parameterisation=\"peak-offpeak\"",
                                "tariff.peak_periods=[2, 3]",
                                "leader.update_every_days=1",
                                "leader.warmup_days=1",
                                "leader.max_interactions=" + std::to_string(leader_budget),
                                "followers.max_iterations=" + std::to_string(follower_budget),
                                "output.sample_agents=0"};
  const bool followers = c.role == LearnerRole::followers;
  o.push_back("followers.learner=" + (followers ? c.name : std::string("soft-q")));
  o.push_back("leader.learner=" + (followers ? std::string("zo") : c.name));
  return testing::small_scenario_with(o);
}

// Everything a day makes that a learner influences, replicated on every rank.
struct Trace {
  std::vector<double> values;
  std::vector<std::int64_t> statistics;
  bool operator==(const Trace&) const = default;
};

Trace run_days(Simulation& sim, int count) {
  Trace trace;
  auto put = [&](const auto& v) { trace.values.insert(trace.values.end(), v.begin(), v.end()); };
  for (int d = 0; d < count; ++d) {
    const DayOutcome& out = sim.step();
    put(out.lmp.values());
    put(out.demand_mw.values());
    put(out.bills.group_bill);
    for (const auto* v :
         {&out.burden.p10, &out.burden.p50, &out.burden.p90, &out.burden.share_above})
      put(*v);
    trace.values.push_back(out.bills.revenue_adequacy);
    put(sim.posted_theta());
    put(sim.policy().all());
    if (out.leader_update) {
      put(out.leader_update->next_theta);
      trace.values.push_back(out.leader_update->evaluation.objective);
    }
    if (!sim.followers().history().empty()) {
      trace.values.push_back(sim.followers().history().back().policy_residual);
      trace.values.push_back(sim.followers().history().back().meanfield_residual);
    }
    const auto& raw = sim.statistics().raw();
    trace.statistics.insert(trace.statistics.end(), raw.begin(), raw.end());
  }
  return trace;
}

class Conformance : public ::testing::TestWithParam<LearnerCase> {
 protected:
  const LearnerType& type() const { return *find_learner_type(GetParam().role, GetParam().name); }
  bool one_decomposition_only() const {
    return Communicator::world().size() > 1 || threads_per_rank() > 1;
  }
};

TEST_P(Conformance, GivesTheSameResultsOnAnyDecomposition) {
  const Scenario s = scenario_for(GetParam());
  Simulation here(s, Communicator::world(), threads_per_rank());
  Simulation alone(s, Communicator::self(), 1);
  EXPECT_TRUE(run_days(here, days) == run_days(alone, days))
      << Communicator::world().size() << " ranks x " << threads_per_rank() << " threads";
}

TEST_P(Conformance, ContinuesBitIdenticallyFromACheckpointInMidRun) {
  const Scenario s = scenario_for(GetParam());
  Simulation original(s, Communicator::world(), threads_per_rank());
  run_days(original, checkpoint_day);
  StateArchive archive;
  original.save(archive);
  const Simulation::AgentState agents = original.agent_state();
  const Trace rest = run_days(original, days - checkpoint_day);

  Simulation resumed(s, Communicator::world(), threads_per_rank());
  resumed.load(archive, agents);
  EXPECT_TRUE(run_days(resumed, days - checkpoint_day) == rest);
}

TEST_P(Conformance, ProposalsStayInsideTheTariffBoxAndBudgetsAreHonoured) {
  const Scenario s = scenario_for(GetParam());
  Simulation sim(s, Communicator::world(), threads_per_rank());
  std::vector<std::vector<double>> posted;
  for (int d = 0; d < days; ++d) {
    sim.step();
    posted.push_back(sim.posted_theta());
    for (double x : posted.back()) {
      EXPECT_GE(x, 0.0) << "day " << d;
      EXPECT_LE(x, 1.0) << "day " << d;
    }
    for (int b = 0; b < sim.tariff().buses(); ++b)
      for (int t = 0; t < s.time.periods; ++t) {
        EXPECT_GE(sim.tariff().import_price(b, t), s.tariff.import_bounds.lo - 1e-9);
        EXPECT_LE(sim.tariff().import_price(b, t), s.tariff.import_bounds.hi + 1e-9);
      }
  }
  // The leader: exactly its budget of interactions, then one tariff for the rest of the run.
  EXPECT_EQ(sim.leader().interactions(), leader_budget);
  EXPECT_FALSE(sim.leader().learning());
  int frozen_from = days;  // the day after the window of the last interaction
  for (const LeaderUpdate& u : sim.leader_history())
    if (u.interaction == leader_budget) frozen_from = std::min(frozen_from, u.day + 1);
  ASSERT_LT(frozen_from, days);
  for (int d = frozen_from; d < days; ++d)
    EXPECT_EQ(posted[static_cast<std::size_t>(d)], posted.back()) << "day " << d;
  // The followers: never more iterations at one tariff than their budget, and idle at the end
  // (the tariff has been frozen for longer than the budget).
  for (const FollowerUpdate& u : sim.followers().history())
    EXPECT_LE(u.iteration, follower_budget) << "day " << u.day;
  EXPECT_FALSE(sim.followers().active());
}

// The pricing game's J in units of its value at θ0: the leaders' defaults (zo's step multiplies
// J's gradient) assume J of order 1, as the scenarios' objectives are (an EEI gap of a few
// hundredths, the DSM community's 0.24); the game's own J is 39 at θ0 with curvature up to 220,
// where zo's default step of 0.1 overshoots. The minimiser is the same.
class NormalisedObjective : public ObjectiveModel {
 public:
  explicit NormalisedObjective(double scale) : scale_(scale) {}
  double objective(const std::vector<double>& theta, const ClassEnergy& y) const override {
    return game_.objective(theta, y) / scale_;
  }

 private:
  testing::pricing_game::QuadraticObjective game_;
  double scale_;
};

// Leaders: the closed-form pricing game. Every learning leader closes at least 90 % of the gap
// between the initial tariff's J and J* within 200 interactions, with its default parameters; a
// leader that does not learn posts the initial tariff.
void leader_known_answer(const LearnerType& type) {
  namespace game = testing::pricing_game;
  // Two parameters: the two groups' fixed charges in [0, 10], θ0 = (0.1, 0.9).
  const Scenario s =
      testing::small_scenario_with({"tariff.learn=[\"fixed\"]", "tariff.fixed_charges=[1.0, 9.0]",
                                    "leader.learner=" + type.name, "leader.max_interactions=200"});
  const TariffParameters parameters(s);
  ASSERT_EQ(parameters.dimension(), 2);
  const std::vector<double>& theta0 = parameters.initial();
  const NormalisedObjective objective(
      game::QuadraticObjective().objective(theta0, game::respond(theta0)));
  auto leader = make_leader_learner(s.leader, parameters, objective, 7);
  auto j = [&](const std::vector<double>& theta) {
    return objective.objective(theta, game::respond(theta));
  };
  for (int k = 0; k < s.leader.max_interactions; ++k) {
    const std::vector<double> theta = leader->propose();
    leader->observe({theta, j(theta), game::respond(theta)});
  }
  const std::vector<double> final_theta = leader->propose();
  const double j0 = j(parameters.initial()), j_star = j(game::theta_star), j_final = j(final_theta);
  std::printf("%s: J(θ0) %.4f, J* %.4f, J(final) %.4f: %.1f %% of the gap closed\n",
              type.name.c_str(), j0, j_star, j_final, 100 * (j0 - j_final) / (j0 - j_star));
  if (!type.learns_tariff) {
    EXPECT_EQ(final_theta, parameters.initial());
    return;
  }
  EXPECT_GE(j_final, j_star - 1e-9) << "nothing beats the equilibrium";
  EXPECT_LE(j_final - j_star, 0.1 * (j0 - j_star));
}

// Followers: on a deterministic repeated time-of-use day the learned behaviour costs within 1 % of
// the day's LP optimum; at flat prices with nothing to gain the battery stays idle; with a large
// peak spread it charges at night and discharges at the peak.
void follower_known_answer(const LearnerType& type) {
  const std::string learner = "followers.learner=" + type.name;
  const Scenario tou = testing::deterministic_prosumers(
      testing::time_of_use, 0.0, 0.0,
      {"households.class[0].demand_shape=[0.1, 0.1, 0.1, 0.1, 0.1, 0.125, 0.1875, 0.1875]",
       "households.class[0].battery_kwh=7.5", "households.class[0].eta_charge=1.0",
       "households.class[0].eta_discharge=1.0", learner});
  const testing::Learned learned = testing::learn_and_evaluate(tou);
  const double optimum = testing::lp_optimum(tou);
  std::printf("%s: %.6f $/day, LP optimum %.6f $/day (ratio %.5f)\n", type.name.c_str(),
              learned.cost_per_day, optimum, learned.cost_per_day / optimum);
  EXPECT_GE(learned.cost_per_day, optimum * (1 - 1e-6)) << "nothing beats the LP";
  EXPECT_LE(learned.cost_per_day, optimum * 1.01);
  EXPECT_GT(learned.moved_kwh_per_day, 5.0) << "the battery is worth using here";

  const testing::Learned flat =
      testing::learn_and_evaluate(testing::deterministic_prosumers("100.0", 0.0, 0.0, {learner}));
  EXPECT_LT(flat.moved_kwh_per_day, 0.05) << "cycling only loses energy and wears the battery";

  const testing::Learned spread = testing::learn_and_evaluate(testing::deterministic_prosumers(
      "[40.0, 40.0, 100.0, 100.0, 100.0, 100.0, 600.0, 100.0]", 0.0, 0.0, {learner}));
  EXPECT_GT(spread.mean_level[0] + spread.mean_level[1], 0.3) << "charges in the cheap night";
  EXPECT_LT(spread.mean_level[6], -0.3) << "discharges at the 600 $/MWh peak";
}

TEST_P(Conformance, ReproducesTheKnownAnswer) {
  if (one_decomposition_only()) GTEST_SKIP() << "checked at one rank and one thread";
  if (GetParam().role == LearnerRole::leader)
    leader_known_answer(type());
  else
    follower_known_answer(type());
}

INSTANTIATE_TEST_SUITE_P(EveryLearner, Conformance, ::testing::ValuesIn(every_learner()),
                         [](const ::testing::TestParamInfo<LearnerCase>& learner) {
                           std::string name = std::string(to_string(learner.param.role)) + "_" +
                                              learner.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace mfgrid
