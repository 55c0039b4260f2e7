// A small policy network for the PPO followers: features → two tanh layers → action logits →
// softmax. Parameters live in one flat vector (what the optimiser steps and a checkpoint keeps).
// The algebra is plain loops in a fixed order, so results are bit-identical run to run.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mfgrid {

class PolicyNetwork {
 public:
  // Hidden weights are drawn (Glorot-uniform) from the run's seed and `id`, so every rank builds
  // the same network; the output layer starts at zero, which makes the first policy uniform.
  PolicyNetwork(int inputs, int hidden, int outputs, std::uint64_t seed, std::uint32_t id);

  int inputs() const { return inputs_; }
  int outputs() const { return outputs_; }
  std::span<double> parameters() { return parameters_; }
  std::span<const double> parameters() const { return parameters_; }

  // What a forward pass keeps for the backward one: the hidden layers and the probabilities.
  struct Pass {
    std::vector<double> h1, h2;  // [n][hidden]
    std::vector<double> policy;  // [n][outputs], action probabilities
  };
  // The forward pass over the n feature rows `features` [n][inputs].
  void forward(std::span<const double> features, int n, Pass& pass) const;
  // Action probabilities [n][outputs] of the n feature rows.
  void probabilities(std::span<const double> features, int n, std::vector<double>& out) const;
  // The gradient, with respect to the parameters, of Σ_i Σ_a dlogits[i][a] · logit_a(features_i):
  // back-propagation of the logits' gradient `dlogits` [n][outputs] through `pass`, the forward
  // pass over the same features.
  void backward(std::span<const double> features, int n, const Pass& pass,
                std::span<const double> dlogits, std::vector<double>& gradient) const;

 private:
  int inputs_, hidden_, outputs_;
  std::vector<double> parameters_;  // W1 [in][h], b1 [h], W2 [h][h], b2 [h], W3 [h][out], b3 [out]
};

}  // namespace mfgrid
