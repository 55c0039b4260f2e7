#include "mfgrid/followers/soft_q_followers.hpp"

namespace mfgrid {

SoftQFollowers::SoftQFollowers(const Scenario& s, const HouseholdModel& model,
                               const StatisticsLayout& layout, int threads)
    : MeanFieldFollowers(s, model, layout, threads),
      solver_(s.followers.discount, s.followers.temperature,
              s.followers.parameters.number("epsilon_net")),
      values_(model.classes.size()) {}

MeanFieldFollowers::Response SoftQFollowers::respond(int cls, const ClassMdp& mdp,
                                                     std::span<const double> cost,
                                                     std::span<const double> policy,
                                                     std::span<const double> /*mean_field*/) {
  std::vector<double>& warm = values_[static_cast<std::size_t>(cls)];
  const SoftQSolution br = solver_.solve(mdp, cost, warm);
  warm = br.value;
  const double beta = damping();
  Response out{std::vector<double>(policy.size()), br.iterations};
  for (std::size_t k = 0; k < policy.size(); ++k)
    out.policy[k] = (1.0 - beta) * policy[k] + beta * br.policy[k];
  return out;
}

void SoftQFollowers::transfer_responses(StateTransfer& t) { t.ragged("followers/values", values_); }

// A class's responder state is its warm start.
void SoftQFollowers::save_class_response(int cls, std::vector<double>& out) const {
  const std::vector<double>& v = values_[static_cast<std::size_t>(cls)];
  out.insert(out.end(), v.begin(), v.end());
}

void SoftQFollowers::load_class_response(int cls, std::span<const double> in) {
  values_[static_cast<std::size_t>(cls)].assign(in.begin(), in.end());
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(followers, soft_q) {
  using namespace mfgrid;
  register_follower_learner(
      {.name = "soft-q",
       .doc = "aggregators play the damped soft best response on each class's empirical MDP",
       .parameters = {{"epsilon_net", ParameterType::number, 0.0, 0.0, 0.5, false,
                       "width of the ε-net the policy probabilities are projected on; 0 = off"}}},
      [](const Scenario& s, const HouseholdModel& model, const StatisticsLayout& layout,
         int threads) -> std::unique_ptr<FollowerLearner> {
        return std::make_unique<SoftQFollowers>(s, model, layout, threads);
      });
}
