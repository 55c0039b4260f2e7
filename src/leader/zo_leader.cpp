#include "mfgrid/leader/zo_leader.hpp"

#include <cmath>

namespace mfgrid {

namespace {
constexpr std::uint32_t zo_stream = 1;
}

ZoLeader::ZoLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed)
    : LeaderLearner(spec, initial, seed), center_(std::move(initial)) {}

double ZoLeader::step_size(int t) const {
  const double a = number("step_offset");
  return number("step") * std::pow((1.0 + a) / (t + 1.0 + a), number("step_exponent"));
}

double ZoLeader::smoothing(int t) const {
  return number("smoothing") / std::pow(t + 1.0, number("smoothing_exponent"));
}

std::vector<double> ZoLeader::on_propose() {
  const int K = integer("directions");
  if (directions_.empty())
    for (int k = 0; k < K; ++k)
      directions_.push_back(unit_direction(zo_stream, static_cast<std::uint32_t>(step_),
                                           static_cast<std::uint32_t>(k)));
  const std::size_t n = values_.size();  // proposals answered so far in this step
  const std::vector<double>& u = directions_[n / 2];
  const double sign = n % 2 == 0 ? 1.0 : -1.0;
  std::vector<double> theta = center_;
  const double delta = smoothing(step_);
  for (std::size_t i = 0; i < theta.size(); ++i) theta[i] += sign * delta * u[i];
  return theta;
}

void ZoLeader::on_observe(const Interaction& interaction) {
  values_.push_back(interaction.objective);
  const int K = integer("directions");
  if (static_cast<int>(values_.size()) < 2 * K) return;
  const double d = static_cast<double>(center_.size()), delta = smoothing(step_);
  std::vector<double> g(center_.size(), 0.0);
  for (int k = 0; k < K; ++k) {
    const double diff =
        values_[2 * static_cast<std::size_t>(k)] - values_[2 * static_cast<std::size_t>(k) + 1];
    for (std::size_t i = 0; i < g.size(); ++i)
      g[i] += d / (2.0 * delta) * diff * directions_[static_cast<std::size_t>(k)][i] / K;
  }
  const double eta = step_size(step_);
  for (std::size_t i = 0; i < g.size(); ++i) center_[i] -= eta * g[i];
  TariffParameters::project(center_);
  directions_.clear();
  values_.clear();
  ++step_;
}

void ZoLeader::on_transfer(StateTransfer& t) {
  t.values("leader/zo/center", center_);
  t.ragged("leader/zo/directions", directions_);
  t.values("leader/zo/values", values_);
  t.value("leader/zo/step", step_);
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(leader, zo) {
  using namespace mfgrid;
  register_leader_learner(
      {.name = "zo",
       .doc = "projected zeroth-order gradient descent with diminishing gains",
       .parameters =
           {{"directions", ParameterType::integer, 4, 1, 10000, false,
             "K: random directions per gradient step (each costs two interactions)"},
            {"smoothing", ParameterType::number, 0.05, 0.0, 1.0, true,
             "δ: the estimator's perturbation, relative to each parameter's range"},
            // The step multiplies J's gradient (J's units per unit of θ), so it may exceed 1;
            // θ is projected onto [0, 1] after every step, and 1e6 is beyond any use.
            {"step", ParameterType::number, 0.1, 0.0, 1e6, true,
             "η: the step size, relative to each parameter's range"},
            // Spall's exponents by default; 0 and 0 for fixed gains.
            {"step_exponent", ParameterType::number, 0.602, 0.0, 1.0, false,
             "α of η_k = step·((1 + A)/(k + 1 + A))^α (0: a fixed step)"},
            {"step_offset", ParameterType::number, 10.0, 0.0, 1e6, false, "A of η_k"},
            {"smoothing_exponent", ParameterType::number, 0.101, 0.0, 1.0, false,
             "γ of δ_k = smoothing/(k + 1)^γ (0: a fixed δ)"}}},
      [](const LeaderSpec& spec, const TariffParameters& parameters, const ObjectiveModel&,
         std::uint64_t seed) -> std::unique_ptr<LeaderLearner> {
        return std::make_unique<ZoLeader>(spec, parameters.initial(), seed);
      });
}
