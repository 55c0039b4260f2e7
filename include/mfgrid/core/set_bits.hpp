// Bit sets as words: value i is bit i % 64 of word i / 64 (the sparse sum's and the day
// statistics' record of which values may be non-zero).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace mfgrid {

// Calls f(i) for each index i whose bit is set, in increasing order.
template <class F>
void for_each_set_bit(std::span<const std::uint64_t> bits, F&& f) {
  for (std::size_t w = 0; w < bits.size(); ++w)
    for (std::uint64_t b = bits[w]; b != 0; b &= b - 1)
      f(w * 64 + static_cast<std::size_t>(std::countr_zero(b)));
}

}  // namespace mfgrid
