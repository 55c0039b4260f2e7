// Threads per rank: what was asked, capped to the CPUs the affinity mask allows.
#include "mfgrid/parallel/threads.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <cstdlib>

namespace mfgrid {
namespace {

int mask_cpus() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  sched_getaffinity(0, sizeof mask, &mask);
  return CPU_COUNT(&mask);
}

class ThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("OMP_NUM_THREADS"); }
  void TearDown() override { unsetenv("OMP_NUM_THREADS"); }
};

TEST_F(ThreadsTest, ARequestWithinTheMaskIsKept) {
  const ThreadChoice c = choose_threads(1, 1);
  EXPECT_EQ(c.threads, 1);
  EXPECT_TRUE(c.warning.empty());
}

TEST_F(ThreadsTest, ARequestBeyondTheMaskIsCappedWithAWarning) {
  const ThreadChoice c = choose_threads(100000, 1);
  EXPECT_EQ(c.threads, mask_cpus());
  EXPECT_NE(c.warning.find("--threads asks for 100000"), std::string::npos) << c.warning;
  setenv("OMP_NUM_THREADS", "99999999999", 1);
  const ThreadChoice e = choose_threads(0, 1);
  EXPECT_EQ(e.threads, mask_cpus());
  EXPECT_NE(e.warning.find("OMP_NUM_THREADS asks for 99999999999"), std::string::npos);
}

TEST_F(ThreadsTest, WithoutARequestTheMaskIsUsed) {
  cpu_set_t all, one;
  sched_getaffinity(0, sizeof all, &all);
  // The whole mask, shared by the ranks on the node…
  EXPECT_EQ(choose_threads(0, 1).threads, mask_cpus());
  // … and a mask narrower than the node, as taskset or srun make it, is this rank's own.
  CPU_ZERO(&one);
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &all)) {
      CPU_SET(c, &one);
      break;
    }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  EXPECT_EQ(choose_threads(0, 4).threads, 1);
  ASSERT_EQ(sched_setaffinity(0, sizeof all, &all), 0);
}

TEST_F(ThreadsTest, OmpNumThreadsIsReadAsACount) {
  setenv("OMP_NUM_THREADS", "1", 1);
  EXPECT_EQ(choose_threads(0, 1).threads, 1);
  setenv("OMP_NUM_THREADS", "1,1", 1);  // a nested list: its first level
  EXPECT_EQ(choose_threads(0, 1).threads, 1);
}

}  // namespace
}  // namespace mfgrid
