#include "mfgrid/agents/day_statistics.hpp"

#include <algorithm>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/set_bits.hpp"

namespace mfgrid {

StatisticsLayout::StatisticsLayout(const HouseholdModel& model, int samples)
    : periods_(model.periods), samples_(samples) {
  for (const auto& c : model.classes) {
    const int b = c.prosumer ? model.soc_bins : 1;
    const int a = c.prosumer ? model.actions() : 1;
    bins_.push_back(b);
    actions_.push_back(a);
    cell_offset_.push_back(cells_);
    transition_offset_.push_back(transitions_);
    const std::size_t n = static_cast<std::size_t>(periods_) * b * a;
    cells_ += n;
    transitions_ += n * b;
  }
}

std::vector<IndexRange> StatisticsLayout::ranges_of_classes(int first, int end) const {
  const auto cls = [](int c) { return static_cast<std::size_t>(c); };
  const auto at = [](std::size_t i) { return static_cast<std::int64_t>(i); };
  if (first >= end) return {{at(samples_begin()), at(size())}};
  const std::size_t cells_end = end < classes() ? cell_offset_[cls(end)] : cells_;
  const std::size_t transitions_end = end < classes() ? transition_offset_[cls(end)] : transitions_;
  return {{at(transitions_begin() + transition_offset_[cls(first)]),
           at(transitions_begin() + transitions_end)},
          {at(energy_begin() + 3 * cell_offset_[cls(first)]), at(energy_begin() + 3 * cells_end)},
          {at(peak_begin() + cls(first)), at(peak_begin() + cls(end))},
          {at(samples_begin()), at(size())}};
}

void DayStatistics::clear() {
  if (support_.empty()) {
    std::fill(data_.begin(), data_.end(), 0);
  } else {
    for_each_set_bit(support_, [&](std::size_t i) { data_[i] = 0; });
    support_.clear();
  }
}

void DayStatistics::swap_support(std::vector<std::uint64_t>& bits) {
  if (!bits.empty() && bits.size() != (data_.size() + 63) / 64)
    throw Error("DayStatistics: the support has " + std::to_string(bits.size()) + " words for " +
                std::to_string(data_.size()) + " values");
  support_.swap(bits);
}

void DayStatistics::add(const DayStatistics& other) {
  const std::int64_t* __restrict src = other.data_.data();
  std::int64_t* __restrict dst = data_.data();
  for (std::size_t i = 0; i < data_.size(); ++i) dst[i] += src[i];
}

void DayStatistics::take(DayStatistics& other, std::span<const IndexRange> ranges) {
  std::int64_t* __restrict src = other.data_.data();
  std::int64_t* __restrict dst = data_.data();
  for (const IndexRange& r : ranges)
    for (auto i = static_cast<std::size_t>(r.begin); i < static_cast<std::size_t>(r.end); ++i) {
      dst[i] += src[i];
      src[i] = 0;
    }
}

std::int64_t DayStatistics::visits(int cls, int period, int bin, int action) const {
  // A cell's counts by next bin are contiguous.
  const std::size_t cell = layout_->cell(cls, period, bin, action);
  const std::int64_t* counts =
      data_.data() + layout_->transitions_begin() + layout_->transition(cls, cell, 0);
  std::int64_t n = 0;
  for (int next = 0; next < layout_->bins(cls); ++next) n += counts[next];
  return n;
}

std::int64_t DayStatistics::transitions(int cls, int period, int bin, int action,
                                        int next_bin) const {
  const std::size_t cell = layout_->cell(cls, period, bin, action);
  return data_[layout_->transitions_begin() + layout_->transition(cls, cell, next_bin)];
}

std::int64_t DayStatistics::imports(int cls, int period, int bin, int action) const {
  return data_[layout_->energy_begin() + 3 * layout_->cell(cls, period, bin, action)];
}

std::int64_t DayStatistics::exports(int cls, int period, int bin, int action) const {
  return data_[layout_->energy_begin() + 3 * layout_->cell(cls, period, bin, action) + 1];
}

std::int64_t DayStatistics::moved(int cls, int period, int bin, int action) const {
  return data_[layout_->energy_begin() + 3 * layout_->cell(cls, period, bin, action) + 2];
}

std::int64_t DayStatistics::class_imports(int cls, int period) const {
  std::int64_t s = 0;
  for (int b = 0; b < layout_->bins(cls); ++b)
    for (int a = 0; a < layout_->actions(cls); ++a) s += imports(cls, period, b, a);
  return s;
}

std::int64_t DayStatistics::class_exports(int cls, int period) const {
  std::int64_t s = 0;
  for (int b = 0; b < layout_->bins(cls); ++b)
    for (int a = 0; a < layout_->actions(cls); ++a) s += exports(cls, period, b, a);
  return s;
}

std::int64_t DayStatistics::class_peak_import(int cls) const {
  return data_[layout_->peak_begin() + static_cast<std::size_t>(cls)];
}

std::int64_t DayStatistics::state_count(int cls, int period, int bin) const {
  std::int64_t s = 0;
  for (int a = 0; a < layout_->actions(cls); ++a) s += visits(cls, period, bin, a);
  return s;
}

std::int64_t DayStatistics::action_count(int cls, int period, int action) const {
  std::int64_t s = 0;
  for (int b = 0; b < layout_->bins(cls); ++b) s += visits(cls, period, b, action);
  return s;
}

std::int64_t DayStatistics::sample_soc(int sample, int period) const {
  return data_[layout_->samples_begin() +
               (static_cast<std::size_t>(sample) * layout_->periods() + period) * 2];
}

std::int64_t DayStatistics::sample_net(int sample, int period) const {
  return data_[layout_->samples_begin() +
               (static_cast<std::size_t>(sample) * layout_->periods() + period) * 2 + 1];
}

}  // namespace mfgrid
