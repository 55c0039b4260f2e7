// Work dealt to the ranks in turn ends with every item's result on every rank, each made once.
#include "mfgrid/parallel/dealt_items.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

// Item k's result: k + 1 values, so records of every length (the first has one value) travel.
std::vector<double> result_of(int k) {
  std::vector<double> r(static_cast<std::size_t>(k) + 1);
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = std::sqrt(k + 0.1 * static_cast<double>(i));
  return r;
}

TEST(DealtItems, EveryRankEndsWithEveryItemEachWorkedOnOnce) {
  const Communicator world = Communicator::world();
  for (const int items : {0, 1, 2, 7, 40}) {
    std::vector<std::vector<double>> got(static_cast<std::size_t>(items));
    std::vector<int> worked(static_cast<std::size_t>(items), 0), received = worked;
    deal_items(
        &world, 2, items,
        [&](int k, std::vector<double>* record) {
          const auto i = static_cast<std::size_t>(k);
          got[i] = result_of(k);
          ++worked[i];
          ASSERT_EQ(record != nullptr, world.size() > 1);
          if (record) *record = got[i];
        },
        [&](int k, std::span<const double> record) {
          got[static_cast<std::size_t>(k)].assign(record.begin(), record.end());
          ++received[static_cast<std::size_t>(k)];
        });
    std::vector<int> counts(worked);
    for (int k = 0; k < items; ++k) {
      const auto i = static_cast<std::size_t>(k);
      EXPECT_EQ(got[i], result_of(k)) << "item " << k << " on rank " << world.rank();
      // Its owner worked on it; every other rank received it.
      EXPECT_EQ(worked[i], k % world.size() == world.rank() ? 1 : 0) << "item " << k;
      EXPECT_EQ(worked[i] + received[i], 1) << "item " << k;
    }
    std::vector<std::int64_t> total(worked.begin(), worked.end());
    world.sum(total);
    for (std::int64_t t : total) EXPECT_EQ(t, 1);  // each item made by one rank
  }
}

TEST(DealtItems, WithoutRanksTheWorkIsDoneHere) {
  std::vector<double> sums(5, 0.0);
  deal_items(
      nullptr, 3, 5,
      [&](int k, std::vector<double>* record) {
        EXPECT_EQ(record, nullptr);
        sums[static_cast<std::size_t>(k)] = k;
      },
      [&](int, std::span<const double>) { FAIL() << "nothing to receive alone"; });
  EXPECT_EQ(sums, (std::vector<double>{0, 1, 2, 3, 4}));
}

TEST(DealtItems, AFailureOnTheLastRankIsEveryRanksError) {
  const Communicator world = Communicator::world();
  const int items = 2 * world.size();
  try {
    deal_items(
        &world, 1, items,
        [&](int k, std::vector<double>* record) {
          if (k == items - 1) throw Error("class " + std::to_string(k) + " has no solution");
          if (record) record->push_back(k);
        },
        [](int, std::span<const double>) {});
    FAIL() << "rank " << world.rank() << " went on";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "class " + std::to_string(items - 1) + " has no solution");
  }
}

}  // namespace
}  // namespace mfgrid
