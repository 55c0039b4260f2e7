#include "mfgrid/leader/ppo_leader.hpp"

#include <algorithm>
#include <cmath>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/fast_math.hpp"

namespace mfgrid {

namespace {

constexpr std::uint32_t ppo_stream = 3;
const double min_log_sigma = std::log(0.01), max_log_sigma = std::log(0.5);

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

PpoLeader::PpoLeader(const LeaderSpec& spec, std::vector<double> initial, std::uint64_t seed)
    : LeaderLearner(spec, initial, seed),
      parameters_(initial.size() * (state_size + 1), 0.0),
      adam_(parameters_.size(), spec.parameters.number("learning_rate")),
      state_(state_size, 0.0) {
  state_[0] = 1.0;
  const std::size_t d = initial.size();
  for (std::size_t i = 0; i < d; ++i) {
    const double p = std::clamp(initial[i], 0.01, 0.99);
    parameters_[i * state_size] = std::log(p / (1.0 - p));  // μ starts at the initial tariff
    parameters_[d * state_size + i] = std::log(spec.parameters.number("sigma"));
  }
}

std::vector<double> PpoLeader::mean_in(const std::vector<double>& state) const {
  const std::size_t d = static_cast<std::size_t>(dimension());
  std::vector<double> mu(d);
  for (std::size_t i = 0; i < d; ++i) {
    double z = 0;
    for (std::size_t k = 0; k < state_size; ++k) z += parameters_[i * state_size + k] * state[k];
    mu[i] = sigmoid(z);
  }
  return mu;
}

std::vector<double> PpoLeader::mean() const { return mean_in(state_); }

std::vector<double> PpoLeader::sigma() const {
  const std::size_t d = static_cast<std::size_t>(dimension());
  std::vector<double> s(d);
  for (std::size_t i = 0; i < d; ++i) s[i] = std::exp(parameters_[d * state_size + i]);
  return s;
}

// log N(action; μ(state), σ²) up to its constant.
double PpoLeader::log_prob(const std::vector<double>& state,
                           const std::vector<double>& action) const {
  const std::vector<double> mu = mean_in(state);
  const std::size_t d = mu.size();
  double lp = 0;
  for (std::size_t i = 0; i < d; ++i) {
    const double log_sigma = parameters_[d * state_size + i], z = (action[i] - mu[i]);
    lp += -0.5 * z * z * std::exp(-2.0 * log_sigma) - log_sigma;
  }
  return lp;
}

std::vector<double> PpoLeader::on_propose() {
  const std::size_t d = static_cast<std::size_t>(dimension());
  const std::vector<double> mu = mean(), s = sigma();
  pending_ = Sample{state_, std::vector<double>(d), 0.0, 0.0};
  for (std::size_t i = 0; i < d; i += 2) {
    const auto w = streams().draw(ppo_stream, static_cast<std::uint32_t>(draws_),
                                  static_cast<std::uint32_t>(i / 2), StreamPurpose::learner);
    float z1, z2;
    fast_math::normal_pair(uniform_open01(w[0]), uniform_open01(w[1]), z1, z2);
    pending_.action[i] = mu[i] + s[i] * z1;
    if (i + 1 < d) pending_.action[i + 1] = mu[i + 1] + s[i + 1] * z2;
  }
  ++draws_;
  pending_.log_prob = log_prob(pending_.state, pending_.action);
  std::vector<double> theta = pending_.action;
  TariffParameters::project(theta);
  return theta;
}

void PpoLeader::on_observe(const Interaction& interaction) {
  pending_.objective = interaction.objective;
  batch_.push_back(pending_);
  // The next state: the response to this tariff, relative to the first response seen.
  const ClassEnergy& y = interaction.response;
  double total = 0, peak = 0;
  for (double v : y.imports) total += v;
  for (double v : y.peak_import) peak += v;
  if (reference_.empty()) reference_ = {std::max(total, 1e-12), std::max(peak, 1e-12)};
  state_ = {1.0, std::clamp(total / reference_[0] - 1.0, -1.0, 1.0),
            std::clamp(peak / reference_[1] - 1.0, -1.0, 1.0)};
  if (static_cast<int>(batch_.size()) >= integer("batch")) update();
}

void PpoLeader::update() {
  const std::size_t n = batch_.size(), d = static_cast<std::size_t>(dimension());
  double mean_j = 0, var_j = 0;
  for (const Sample& b : batch_) mean_j += b.objective / static_cast<double>(n);
  for (const Sample& b : batch_) var_j += (b.objective - mean_j) * (b.objective - mean_j);
  const double sd = std::sqrt(var_j / static_cast<double>(n));
  if (sd > 1e-12 * (1.0 + std::abs(mean_j))) {
    const double clip = number("clip");
    std::vector<double> gradient(parameters_.size());
    for (int epoch = 0; epoch < integer("epochs"); ++epoch) {
      std::fill(gradient.begin(), gradient.end(), 0.0);
      for (const Sample& b : batch_) {
        const double advantage = -(b.objective - mean_j) / sd;  // lower J is better
        const double ratio = std::exp(log_prob(b.state, b.action) - b.log_prob);
        const bool active = advantage >= 0.0 ? ratio < 1.0 + clip : ratio > 1.0 - clip;
        if (!active) continue;
        // d(ratio·A)/d log p = ratio·A; the minimiser takes minus the batch mean.
        const double g = -advantage * ratio / static_cast<double>(n);
        const std::vector<double> mu = mean_in(b.state);
        for (std::size_t i = 0; i < d; ++i) {
          const double inv_var = std::exp(-2.0 * parameters_[d * state_size + i]);
          const double z = b.action[i] - mu[i];
          const double dmu = g * z * inv_var * mu[i] * (1.0 - mu[i]);
          for (std::size_t k = 0; k < state_size; ++k)
            gradient[i * state_size + k] += dmu * b.state[k];
          gradient[d * state_size + i] += g * (z * z * inv_var - 1.0);
        }
      }
      adam_.step(parameters_, gradient);
      for (std::size_t i = 0; i < d; ++i) {
        double& log_sigma = parameters_[d * state_size + i];
        log_sigma = std::clamp(log_sigma, min_log_sigma, max_log_sigma);
      }
    }
  }
  batch_.clear();
}

void PpoLeader::on_transfer(StateTransfer& t) {
  t.fixed("leader/ppo/parameters", parameters_, "the PPO leader's policy");
  t.values("leader/ppo/adam_m", adam_.first_moment());
  t.values("leader/ppo/adam_v", adam_.second_moment());
  t.value("leader/ppo/adam_steps", adam_.steps(), [&](std::int64_t s) { adam_.set_steps(s); });
  t.values("leader/ppo/reference", reference_);
  t.values("leader/ppo/state", state_);
  t.value("leader/ppo/draws", draws_);
  // The batch, then the pending proposal as its last entry.
  std::vector<Sample> all = batch_;
  all.push_back(pending_);
  t.columns("leader/ppo", all)
      .column("states", &Sample::state)
      .column("actions", &Sample::action)
      .column("log_probs", &Sample::log_prob)
      .column("objectives", &Sample::objective);
  if (t.loading()) {
    if (all.empty()) throw IoError("checkpoint", "the PPO leader's batch is damaged");
    pending_ = all.back();
    all.pop_back();
    batch_ = std::move(all);
  }
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(leader, ppo) {
  using namespace mfgrid;
  register_leader_learner(
      {.name = "ppo",
       .doc = "a Gaussian policy over θ learned by proximal policy optimisation",
       .parameters = {{"batch", ParameterType::integer, 8, 1, 100000, false,
                       "interactions per policy update", "ppo_batch"},
                      {"epochs", ParameterType::integer, 10, 1, 10000, false,
                       "Adam steps per update", "ppo_epochs"},
                      {"learning_rate", ParameterType::number, 0.02, 0.0, 1.0, true,
                       "Adam's step size", "ppo_learning_rate"},
                      {"clip", ParameterType::number, 0.2, 0.0, 1.0, true,
                       "PPO's clipping of the probability ratio", "ppo_clip"},
                      {"sigma", ParameterType::number, 0.1, 0.0, 1.0, true,
                       "initial exploration: standard deviation in normalised θ", "ppo_sigma"}}},
      [](const LeaderSpec& spec, const TariffParameters& parameters, const ObjectiveModel&,
         std::uint64_t seed) -> std::unique_ptr<LeaderLearner> {
        return std::make_unique<PpoLeader>(spec, parameters.initial(), seed);
      });
}
