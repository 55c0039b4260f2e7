// A fault the tests force on a run: MFGRID_TEST_FAULT=followers-nan@DAY makes the followers'
// update after day DAY leave a NaN in the policy, leader-inf@DAY the leader's next tariff
// infinite — what a diverging learner produces; stop@DAY makes every rank stop itself (SIGSTOP)
// once day DAY is done and handed to the writer, so a fault test can kill or signal a run at a
// known day however fast the machine is; stop-writing@DAY makes rank 0 stop itself in the first
// write to the run file after day DAY, while it holds the file open (a run killed mid-write).
// Unset (every normal run), nothing happens; a malformed value is ignored with a warning.
#pragma once

namespace mfgrid {

struct TestFault {
  enum class Kind { none, followers_nan, leader_inf, stop, stop_writing } kind = Kind::none;
  int day = -1;

  static TestFault from_environment();
  bool at(Kind k, int d) const { return kind == k && day == d; }
};

}  // namespace mfgrid
