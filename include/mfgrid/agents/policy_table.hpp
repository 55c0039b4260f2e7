// A battery policy π(a | state-of-charge bin, period) per household class, as a table: what the
// aggregators choose and the rollout kernel samples from.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace mfgrid {

class PolicyTable {
 public:
  // Uniform over the actions.
  PolicyTable(int classes, int periods, int bins, int actions);
  // Always the given action.
  static PolicyTable deterministic(int classes, int periods, int bins, int actions, int action);

  int classes() const { return classes_; }
  int periods() const { return periods_; }
  int bins() const { return bins_; }
  int actions() const { return actions_; }

  // Probabilities of the actions in (class, period, bin).
  std::span<double> probabilities(int cls, int period, int bin);
  std::span<const double> probabilities(int cls, int period, int bin) const;
  std::span<const double> all() const { return probs_; }
  std::span<double> all() { return probs_; }

  // Recomputes the sampling thresholds after probabilities changed (each row is normalised).
  void update_thresholds();
  // … of one class's rows only.
  void update_thresholds(int cls);

  // The exact table saved in a checkpoint (probabilities and thresholds, no recomputation).
  std::span<const float> all_thresholds() const { return thresholds_; }
  void restore(std::span<const double> probabilities, std::span<const float> thresholds);

  // Sampling thresholds of (class, period): bins × (actions − 1) floats; action = number of
  // thresholds the uniform draw reaches. An action of probability 0 is never drawn.
  const float* thresholds(int cls, int period) const {
    return thresholds_.data() +
           (static_cast<std::size_t>(cls) * periods_ + period) * bins_ * (actions_ - 1);
  }

 private:
  void update_row(std::size_t r);  // normalises row r and sets its thresholds
  std::size_t row(int cls, int period, int bin) const {
    return ((static_cast<std::size_t>(cls) * periods_ + period) * bins_ + bin) * actions_;
  }
  int classes_, periods_, bins_, actions_;
  std::vector<double> probs_;
  std::vector<float> thresholds_;
};

// Every (class, period, bin) row a distribution (numeric_guards.hpp); NumericError otherwise.
// Classes first_class, first_class + class_step, …: ranks holding the same table share the check.
void require_policy(const PolicyTable& policy, int day, const std::string& what,
                    int first_class = 0, int class_step = 1);

}  // namespace mfgrid
