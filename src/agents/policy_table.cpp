#include "mfgrid/agents/policy_table.hpp"

#include <algorithm>
#include <span>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/numeric_guards.hpp"

namespace mfgrid {

PolicyTable::PolicyTable(int classes, int periods, int bins, int actions)
    : classes_(classes), periods_(periods), bins_(bins), actions_(actions) {
  if (actions < 1 || bins < 1) throw Error("policy table needs at least one bin and one action");
  probs_.assign(static_cast<std::size_t>(classes) * periods * bins * actions, 1.0 / actions);
  update_thresholds();
}

PolicyTable PolicyTable::deterministic(int classes, int periods, int bins, int actions,
                                       int action) {
  PolicyTable p(classes, periods, bins, actions);
  for (std::size_t i = 0; i < p.probs_.size(); ++i)
    p.probs_[i] = static_cast<int>(i % static_cast<std::size_t>(actions)) == action ? 1.0 : 0.0;
  p.update_thresholds();
  return p;
}

std::span<double> PolicyTable::probabilities(int cls, int period, int bin) {
  return {probs_.data() + row(cls, period, bin), static_cast<std::size_t>(actions_)};
}

std::span<const double> PolicyTable::probabilities(int cls, int period, int bin) const {
  return {probs_.data() + row(cls, period, bin), static_cast<std::size_t>(actions_)};
}

void PolicyTable::update_thresholds() {
  thresholds_.assign(static_cast<std::size_t>(classes_) * periods_ * bins_ * (actions_ - 1), 1.0f);
  for (std::size_t r = 0; r * actions_ < probs_.size(); ++r) update_row(r);
}

void PolicyTable::update_thresholds(int cls) {
  const std::size_t rows = static_cast<std::size_t>(periods_) * bins_;
  for (std::size_t r = 0; r < rows; ++r) update_row(static_cast<std::size_t>(cls) * rows + r);
}

void PolicyTable::update_row(std::size_t r) {
  const int k = actions_ - 1;
  double* p = probs_.data() + r * actions_;
  double total = 0;
  for (int a = 0; a < actions_; ++a) {
    if (!(p[a] >= 0)) throw Error("policy probabilities must be non-negative");
    total += p[a];
  }
  if (!(total > 0)) throw Error("policy row has no probability mass");
  for (int a = 0; a < actions_; ++a) p[a] /= total;
  // Threshold k is P(action <= k); once no mass remains above k it is exactly 1, so trailing
  // actions of probability 0 can never be drawn.
  double cumulative = 0;
  for (int a = 0; a < k; ++a) {
    cumulative += p[a];
    bool more = false;
    for (int b = a + 1; b < actions_; ++b) more = more || p[b] > 0;
    thresholds_[r * k + a] = more ? static_cast<float>(cumulative) : 1.0f;
  }
}

void PolicyTable::restore(std::span<const double> probabilities,
                          std::span<const float> thresholds) {
  if (probabilities.size() != probs_.size() || thresholds.size() != thresholds_.size())
    throw Error("policy table: the saved table has another shape");
  std::copy(probabilities.begin(), probabilities.end(), probs_.begin());
  std::copy(thresholds.begin(), thresholds.end(), thresholds_.begin());
}

void require_policy(const PolicyTable& policy, int day, const std::string& what, int first_class,
                    int class_step) {
  // Rows are normalised in double: a sum off by more than rounding is a broken update.
  const double tolerance = 1e-9 * policy.actions();
  for (int c = first_class; c < policy.classes(); c += class_step)
    for (int t = 0; t < policy.periods(); ++t)
      for (int b = 0; b < policy.bins(); ++b) {
        const std::span<const double> row = policy.probabilities(c, t, b);
        // The row's name only for a bad row: a large grid has millions of rows a day.
        if (!is_distribution(row, tolerance))  // throws, naming the row and what is wrong
          require_distribution(row, tolerance, day, what,
                               "class " + std::to_string(c) + ", period " + std::to_string(t) +
                                   ", bin " + std::to_string(b));
      }
}

}  // namespace mfgrid
