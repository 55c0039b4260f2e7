#include "mfgrid/followers/soft_q_best_response.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

// One backward pass over the day: Q_t from V_{t+1}, then V_t = backup(Q_t(s, ·), first cell of s).
// Returns the largest change of V_0 relative to the values' scale.
template <class Backup>
double sweep(const ClassMdp& mdp, std::span<const double> cost, double discount,
             std::vector<double>& q, std::vector<double>& value, Backup backup) {
  const int T = mdp.periods, S = mdp.bins, A = mdp.actions;
  const auto s_count = static_cast<std::size_t>(S);
  double change = 0, scale = 1.0;
  std::vector<double> v0_old(value.begin(), value.begin() + S);
  for (int t = T - 1; t >= 0; --t) {
    const double* next = value.data() + static_cast<std::size_t>((t + 1) % T) * s_count;
    for (int s = 0; s < S; ++s) {
      for (int a = 0; a < A; ++a) {
        const std::size_t k = mdp.cell(t, s, a);
        const double* p = mdp.transition.data() + k * s_count;
        double expected = 0;
        for (int s2 = 0; s2 < S; ++s2) expected += p[s2] * next[s2];
        q[k] = -cost[k] + discount * expected;
      }
      const std::size_t first = mdp.cell(t, s, 0);
      value[static_cast<std::size_t>(t) * s_count + static_cast<std::size_t>(s)] =
          backup(q.data() + first, A, first);
    }
  }
  for (std::size_t s = 0; s < s_count; ++s) {
    change = std::max(change, std::abs(value[s] - v0_old[s]));
    scale = std::max(scale, std::abs(value[s]));
  }
  return change / scale;
}

// Sweeps until V_0 settles (values are discounted sums: the tolerance is relative to them).
template <class Backup>
int iterate(const ClassMdp& mdp, std::span<const double> cost, double discount, double tolerance,
            int max_sweeps, std::vector<double>& q, std::vector<double>& value, Backup backup) {
  int sweeps = 1;
  for (; sweeps <= max_sweeps; ++sweeps)
    if (sweep(mdp, cost, discount, q, value, backup) <= tolerance) break;
  return sweeps;
}

void check_inputs(const ClassMdp& mdp, std::span<const double> cost) {
  if (cost.size() != mdp.imports.size()) throw Error("soft-Q: cost table does not match the MDP");
}

}  // namespace

SoftQBestResponse::SoftQBestResponse(double discount, double temperature, double epsilon_net,
                                     double tolerance, int max_sweeps)
    : discount_(discount),
      temperature_(temperature),
      epsilon_net_(epsilon_net),
      tolerance_(tolerance),
      max_sweeps_(max_sweeps) {
  if (!(discount >= 0 && discount < 1)) throw Error("soft-Q: discount must be in [0, 1)");
  if (!(temperature > 0)) throw Error("soft-Q: temperature must be positive");
}

SoftQSolution SoftQBestResponse::solve(const ClassMdp& mdp, std::span<const double> cost,
                                       std::span<const double> warm) const {
  check_inputs(mdp, cost);
  SoftQSolution out;
  out.q.assign(cost.size(), 0.0);
  out.value.assign(static_cast<std::size_t>(mdp.periods) * mdp.bins, 0.0);
  if (warm.size() == out.value.size()) std::copy(warm.begin(), warm.end(), out.value.begin());
  const double tau = temperature_;
  auto soft_max = [tau](const double* q, int n, std::size_t) {
    double m = -std::numeric_limits<double>::infinity();
    for (int a = 0; a < n; ++a) m = std::max(m, q[a]);
    double sum = 0;
    for (int a = 0; a < n; ++a) sum += std::exp((q[a] - m) / tau);
    return m + tau * std::log(sum);
  };
  out.sweeps = iterate(mdp, cost, discount_, tolerance_, max_sweeps_, out.q, out.value, soft_max);
  out.policy.assign(cost.size(), 0.0);
  const auto s_count = static_cast<std::size_t>(mdp.bins);
  for (int t = 0; t < mdp.periods; ++t)
    for (int s = 0; s < mdp.bins; ++s) {
      const double v =
          out.value[static_cast<std::size_t>(t) * s_count + static_cast<std::size_t>(s)];
      for (int a = 0; a < mdp.actions; ++a) {
        const std::size_t k = mdp.cell(t, s, a);
        out.policy[k] = std::exp((out.q[k] - v) / tau);
      }
    }
  // Normalise exactly (the softmax sums to 1 up to rounding), then project.
  for (std::size_t r = 0; r < out.policy.size(); r += static_cast<std::size_t>(mdp.actions)) {
    double sum = 0;
    for (int a = 0; a < mdp.actions; ++a) sum += out.policy[r + static_cast<std::size_t>(a)];
    for (int a = 0; a < mdp.actions; ++a) out.policy[r + static_cast<std::size_t>(a)] /= sum;
  }
  project_on_epsilon_net(out.policy, mdp.actions, epsilon_net_);
  return out;
}

SoftQSolution optimal_policy(const ClassMdp& mdp, std::span<const double> cost, double discount,
                             double tolerance, int max_sweeps) {
  check_inputs(mdp, cost);
  SoftQSolution out;
  out.q.assign(cost.size(), 0.0);
  out.value.assign(static_cast<std::size_t>(mdp.periods) * mdp.bins, 0.0);
  auto hard_max = [](const double* q, int n, std::size_t) { return *std::max_element(q, q + n); };
  out.sweeps = iterate(mdp, cost, discount, tolerance, max_sweeps, out.q, out.value, hard_max);
  out.policy.assign(cost.size(), 0.0);
  for (std::size_t r = 0; r < out.q.size(); r += static_cast<std::size_t>(mdp.actions)) {
    const auto best =
        std::max_element(out.q.begin() + static_cast<std::ptrdiff_t>(r),
                         out.q.begin() + static_cast<std::ptrdiff_t>(r) + mdp.actions);
    out.policy[static_cast<std::size_t>(best - out.q.begin())] = 1.0;
  }
  return out;
}

std::vector<double> policy_cost(const ClassMdp& mdp, std::span<const double> cost,
                                std::span<const double> policy, double discount, double tolerance,
                                int max_sweeps) {
  check_inputs(mdp, cost);
  std::vector<double> q(cost.size(), 0.0),
      value(static_cast<std::size_t>(mdp.periods) * mdp.bins, 0.0);
  auto expectation = [policy](const double* q_row, int n, std::size_t first) {
    double v = 0;
    for (int a = 0; a < n; ++a) v += policy[first + static_cast<std::size_t>(a)] * q_row[a];
    return v;
  };
  iterate(mdp, cost, discount, tolerance, max_sweeps, q, value, expectation);
  for (double& v : value) v = -v;  // costs, not rewards
  return value;
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
