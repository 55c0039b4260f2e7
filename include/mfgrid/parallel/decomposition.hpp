// Splitting index ranges into balanced contiguous blocks (across ranks, then across threads).
#pragma once

#include <cstdint>

namespace mfgrid {

struct IndexRange {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t size() const { return end - begin; }
  bool contains(std::int64_t i) const { return i >= begin && i < end; }
};

// Block `part` of `parts` of [0, n): sizes differ by at most one, the larger blocks first.
constexpr IndexRange balanced_block(std::int64_t n, int parts, int part) {
  const std::int64_t base = n / parts, extra = n % parts;
  const std::int64_t begin = part * base + (part < extra ? part : extra);
  return {begin, begin + base + (part < extra ? 1 : 0)};
}

}  // namespace mfgrid
