#include "mfgrid/leader/zo_surrogate_leader.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "mfgrid/leader/linear_response.hpp"

namespace mfgrid {

namespace {

constexpr std::uint32_t surrogate_stream = 2;

}  // namespace

ZoSurrogateLeader::ZoSurrogateLeader(const LeaderSpec& spec, std::vector<double> initial,
                                     const ObjectiveModel& objective, std::uint64_t seed)
    : LeaderLearner(spec, initial, seed),
      objective_(&objective),
      center_(std::move(initial)),
      radius_(spec.parameters.number("trust_radius")) {}

void ZoSurrogateLeader::on_transfer(StateTransfer& t) {
  t.values("leader/surrogate/center", center_);
  t.value("leader/surrogate/center_value", center_value_);
  t.value("leader/surrogate/radius", radius_);
  transfer_interactions(t, "leader/surrogate/history", history_);
  t.values("leader/surrogate/model", model_);
  t.values("leader/surrogate/model_center", model_center_);
  t.values("leader/surrogate/pending", pending_);
  t.value("leader/surrogate/predicted", predicted_);
  t.tuple<std::int64_t>("leader/surrogate/counters",
                        std::tie(rounds_, improve_model_, geometry_, geometry_axis_));
  t.tuple<std::int64_t>("leader/surrogate/shape", std::tie(shape_.classes, shape_.periods));
  // y's dimensions with its arrays, as observe() set them.
  if (t.loading() && !history_.empty()) shape_ = history_.front().response;
}

ClassEnergy ZoSurrogateLeader::predict(const std::vector<double>& theta) const {
  return linear_response(model_, model_center_, theta, shape_);
}

double ZoSurrogateLeader::surrogate(const std::vector<double>& theta) const {
  return objective_->objective(theta, predict(theta));
}

// Weighted ridge least squares of y on (1, θ) over the recent interactions: points far outside the
// trust region count less (weight exp(−(‖θ − c‖_∞ / 2Δ)²)), so the model is local where it is used.
void ZoSurrogateLeader::fit() {
  const int d = dimension();
  const std::size_t window =
      std::min(history_.size(), static_cast<std::size_t>(std::max(4 * (d + 1), 40)));
  const auto first = history_.end() - static_cast<std::ptrdiff_t>(window);
  const auto outputs = static_cast<Eigen::Index>(flatten_response(history_.back().response).size());
  Eigen::MatrixXd x(static_cast<Eigen::Index>(window), d + 1),
      y(static_cast<Eigen::Index>(window), outputs);
  Eigen::Index r = 0;
  Eigen::VectorXd weight(static_cast<Eigen::Index>(window));
  for (auto it = first; it != history_.end(); ++it, ++r) {
    double distance = 0;
    for (int i = 0; i < d; ++i)
      distance = std::max(distance, std::abs(it->theta[static_cast<std::size_t>(i)] -
                                             center_[static_cast<std::size_t>(i)]));
    const double scaled = distance / (2.0 * radius_);
    weight(r) = std::exp(-scaled * scaled) + 1e-6;
    // Centred inputs keep the intercept the model's value at the centre.
    x(r, 0) = 1.0;
    for (int i = 0; i < d; ++i)
      x(r, i + 1) = it->theta[static_cast<std::size_t>(i)] - center_[static_cast<std::size_t>(i)];
    const std::vector<double> v = flatten_response(it->response);
    for (Eigen::Index o = 0; o < outputs; ++o) y(r, o) = v[static_cast<std::size_t>(o)];
  }
  const Eigen::MatrixXd wx = weight.asDiagonal() * x;
  Eigen::MatrixXd gram = x.transpose() * wx;
  // A little ridge on the slopes (not the intercept) for directions the data do not determine.
  for (int i = 1; i <= d; ++i) gram(i, i) += 1e-6 * weight.sum() * radius_ * radius_;
  gram(0, 0) += 1e-12;
  const Eigen::MatrixXd coefficients = gram.ldlt().solve(wx.transpose() * y);  // (d+1) × outputs
  model_center_ = center_;
  model_.assign(static_cast<std::size_t>(outputs) * static_cast<std::size_t>(d + 1), 0.0);
  for (Eigen::Index o = 0; o < outputs; ++o)
    for (int i = 0; i <= d; ++i)
      model_[static_cast<std::size_t>(o) * static_cast<std::size_t>(d + 1) +
             static_cast<std::size_t>(i)] = coefficients(i, o);
}

std::vector<double> ZoSurrogateLeader::on_propose() {
  const int d = dimension();
  const std::size_t k = history_.size();
  if (k < static_cast<std::size_t>(d) + 1) {  // seeding: the centre, then one step along each axis
    std::vector<double> theta = center_;
    if (k > 0) {
      double& x = theta[k - 1];
      x = x + radius_ <= 1.0 ? x + radius_ : x - radius_;
    }
    pending_ = theta;
    return theta;
  }
  if (improve_model_) {  // after a failed step: sample the trust region along the next axis
    improve_model_ = false;
    std::vector<double> theta = center_;
    double& x = theta[static_cast<std::size_t>(geometry_axis_ % d)];
    const double sign = (geometry_axis_ / d) % 2 == 0 ? 1.0 : -1.0;
    x = std::clamp(x + sign * radius_, 0.0, 1.0);
    geometry_axis_ = (geometry_axis_ + 1) % (2 * d);
    geometry_ = true;
    pending_ = theta;
    return theta;
  }
  // Zeroth-order descent on the surrogate inside the trust region: each of up to t_max steps
  // averages the two-point estimate over K random directions (leader.directions, as for zo; the
  // surrogate's evaluations cost no interaction) and backtracks: it moves the trust radius along
  // −g/‖g‖∞ and halves the step until the surrogate improves.
  const int directions = integer("directions"), t_max = integer("t_max");
  const double delta = std::min(number("smoothing"), radius_);
  std::vector<double> theta = center_;
  double value = surrogate(center_);
  auto clip = [&](std::vector<double>& t) {
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] = std::clamp(t[i], std::max(0.0, center_[i] - radius_),
                        std::min(1.0, center_[i] + radius_));
  };
  double length = radius_;
  for (int step = 0; step < t_max && length > 1e-3 * radius_; ++step) {
    // The 2K points of the estimate at once: the objective may spread them over the ranks.
    std::vector<std::vector<double>> units, points;
    for (int k2 = 0; k2 < directions; ++k2) {
      units.push_back(unit_direction(surrogate_stream, static_cast<std::uint32_t>(rounds_),
                                     static_cast<std::uint32_t>(step * directions + k2)));
      std::vector<double> plus = theta, minus = theta;
      for (std::size_t i = 0; i < theta.size(); ++i) {
        plus[i] += delta * units.back()[i];
        minus[i] -= delta * units.back()[i];
      }
      points.push_back(std::move(plus));
      points.push_back(std::move(minus));
    }
    std::vector<ClassEnergy> responses;
    responses.reserve(points.size());
    for (const std::vector<double>& p : points) responses.push_back(predict(p));
    const std::vector<double> values = objective_->objectives(points, responses);
    std::vector<double> g(theta.size(), 0.0);
    for (int k2 = 0; k2 < directions; ++k2) {
      const auto j = static_cast<std::size_t>(k2);
      const double diff = values[2 * j] - values[2 * j + 1];
      for (std::size_t i = 0; i < g.size(); ++i)
        g[i] += static_cast<double>(d) / (2.0 * delta) * diff * units[j][i] / directions;
    }
    double scale = 0;
    for (double x : g) scale = std::max(scale, std::abs(x));
    if (scale == 0) break;
    while (length > 1e-3 * radius_) {
      std::vector<double> trial = theta;
      for (std::size_t i = 0; i < trial.size(); ++i) trial[i] -= length * g[i] / scale;
      clip(trial);
      const double v = surrogate(trial);
      if (v < value) {
        theta = trial;
        value = v;
        break;
      }
      length *= 0.5;
    }
  }
  pending_ = theta;
  predicted_ = value;
  return theta;
}

void ZoSurrogateLeader::on_observe(const Interaction& interaction) {
  const int d = dimension();
  if (history_.empty()) shape_ = interaction.response;
  history_.push_back(interaction);
  const std::size_t k = history_.size();
  if (k == 1) center_value_ = interaction.objective;
  if (k < static_cast<std::size_t>(d) + 1) return;
  if (k == static_cast<std::size_t>(d) + 1) {  // seeded: start from the best point seen
    for (const Interaction& i : history_)
      if (i.objective < center_value_) {
        center_value_ = i.objective;
        center_ = i.theta;
      }
    fit();
    return;
  }
  if (geometry_) {  // a model-improving sample: keep it, move the centre only if it is better
    geometry_ = false;
    if (interaction.objective < center_value_) {
      center_ = interaction.theta;
      center_value_ = interaction.objective;
    }
    fit();
    return;
  }
  // A trust-region round: compare the real improvement with the predicted one.
  const double predicted = surrogate(center_) - predicted_;
  const double actual = center_value_ - interaction.objective;
  const double ratio = predicted > 0 ? actual / predicted : -1.0;
  double moved = 0;
  for (std::size_t i = 0; i < center_.size(); ++i)
    moved = std::max(moved, std::abs(pending_[i] - center_[i]));
  if (ratio >= 0.75 && moved >= 0.99 * radius_)
    radius_ = std::min(2.0 * radius_, number("trust_radius_max"));
  else if (ratio < 0.25) {
    radius_ = std::max(0.5 * radius_, number("trust_radius_min"));
    improve_model_ = true;  // the model misled: sample before trusting it again
  }
  if (actual > 0) {
    center_ = pending_;
    center_value_ = interaction.objective;
  }
  ++rounds_;
  fit();
}

std::span<const LearnerDiagnostic> ZoSurrogateLeader::diagnostic_specs() const {
  static constexpr LearnerDiagnostic specs[] = {
      {"trust_radius", "1", "trust radius (zo-surrogate)"}};
  return specs;
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(leader, zo_surrogate) {
  using namespace mfgrid;
  register_leader_learner(
      {.name = "zo-surrogate",
       .doc = "trust-region steps on a surrogate of J fitted to the observed responses",
       .parameters = {{"directions", ParameterType::integer, 4, 1, 10000, false,
                       "K: random directions per gradient estimate on the surrogate"},
                      {"smoothing", ParameterType::number, 0.05, 0.0, 1.0, true,
                       "δ: the estimator's perturbation, relative to each parameter's range"},
                      {"t_max", ParameterType::integer, 10, 1, 100000, false,
                       "surrogate steps per real interaction"},
                      {"trust_radius", ParameterType::number, 0.1, 0.0, 1.0, true,
                       "Δ: the initial trust radius, relative to each parameter's range"},
                      {"trust_radius_max", ParameterType::number, 0.5, 0.0, 1.0, true,
                       "the largest Δ"},
                      {"trust_radius_min", ParameterType::number, 1e-4, 0.0, 1.0, true,
                       "the smallest Δ"}},
       .check = [](const LearnerParameters& p) -> ParameterProblem {
         if (p.number("trust_radius_min") > p.number("trust_radius") ||
             p.number("trust_radius") > p.number("trust_radius_max"))
           return {"trust_radius", "needs trust_radius_min <= trust_radius <= trust_radius_max"};
         return {};
       }},
      [](const LeaderSpec& spec, const TariffParameters& parameters,
         const ObjectiveModel& objective, std::uint64_t seed) -> std::unique_ptr<LeaderLearner> {
        return std::make_unique<ZoSurrogateLeader>(spec, parameters.initial(), objective, seed);
      });
}
