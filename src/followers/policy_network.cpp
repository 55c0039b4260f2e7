#include "mfgrid/followers/policy_network.hpp"

#include <algorithm>
#include <cmath>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {

namespace {

// The layers' offsets in the flat parameter vector.
struct Offsets {
  std::size_t w1, b1, w2, b2, w3, b3, end;
  Offsets(int in, int h, int out) {
    const auto i = static_cast<std::size_t>(in), hh = static_cast<std::size_t>(h),
               o = static_cast<std::size_t>(out);
    w1 = 0;
    b1 = w1 + hh * i;
    w2 = b1 + hh;
    b2 = w2 + hh * hh;
    w3 = b2 + hh;
    b3 = w3 + o * hh;
    end = b3 + o;
  }
};

// y[r][o] = b[o] + Σ_k w[o][k] x[r][k], in a fixed order. (Plain loops rather than Eigen: Eigen's
// kernels split their sums by the data's address alignment, so the same network gave results that
// differed in the last bits from one allocation to the next, and determinism is the contract.)
void affine(const double* x, std::size_t rows, std::size_t in, const double* w, const double* b,
            std::size_t out, double* y) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t o = 0; o < out; ++o) {
      double sum = b[o];
      for (std::size_t k = 0; k < in; ++k) sum += w[o * in + k] * x[r * in + k];
      y[r * out + o] = sum;
    }
}

}  // namespace

PolicyNetwork::PolicyNetwork(int inputs, int hidden, int outputs, std::uint64_t seed,
                             std::uint32_t id)
    : inputs_(inputs), hidden_(hidden), outputs_(outputs) {
  if (inputs < 1 || hidden < 1 || outputs < 1) throw Error("policy network: empty layer");
  const Offsets at(inputs, hidden, outputs);
  parameters_.assign(at.end, 0.0);
  const RandomStreams streams(seed);
  std::uint32_t index = 0;
  auto glorot = [&](std::size_t first, int rows, int cols) {
    const double limit = std::sqrt(6.0 / static_cast<double>(rows + cols));
    for (std::size_t k = 0; k < static_cast<std::size_t>(rows) * cols; ++k) {
      const float u = uniform_open01(streams.draw(id, 0, index++, StreamPurpose::learner)[0]);
      parameters_[first + k] = limit * (2.0 * static_cast<double>(u) - 1.0);
    }
  };
  glorot(at.w1, hidden, inputs);
  glorot(at.w2, hidden, hidden);
}

void PolicyNetwork::forward(std::span<const double> features, int n, std::vector<double>& h1,
                            std::vector<double>& h2, std::vector<double>& probabilities) const {
  const Offsets at(inputs_, hidden_, outputs_);
  const auto rows = static_cast<std::size_t>(n), in = static_cast<std::size_t>(inputs_),
             h = static_cast<std::size_t>(hidden_), out = static_cast<std::size_t>(outputs_);
  const double* p = parameters_.data();
  h1.resize(rows * h);
  h2.resize(rows * h);
  probabilities.resize(rows * out);
  affine(features.data(), rows, in, p + at.w1, p + at.b1, h, h1.data());
  for (double& v : h1) v = std::tanh(v);
  affine(h1.data(), rows, h, p + at.w2, p + at.b2, h, h2.data());
  for (double& v : h2) v = std::tanh(v);
  affine(h2.data(), rows, h, p + at.w3, p + at.b3, out, probabilities.data());
  for (std::size_t r = 0; r < rows; ++r) {
    double* z = probabilities.data() + r * out;
    double m = z[0];
    for (std::size_t a = 1; a < out; ++a) m = std::max(m, z[a]);
    double sum = 0;
    for (std::size_t a = 0; a < out; ++a) sum += z[a] = std::exp(z[a] - m);
    for (std::size_t a = 0; a < out; ++a) z[a] /= sum;
  }
}

void PolicyNetwork::probabilities(std::span<const double> features, int n,
                                  std::vector<double>& out) const {
  std::vector<double> h1, h2;
  forward(features, n, h1, h2, out);
}

void PolicyNetwork::backward(std::span<const double> features, int n,
                             std::span<const double> dlogits, std::vector<double>& gradient) const {
  const Offsets at(inputs_, hidden_, outputs_);
  const auto rows = static_cast<std::size_t>(n), in = static_cast<std::size_t>(inputs_),
             h = static_cast<std::size_t>(hidden_), out = static_cast<std::size_t>(outputs_);
  std::vector<double> h1, h2, p;
  forward(features, n, h1, h2, p);
  const double* w = parameters_.data();
  gradient.assign(parameters_.size(), 0.0);
  double* g = gradient.data();
  // Output layer, then the deltas of each hidden layer through tanh' = 1 − tanh².
  std::vector<double> d2(rows * h, 0.0), d1(rows * h, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t a = 0; a < out; ++a) {
      const double dz = dlogits[r * out + a];
      g[at.b3 + a] += dz;
      for (std::size_t j = 0; j < h; ++j) {
        g[at.w3 + a * h + j] += dz * h2[r * h + j];
        d2[r * h + j] += dz * w[at.w3 + a * h + j];
      }
    }
  for (std::size_t k = 0; k < rows * h; ++k) d2[k] *= 1.0 - h2[k] * h2[k];
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < h; ++j) {
      const double d = d2[r * h + j];
      g[at.b2 + j] += d;
      for (std::size_t k = 0; k < h; ++k) {
        g[at.w2 + j * h + k] += d * h1[r * h + k];
        d1[r * h + k] += d * w[at.w2 + j * h + k];
      }
    }
  for (std::size_t k = 0; k < rows * h; ++k) d1[k] *= 1.0 - h1[k] * h1[k];
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < h; ++k) {
      const double d = d1[r * h + k];
      g[at.b1 + k] += d;
      for (std::size_t m = 0; m < in; ++m) g[at.w1 + k * in + m] += d * features[r * in + m];
    }
}

Adam::Adam(std::size_t parameters, double learning_rate)
    : learning_rate_(learning_rate), m_(parameters, 0.0), v_(parameters, 0.0) {}

void Adam::step(std::span<double> parameters, std::span<const double> gradient) {
  constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  ++t_;
  const double c1 = 1.0 - std::pow(beta1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(beta2, static_cast<double>(t_));
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    m_[i] = beta1 * m_[i] + (1.0 - beta1) * gradient[i];
    v_[i] = beta2 * v_[i] + (1.0 - beta2) * gradient[i] * gradient[i];
    parameters[i] -= learning_rate_ * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + epsilon);
  }
}

}  // namespace mfgrid
