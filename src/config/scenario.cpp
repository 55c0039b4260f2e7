#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

const char* to_string(FollowerLearnerKind l) {
  switch (l) {
    case FollowerLearnerKind::soft_q:
      return "soft-q";
    case FollowerLearnerKind::optimizer:
      return "optimizer";
    case FollowerLearnerKind::ppo:
      return "ppo";
  }
  return "?";
}
const char* to_string(LeaderLearnerKind l) {
  switch (l) {
    case LeaderLearnerKind::fixed:
      return "fixed";
    case LeaderLearnerKind::softmax_net:
      return "softmax-net";
    case LeaderLearnerKind::zo:
      return "zo";
    case LeaderLearnerKind::zo_surrogate:
      return "zo-surrogate";
    case LeaderLearnerKind::ppo:
      return "ppo";
  }
  return "?";
}
}  // namespace mfgrid
