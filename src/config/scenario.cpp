#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

const char* to_string(HouseholdKind k) {
  return k == HouseholdKind::consumer ? "consumer" : "prosumer";
}
const char* to_string(ExportCredit e) {
  switch (e) {
    case ExportCredit::net_metering:
      return "net-metering";
    case ExportCredit::net_billing:
      return "net-billing";
    case ExportCredit::fixed_rate:
      return "fixed";
  }
  return "?";
}
const char* to_string(FollowerLearner l) {
  switch (l) {
    case FollowerLearner::soft_q:
      return "soft-q";
    case FollowerLearner::optimizer:
      return "optimizer";
    case FollowerLearner::ppo:
      return "ppo";
  }
  return "?";
}
const char* to_string(LeaderLearner l) {
  switch (l) {
    case LeaderLearner::fixed:
      return "fixed";
    case LeaderLearner::softmax_net:
      return "softmax-net";
    case LeaderLearner::zo:
      return "zo";
    case LeaderLearner::zo_surrogate:
      return "zo-surrogate";
    case LeaderLearner::ppo:
      return "ppo";
  }
  return "?";
}
const char* to_string(InequalityMeasure m) {
  switch (m) {
    case InequalityMeasure::gap:
      return "gap";
    case InequalityMeasure::variance:
      return "variance";
    case InequalityMeasure::gini:
      return "gini";
  }
  return "?";
}

}  // namespace mfgrid
