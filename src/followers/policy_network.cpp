#include "mfgrid/followers/policy_network.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

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

// y[r][o] = b[o] + Σ_k x[r][k] w[k][o], summed over k in order for every o. (Plain loops rather
// than Eigen: Eigen's kernels split their sums by the data's address alignment, so the same
// network gave results that differed in the last bits from one allocation to the next, and
// determinism is the contract. With the weights stored input-major the inner loop runs across
// outputs, independent lanes the compiler vectorises without reordering any sum.)
void affine(const double* x, std::size_t rows, std::size_t in, const double* w, const double* b,
            std::size_t out, double* y) {
  for (std::size_t r = 0; r < rows; ++r) {
    double* __restrict yr = y + r * out;
    for (std::size_t o = 0; o < out; ++o) yr[o] = b[o];
    for (std::size_t k = 0; k < in; ++k) {
      const double xk = x[r * in + k];
      const double* __restrict wk = w + k * out;
      for (std::size_t o = 0; o < out; ++o) yr[o] += xk * wk[o];
    }
  }
}

// Back through one affine layer: g_w[k][o] += Σ_r x[r][k] d[r][o], g_b[o] += Σ_r d[r][o], and
// (when dx is given) dx[r][k] = Σ_o d[r][o] w[k][o].
void affine_backward(const double* x, std::size_t rows, std::size_t in, const double* w,
                     const double* d, std::size_t out, double* gw, double* gb, double* dx) {
  for (std::size_t r = 0; r < rows; ++r) {
    const double* __restrict dr = d + r * out;
    for (std::size_t o = 0; o < out; ++o) gb[o] += dr[o];
    for (std::size_t k = 0; k < in; ++k) {
      const double xk = x[r * in + k];
      double* __restrict gk = gw + k * out;
      for (std::size_t o = 0; o < out; ++o) gk[o] += xk * dr[o];
      if (dx != nullptr) {
        const double* wk = w + k * out;
        double sum = 0;
        for (std::size_t o = 0; o < out; ++o) sum += dr[o] * wk[o];
        dx[r * in + k] = sum;
      }
    }
  }
}

// tanh through expm1, accurate near 0 and a few times faster than libm's tanh, which was most of a
// PPO update's time.
double fast_tanh(double x) {
  if (x > 20.0) return 1.0;
  if (x < -20.0) return -1.0;
  const double e = std::expm1(2.0 * x);
  return e / (e + 2.0);
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
  glorot(at.w1, inputs, hidden);
  glorot(at.w2, hidden, hidden);
}

void PolicyNetwork::forward(std::span<const double> features, int n, Pass& pass) const {
  std::vector<double>& h1 = pass.h1;
  std::vector<double>& h2 = pass.h2;
  std::vector<double>& probabilities = pass.policy;
  const Offsets at(inputs_, hidden_, outputs_);
  const auto rows = static_cast<std::size_t>(n), in = static_cast<std::size_t>(inputs_),
             h = static_cast<std::size_t>(hidden_), out = static_cast<std::size_t>(outputs_);
  const double* p = parameters_.data();
  h1.resize(rows * h);
  h2.resize(rows * h);
  probabilities.resize(rows * out);
  affine(features.data(), rows, in, p + at.w1, p + at.b1, h, h1.data());
  for (double& v : h1) v = fast_tanh(v);
  affine(h1.data(), rows, h, p + at.w2, p + at.b2, h, h2.data());
  for (double& v : h2) v = fast_tanh(v);
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
  Pass pass;
  forward(features, n, pass);
  out = std::move(pass.policy);
}

void PolicyNetwork::backward(std::span<const double> features, int n, const Pass& pass,
                             std::span<const double> dlogits, std::vector<double>& gradient) const {
  const Offsets at(inputs_, hidden_, outputs_);
  const auto rows = static_cast<std::size_t>(n), in = static_cast<std::size_t>(inputs_),
             h = static_cast<std::size_t>(hidden_), out = static_cast<std::size_t>(outputs_);
  const std::vector<double>& h1 = pass.h1;
  const std::vector<double>& h2 = pass.h2;
  const double* w = parameters_.data();
  gradient.assign(parameters_.size(), 0.0);
  double* g = gradient.data();
  // The output layer, then each hidden layer through tanh' = 1 − tanh².
  std::vector<double> d2(rows * h), d1(rows * h);
  affine_backward(h2.data(), rows, h, w + at.w3, dlogits.data(), out, g + at.w3, g + at.b3,
                  d2.data());
  for (std::size_t k = 0; k < rows * h; ++k) d2[k] *= 1.0 - h2[k] * h2[k];
  affine_backward(h1.data(), rows, h, w + at.w2, d2.data(), h, g + at.w2, g + at.b2, d1.data());
  for (std::size_t k = 0; k < rows * h; ++k) d1[k] *= 1.0 - h1[k] * h1[k];
  affine_backward(features.data(), rows, in, w + at.w1, d1.data(), h, g + at.w1, g + at.b1,
                  nullptr);
}

}  // namespace mfgrid
