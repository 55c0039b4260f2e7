// The random streams are Random123's Philox, keyed as documented, and the kernel's normal
// deviates have the right distribution.
#include "mfgrid/core/random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "mfgrid/core/fast_math.hpp"

namespace mfgrid {
namespace {

TEST(RandomStreams, AreRandom123PhiloxWithTheDocumentedCounter) {
  const RandomStreams streams(0x0123456789abcdefULL);
  const auto got = streams.draw(42, 7, 3, StreamPurpose::agent_step);
  const r123::Philox4x32::ctr_type ctr = {{42u, 7u, (2u << 16) | 3u, 0u}};
  const r123::Philox4x32::key_type key = {{0x89abcdefu, 0x01234567u}};
  const auto want = r123::Philox4x32()(ctr, key);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], want[i]);
}

TEST(RandomStreams, PhiloxKnownAnswer) {
  // Known-answer vector of Philox4x32-10 from the Random123 distribution (kat_vectors):
  // counter and key all ones.
  const r123::Philox4x32::ctr_type ctr = {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}};
  const r123::Philox4x32::key_type key = {{0xffffffffu, 0xffffffffu}};
  const auto r = r123::Philox4x32()(ctr, key);
  EXPECT_EQ(r[0], 0x408f276du);
  EXPECT_EQ(r[1], 0x41c83b0eu);
  EXPECT_EQ(r[2], 0xa20bc7c6u);
  EXPECT_EQ(r[3], 0x6d5451fdu);
}

TEST(RandomStreams, PurposesDaysAndSeedsGiveDifferentNumbers) {
  const RandomStreams a(1), b(2);
  std::set<std::uint32_t> words;
  words.insert(a.draw(5, 0, 0, StreamPurpose::agent_step)[0]);
  words.insert(a.draw(5, 0, 0, StreamPurpose::weather)[0]);
  words.insert(a.draw(5, 1, 0, StreamPurpose::agent_step)[0]);
  words.insert(a.draw(5, 0, 1, StreamPurpose::agent_step)[0]);
  words.insert(a.draw(6, 0, 0, StreamPurpose::agent_step)[0]);
  words.insert(b.draw(5, 0, 0, StreamPurpose::agent_step)[0]);
  EXPECT_EQ(words.size(), 6u);
}

TEST(Uniform, StaysInsideTheOpenInterval) {
  EXPECT_GT(uniform_open01(0u), 0.0f);
  EXPECT_LT(uniform_open01(0xffffffffu), 1.0f);
}

TEST(FastMath, LogMatchesTheLibraryToSinglePrecision) {
  double worst = 0;
  for (int i = 1; i < 2000000; i += 7) {
    const float x = uniform_open01(static_cast<std::uint32_t>(i) * 2654435761u);
    const double err = std::abs(fast_math::log(x) - std::log(static_cast<double>(x)));
    worst = std::max(worst, err / std::max(1.0, std::abs(std::log(static_cast<double>(x)))));
  }
  EXPECT_LT(worst, 3e-7);
  EXPECT_NEAR(fast_math::log(1.0f), 0.0f, 1e-7);
  EXPECT_NEAR(fast_math::log(2.0f), 0.6931472f, 1e-6);
}

TEST(FastMath, SinCosMatchTheLibrary) {
  double worst = 0;
  for (int i = 0; i <= 100000; ++i) {
    const float u = static_cast<float>(i) / 100000.0f;
    float s, c;
    fast_math::sincos_2pi(u, s, c);
    const double a = 2 * M_PI * static_cast<double>(u);
    worst = std::max({worst, std::abs(s - std::sin(a)), std::abs(c - std::cos(a))});
  }
  EXPECT_LT(worst, 5e-7);
}

TEST(FastMath, NormalPairsHaveStandardMomentsAndTails) {
  const RandomStreams streams(11);
  const int n = 1000000;
  double sum = 0, sum2 = 0, sum3 = 0, sum4 = 0, cross = 0;
  int above2 = 0;
  for (int i = 0; i < n / 2; ++i) {
    const auto w = streams.draw(static_cast<std::uint32_t>(i), 0, 0, StreamPurpose::agent_step);
    float z1, z2;
    fast_math::normal_pair(uniform_open01(w[0]), uniform_open01(w[1]), z1, z2);
    for (double z : {static_cast<double>(z1), static_cast<double>(z2)}) {
      sum += z;
      sum2 += z * z;
      sum3 += z * z * z;
      sum4 += z * z * z * z;
      above2 += z > 2.0;
    }
    cross += static_cast<double>(z1) * z2;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(var, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(sum3 / n, 0.0, 5.0 * std::sqrt(15.0 / n));
  EXPECT_NEAR(sum4 / n, 3.0, 5.0 * std::sqrt(96.0 / n));
  EXPECT_NEAR(cross / (n / 2), 0.0, 5.0 / std::sqrt(n / 2));  // the pair is uncorrelated
  const double p = 0.0227501319;                              // P(Z > 2)
  EXPECT_NEAR(static_cast<double>(above2) / n, p, 5.0 * std::sqrt(p * (1 - p) / n));
}

}  // namespace
}  // namespace mfgrid
