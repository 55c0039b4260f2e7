#include "mfgrid/core/heap.hpp"

#include <cstdlib>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace mfgrid {

void keep_freed_heap_memory() {
#if defined(__GLIBC__)
  // Once per process (a function-local static is initialised exactly once, even with threads).
  static const bool done = [] {
    constexpr int mib = 1 << 20;
    // Setting any of these turns off glibc's own adjustment of the mmap threshold, so all three
    // are set: without the larger top pad, blocks above the mmap threshold that find the heap's
    // top too small still come from mmap.
    mallopt(M_MMAP_THRESHOLD, 32 * mib);
    mallopt(M_TRIM_THRESHOLD, 128 * mib);
    mallopt(M_TOP_PAD, 16 * mib);
    return true;
  }();
  (void)done;
#endif
}

}  // namespace mfgrid
