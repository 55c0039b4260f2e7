#include "mfgrid/leader/linear_response.hpp"

#include <algorithm>

namespace mfgrid {

std::vector<double> flatten_response(const ClassEnergy& y) {
  std::vector<double> v = y.imports;
  v.insert(v.end(), y.exports.begin(), y.exports.end());
  v.insert(v.end(), y.peak_import.begin(), y.peak_import.end());
  return v;
}

ClassEnergy linear_response(std::span<const double> model, std::span<const double> center,
                            std::span<const double> theta, const ClassEnergy& shape) {
  ClassEnergy y = shape;
  const std::size_t d = theta.size(), inputs = d + 1;
  std::vector<double> v(model.size() / inputs);
  for (std::size_t o = 0; o < v.size(); ++o) {
    double s = model[o * inputs];
    for (std::size_t i = 0; i < d; ++i) s += model[o * inputs + 1 + i] * (theta[i] - center[i]);
    v[o] = std::max(0.0, s);
  }
  const std::size_t n = y.imports.size();
  std::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), y.imports.begin());
  std::copy(v.begin() + static_cast<std::ptrdiff_t>(n),
            v.begin() + static_cast<std::ptrdiff_t>(2 * n), y.exports.begin());
  std::copy(v.begin() + static_cast<std::ptrdiff_t>(2 * n), v.end(), y.peak_import.begin());
  return y;
}

}  // namespace mfgrid
