#include "mfgrid/agents/burden_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mfgrid {

int BurdenDistribution::bin_of(double burden) {
  const double x = std::floor((burden - lowest) / width);
  if (!(x >= 0)) return 0;  // below the range (or NaN: counted, never lost)
  if (x >= bins) return bins + 1;
  return static_cast<int>(x) + 1;
}

void BurdenDistribution::add(const BurdenDistribution& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

void BurdenDistribution::clear() { std::fill(counts_.begin(), counts_.end(), 0); }

std::int64_t BurdenDistribution::households(int group) const {
  std::int64_t n = 0;
  for (int b = 0; b < bins + 2; ++b) n += counts_[index(group, b)];
  return n;
}

double BurdenDistribution::percentile(int group, double q) const {
  const std::int64_t n = households(group);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto rank =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(q * static_cast<double>(n))));
  std::int64_t below = 0;
  int b = 0;
  for (; b < bins + 2; ++b) {
    below += counts_[index(group, b)];
    if (below >= rank) break;
  }
  if (b == 0) return lowest;
  if (b == bins + 1) return lowest + bins * width;
  return lowest + (b - 1 + 0.5) * width;
}

double BurdenDistribution::share_at_least(int group, double threshold) const {
  const std::int64_t n = households(group);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const int first = bin_of(threshold + width / 2);  // the bin that starts at the threshold
  std::int64_t above = 0;
  for (int b = first; b < bins + 2; ++b) above += counts_[index(group, b)];
  return static_cast<double>(above) / static_cast<double>(n);
}

BurdenSummary BurdenDistribution::summary() const {
  BurdenSummary s;
  for (int g = 0; g < groups_; ++g) {
    s.p10.push_back(percentile(g, 0.1));
    s.p50.push_back(percentile(g, 0.5));
    s.p90.push_back(percentile(g, 0.9));
    s.share_above.push_back(share_at_least(g, high_burden));
  }
  return s;
}

}  // namespace mfgrid
