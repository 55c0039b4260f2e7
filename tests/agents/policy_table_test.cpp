#include "mfgrid/agents/policy_table.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {
namespace {

int sample(const PolicyTable& p, int cls, int t, int bin, float u) {
  const int k = p.actions() - 1;
  const float* th = p.thresholds(cls, t) + bin * k;
  int a = 0;
  for (int i = 0; i < k; ++i) a += u >= th[i];
  return a;
}

TEST(PolicyTable, SamplingFrequenciesMatchProbabilities) {
  PolicyTable p(1, 2, 3, 4);
  auto row = p.probabilities(0, 1, 2);
  row[0] = 0.1;
  row[1] = 0.0;
  row[2] = 0.6;
  row[3] = 0.3;
  p.update_thresholds();
  std::vector<int> counts(4, 0);
  const RandomStreams s(9);
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    ++counts[static_cast<std::size_t>(sample(
        p, 0, 1, 2,
        uniform_open01(s.draw(static_cast<std::uint32_t>(i), 0, 0, StreamPurpose::learner)[0])))];
  EXPECT_EQ(counts[1], 0);  // probability 0 is never drawn
  for (int a : {0, 2, 3})
    EXPECT_NEAR(counts[static_cast<std::size_t>(a)] / double(n), row[static_cast<std::size_t>(a)],
                0.005);
}

TEST(PolicyTable, ZeroProbabilityActionsAreNeverDrawnAtTheEdges) {
  PolicyTable p = PolicyTable::deterministic(1, 1, 1, 5, 2);
  for (float u : {1e-7f, 0.3f, 0.5f, 0.9999999f}) EXPECT_EQ(sample(p, 0, 0, 0, u), 2);
  PolicyTable last = PolicyTable::deterministic(1, 1, 1, 5, 4);
  for (float u : {1e-7f, 0.9999999f}) EXPECT_EQ(sample(last, 0, 0, 0, u), 4);
  PolicyTable first = PolicyTable::deterministic(1, 1, 1, 5, 0);
  for (float u : {1e-7f, 0.9999999f}) EXPECT_EQ(sample(first, 0, 0, 0, u), 0);
}

TEST(PolicyTable, RowsAreNormalisedAndBadRowsRejected) {
  PolicyTable p(1, 1, 1, 2);
  p.probabilities(0, 0, 0)[0] = 3.0;
  p.probabilities(0, 0, 0)[1] = 1.0;
  p.update_thresholds();
  EXPECT_DOUBLE_EQ(p.probabilities(0, 0, 0)[0], 0.75);
  p.probabilities(0, 0, 0)[0] = -1.0;
  EXPECT_THROW(p.update_thresholds(), Error);
}

// The daily check of the followers' table: each bad row named, whatever share of the classes a
// rank checks; a share without the bad row passes.
TEST(PolicyTable, TheCheckNamesABadRowInItsShareOfTheClasses) {
  PolicyTable p = PolicyTable::deterministic(3, 2, 4, 3, 1);
  EXPECT_NO_THROW(require_policy(p, 5, "followers/policy"));
  p.probabilities(1, 1, 2)[0] = 0.5;  // the row sums to 1.5
  const auto message = [&](int first, int step) -> std::string {
    try {
      require_policy(p, 5, "followers/policy", first, step);
    } catch (const NumericError& e) {
      return e.what();
    }
    return "";
  };
  const std::string expected =
      "numeric check failed after day 5: followers/policy: class 1, period 1, bin 2: "
      "probabilities sum to 1.5";
  EXPECT_EQ(message(0, 1), expected);
  EXPECT_EQ(message(1, 2), expected);
  EXPECT_EQ(message(0, 2), "");  // classes 0 and 2
  p.probabilities(1, 1, 2)[0] = 0.0;
  p.probabilities(2, 0, 3)[2] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(message(0, 2),
            "numeric check failed after day 5: followers/policy: class 2, period 0, bin 3: "
            "probability 2 is nan");
}

}  // namespace
}  // namespace mfgrid
