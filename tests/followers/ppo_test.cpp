// The PPO followers' pieces: the policy network's gradient against finite differences, its first
// policy, a checkpoint that continues bit-identically, and the same learning on any thread count.
#include <gtest/gtest.h>

#include <cmath>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/followers/policy_network.hpp"
#include "mfgrid/followers/ppo_followers.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid {
namespace {

// Σ_i Σ_a c[i][a] · log π_a(x_i): a smooth function of the parameters through the softmax.
double objective(const PolicyNetwork& net, const std::vector<double>& x, int n,
                 const std::vector<double>& c) {
  std::vector<double> p;
  net.probabilities(x, n, p);
  double f = 0;
  for (std::size_t k = 0; k < p.size(); ++k) f += c[k] * std::log(p[k]);
  return f;
}

TEST(PolicyNetwork, GradientMatchesFiniteDifferences) {
  const int inputs = 4, outputs = 3, n = 5;
  PolicyNetwork net(inputs, 6, outputs, 7, 1);
  // Move the output layer off zero so every layer's gradient is exercised.
  for (std::size_t i = 0; i < net.parameters().size(); ++i)
    net.parameters()[i] += 0.05 * std::sin(static_cast<double>(i));
  std::vector<double> x(static_cast<std::size_t>(n * inputs)),
      c(static_cast<std::size_t>(n * outputs));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::cos(1.7 * static_cast<double>(i));
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = 0.3 + 0.1 * static_cast<double>(i % 4);
  // d/dz_b of Σ_a c_a log π_a = c_b − π_b Σ_a c_a.
  PolicyNetwork::Pass pass;
  net.forward(x, n, pass);
  const std::vector<double>& p = pass.policy;
  std::vector<double> dz(c.size()), gradient;
  for (int i = 0; i < n; ++i) {
    double total = 0;
    for (int a = 0; a < outputs; ++a) total += c[static_cast<std::size_t>(i * outputs + a)];
    for (int a = 0; a < outputs; ++a) {
      const auto k = static_cast<std::size_t>(i * outputs + a);
      dz[k] = c[k] - p[k] * total;
    }
  }
  net.backward(x, n, pass, dz, gradient);
  ASSERT_EQ(gradient.size(), net.parameters().size());
  for (std::size_t i = 0; i < gradient.size(); ++i) {
    const double h = 1e-6, keep = net.parameters()[i];
    net.parameters()[i] = keep + h;
    const double up = objective(net, x, n, c);
    net.parameters()[i] = keep - h;
    const double down = objective(net, x, n, c);
    net.parameters()[i] = keep;
    EXPECT_NEAR(gradient[i], (up - down) / (2 * h), 1e-6 * std::max(1.0, std::abs(gradient[i])))
        << "parameter " << i;
  }
}

TEST(PolicyNetwork, StartsUniformAndIsTheSameOnEveryRankForASeed) {
  const PolicyNetwork a(9, 32, 5, 11, 3), b(9, 32, 5, 11, 3), other(9, 32, 5, 12, 3);
  std::vector<double> x(9 * 4, 0.25), p;
  a.probabilities(x, 4, p);
  for (double v : p) EXPECT_DOUBLE_EQ(v, 0.2);
  EXPECT_TRUE(std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
  EXPECT_FALSE(
      std::equal(a.parameters().begin(), a.parameters().end(), other.parameters().begin()));
}

Scenario ppo_scenario() {
  return load_scenario("ieee3-equity",
                       {"population.scale=0.05", "followers.learner=ppo", "leader.learner=fixed"});
}

TEST(PpoFollowers, CheckpointContinuesBitIdentically) {
  const Scenario s = ppo_scenario();
  Simulation original(s, Communicator::self(), 1);
  for (int d = 0; d < 4; ++d) original.step();
  StateArchive archive;
  original.save(archive);
  const Simulation::AgentState agents = original.agent_state();
  for (int d = 0; d < 4; ++d) original.step();

  Simulation resumed(s, Communicator::self(), 1);
  resumed.load(archive, agents);
  for (int d = 0; d < 4; ++d) resumed.step();
  const auto& a = dynamic_cast<const PpoFollowers&>(original.followers());
  const auto& b = dynamic_cast<const PpoFollowers&>(resumed.followers());
  EXPECT_TRUE(std::equal(a.network(3).parameters().begin(), a.network(3).parameters().end(),
                         b.network(3).parameters().begin()));
  EXPECT_TRUE(std::equal(original.policy().all().begin(), original.policy().all().end(),
                         resumed.policy().all().begin()));
  EXPECT_EQ(original.last_day().lmp, resumed.last_day().lmp);
}

TEST(PpoFollowers, LearnTheSameOnAnyThreadCount) {
  const Scenario s = ppo_scenario();
  auto learn = [&](int threads) {
    Simulation sim(s, Communicator::self(), threads);
    for (int d = 0; d < 6; ++d) sim.step();
    EXPECT_EQ(sim.followers().history().size(), 6u);
    return std::vector<double>(sim.policy().all().begin(), sim.policy().all().end());
  };
  const std::vector<double> one = learn(1);
  EXPECT_EQ(learn(2), one);
  EXPECT_EQ(learn(3), one);
}

}  // namespace
}  // namespace mfgrid
