// The Adam optimiser, shared by the learners that train parameters by gradient (the PPO followers'
// networks, the PPO leader's policy).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mfgrid {

// Adam (Kingma & Ba), minimising: θ ← θ − lr · m̂ / (√v̂ + ε).
class Adam {
 public:
  explicit Adam(std::size_t parameters, double learning_rate);
  void step(std::span<double> parameters, std::span<const double> gradient);

  // The moments and the step count, for checkpoints.
  std::vector<double>& first_moment() { return m_; }
  std::vector<double>& second_moment() { return v_; }
  const std::vector<double>& first_moment() const { return m_; }
  const std::vector<double>& second_moment() const { return v_; }
  std::int64_t steps() const { return t_; }
  void set_steps(std::int64_t steps) { t_ = steps; }

 private:
  double learning_rate_;
  std::vector<double> m_, v_;
  std::int64_t t_ = 0;
};

}  // namespace mfgrid
