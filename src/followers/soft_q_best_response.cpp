#include "mfgrid/followers/soft_q_best_response.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

void check_inputs(const ClassMdp& mdp, std::span<const double> cost) {
  if (cost.size() != mdp.imports.size()) throw Error("soft-Q: cost table does not match the MDP");
}

// Exact evaluation of a policy on the periodic day. With P_t the policy's transition matrix and
// r_t its expected reward per state, V_t = r_t + γ P_t V_{t+1} and V_T = V_0. Unrolled backwards,
// V_t = w_t + A_t V_0 with A_T = I and w_T = 0, so that (I − A_0) V_0 = w_0. Every row of A_0 sums
// to γ^T < 1: I − A_0 is strictly diagonally dominant, well conditioned whatever the policy.
class PeriodicEvaluation {
 public:
  explicit PeriodicEvaluation(const ClassMdp& mdp)
      : mdp_(mdp),
        t_(static_cast<std::size_t>(mdp.periods)),
        s_(static_cast<std::size_t>(mdp.bins)),
        a_(static_cast<std::size_t>(mdp.actions)),
        p_(t_ * s_ * s_),
        r_(t_ * s_),
        unrolled_(s_ * s_),
        product_(s_ * s_),
        w_(s_),
        w_next_(s_) {}

  // value[t][s] = the discounted sum of `reward` ([t][s][a]) following `policy` ([t][s][a]).
  void evaluate(std::span<const double> policy, std::span<const double> reward, double discount,
                std::vector<double>& value) {
    mix(policy, reward);
    std::fill(unrolled_.begin(), unrolled_.end(), 0.0);
    for (std::size_t i = 0; i < s_; ++i) unrolled_[i * s_ + i] = 1.0;
    std::fill(w_.begin(), w_.end(), 0.0);
    for (std::size_t t = t_; t-- > 0;) {
      const double* p = p_.data() + t * s_ * s_;
      std::fill(product_.begin(), product_.end(), 0.0);
      for (std::size_t s = 0; s < s_; ++s) {
        double expected = 0;
        double* out = product_.data() + s * s_;
        for (std::size_t k = 0; k < s_; ++k) {
          const double f = discount * p[s * s_ + k];
          if (f == 0.0) continue;  // the chain is sparse: a state of charge moves a few bins
          expected += p[s * s_ + k] * w_[k];
          const double* row = unrolled_.data() + k * s_;
          for (std::size_t j = 0; j < s_; ++j) out[j] += f * row[j];
        }
        w_next_[s] = r_[t * s_ + s] + discount * expected;
      }
      unrolled_.swap(product_);
      w_.swap(w_next_);
    }
    value.resize(t_ * s_);
    solve_start(value);
    for (std::size_t t = t_ - 1; t >= 1; --t) {
      const double* p = p_.data() + t * s_ * s_;
      const double* next = value.data() + ((t + 1) % t_) * s_;
      for (std::size_t s = 0; s < s_; ++s) {
        double expected = 0;
        for (std::size_t k = 0; k < s_; ++k) expected += p[s * s_ + k] * next[k];
        value[t * s_ + s] = r_[t * s_ + s] + discount * expected;
      }
    }
  }

  // q[t][s][a] = −cost + γ Σ_s' P_t(s'|s,a) value_{t+1}(s').
  void q_values(std::span<const double> cost, std::span<const double> value, double discount,
                std::vector<double>& q) const {
    q.resize(cost.size());
    for (std::size_t t = 0; t < t_; ++t) {
      const double* next = value.data() + ((t + 1) % t_) * s_;
      for (std::size_t s = 0; s < s_; ++s)
        for (std::size_t a = 0; a < a_; ++a) {
          const std::size_t k = (t * s_ + s) * a_ + a;
          const double* p = mdp_.transition.data() + k * s_;
          double expected = 0;
          for (std::size_t j = 0; j < s_; ++j) expected += p[j] * next[j];
          q[k] = -cost[k] + discount * expected;
        }
    }
  }

 private:
  // The policy's transition matrices P_t[s][s'] and expected rewards r_t[s].
  void mix(std::span<const double> policy, std::span<const double> reward) {
    std::fill(p_.begin(), p_.end(), 0.0);
    for (std::size_t ts = 0; ts < t_ * s_; ++ts) {
      double r = 0;
      double* out = p_.data() + ts * s_;
      for (std::size_t a = 0; a < a_; ++a) {
        const std::size_t k = ts * a_ + a;
        const double w = policy[k];
        if (w == 0.0) continue;
        r += w * reward[k];
        const double* row = mdp_.transition.data() + k * s_;
        for (std::size_t j = 0; j < s_; ++j) out[j] += w * row[j];
      }
      r_[ts] = r;
    }
  }

  // (I − A_0) V_0 = w_0 by Gaussian elimination with partial pivoting; V_0 into value[0, S).
  void solve_start(std::vector<double>& value) {
    std::vector<double>& m = product_;
    for (std::size_t i = 0; i < s_ * s_; ++i) m[i] = -unrolled_[i];
    for (std::size_t i = 0; i < s_; ++i) m[i * s_ + i] += 1.0;
    for (std::size_t col = 0; col < s_; ++col) {
      std::size_t pivot = col;
      for (std::size_t i = col + 1; i < s_; ++i)
        if (std::abs(m[i * s_ + col]) > std::abs(m[pivot * s_ + col])) pivot = i;
      if (pivot != col) {
        std::swap_ranges(m.begin() + static_cast<std::ptrdiff_t>(col * s_),
                         m.begin() + static_cast<std::ptrdiff_t>((col + 1) * s_),
                         m.begin() + static_cast<std::ptrdiff_t>(pivot * s_));
        std::swap(w_[col], w_[pivot]);
      }
      const double d = m[col * s_ + col];
      for (std::size_t i = col + 1; i < s_; ++i) {
        const double f = m[i * s_ + col] / d;
        if (f == 0.0) continue;
        for (std::size_t j = col; j < s_; ++j) m[i * s_ + j] -= f * m[col * s_ + j];
        w_[i] -= f * w_[col];
      }
    }
    for (std::size_t i = s_; i-- > 0;) {
      double x = w_[i];
      for (std::size_t j = i + 1; j < s_; ++j) x -= m[i * s_ + j] * value[j];
      value[i] = x / m[i * s_ + i];
    }
  }

  const ClassMdp& mdp_;
  std::size_t t_, s_, a_;
  std::vector<double> p_, r_, unrolled_, product_, w_, w_next_;
};

// The Boltzmann policy of q at temperature τ, row by row; v[t][s] = τ log Σ_a exp(q/τ).
void boltzmann(std::span<const double> q, std::size_t actions, double tau, std::vector<double>& v,
               std::vector<double>& policy) {
  const std::size_t rows = q.size() / actions;
  v.resize(rows);
  policy.resize(q.size());
  for (std::size_t r = 0; r < rows; ++r) {
    const double* row = q.data() + r * actions;
    const double m = *std::max_element(row, row + actions);
    double sum = 0;
    for (std::size_t a = 0; a < actions; ++a) sum += std::exp((row[a] - m) / tau);
    v[r] = m + tau * std::log(sum);
    double total = 0;
    for (std::size_t a = 0; a < actions; ++a)
      total += policy[r * actions + a] = std::exp((row[a] - v[r]) / tau);
    for (std::size_t a = 0; a < actions; ++a) policy[r * actions + a] /= total;
  }
}

// The first of the row's largest entries.
std::size_t argmax(const double* row, std::size_t n) {
  return static_cast<std::size_t>(std::max_element(row, row + n) - row);
}

}  // namespace

SoftQBestResponse::SoftQBestResponse(double discount, double temperature, double epsilon_net,
                                     double tolerance, int max_iterations)
    : discount_(discount),
      temperature_(temperature),
      epsilon_net_(epsilon_net),
      tolerance_(tolerance),
      max_iterations_(max_iterations) {
  if (!(discount >= 0 && discount < 1)) throw Error("soft-Q: discount must be in [0, 1)");
  if (!(temperature > 0)) throw Error("soft-Q: temperature must be positive");
}

SoftQSolution SoftQBestResponse::solve(const ClassMdp& mdp, std::span<const double> cost,
                                       std::span<const double> warm) const {
  check_inputs(mdp, cost);
  const double tau = temperature_;
  const auto actions = static_cast<std::size_t>(mdp.actions);
  PeriodicEvaluation evaluation(mdp);
  SoftQSolution out;
  std::vector<double> soft_value, reward(cost.size());
  // The first policy: the Boltzmann policy of the warm values, or of the day's costs alone.
  if (warm.size() == static_cast<std::size_t>(mdp.periods) * mdp.bins) {
    evaluation.q_values(cost, warm, discount_, out.q);
  } else {
    out.q.resize(cost.size());
    std::transform(cost.begin(), cost.end(), out.q.begin(), std::negate<>());
  }
  boltzmann(out.q, actions, tau, soft_value, out.policy);
  for (out.iterations = 1; out.iterations <= max_iterations_; ++out.iterations) {
    // The policy's entropy-regularised reward: −c − τ log π, with τ log π = q − v exactly.
    for (std::size_t k = 0; k < cost.size(); ++k)
      reward[k] = -cost[k] - (out.q[k] - soft_value[k / actions]);
    evaluation.evaluate(out.policy, reward, discount_, out.value);
    evaluation.q_values(cost, out.value, discount_, out.q);
    boltzmann(out.q, actions, tau, soft_value, out.policy);
    // The soft Bellman residual of the evaluated policy's values, relative to their scale.
    double residual = 0, scale = 1.0;
    for (std::size_t i = 0; i < soft_value.size(); ++i) {
      residual = std::max(residual, std::abs(soft_value[i] - out.value[i]));
      scale = std::max(scale, std::abs(soft_value[i]));
    }
    if (residual <= tolerance_ * scale) break;
  }
  out.iterations = std::min(out.iterations, max_iterations_);
  out.value = std::move(soft_value);
  project_on_epsilon_net(out.policy, mdp.actions, epsilon_net_);
  return out;
}

SoftQSolution optimal_policy(const ClassMdp& mdp, std::span<const double> cost, double discount,
                             std::span<const double> start, int max_iterations) {
  check_inputs(mdp, cost);
  const auto actions = static_cast<std::size_t>(mdp.actions);
  const std::size_t rows = cost.size() / actions;
  std::vector<std::size_t> chosen(rows);
  std::vector<double> reward(cost.size());
  std::transform(cost.begin(), cost.end(), reward.begin(), std::negate<>());
  for (std::size_t r = 0; r < rows; ++r)
    chosen[r] =
        argmax((start.size() == cost.size() ? start.data() : reward.data()) + r * actions, actions);
  PeriodicEvaluation evaluation(mdp);
  SoftQSolution out;
  out.policy.assign(cost.size(), 0.0);
  for (out.iterations = 1; out.iterations <= max_iterations; ++out.iterations) {
    std::fill(out.policy.begin(), out.policy.end(), 0.0);
    for (std::size_t r = 0; r < rows; ++r) out.policy[r * actions + chosen[r]] = 1.0;
    evaluation.evaluate(out.policy, reward, discount, out.value);
    evaluation.q_values(cost, out.value, discount, out.q);
    // Switch only on a clear improvement, so that rounding cannot make the iteration cycle.
    bool changed = false;
    for (std::size_t r = 0; r < rows; ++r) {
      const double* q = out.q.data() + r * actions;
      const std::size_t best = argmax(q, actions);
      if (q[best] > q[chosen[r]] + 1e-12 * std::max(1.0, std::abs(q[best]))) {
        chosen[r] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  out.iterations = std::min(out.iterations, max_iterations);
  return out;
}

std::vector<double> policy_cost(const ClassMdp& mdp, std::span<const double> cost,
                                std::span<const double> policy, double discount) {
  check_inputs(mdp, cost);
  PeriodicEvaluation evaluation(mdp);
  std::vector<double> value;
  evaluation.evaluate(policy, cost, discount, value);
  return value;
}

std::vector<double> soft_q_values(const ClassMdp& mdp, std::span<const double> cost,
                                  std::span<const double> policy, double discount,
                                  double temperature) {
  check_inputs(mdp, cost);
  std::vector<double> reward(cost.size()), value, q;
  for (std::size_t k = 0; k < cost.size(); ++k)
    reward[k] = -cost[k] - (policy[k] > 0.0 ? temperature * std::log(policy[k]) : 0.0);
  PeriodicEvaluation evaluation(mdp);
  evaluation.evaluate(policy, reward, discount, value);
  evaluation.q_values(cost, value, discount, q);
  return q;
}

void project_on_epsilon_net(std::span<double> policy, int actions, double epsilon) {
  if (epsilon <= 0) return;
  for (std::size_t r = 0; r < policy.size(); r += static_cast<std::size_t>(actions)) {
    double sum = 0;
    std::size_t best = r;
    for (int a = 0; a < actions; ++a) {
      double& p = policy[r + static_cast<std::size_t>(a)];
      if (p > policy[best]) best = r + static_cast<std::size_t>(a);
      p = std::round(p / epsilon) * epsilon;
      sum += p;
    }
    if (sum <= 0) {  // everything rounded away: keep the most likely action
      policy[best] = 1.0;
      continue;
    }
    for (int a = 0; a < actions; ++a) policy[r + static_cast<std::size_t>(a)] /= sum;
  }
}

}  // namespace mfgrid
