#include "mfgrid/followers/soft_q_followers.hpp"

#include <cmath>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/state_arrays.hpp"
#include "mfgrid/followers/step_costs.hpp"
#include "mfgrid/meanfield/distribution.hpp"

namespace mfgrid {

SoftQFollowers::SoftQFollowers(const Scenario& s, const HouseholdModel& model,
                               const StatisticsLayout& layout)
    : FollowerLearner(s.followers),
      households_(&model),
      solver_(s.followers.discount, s.followers.temperature, s.followers.epsilon_net),
      model_(layout),
      values_(model.classes.size()),
      mean_field_(model.classes.size()) {
  for (const auto& c : model.classes) class_bus_.push_back(c.bus);
}

void SoftQFollowers::on_observe(const FollowerObservation& o) {
  model_.add(o.stats);
  tariff_ = &o.tariff;
  if (lmp_sum_.empty()) {
    lmp_sum_.assign(o.lmp.size(), 0.0);
    prices_.assign(o.lmp.size(), 0.0);
  }
  for (std::size_t i = 0; i < o.lmp.size(); ++i) lmp_sum_[i] += o.lmp[i];
  ++window_days_;
}

void SoftQFollowers::on_save(StateArchive& a) const {
  const auto raw = model_.totals().raw();
  a.put("followers/model/totals", std::vector<std::int64_t>(raw.begin(), raw.end()));
  a.put_integer("followers/model/days", model_.days());
  a.put("followers/lmp_sum", lmp_sum_);
  a.put("followers/prices", prices_);
  a.put_integer("followers/prices_seen", prices_seen_ ? 1 : 0);
  a.put_integer("followers/window_days", window_days_);
  put_ragged(a, "followers/values", values_);
  put_ragged(a, "followers/mean_field", mean_field_);
}

void SoftQFollowers::on_load(const StateArchive& a) {
  const auto& totals = a.integers("followers/model/totals");
  auto raw = model_.totals().raw();
  if (totals.size() != raw.size())
    throw IoError("checkpoint", "the followers' model has another shape");
  std::copy(totals.begin(), totals.end(), raw.begin());
  model_.set_days(a.integer("followers/model/days"));
  lmp_sum_ = a.doubles("followers/lmp_sum");
  prices_ = a.doubles("followers/prices");
  prices_seen_ = a.integer("followers/prices_seen") != 0;
  window_days_ = static_cast<int>(a.integer("followers/window_days"));
  values_ = get_ragged(a, "followers/values");
  mean_field_ = get_ragged(a, "followers/mean_field");
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

FollowerUpdate SoftQFollowers::on_update(PolicyTable& policy) {
  FollowerUpdate u;
  // The prices the members respond to: the LMPs realised since the last update, smoothed across
  // updates with the policy's own damping, so that day-to-day weather noise in the prices does
  // not keep the best response moving (the smoothed prices still track the mean field).
  const double beta = spec().damping;
  for (std::size_t i = 0; i < lmp_sum_.size(); ++i) {
    const double window = lmp_sum_[i] / std::max(1, window_days_);
    prices_[i] = prices_seen_ ? (1.0 - beta) * prices_[i] + beta * window : window;
  }
  prices_seen_ = true;
  const std::vector<double>& lmp = prices_;
  double policy_change = 0, mean_field_change = 0;
  int terms = 0;
  for (int c = 0; c < static_cast<int>(households_->classes.size()); ++c) {
    u.exploitability.push_back(0.0);
    if (!households_->classes[static_cast<std::size_t>(c)].prosumer) continue;
    const ClassMdp mdp = build_class_mdp(model_, *households_, c, spec().prior_count);
    const std::vector<double> cost = step_costs(
        mdp, *tariff_, class_bus_[static_cast<std::size_t>(c)], lmp, spec().degradation_cost);
    const SoftQSolution br = solver_.solve(mdp, cost, values_[static_cast<std::size_t>(c)]);
    values_[static_cast<std::size_t>(c)] = br.value;
    u.solver_iterations += br.iterations;

    // The current policy of the class and the distribution it generates.
    std::vector<double> old_policy(cost.size());
    for (int t = 0; t < mdp.periods; ++t)
      for (int s = 0; s < mdp.bins; ++s) {
        const auto row = policy.probabilities(c, t, s);
        std::copy(row.begin(), row.end(),
                  old_policy.begin() + static_cast<std::ptrdiff_t>(mdp.cell(t, s, 0)));
      }
    std::vector<double>& mu_old = mean_field_[static_cast<std::size_t>(c)];
    if (mu_old.empty()) mu_old = stationary_distribution(mdp, old_policy);

    std::vector<double> new_policy(cost.size());
    for (std::size_t k = 0; k < new_policy.size(); ++k)
      new_policy[k] = (1.0 - beta) * old_policy[k] + beta * br.policy[k];
    const std::vector<double> mu_new = stationary_distribution(mdp, new_policy, mu_old);

    for (int t = 0; t < mdp.periods; ++t) {
      for (int s = 0; s < mdp.bins; ++s) {
        double change = 0;
        for (int a = 0; a < mdp.actions; ++a)
          change += std::abs(new_policy[mdp.cell(t, s, a)] - old_policy[mdp.cell(t, s, a)]);
        policy_change += mu_old[static_cast<std::size_t>(t) * mdp.bins + s] * change;
        auto row = policy.probabilities(c, t, s);
        for (int a = 0; a < mdp.actions; ++a)
          row[static_cast<std::size_t>(a)] = new_policy[mdp.cell(t, s, a)];
      }
      mean_field_change += l1_distance(
          std::span<const double>(mu_new).subspan(static_cast<std::size_t>(t) * mdp.bins,
                                                  static_cast<std::size_t>(mdp.bins)),
          std::span<const double>(mu_old).subspan(static_cast<std::size_t>(t) * mdp.bins,
                                                  static_cast<std::size_t>(mdp.bins)));
      ++terms;
    }
    u.exploitability.back() = exploitability(mdp, cost, new_policy, mu_new, spec().discount);
    mu_old = mu_new;
  }
  policy.update_thresholds();
  u.policy_residual = terms ? policy_change / terms : 0.0;
  u.meanfield_residual = terms ? mean_field_change / terms : 0.0;
  std::fill(lmp_sum_.begin(), lmp_sum_.end(), 0.0);
  window_days_ = 0;
  return u;
}

}  // namespace mfgrid
