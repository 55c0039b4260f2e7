// The leader's objective J(θ, y): what a posted tariff θ achieves given the followers' aggregate
// response y (energy per household of each class and period). The leader knows its own system —
// the grid, the base load, the number and income of households, its network cost — and clears the
// market for y itself; it knows nothing of the followers' costs or policies.
//
//   J = w_I·I(EEI) + w_cost·wholesale cost + w_vol·LMP spread + w_peak·peak + w_track·tracking
//       + ρ·max(0, −R)
// with I the inequality of energy expenditure incidence across income groups (max − min gap,
// population-weighted variance, or population-weighted Gini), R the revenue adequacy (bills −
// purchases at LMP − network cost, $/day), the LMP spread the standard deviation of the day's LMPs
// over periods and buses (a price-calming term), the peak the households' largest period net
// withdrawal (MW) and tracking Σ_t (withdrawal_t − target_t)² (MW²).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "mfgrid/agents/billing.hpp"
#include "mfgrid/config/scenario.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {

struct LeaderEvaluation {
  double objective = 0.0;  // J
  double inequality = 0.0;
  DayBills bills;
  double wholesale_cost = 0.0;  // $/day
  double lmp_spread = 0.0;      // $/MWh
  double peak_mw = 0.0;
  double tracking = 0.0;    // MW²
  std::vector<double> lmp;  // [period][bus]
};

// What a learner may ask of the leader's objective: J for a tariff and a (hypothetical) response.
class ObjectiveModel {
 public:
  virtual ~ObjectiveModel() = default;
  virtual double objective(const std::vector<double>& theta, const ClassEnergy& response) const = 0;
  // J of several tariffs with their responses, in order: evaluations a learner makes
  // independently of each other (a gradient estimate's directions), which an objective may spread
  // over the ranks. Every rank must ask for the same ones. The default evaluates them in turn.
  virtual std::vector<double> objectives(std::span<const std::vector<double>> thetas,
                                         std::span<const ClassEnergy> responses) const;
};

class LeaderObjective : public ObjectiveModel {
 public:
  LeaderObjective(const Scenario& scenario, const TariffParameters& parameters);
  ~LeaderObjective() override;
  LeaderObjective(LeaderObjective&&) noexcept;
  LeaderObjective& operator=(LeaderObjective&&) noexcept;

  LeaderEvaluation evaluate(const std::vector<double>& theta, const ClassEnergy& response) const;

  // The exogenous load the market is cleared under, per period and bus (MW, period-major; each
  // bus's base_load_mw until set): the simulation sets the mean of the window it is about to
  // evaluate, weather and measured series applied, so J is the window's and a model-based leader
  // predicts under the latest conditions it has seen.
  void set_exogenous_load(std::span<const double> mw_per_period_and_bus);
  // Likewise the generators' cost multipliers (DcOpf::set_cost_factors), where they have series.
  void set_cost_factors(std::span<const double> factor_per_period_and_generator);
  double objective(const std::vector<double>& theta, const ClassEnergy& response) const override {
    return evaluate(theta, response).objective;
  }
  // From now on `objectives` deals its evaluations to the ranks of `comm` (item i to rank
  // i mod P, each clearing the market for its items) and all-gathers the values: the leader's
  // step is the same on every rank, and on a large grid a J is tens of DC-OPF clearings. An
  // evaluation starts from the same basis wherever it runs, so its bits do not depend on the rank.
  void spread_over(const Communicator& comm);
  std::vector<double> objectives(std::span<const std::vector<double>> thetas,
                                 std::span<const ClassEnergy> responses) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The income groups' sizes (households), the weights of the inequality measures.
std::vector<double> group_weights(const Scenario& scenario);

// Inequality of the groups' EEI with the groups' sizes as weights.
double inequality(InequalityMeasure measure, const std::vector<double>& eei,
                  const std::vector<double>& weights);

}  // namespace mfgrid
