// A per-period profile that changes from day to day, such as a measured year of household load or
// PV: row d is day d of the run. The scenario keeps its one-day profile next to it (the series'
// mean day), which is what "the profile" means wherever no particular day is meant (the expected
// load, the first price forecast).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace mfgrid {

struct DailySeries {
  int periods = 0;
  std::vector<double> values;  // days × periods, day-major

  bool empty() const { return values.empty(); }
  int days() const { return periods > 0 ? static_cast<int>(values.size()) / periods : 0; }
  std::span<const double> day(int d) const {
    return {values.data() + static_cast<std::size_t>(d) * static_cast<std::size_t>(periods),
            static_cast<std::size_t>(periods)};
  }
  // The mean over days of each period's value.
  std::vector<double> mean_day() const {
    std::vector<double> mean(static_cast<std::size_t>(periods), 0.0);
    for (int d = 0; d < days(); ++d)
      for (int t = 0; t < periods; ++t)
        mean[static_cast<std::size_t>(t)] += day(d)[static_cast<std::size_t>(t)];
    for (double& x : mean) x /= std::max(1, days());
    return mean;
  }
  double largest() const {
    return values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
  }
};

}  // namespace mfgrid
