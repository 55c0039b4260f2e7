#include "mfgrid/followers/ppo_followers.hpp"

#include <algorithm>
#include <cmath>

#include "mfgrid/core/error.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"

namespace mfgrid {

namespace {
// The network's learner ids in the random streams (its hidden weights), one per class.
constexpr std::uint32_t network_id_base = 0x50500000u;
}  // namespace

PpoFollowers::PpoFollowers(const Scenario& s, const HouseholdModel& model,
                           const StatisticsLayout& layout, int threads)
    : MeanFieldFollowers(s, model, layout, threads),
      clip_(s.followers.parameters.number("clip")),
      epochs_(s.followers.parameters.integer("epochs")) {
  const int inputs = model.periods + 1;
  for (std::size_t c = 0; c < model.classes.size(); ++c) {
    if (!model.classes[c].prosumer) {
      slot_.push_back(-1);
      continue;
    }
    slot_.push_back(static_cast<int>(networks_.size()));
    networks_.emplace_back(inputs, s.followers.parameters.integer("hidden"), model.actions(),
                           s.seed, network_id_base + static_cast<std::uint32_t>(c));
    optimisers_.emplace_back(networks_.back().parameters().size(),
                             s.followers.parameters.number("learning_rate"));
  }
}

const PolicyNetwork& PpoFollowers::network(int cls) const {
  const int k = slot_.at(static_cast<std::size_t>(cls));
  if (k < 0) throw Error("ppo followers: class " + std::to_string(cls) + " has no network");
  return networks_[static_cast<std::size_t>(k)];
}

std::vector<double> PpoFollowers::features(int periods, int bins) const {
  const std::size_t width = static_cast<std::size_t>(periods) + 1;
  std::vector<double> x(static_cast<std::size_t>(periods) * bins * width, 0.0);
  for (int t = 0; t < periods; ++t)
    for (int s = 0; s < bins; ++s) {
      double* row = x.data() + (static_cast<std::size_t>(t) * bins + s) * width;
      row[t] = 1.0;
      row[periods] = 2.0 * (s + 0.5) / bins - 1.0;  // the bin's centre, in [−1, 1]
    }
  return x;
}

MeanFieldFollowers::Response PpoFollowers::respond(int cls, const ClassMdp& mdp,
                                                   std::span<const double> cost,
                                                   std::span<const double> policy,
                                                   std::span<const double> mean_field) {
  const auto k = static_cast<std::size_t>(slot_.at(static_cast<std::size_t>(cls)));
  PolicyNetwork& net = networks_[k];
  Adam& adam = optimisers_[k];
  const double tau = spec().temperature, clip = clip_;
  const auto actions = static_cast<std::size_t>(mdp.actions);
  const int states = mdp.periods * mdp.bins;

  // The critic: exact advantages of the current policy.
  const std::vector<double> q = soft_q_values(mdp, cost, policy, spec().discount, tau);
  std::vector<double> advantage(q.size());
  for (std::size_t r = 0; r < q.size(); r += actions) {
    double baseline = 0;
    for (std::size_t a = 0; a < actions; ++a) baseline += policy[r + a] * q[r + a];
    for (std::size_t a = 0; a < actions; ++a) advantage[r + a] = q[r + a] - baseline;
  }

  // The actor: Adam steps on −J, every state weighted by its share of the mean field.
  const std::vector<double> x = features(mdp.periods, mdp.bins);
  PolicyNetwork::Pass pass;
  std::vector<double> dlogits(q.size()), gradient;
  for (int epoch = 0; epoch < epochs_; ++epoch) {
    net.forward(x, states, pass);
    const std::vector<double>& now = pass.policy;
    for (int i = 0; i < states; ++i) {
      const double weight = mean_field[static_cast<std::size_t>(i)] / mdp.periods;
      const std::size_t r = static_cast<std::size_t>(i) * actions;
      // dJ/dπ_a: the advantage where the surrogate is not clipped, and the entropy's −τ(log π + 1).
      double mean = 0;
      for (std::size_t a = 0; a < actions; ++a) {
        const double old = policy[r + a], p = now[r + a], adv = advantage[r + a];
        const double ratio = old > 0.0 ? p / old : 1.0;
        const bool active = adv >= 0.0 ? ratio < 1.0 + clip : ratio > 1.0 - clip;
        const double g = (active ? adv : 0.0) - tau * (std::log(std::max(p, 1e-300)) + 1.0);
        dlogits[r + a] = g;
        mean += p * g;
      }
      // Through the softmax, and minus for the minimiser.
      for (std::size_t a = 0; a < actions; ++a)
        dlogits[r + a] = -weight * now[r + a] * (dlogits[r + a] - mean);
    }
    net.backward(x, states, pass, dlogits, gradient);
    adam.step(net.parameters(), gradient);
  }
  Response out;
  net.probabilities(x, states, out.policy);
  out.solver_iterations = epochs_;
  return out;
}

// A class's responder state: its network's parameters, then Adam's two moments and step count.
void PpoFollowers::save_class_response(int cls, std::vector<double>& out) const {
  const auto k = static_cast<std::size_t>(slot_.at(static_cast<std::size_t>(cls)));
  const auto p = networks_[k].parameters();
  out.insert(out.end(), p.begin(), p.end());
  for (const std::vector<double>* m :
       {&optimisers_[k].first_moment(), &optimisers_[k].second_moment()})
    out.insert(out.end(), m->begin(), m->end());
  out.push_back(static_cast<double>(optimisers_[k].steps()));
}

void PpoFollowers::load_class_response(int cls, std::span<const double> in) {
  const auto k = static_cast<std::size_t>(slot_.at(static_cast<std::size_t>(cls)));
  const auto p = networks_[k].parameters();
  if (in.size() != 3 * p.size() + 1)
    throw Error("ppo followers: a class's record is not its network's");
  const double* at = in.data();
  std::copy_n(at, p.size(), p.begin());
  at += p.size();
  for (std::vector<double>* m : {&optimisers_[k].first_moment(), &optimisers_[k].second_moment()}) {
    m->assign(at, at + p.size());
    at += p.size();
  }
  optimisers_[k].set_steps(static_cast<std::int64_t>(*at));
}

void PpoFollowers::transfer_responses(StateTransfer& t) {
  // One network and one optimiser per class: each array is ragged over the classes.
  std::vector<std::vector<double>> parameters, first, second;
  std::vector<std::int64_t> steps;
  for (std::size_t k = 0; t.saving() && k < networks_.size(); ++k) {
    const auto p = networks_[k].parameters();
    parameters.emplace_back(p.begin(), p.end());
    first.push_back(optimisers_[k].first_moment());
    second.push_back(optimisers_[k].second_moment());
    steps.push_back(optimisers_[k].steps());
  }
  t.ragged("followers/ppo/parameters", parameters);
  t.ragged("followers/ppo/adam_m", first);
  t.ragged("followers/ppo/adam_v", second);
  t.values("followers/ppo/adam_steps", steps);
  if (t.saving()) return;
  if (parameters.size() != networks_.size() || first.size() != networks_.size() ||
      second.size() != networks_.size() || steps.size() != networks_.size())
    throw IoError("checkpoint", "the PPO followers' networks do not match the scenario");
  for (std::size_t k = 0; k < networks_.size(); ++k) {
    auto p = networks_[k].parameters();
    if (parameters[k].size() != p.size() || first[k].size() != p.size() ||
        second[k].size() != p.size())
      throw IoError("checkpoint", "a PPO network has another size (followers.ppo.hidden?)");
    std::copy(parameters[k].begin(), parameters[k].end(), p.begin());
    optimisers_[k].first_moment() = first[k];
    optimisers_[k].second_moment() = second[k];
    optimisers_[k].set_steps(steps[k]);
  }
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(followers, ppo) {
  using namespace mfgrid;
  register_follower_learner(
      {.name = "ppo",
       .doc = "each prosumer class learns a policy network by proximal policy optimisation",
       .parameters = {{"hidden", ParameterType::integer, 32, 1, 4096, false,
                       "units of each of the policy network's two hidden layers", "ppo_hidden"},
                      {"learning_rate", ParameterType::number, 3e-3, 0.0, 1.0, true,
                       "Adam's step size", "ppo_learning_rate"},
                      {"clip", ParameterType::number, 0.2, 0.0, 1.0, true,
                       "PPO's clipping of the probability ratio", "ppo_clip"},
                      {"epochs", ParameterType::integer, 16, 1, 1000, false,
                       "Adam steps per update", "ppo_epochs"}}},
      [](const Scenario& s, const HouseholdModel& model, const StatisticsLayout& layout,
         int threads) -> std::unique_ptr<FollowerLearner> {
        return std::make_unique<PpoFollowers>(s, model, layout, threads);
      });
}
