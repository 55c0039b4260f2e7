// A fault the tests of the numeric checks force on a run: MFGRID_TEST_FAULT=followers-nan@DAY
// makes the followers' update after day DAY leave a NaN in the policy, leader-inf@DAY the
// leader's next tariff infinite — what a diverging learner produces. Unset (every normal run),
// nothing happens; a malformed value is ignored with a warning.
#pragma once

namespace mfgrid {

struct TestFault {
  enum class Kind { none, followers_nan, leader_inf } kind = Kind::none;
  int day = -1;

  static TestFault from_environment();
  bool at(Kind k, int d) const { return kind == k && day == d; }
};

}  // namespace mfgrid
