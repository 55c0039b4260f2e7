#include "mfgrid/meanfield/distribution.hpp"

#include <cmath>

namespace mfgrid {

std::vector<double> observed_distribution(const DayStatistics& day, int cls) {
  const StatisticsLayout& layout = day.layout();
  const int periods = layout.periods(), bins = layout.bins(cls);
  std::vector<double> mu(static_cast<std::size_t>(periods) * bins, 0.0);
  for (int t = 0; t < periods; ++t) {
    double total = 0;
    for (int s = 0; s < bins; ++s) total += static_cast<double>(day.state_count(cls, t, s));
    for (int s = 0; s < bins; ++s)
      mu[static_cast<std::size_t>(t) * bins + s] =
          total > 0 ? static_cast<double>(day.state_count(cls, t, s)) / total : 0.0;
  }
  return mu;
}

std::vector<double> stationary_distribution(const ClassMdp& mdp, std::span<const double> policy,
                                            std::span<const double> start, double tolerance,
                                            int max_days) {
  const int T = mdp.periods, S = mdp.bins, A = mdp.actions;
  const auto s_count = static_cast<std::size_t>(S);
  std::vector<double> mu(static_cast<std::size_t>(T) * s_count, 0.0);
  std::vector<double> first(s_count, 1.0 / S);
  if (start.size() >= s_count)
    first.assign(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(S));
  std::vector<double> current = first, next(s_count);
  for (int day = 0; day < max_days; ++day) {
    for (int t = 0; t < T; ++t) {
      std::copy(current.begin(), current.end(), mu.begin() + static_cast<std::ptrdiff_t>(t) * S);
      std::fill(next.begin(), next.end(), 0.0);
      for (int s = 0; s < S; ++s) {
        const double m = current[static_cast<std::size_t>(s)];
        if (m == 0.0) continue;
        for (int a = 0; a < A; ++a) {
          const double w = m * policy[mdp.cell(t, s, a)];
          if (w == 0.0) continue;
          const double* row = mdp.transition.data() + mdp.cell(t, s, a) * s_count;
          for (int s2 = 0; s2 < S; ++s2) next[static_cast<std::size_t>(s2)] += w * row[s2];
        }
      }
      current.swap(next);
    }
    // After a whole day `current` is the next day's μ_0.
    if (l1_distance(current, std::span<const double>(mu).subspan(0, s_count)) < tolerance) break;
  }
  return mu;
}

double l1_distance(std::span<const double> a, std::span<const double> b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += std::abs(a[i] - b[i]);
  return d;
}

}  // namespace mfgrid
