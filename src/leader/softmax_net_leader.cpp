#include "mfgrid/leader/softmax_net_leader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mfgrid/core/error.hpp"
#include "mfgrid/leader/linear_response.hpp"
#include "mfgrid/meanfield/distribution.hpp"

namespace mfgrid {

namespace {

// Solves the symmetric positive definite n × n system a·x = b in place (Cholesky, plain loops so
// the result does not depend on memory alignment); b holds `columns` right-hand sides, row-major.
void cholesky_solve(std::vector<double>& a, std::vector<double>& b, std::size_t n,
                    std::size_t columns) {
  for (std::size_t j = 0; j < n; ++j) {
    double s = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) s -= a[j * n + k] * a[j * n + k];
    if (!(s > 0)) throw Error("softmax-net: the response model's normal equations are singular");
    a[j * n + j] = std::sqrt(s);
    for (std::size_t i = j + 1; i < n; ++i) {
      double t = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / a[j * n + j];
    }
  }
  for (std::size_t c = 0; c < columns; ++c) {
    for (std::size_t i = 0; i < n; ++i) {  // L z = b
      double t = b[i * columns + c];
      for (std::size_t k = 0; k < i; ++k) t -= a[i * n + k] * b[k * columns + c];
      b[i * columns + c] = t / a[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {  // Lᵀ x = z
      double t = b[i * columns + c];
      for (std::size_t k = i + 1; k < n; ++k) t -= a[k * n + i] * b[k * columns + c];
      b[i * columns + c] = t / a[i * n + i];
    }
  }
}

}  // namespace

std::vector<double> boltzmann_policy(const std::vector<double>& q, double epsilon, double* alpha) {
  const double best = *std::min_element(q.begin(), q.end());
  double second = std::numeric_limits<double>::infinity();
  for (double v : q)
    if (v > best) second = std::min(second, v);
  std::vector<double> p(q.size());
  if (second == std::numeric_limits<double>::infinity()) {  // all equal: nothing to prefer
    if (alpha) *alpha = 0.0;
    std::fill(p.begin(), p.end(), 1.0 / static_cast<double>(q.size()));
    return p;
  }
  const double phi = second - best;  // φ(ε): the action gap on the net
  const double a = std::log(1.0 / epsilon) / phi;
  if (alpha) *alpha = a;
  double total = 0;
  for (std::size_t k = 0; k < q.size(); ++k) {
    p[k] = std::exp(-a * (q[k] - best));
    total += p[k];
  }
  for (double& x : p) x /= total;
  return p;
}

void project_policy_on_net(std::vector<double>& policy, double epsilon) {
  double sum = 0;
  std::size_t best = 0;
  for (std::size_t k = 0; k < policy.size(); ++k) {
    if (policy[k] > policy[best]) best = k;
  }
  for (double& p : policy) {
    p = std::round(p / epsilon) * epsilon;
    sum += p;
  }
  if (sum <= 0) {  // everything rounded away: keep the most likely
    std::fill(policy.begin(), policy.end(), 0.0);
    policy[best] = 1.0;
    return;
  }
  for (double& p : policy) p /= sum;
}

SoftmaxNetLeader::SoftmaxNetLeader(const LeaderSpec& spec, std::vector<double> initial,
                                   const ObjectiveModel& objective, std::uint64_t seed)
    : LeaderLearner(spec, initial, seed),
      objective_(&objective),
      initial_(std::move(initial)),
      grid_(spec.parameters.integer("grid_points")) {
  const int d = dimension();
  double count = 1;
  for (int i = 0; i < d; ++i) count *= grid_;
  if (d == 0 || count > 100000)
    throw Error("softmax-net: " + std::to_string(grid_) + "^" + std::to_string(d) +
                " candidate tariffs; choose tariff.parameterisation = \"peak-offpeak\", fewer "
                "learned parts or fewer "
                "leader.grid_points (at most 100 000 candidates)");
  const auto n = static_cast<std::size_t>(count);
  q_.assign(n, 0.0);
  policy_.assign(n, 1.0 / static_cast<double>(n));  // no interaction yet: nothing preferred
}

std::vector<double> SoftmaxNetLeader::candidate(std::size_t k) const {
  std::vector<double> theta(static_cast<std::size_t>(dimension()));
  for (auto& x : theta) {
    x = static_cast<double>(k % static_cast<std::size_t>(grid_)) / (grid_ - 1);
    k /= static_cast<std::size_t>(grid_);
  }
  return theta;
}

std::vector<double> SoftmaxNetLeader::policy_mean() const {
  std::vector<double> mean(static_cast<std::size_t>(dimension()), 0.0);
  for (std::size_t k = 0; k < policy_.size(); ++k) {
    if (policy_[k] == 0) continue;
    const std::vector<double> theta = candidate(k);
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += policy_[k] * theta[i];
  }
  return mean;
}

// Ridge least squares of y on (1, θ − θ₀) over every interaction, θ₀ the initial tariff.
void SoftmaxNetLeader::fit() {
  const auto d = static_cast<std::size_t>(dimension()), inputs = d + 1;
  const std::size_t outputs = flatten_response(history_.front().response).size();
  std::vector<double> gram(inputs * inputs, 0.0), rhs(inputs * outputs, 0.0), x(inputs);
  for (const Interaction& it : history_) {
    x[0] = 1.0;
    for (std::size_t i = 0; i < d; ++i) x[i + 1] = it.theta[i] - initial_[i];
    const std::vector<double> v = flatten_response(it.response);
    for (std::size_t r = 0; r < inputs; ++r) {
      for (std::size_t c = 0; c < inputs; ++c) gram[r * inputs + c] += x[r] * x[c];
      for (std::size_t o = 0; o < outputs; ++o) rhs[r * outputs + o] += x[r] * v[o];
    }
  }
  // A vanishing ridge on the slopes (not the intercept): a direction the data do not determine gets
  // slope 0; determined ones are biased by a relative 1e-12 · n / Σ(θᵢ − θ₀ᵢ)², nothing.
  const auto n = static_cast<double>(history_.size());
  for (std::size_t i = 1; i < inputs; ++i) gram[i * inputs + i] += 1e-12 * n;
  gram[0] += 1e-12;
  cholesky_solve(gram, rhs, inputs, outputs);
  model_.assign(outputs * inputs, 0.0);
  for (std::size_t o = 0; o < outputs; ++o)
    for (std::size_t i = 0; i < inputs; ++i) model_[o * inputs + i] = rhs[i * outputs + o];
}

ClassEnergy SoftmaxNetLeader::predict(const std::vector<double>& theta) const {
  return linear_response(model_, initial_, theta, history_.front().response);
}

void SoftmaxNetLeader::update_policy() {
  fit();
  for (std::size_t k = 0; k < q_.size(); ++k) {
    const std::vector<double> theta = candidate(k);
    q_[k] = objective_->objective(theta, predict(theta));
  }
  std::vector<double> next = boltzmann_policy(q_, epsilon(), &alpha_);
  project_policy_on_net(next, epsilon());
  policy_change_ = l1_distance(next, policy_);
  policy_ = std::move(next);
}

std::vector<double> SoftmaxNetLeader::on_propose() {
  const std::size_t k = history_.size(), d = static_cast<std::size_t>(dimension());
  if (k <= d) {  // seeding: the initial tariff, then one net spacing along each coordinate
    std::vector<double> theta = initial_;
    if (k > 0) {
      const double h = 1.0 / (grid_ - 1);
      double& x = theta[k - 1];
      x = x + h <= 1.0 ? x + h : x - h;
    }
    return theta;
  }
  return policy_mean();
}

std::vector<double> SoftmaxNetLeader::final_theta() const {
  return history_.size() > static_cast<std::size_t>(dimension()) ? policy_mean() : best_theta();
}

void SoftmaxNetLeader::on_observe(const Interaction& interaction) {
  history_.push_back(interaction);
  if (history_.size() > static_cast<std::size_t>(dimension())) update_policy();
}

void SoftmaxNetLeader::on_transfer(StateTransfer& t) {
  transfer_interactions(t, "leader/softmax/history", history_);
  t.values("leader/softmax/model", model_);
  t.values("leader/softmax/q", q_);
  t.values("leader/softmax/policy", policy_);
  t.value("leader/softmax/alpha", alpha_);
  t.value("leader/softmax/policy_change", policy_change_);
  if (q_.size() != policy_.size())
    throw Error("softmax-net: the checkpoint's policy and Q do not match the net");
}

std::span<const LearnerDiagnostic> SoftmaxNetLeader::diagnostic_specs() const {
  static constexpr LearnerDiagnostic specs[] = {{"policy_change", "1", "‖Δπ_L‖₁ (softmax-net)"}};
  return specs;
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(leader, softmax_net) {
  using namespace mfgrid;
  register_leader_learner(
      {.name = "softmax-net",
       .doc = "a Boltzmann policy over an ε-net of tariffs, J predicted from the responses",
       // The Boltzmann weight follows from the net (α_L = log(1/ε)/φ(ε)): no temperature key.
       .parameters = {{"grid_points", ParameterType::integer, 9, 2, 1000, false,
                       "net points per coordinate of θ (spacing 1/(G − 1), covering radius half "
                       "that)"}}},
      [](const LeaderSpec& spec, const TariffParameters& parameters,
         const ObjectiveModel& objective, std::uint64_t seed) -> std::unique_ptr<LeaderLearner> {
        return std::make_unique<SoftmaxNetLeader>(spec, parameters.initial(), objective, seed);
      });
}
