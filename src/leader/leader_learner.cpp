#include "mfgrid/leader/leader_learner.hpp"

#include <cmath>

#include "mfgrid/core/fast_math.hpp"
#include "mfgrid/core/state_arrays.hpp"

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

void LeaderLearner::save(StateArchive& a) const {
  a.put_integer("leader/interactions", interactions_);
  a.put("leader/best_theta", best_theta_);
  a.put_scalar("leader/best_objective", best_objective_);
  on_save(a);
}

void LeaderLearner::load(const StateArchive& a) {
  interactions_ = static_cast<int>(a.integer("leader/interactions"));
  best_theta_ = a.doubles("leader/best_theta");
  best_objective_ = a.scalar("leader/best_objective");
  on_load(a);
}

void put_interactions(StateArchive& a, const std::string& key,
                      const std::vector<Interaction>& list) {
  std::vector<std::vector<double>> theta, imports, exports, peaks;
  std::vector<double> objective;
  std::vector<std::int64_t> shape;
  for (const Interaction& i : list) {
    theta.push_back(i.theta);
    objective.push_back(i.objective);
    imports.push_back(i.response.imports);
    exports.push_back(i.response.exports);
    peaks.push_back(i.response.peak_import);
    shape.push_back(i.response.classes);
    shape.push_back(i.response.periods);
  }
  put_ragged(a, key + "/theta", theta);
  put_ragged(a, key + "/imports", imports);
  put_ragged(a, key + "/exports", exports);
  put_ragged(a, key + "/peak_import", peaks);
  a.put(key + "/objective", objective);
  a.put(key + "/shape", shape);
}

std::vector<Interaction> get_interactions(const StateArchive& a, const std::string& key) {
  const auto theta = get_ragged(a, key + "/theta"), imports = get_ragged(a, key + "/imports"),
             exports = get_ragged(a, key + "/exports"), peaks = get_ragged(a, key + "/peak_import");
  const auto& objective = a.doubles(key + "/objective");
  const auto& shape = a.integers(key + "/shape");
  std::vector<Interaction> list;
  for (std::size_t k = 0; k < theta.size(); ++k) {
    Interaction i;
    i.theta = theta[k];
    i.objective = objective.at(k);
    i.response.classes = static_cast<int>(shape.at(2 * k));
    i.response.periods = static_cast<int>(shape.at(2 * k + 1));
    i.response.imports = imports.at(k);
    i.response.exports = exports.at(k);
    i.response.peak_import = peaks.at(k);
    list.push_back(std::move(i));
  }
  return list;
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
