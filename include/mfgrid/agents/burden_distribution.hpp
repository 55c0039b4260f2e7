// The distribution of households' energy burden in each income group, from every agent: counts in
// fixed bins of burden, integers that threads and ranks add in any order to the same bits.
//
// A household's burden to date is its bill since day 0, annualised, over its group's income:
// (Σ bills / days) · 365 / income, the per-household counterpart of the group's EEI. The bins are
// 0.0001 (0.01 % of income) wide from −10 % to 50 %; burdens outside fall in an underflow and an
// overflow bin. Percentiles are read at bin resolution: the midpoint of the bin that holds the
// household of that rank (±0.005 %); the share above 6 % is exact (6 % is a bin edge).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mfgrid {

// What the run file reports per group and day.
struct BurdenSummary {
  std::vector<double> p10, p50, p90;  // percentiles of the burden (fractions of income)
  std::vector<double> share_above;    // share of households whose burden exceeds the threshold
};

class BurdenDistribution {
 public:
  static constexpr double lowest = -0.10;      // the lower edge of the first bin
  static constexpr double width = 1e-4;        // a bin's width (0.01 % of income)
  static constexpr int bins = 6000;            // … up to +50 %
  static constexpr double high_burden = 0.06;  // the usual threshold of a high energy burden

  explicit BurdenDistribution(int groups = 0)
      : groups_(groups), counts_(static_cast<std::size_t>(groups) * (bins + 2), 0) {}

  int groups() const { return groups_; }
  // The bin of a burden: 0 is the underflow, bins + 1 the overflow.
  static int bin_of(double burden);
  void add(int group, double burden) { ++counts_[index(group, bin_of(burden))]; }
  void add(const BurdenDistribution& other);
  void clear();
  std::span<std::int64_t> raw() { return counts_; }
  std::span<const std::int64_t> raw() const { return counts_; }
  std::int64_t households(int group) const;

  // The burden of the household of rank ⌈q·N⌉ (1-based) in its group, at bin resolution (the
  // bin's midpoint; the edge of the range for the underflow and overflow bins); NaN for an empty
  // group.
  double percentile(int group, double q) const;
  // The share of the group's households with a burden of at least `threshold` (a bin edge).
  double share_at_least(int group, double threshold) const;
  BurdenSummary summary() const;

 private:
  std::size_t index(int group, int bin) const {
    return static_cast<std::size_t>(group) * (bins + 2) + static_cast<std::size_t>(bin);
  }
  int groups_;
  std::vector<std::int64_t> counts_;  // [group][bin]
};

}  // namespace mfgrid
