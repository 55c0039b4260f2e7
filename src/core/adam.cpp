#include "mfgrid/core/adam.hpp"

#include <cmath>

namespace mfgrid {

Adam::Adam(std::size_t parameters, double learning_rate)
    : learning_rate_(learning_rate), m_(parameters, 0.0), v_(parameters, 0.0) {}

void Adam::step(std::span<double> parameters, std::span<const double> gradient) {
  constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  ++t_;
  const double c1 = 1.0 - std::pow(beta1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(beta2, static_cast<double>(t_));
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    m_[i] = beta1 * m_[i] + (1.0 - beta1) * gradient[i];
    v_[i] = beta2 * v_[i] + (1.0 - beta2) * gradient[i] * gradient[i];
    parameters[i] -= learning_rate_ * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + epsilon);
  }
}

}  // namespace mfgrid
