#include "mfgrid/followers/mean_field_followers.hpp"

#include <cmath>

#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"
#include "mfgrid/followers/step_costs.hpp"
#include "mfgrid/meanfield/distribution.hpp"
#include "mfgrid/parallel/dealt_items.hpp"

namespace mfgrid {

MeanFieldFollowers::MeanFieldFollowers(const Scenario& s, const HouseholdModel& model,
                                       const StatisticsLayout& layout, int threads)
    : FollowerLearner(s.followers),
      households_(&model),
      threads_(std::max(1, threads)),
      model_(layout),
      mean_field_(model.classes.size()) {
  for (const auto& c : model.classes) class_bus_.push_back(c.bus);
}

void MeanFieldFollowers::on_observe(const FollowerObservation& o) {
  model_.add(o.stats);
  tariff_ = &o.tariff;
  if (lmp_sum_.empty()) {
    lmp_sum_.assign(o.lmp.size(), 0.0);
    prices_.assign(o.lmp.size(), 0.0);
  }
  for (std::size_t i = 0; i < o.lmp.size(); ++i) lmp_sum_[i] += o.lmp[i];
  ++window_days_;
}

void MeanFieldFollowers::on_transfer(StateTransfer& t) {
  t.fixed("followers/model/totals", model_.totals().raw(), "the followers' model");
  t.value("followers/model/days", model_.days(), [&](std::int64_t d) { model_.set_days(d); });
  t.values("followers/lmp_sum", lmp_sum_);
  t.values("followers/prices", prices_);
  t.value("followers/prices_seen", prices_seen_);
  t.value("followers/window_days", window_days_);
  t.ragged("followers/mean_field", mean_field_);
  transfer_responses(t);
}

double exploitability(const ClassMdp& mdp, std::span<const double> cost,
                      std::span<const double> policy, std::span<const double> start,
                      double discount) {
  const std::vector<double> own = policy_cost(mdp, cost, policy, discount);
  const SoftQSolution best = optimal_policy(mdp, cost, discount, policy);
  double gain = 0;
  for (int s = 0; s < mdp.bins; ++s) {
    const auto i = static_cast<std::size_t>(s);
    gain += start[i] * (own[i] - (-best.value[i]));  // best.value holds rewards (−cost)
  }
  return gain * (1.0 - std::pow(discount, mdp.periods));
}

namespace {
// Writes a class's policy, laid out [t][s][a] as its MDP's cells, into its rows of the table.
void store_policy(PolicyTable& policy, int c, int periods, int bins, std::size_t actions,
                  const double* values) {
  for (int t = 0; t < periods; ++t)
    for (int s = 0; s < bins; ++s, values += actions)
      std::copy_n(values, actions, policy.probabilities(c, t, s).begin());
}
}  // namespace

// One prosumer class's step of the fixed point: its response to the prices, written into its rows
// of the table, and its terms of the residuals. Classes touch disjoint state, so they run on
// threads; the caller sums the terms in class order.
MeanFieldFollowers::ClassStep MeanFieldFollowers::update_class(int c, PolicyTable& policy,
                                                               std::vector<double>* record) {
  const auto ci = static_cast<std::size_t>(c);
  ClassStep out;
  const ClassMdp mdp = build_class_mdp(model_, *households_, c, spec().prior_count);
  const std::vector<double> cost =
      step_costs(mdp, *tariff_, class_bus_[ci], prices_, spec().degradation_cost);

  // The current policy of the class and the distribution it generates.
  std::vector<double> old_policy(cost.size());
  for (int t = 0; t < mdp.periods; ++t)
    for (int s = 0; s < mdp.bins; ++s) {
      const auto row = policy.probabilities(c, t, s);
      std::copy(row.begin(), row.end(),
                old_policy.begin() + static_cast<std::ptrdiff_t>(mdp.cell(t, s, 0)));
    }
  std::vector<double>& mu_old = mean_field_[ci];
  if (mu_old.empty()) mu_old = stationary_distribution(mdp, old_policy);

  const Response next = respond(c, mdp, cost, old_policy, mu_old);
  if (next.policy.size() != old_policy.size()) throw Error("followers: a response of wrong size");
  out.solver_iterations = next.solver_iterations;
  const std::vector<double>& new_policy = next.policy;
  const std::vector<double> mu_new = stationary_distribution(mdp, new_policy, mu_old);

  const auto bins = static_cast<std::size_t>(mdp.bins);
  for (int t = 0; t < mdp.periods; ++t) {
    for (int s = 0; s < mdp.bins; ++s) {
      double change = 0;
      for (int a = 0; a < mdp.actions; ++a)
        change += std::abs(new_policy[mdp.cell(t, s, a)] - old_policy[mdp.cell(t, s, a)]);
      out.policy_change += mu_old[static_cast<std::size_t>(t) * bins + s] * change;
    }
    out.meanfield_change += l1_distance(
        std::span<const double>(mu_new).subspan(static_cast<std::size_t>(t) * bins, bins),
        std::span<const double>(mu_old).subspan(static_cast<std::size_t>(t) * bins, bins));
    ++out.terms;
  }
  store_policy(policy, c, mdp.periods, mdp.bins, static_cast<std::size_t>(mdp.actions),
               new_policy.data());
  out.exploitability = exploitability(mdp, cost, new_policy, mu_new, spec().discount);
  mu_old = mu_new;
  if (record) {
    record->assign({out.policy_change, out.meanfield_change, out.exploitability,
                    static_cast<double>(out.terms), static_cast<double>(out.solver_iterations),
                    static_cast<double>(mdp.periods), static_cast<double>(mdp.bins),
                    static_cast<double>(mdp.actions)});
    record->insert(record->end(), new_policy.begin(), new_policy.end());
    record->insert(record->end(), mu_new.begin(), mu_new.end());
    save_class_response(c, *record);
  }
  return out;
}

// Another rank's update of class c, from its record: the same bits as if made here.
MeanFieldFollowers::ClassStep MeanFieldFollowers::load_class(int c, PolicyTable& policy,
                                                             std::span<const double> record) {
  constexpr std::size_t head = 8;
  if (record.size() < head) throw Error("followers: a class's record is too short");
  ClassStep out;
  out.policy_change = record[0];
  out.meanfield_change = record[1];
  out.exploitability = record[2];
  out.terms = static_cast<int>(record[3]);
  out.solver_iterations = static_cast<int>(record[4]);
  const auto periods = static_cast<std::size_t>(record[5]),
             bins = static_cast<std::size_t>(record[6]),
             actions = static_cast<std::size_t>(record[7]);
  const std::size_t cells = periods * bins * actions, field = periods * bins;
  if (record.size() < head + cells + field) throw Error("followers: a class's record is too short");
  if (periods != static_cast<std::size_t>(policy.periods()) ||
      bins > static_cast<std::size_t>(policy.bins()) ||
      actions != policy.probabilities(c, 0, 0).size())
    throw Error("followers: a class's record does not fit the policy table");
  const double* at = record.data() + head;
  store_policy(policy, c, static_cast<int>(periods), static_cast<int>(bins), actions, at);
  at += cells;
  mean_field_[static_cast<std::size_t>(c)].assign(at, at + field);
  load_class_response(c, record.subspan(head + cells + field));
  return out;
}

FollowerUpdate MeanFieldFollowers::on_update(PolicyTable& policy) {
  FollowerUpdate u;
  const double beta = damping();
  for (std::size_t i = 0; i < lmp_sum_.size(); ++i) {
    const double window = lmp_sum_[i] / std::max(1, window_days_);
    prices_[i] = prices_seen_ ? (1.0 - beta) * prices_[i] + beta * window : window;
  }
  prices_seen_ = true;

  // The prosumer classes, dealt to the ranks and their threads in turn; each rank then loads the
  // classes the others updated.
  std::vector<int> classes;
  for (int c = 0; c < static_cast<int>(households_->classes.size()); ++c)
    if (households_->classes[static_cast<std::size_t>(c)].prosumer) classes.push_back(c);
  std::vector<ClassStep> steps(classes.size());
  const auto k_of = [](int k) { return static_cast<std::size_t>(k); };
  deal_items(
      ranks(), threads_, static_cast<int>(classes.size()),
      [&](int k, std::vector<double>* record) {
        steps[k_of(k)] = update_class(classes[k_of(k)], policy, record);
      },
      [&](int k, std::span<const double> record) {
        steps[k_of(k)] = load_class(classes[k_of(k)], policy, record);
      },
      &dealt_);

  u.exploitability.assign(households_->classes.size(), 0.0);
  double policy_change = 0, mean_field_change = 0;
  int terms = 0;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    u.exploitability[static_cast<std::size_t>(classes[k])] = steps[k].exploitability;
    u.solver_iterations += steps[k].solver_iterations;
    policy_change += steps[k].policy_change;
    mean_field_change += steps[k].meanfield_change;
    terms += steps[k].terms;
  }
  policy.update_thresholds();
  u.policy_residual = terms ? policy_change / terms : 0.0;
  u.meanfield_residual = terms ? mean_field_change / terms : 0.0;
  std::fill(lmp_sum_.begin(), lmp_sum_.end(), 0.0);
  window_days_ = 0;
  return u;
}

}  // namespace mfgrid
