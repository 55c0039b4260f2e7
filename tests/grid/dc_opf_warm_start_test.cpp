// Warm-started clearings must equal cold ones, and a saved basis must reproduce an uninterrupted
// sequence of clearings bit for bit (what checkpoint/restart relies on).
#include <gtest/gtest.h>

#include <random>

#include "mfgrid/core/error.hpp"
#include "mfgrid/grid/dc_opf.hpp"
#include "mfgrid/grid/synthetic_network.hpp"

namespace mfgrid {
namespace {

std::vector<std::vector<double>> random_demands(const NetworkSpec& net, int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> factor(0.6, 1.3);
  std::vector<std::vector<double>> out;
  for (int k = 0; k < count; ++k) {
    std::vector<double> d;
    for (const auto& b : net.buses)
      d.push_back(b.base_load_mw[static_cast<std::size_t>(k % net.periods)] * factor(rng));
    out.push_back(std::move(d));
  }
  return out;
}

TEST(DcOpfWarmStart, WarmClearingsMatchColdOnes) {
  const NetworkSpec net = make_synthetic_network(118, 8, 5);
  const auto demands = random_demands(net, 24, 11);
  DcOpf warm(net);
  for (std::size_t k = 0; k < demands.size(); ++k) {
    const int t = static_cast<int>(k) % net.periods;
    const MarketClearing w = warm.clear(t, demands[k]);
    DcOpf cold(net);
    const MarketClearing& c = cold.clear(t, demands[k]);
    EXPECT_NEAR(w.cost_per_hour, c.cost_per_hour, 1e-7 * std::abs(c.cost_per_hour)) << k;
    for (std::size_t b = 0; b < c.lmp.size(); ++b)
      EXPECT_NEAR(w.lmp[b], c.lmp[b], 1e-6) << k << " bus " << b;
    // Cleared again from its own optimal basis, the same period needs no pivot. (Against the
    // network's basis a cold clearing starts from, a warm start from another period's optimum
    // with demands 0.6–1.3 times apart saves nothing: both take a handful of pivots.)
    EXPECT_EQ(warm.clear(t, demands[k]).iterations, 0) << k;
    EXPECT_LT(c.iterations, 60) << k;
  }
}

TEST(DcOpfWarmStart, RestoredBasisReproducesTheUninterruptedSequenceBitForBit) {
  const NetworkSpec net = make_synthetic_network(118, 8, 9);
  const auto demands = random_demands(net, 16, 3);
  DcOpf uninterrupted(net), first_half(net);
  std::vector<MarketClearing> expected;
  for (std::size_t k = 0; k < demands.size(); ++k)
    expected.push_back(uninterrupted.clear(static_cast<int>(k) % net.periods, demands[k]));
  for (std::size_t k = 0; k < 8; ++k)
    first_half.clear(static_cast<int>(k) % net.periods, demands[k]);
  const std::vector<unsigned char> basis = first_half.basis();
  DcOpf resumed(net);
  resumed.set_basis(basis);
  for (std::size_t k = 8; k < demands.size(); ++k) {
    const MarketClearing& r = resumed.clear(static_cast<int>(k) % net.periods, demands[k]);
    EXPECT_EQ(r.lmp, expected[k].lmp) << k;
    EXPECT_EQ(r.dispatch_mw, expected[k].dispatch_mw) << k;
    EXPECT_EQ(r.flow_mw, expected[k].flow_mw) << k;
    EXPECT_EQ(r.cost_per_hour, expected[k].cost_per_hour) << k;
  }
}

TEST(DcOpfWarmStart, BasisOfWrongSizeIsRejected) {
  DcOpf opf(make_synthetic_network(10));
  std::vector<unsigned char> basis(3, 0);
  EXPECT_THROW(opf.set_basis(basis), Error);
}

}  // namespace
}  // namespace mfgrid
