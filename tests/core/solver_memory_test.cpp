// keep_solver_memory: memory freed at the top of the heap stays with the process, so that the
// next solve does not take it from the system again page by page.
#include "mfgrid/core/solver_memory.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

// The sanitizers replace the allocator (GCC and clang say so with __SANITIZE_ADDRESS__; clang
// also with __has_feature).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MFGRID_ALLOCATOR_REPLACED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MFGRID_ALLOCATOR_REPLACED 1
#endif

#if defined(__GLIBC__) && !defined(MFGRID_ALLOCATOR_REPLACED)
#include <malloc.h>
#endif

namespace mfgrid {
namespace {

TEST(SolverMemory, FreedMemoryStaysWithTheProcess) {
#if defined(__GLIBC__) && !defined(MFGRID_ALLOCATOR_REPLACED)
  keep_solver_memory();
  // 32 blocks of 100 kB, below the size glibc maps on their own: they come from the heap's top.
  std::vector<void*> blocks;
  for (int k = 0; k < 32; ++k) blocks.push_back(std::malloc(100 * 1024));
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) std::free(*it);
  // With glibc's defaults the top beyond 128 kB is trimmed on free; here it is kept.
  EXPECT_GE(mallinfo2().fordblks, 32u * 100 * 1024);
#else
  GTEST_SKIP() << "glibc's allocator only (the sanitizers replace it)";
#endif
}

}  // namespace
}  // namespace mfgrid
