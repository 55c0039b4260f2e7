// Table2: values land at their (row, column), rows are contiguous, shapes are checked.
#include "mfgrid/core/table.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

TEST(Table2, ValuesAreStoredRowAfterRow) {
  Table2<double> t(2, 3);
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 3; ++c) t(r, c) = 10 * r + c;
  EXPECT_EQ(t.values(), (std::vector<double>{0, 1, 2, 10, 11, 12}));
  EXPECT_EQ(t.row(1)[2], 12);
  EXPECT_EQ(t.row(1).size(), 3u);
  t.row(0)[1] = -1;
  EXPECT_EQ(t(0, 1), -1);
}

TEST(Table2, BuiltFromValuesOfTheRightCountOnly) {
  const Table2<int> t(2, 2, std::vector<int>{1, 2, 3, 4});
  EXPECT_EQ(t(1, 0), 3);
  EXPECT_THROW(Table2<int>(2, 2, std::vector<int>{1, 2, 3}), Error);
}

TEST(Table2, AssignKeepsTheShape) {
  Table2<float> t(2, 2, 7.0f);
  EXPECT_FALSE(t.assign({1, 2, 3}));
  EXPECT_EQ(t.values(), (std::vector<float>{7, 7, 7, 7}));
  EXPECT_TRUE(t.assign({1, 2, 3, 4}));
  EXPECT_EQ(t(1, 1), 4.0f);
  EXPECT_EQ(t, Table2<float>(2, 2, std::vector<float>{1, 2, 3, 4}));
  EXPECT_NE(t, Table2<float>(4, 1, std::vector<float>{1, 2, 3, 4})) << "same values, other shape";
}

}  // namespace
}  // namespace mfgrid
