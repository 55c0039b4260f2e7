// A step all ranks take together ends alike on all of them: an error on one rank is the error of
// every rank, of the same kind and with the same message.
#include "mfgrid/parallel/collective_step.hpp"

#include <gtest/gtest.h>

#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

TEST(CollectiveStep, SucceedsEverywhereWhenEveryRankSucceeds) {
  const Communicator world = Communicator::world();
  const int got = collectively(world, [&] { return world.rank() + 1; });
  EXPECT_EQ(got, world.rank() + 1);
}

TEST(CollectiveStep, AnErrorOnTheLastRankIsEveryRanksError) {
  const Communicator world = Communicator::world();
  const int last = world.size() - 1;
  try {
    collectively(world, [&] {
      if (world.rank() == last)
        throw IoError("out.h5", "no space left on rank " + std::to_string(last));
    });
    FAIL() << "rank " << world.rank() << " went on";
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), "out.h5");
    EXPECT_EQ(e.reason(), "no space left on rank " + std::to_string(last));
  }
}

TEST(CollectiveStep, TheLowestFailingRankSpeaksAndKindsAreKept) {
  const Communicator world = Communicator::world();
  try {
    collectively(world, [&] {
      if (world.rank() >= 1 || world.size() == 1)
        throw InputError(SourceLocation{"s.toml", 3, 7}, "time.days",
                         "from rank " + std::to_string(world.rank()));
    });
    FAIL();
  } catch (const InputError& e) {
    const int first = world.size() == 1 ? 0 : 1;
    EXPECT_EQ(e.reason(), "from rank " + std::to_string(first));
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().column, 7);
    EXPECT_EQ(std::string(e.what()), "s.toml:3:7: time.days: from rank " + std::to_string(first));
  }
  try {
    collectively(world, [&] {
      if (world.rank() == 0) throw IoFailure("f.h5", "disk full");
    });
    FAIL();
  } catch (const IoFailure& e) {
    EXPECT_EQ(std::string(e.what()), "f.h5: disk full");
  }
  // A numeric check that fails on one rank: every rank keeps the days before it (run_loop).
  const int last = world.size() - 1;
  try {
    collectively(world, [&] {
      if (world.rank() == last) throw NumericError("numeric check failed after day 3: x");
    });
    FAIL();
  } catch (const NumericError& e) {
    EXPECT_EQ(std::string(e.what()), "numeric check failed after day 3: x");
  }
}

}  // namespace
}  // namespace mfgrid
