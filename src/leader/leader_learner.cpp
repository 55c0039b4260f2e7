#include "mfgrid/leader/leader_learner.hpp"

#include <cmath>
#include <tuple>

#include "mfgrid/core/fast_math.hpp"

namespace mfgrid {

std::vector<double> LeaderLearner::propose() {
  std::vector<double> theta = learning() ? on_propose() : final_theta();
  TariffParameters::project(theta);
  return theta;
}

void LeaderLearner::observe(const Interaction& interaction) {
  if (!learning()) return;
  ++interactions_;
  if (interaction.objective < best_objective_) {
    best_objective_ = interaction.objective;
    best_theta_ = interaction.theta;
  }
  on_observe(interaction);
}

void LeaderLearner::transfer(StateTransfer& t) {
  t.value("leader/interactions", interactions_);
  t.values("leader/best_theta", best_theta_);
  t.value("leader/best_objective", best_objective_);
  on_transfer(t);
}

void transfer_interactions(StateTransfer& t, const std::string& key,
                           std::vector<Interaction>& list) {
  t.columns(key, list)
      .column("theta", &Interaction::theta)
      .column("objective", &Interaction::objective)
      .tuple<std::int64_t>(
          "shape", [](Interaction& i) { return std::tie(i.response.classes, i.response.periods); })
      .column(
          "imports", [](Interaction & i) -> auto& { return i.response.imports; })
      .column(
          "exports", [](Interaction & i) -> auto& { return i.response.exports; })
      .column(
          "peak_import", [](Interaction & i) -> auto& { return i.response.peak_import; });
}

std::vector<double> LeaderLearner::unit_direction(std::uint32_t learner_id, std::uint32_t step,
                                                  std::uint32_t index) const {
  const int d = dimension();
  std::vector<double> u(static_cast<std::size_t>(d));
  double norm = 0;
  for (int i = 0; i < d; i += 2) {
    const auto w =
        streams_.draw(learner_id, step, index * 1024u + static_cast<std::uint32_t>(i / 2),
                      StreamPurpose::learner);
    float z1, z2;
    fast_math::normal_pair(uniform_open01(w[0]), uniform_open01(w[1]), z1, z2);
    u[static_cast<std::size_t>(i)] = z1;
    if (i + 1 < d) u[static_cast<std::size_t>(i) + 1] = z2;
  }
  for (double x : u) norm += x * x;
  norm = std::sqrt(norm);
  for (double& x : u) x /= norm;
  return u;
}

double LeaderLearner::uniform(std::uint32_t learner_id, std::uint32_t step) const {
  return uniform_open01(streams_.draw(learner_id, step, 0, StreamPurpose::learner)[0]);
}

}  // namespace mfgrid
