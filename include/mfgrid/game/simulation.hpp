// The simulation clock: a run is a sequence of simulated days. Each day the posted tariff
// applies, the population rolls out under the followers' policy (or their exact plans), the
// statistics are reduced across threads and ranks (one MPI_Allreduce), the market clears every
// period on the aggregate, and bills are settled; the followers observe the day and, every K_F
// days, learn. Every rank computes the market, the bills and the learning itself from the same
// reduced data, so no broadcast is needed and every rank holds the same results.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "mfgrid/agents/billing.hpp"
#include "mfgrid/agents/burden_distribution.hpp"
#include "mfgrid/agents/day_statistics.hpp"
#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/agents/policy_table.hpp"
#include "mfgrid/agents/population.hpp"
#include "mfgrid/agents/population_layout.hpp"
#include "mfgrid/agents/rollout.hpp"
#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/agents/weather.hpp"
#include "mfgrid/config/scenario.hpp"
#include "mfgrid/core/random.hpp"
#include "mfgrid/core/state_transfer.hpp"
#include "mfgrid/core/table.hpp"
#include "mfgrid/core/timer.hpp"
#include "mfgrid/followers/follower_learner.hpp"
#include "mfgrid/game/test_fault.hpp"
#include "mfgrid/grid/dc_opf.hpp"
#include "mfgrid/leader/leader_learner.hpp"
#include "mfgrid/leader/leader_objective.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {

// One leader interaction: the tariff it had posted, what it achieved, and the next tariff.
struct LeaderUpdate {
  int interaction = 0;              // 1, 2, …
  int day = 0;                      // the last day of the interaction's window
  std::vector<double> theta;        // the tariff evaluated, normalised
  std::vector<double> theta_real;   // … in real units
  LeaderEvaluation evaluation;      // J and its parts, for the window's mean response
  std::vector<double> next_theta;   // posted from the next day
  std::vector<double> diagnostics;  // the leader's, as its diagnostic_specs() name them
};

// What one simulated day produced (identical on every rank).
struct DayOutcome {
  int day = 0;
  // The tariff in force this day (the one the households faced and the bills used): a leader
  // update after the day posts the next one, which the outputs must not record for this day.
  std::vector<double> theta;  // normalised, θ ∈ [0, 1]^d
  PostedTariff tariff;
  std::vector<float> weather;       // solar factor per bus
  std::vector<double> load_factor;  // exogenous-load factor per bus (weather and season)
  ClassEnergy energy;               // per household of each class: what the leader observes
  Table2<double> household_mw;      // households' net withdrawal, [period][bus]
  Table2<double> demand_mw;         // day's base load × load factor + households, [period][bus]
  Table2<double> lmp;               // $/MWh, [period][bus]
  Table2<double> dispatch_mw;       // [period][generator]
  Table2<double> flow_mw;           // [period][line]
  Table2<double> shed_mw;           // [period][bus]
  Table2<double> spill_mw;          // [period][bus]
  double wholesale_cost = 0.0;      // $/day of generation, shedding and spill
  int congested_periods = 0;        // periods with at least one line at its limit
  DayBills bills;
  BurdenSummary burden;  // every household's energy burden to date, per income group
  std::optional<FollowerUpdate> follower_update;  // when the followers learned after this day
  std::optional<LeaderUpdate> leader_update;      // when the leader updated after this day
  PhaseTimes times;                               // this rank's seconds per phase
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, const Communicator& comm, int threads);

  // Simulates the current day and advances the clock.
  const DayOutcome& step();

  int day() const { return day_; }
  const Scenario& scenario() const { return scenario_; }
  const TestFault& test_fault() const { return test_fault_; }
  const Communicator& communicator() const { return comm_; }
  const HouseholdModel& model() const { return model_; }
  const PopulationLayout& layout() const { return layout_; }
  const Population& population() const { return population_; }
  const StatisticsLayout& statistics_layout() const { return stats_layout_; }
  const DayStatistics& statistics() const { return stats_; }  // the last day's, reduced
  const std::vector<std::int64_t>& sample_ids() const { return sample_ids_; }
  const DayOutcome& last_day() const { return outcome_; }
  int threads() const { return rollout_.threads(); }

  const LeaderLearner& leader() const { return *leader_; }
  const TariffParameters& tariff_parameters() const { return parameters_; }
  const std::vector<double>& posted_theta() const { return theta_; }
  const std::vector<LeaderUpdate>& leader_history() const { return leader_history_; }

  const FollowerLearner& followers() const { return *followers_; }
  // The whole state but the agents' (which io writes by global id, distributed): the clock,
  // the posted tariff, the market's basis, the price forecast, the policy, the learners.
  void save(StateArchive& archive) const;
  // The agents' state a checkpoint keeps beside save()'s (io writes it by global id): this rank's
  // states of charge (kWh) and bills to date ($), in the order of population()'s arrays.
  struct AgentState {
    std::vector<float> soc_kwh, bill_to_date;
  };
  AgentState agent_state() const;
  // Restores what save() and agent_state() kept. A simulation built from the same scenario
  // continues bit-identically, as does this one loaded with its own earlier state. Classes set
  // with set_class_policy go on playing their tables.
  void load(const StateArchive& archive, const AgentState& agents);

  // Posts θ (the leader's normalised tariff parameters) from the next day on: what the leader
  // does every K_L days, for a program that drives the leader itself. A new θ restarts the
  // followers' learning.
  void post_tariff(const std::vector<double>& theta);
  // For evaluations: from the next day on the followers play their current policy, or `policy`,
  // and learn no more.
  void freeze_followers() { learning_ = false; }
  void freeze_followers(const PolicyTable& policy);

  // From the next day on, class `cls` plays `probabilities` ([period][bin][action] over the
  // policy table's bins and actions; each row a distribution) in place of what the followers'
  // learner makes of it, which goes on for the other classes against the mean field this class
  // makes: a researcher's own aggregator among the learned others. Refused (InputError, key
  // `policy`) for a class without a battery, a learner that plans actions, or rows that are not
  // distributions. A program sets it again after a resume (checkpoints do not keep it).
  void set_class_policy(int cls, std::span<const double> probabilities);
  // The class goes back to the learner's policy from its next update.
  void release_class_policy(int cls);
  bool class_policy_set(int cls) const { return class_policies_.count(cls) != 0; }

  const PolicyTable& policy() const { return policy_; }
  const PostedTariff& tariff() const { return tariff_; }

 private:
  // The state save() keeps and load() restores, described once (see core/state_transfer.hpp).
  void transfer(StateTransfer& t);
  template <class Component>
  friend void save_state(const Component&, StateArchive&);
  template <class Component>
  friend void load_state(Component&, const StateArchive&);

  void clear_market();
  void initial_price_forecast();
  void set_window_conditions();
  void leader_step(DayOutcome& out);
  void apply_class_policies();
  // The daily numeric check (core/numeric_guards.hpp): throws NumericError naming the day and the
  // quantity. Collective (each rank checks its own agents).
  void check_day(const DayOutcome& out) const;

  Scenario scenario_;
  Communicator comm_;
  RandomStreams streams_;
  HouseholdModel model_;
  WeatherModel weather_;
  PopulationLayout layout_;
  Population population_;
  std::vector<std::int64_t> sample_ids_;
  StatisticsLayout stats_layout_;
  DayStatistics stats_;
  SparseSumBuffers sparse_sum_;  // the daily sum's memory, kept between days
  BurdenDistribution burden_;    // the last day's, reduced
  Rollout rollout_;
  PolicyTable policy_;
  PostedTariff tariff_;
  DcOpf market_;
  std::unique_ptr<FollowerLearner> followers_;
  PlannedActions plans_;
  Table2<double> price_forecast_;  // [period][bus]: the last day's LMPs
  TariffParameters parameters_;
  LeaderObjective objective_;
  std::unique_ptr<LeaderLearner> leader_;
  std::vector<double> theta_;        // the posted tariff, normalised
  std::vector<ClassEnergy> window_;  // the responses since the leader last updated
  std::vector<LeaderUpdate> leader_history_;
  DayOutcome outcome_;
  std::map<int, std::vector<double>> class_policies_;  // set_class_policy's, by class
  int day_ = 0;
  bool learning_ = true;
  TestFault test_fault_;
};

}  // namespace mfgrid
