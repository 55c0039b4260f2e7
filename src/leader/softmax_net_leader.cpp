#include "mfgrid/leader/softmax_net_leader.hpp"

#include <algorithm>
#include <cmath>

#include "mfgrid/core/error.hpp"
#include "mfgrid/meanfield/distribution.hpp"

namespace mfgrid {

namespace {
constexpr std::uint32_t softmax_stream = 3;
}

SoftmaxNetLeader::SoftmaxNetLeader(const LeaderSpec& spec, std::vector<double> initial,
                                   std::uint64_t seed)
    : LeaderLearner(spec, std::move(initial), seed), grid_(spec.grid_points) {
  const int d = dimension();
  double count = 1;
  for (int i = 0; i < d; ++i) count *= grid_;
  if (d == 0 || count > 100000)
    throw Error("softmax-net: " + std::to_string(grid_) + "^" + std::to_string(d) +
                " candidate tariffs; choose tariff.parameterisation = \"peak-offpeak\", fewer "
                "learned parts or fewer "
                "leader.grid_points (at most 100 000 candidates)");
  const auto n = static_cast<std::size_t>(count);
  estimate_.assign(n, 0.0);
  visits_.assign(n, 0);
  order_.resize(n);
  for (std::size_t k = 0; k < n; ++k) order_[k] = k;
  // A random exploration order (Fisher–Yates with the learner's own stream).
  for (std::size_t k = n; k > 1; --k) {
    const auto j = static_cast<std::size_t>(uniform(softmax_stream, static_cast<std::uint32_t>(k)) *
                                            static_cast<double>(k));
    std::swap(order_[k - 1], order_[std::min(j, k - 1)]);
  }
  policy_ = boltzmann();
}

std::vector<double> SoftmaxNetLeader::candidate(std::size_t k) const {
  std::vector<double> theta(static_cast<std::size_t>(dimension()));
  for (auto& x : theta) {
    x = static_cast<double>(k % static_cast<std::size_t>(grid_)) / (grid_ - 1);
    k /= static_cast<std::size_t>(grid_);
  }
  return theta;
}

std::vector<double> SoftmaxNetLeader::boltzmann() const {
  double best = 1e300;
  for (std::size_t k = 0; k < estimate_.size(); ++k)
    if (visits_[k] > 0) best = std::min(best, estimate_[k]);
  if (best == 1e300) best = 0.0;
  std::vector<double> p(estimate_.size());
  double total = 0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    const double value = visits_[k] > 0 ? estimate_[k] : best;  // optimism for the unvisited
    p[k] = std::exp(-(value - best) / spec().softmax_temperature);
    total += p[k];
  }
  for (double& x : p) x /= total;
  return p;
}

std::vector<double> SoftmaxNetLeader::on_propose() {
  if (explored_ < order_.size()) {
    pending_ = order_[explored_];
  } else {
    // Draw from the Boltzmann policy.
    const double u = uniform(softmax_stream, 1000000u + static_cast<std::uint32_t>(interactions()));
    double cumulative = 0;
    pending_ = policy_.size() - 1;
    for (std::size_t k = 0; k < policy_.size(); ++k) {
      cumulative += policy_[k];
      if (u < cumulative) {
        pending_ = k;
        break;
      }
    }
  }
  return candidate(pending_);
}

void SoftmaxNetLeader::on_observe(const Interaction& interaction) {
  const std::size_t k = pending_;
  ++visits_[k];
  estimate_[k] += (interaction.objective - estimate_[k]) / visits_[k];
  if (explored_ < order_.size() && order_[explored_] == k) ++explored_;
  const std::vector<double> next = boltzmann();
  policy_change_ = l1_distance(next, policy_);
  policy_ = next;
}

void SoftmaxNetLeader::on_save(StateArchive& a) const {
  a.put("leader/softmax/estimate", estimate_);
  a.put("leader/softmax/visits", std::vector<std::int64_t>(visits_.begin(), visits_.end()));
  std::vector<std::int64_t> order(order_.begin(), order_.end());
  a.put("leader/softmax/order", order);
  a.put("leader/softmax/counters", std::vector<std::int64_t>{static_cast<std::int64_t>(explored_),
                                                             static_cast<std::int64_t>(pending_)});
  a.put("leader/softmax/policy", policy_);
  a.put_scalar("leader/softmax/policy_change", policy_change_);
}

void SoftmaxNetLeader::on_load(const StateArchive& a) {
  estimate_ = a.doubles("leader/softmax/estimate");
  const auto& visits = a.integers("leader/softmax/visits");
  visits_.assign(visits.begin(), visits.end());
  const auto& order = a.integers("leader/softmax/order");
  order_.assign(order.begin(), order.end());
  const auto& c = a.integers("leader/softmax/counters");
  explored_ = static_cast<std::size_t>(c.at(0));
  pending_ = static_cast<std::size_t>(c.at(1));
  policy_ = a.doubles("leader/softmax/policy");
  policy_change_ = a.scalar("leader/softmax/policy_change");
}

}  // namespace mfgrid
