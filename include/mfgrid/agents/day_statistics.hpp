// The sufficient statistics of one simulated day, in integers: counts and fixed-point energies
// (micro-kWh). Threads and ranks add them in any order and get the same bits.
//
// Everything lives in one flat int64 buffer so the whole day is reduced with one MPI_Allreduce.
// Per class, period, state-of-charge bin and action (a "cell"; consumers have one bin and one
// action): transitions to each next bin (their sum is the visit count), imported and exported
// energy, battery energy moved. Per class: the sum over agents of each agent's peak import.
// Per sampled agent and period: state of charge and net withdrawal.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/agents/population_layout.hpp"
#include "mfgrid/parallel/decomposition.hpp"

namespace mfgrid {

class StatisticsLayout {
 public:
  StatisticsLayout(const HouseholdModel& model, int samples);

  int classes() const { return static_cast<int>(bins_.size()); }
  int periods() const { return periods_; }
  int bins(int cls) const { return bins_[static_cast<std::size_t>(cls)]; }
  int actions(int cls) const { return actions_[static_cast<std::size_t>(cls)]; }
  int samples() const { return samples_; }

  // Index of (class, period, bin, action) among all cells.
  std::size_t cell(int cls, int period, int bin, int action) const {
    return cell_offset_[static_cast<std::size_t>(cls)] +
           (static_cast<std::size_t>(period) * bins(cls) + bin) * actions(cls) + action;
  }
  // Index of the transition count from a cell to next bin.
  std::size_t transition(int cls, std::size_t cell, int next_bin) const {
    return transition_offset_[static_cast<std::size_t>(cls)] +
           (cell - cell_offset_[static_cast<std::size_t>(cls)]) * bins(cls) + next_bin;
  }
  std::size_t cells() const { return cells_; }

  // Offsets of the sections in the flat buffer.
  std::size_t transitions_begin() const { return 0; }
  // 3 per cell, side by side so one cache line takes a step's updates: import, export, moved.
  std::size_t energy_begin() const { return transitions_; }
  std::size_t peak_begin() const { return energy_begin() + 3 * cells_; }
  std::size_t samples_begin() const {
    return peak_begin() + bins_.size();
  }  // [sample][period][soc, net]
  std::size_t size() const {
    return samples_begin() + static_cast<std::size_t>(samples_) * periods_ * 2;
  }
  // The parts of the buffer that agents of classes [first, end) count into: their transitions,
  // energies and peaks, and the sampled agents' records (whoever holds them).
  std::vector<IndexRange> ranges_of_classes(int first, int end) const;
  // Those of the classes of `blocks` (in id order, as a rank's or a thread's).
  std::vector<IndexRange> ranges_counted_by(std::span<const ClassBlock> blocks) const {
    return blocks.empty() ? ranges_of_classes(0, 0)
                          : ranges_of_classes(blocks.front().cls, blocks.back().cls + 1);
  }

 private:
  int periods_;
  int samples_;
  std::vector<int> bins_, actions_;
  std::vector<std::size_t> cell_offset_, transition_offset_;
  std::size_t cells_ = 0, transitions_ = 0;
};

class DayStatistics {
 public:
  explicit DayStatistics(const StatisticsLayout& layout)
      : layout_(&layout), data_(layout.size(), 0) {}

  const StatisticsLayout& layout() const { return *layout_; }
  void clear();
  void add(const DayStatistics& other);
  // Adds `other`'s values in `ranges` to this and zeroes them there.
  void take(DayStatistics& other, std::span<const IndexRange> ranges);
  std::span<std::int64_t> raw() {
    support_.clear();
    return data_;
  }
  std::span<const std::int64_t> raw() const { return data_; }

  // After a sparse sum over the ranks: the values can be non-zero only where a bit is set (one
  // per value, bit i % 64 of word i / 64), so clear() and EmpiricalModel::add look at those alone
  // rather than at all of a large grid's hundreds of MB. Empty: anywhere. Any write access
  // forgets it. Swapped with `bits`, so the buffers go round without fresh memory each day.
  void swap_support(std::vector<std::uint64_t>& bits);
  std::span<const std::uint64_t> support() const { return support_; }

  std::int64_t* transitions() { return writable(layout_->transitions_begin()); }
  std::int64_t* energy() {
    return writable(layout_->energy_begin());
  }  // [cell][import, export, moved]
  std::int64_t* peak() { return writable(layout_->peak_begin()); }
  std::int64_t* samples() { return writable(layout_->samples_begin()); }

  // Derived views, for the market, the bills and the learners.
  std::int64_t visits(int cls, int period, int bin, int action) const;
  std::int64_t transitions(int cls, int period, int bin, int action, int next_bin) const;
  std::int64_t imports(int cls, int period, int bin, int action) const;  // micro-kWh
  std::int64_t exports(int cls, int period, int bin, int action) const;  // micro-kWh
  std::int64_t moved(int cls, int period, int bin, int action) const;    // micro-kWh
  std::int64_t class_imports(int cls, int period) const;
  std::int64_t class_exports(int cls, int period) const;
  std::int64_t class_peak_import(
      int cls) const;  // Σ over agents of the day's largest period import
  std::int64_t state_count(int cls, int period, int bin) const;
  std::int64_t action_count(int cls, int period, int action) const;
  std::int64_t sample_soc(int sample, int period) const;  // micro-kWh at the end of the period
  std::int64_t sample_net(int sample, int period) const;  // micro-kWh withdrawn in the period

 private:
  // The values from `at` on, for writing: the support no longer holds.
  std::int64_t* writable(std::size_t at) {
    support_.clear();
    return data_.data() + at;
  }

  const StatisticsLayout* layout_;
  std::vector<std::int64_t> data_;
  std::vector<std::uint64_t> support_;
};

}  // namespace mfgrid
