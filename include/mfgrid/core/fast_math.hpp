// Elementary functions written in plain arithmetic for the agent kernels.
//
// The standard library's log and sin/cos cannot be used where results must be bit-identical
// across decompositions: the compiler may call a vectorised math library for the vector body of
// a loop and the scalar library for its remainder, and the two round differently, so an agent's
// numbers would depend on its position in a thread's block. These versions use only +, −, ×, ÷
// and sqrt (correctly rounded in IEEE arithmetic; contraction into FMA is disabled in the build),
// so a vector lane and a scalar iteration produce the same bits. Accuracy: about 1e-7 relative.
#pragma once

#include <bit>
#include <cstdint>

namespace mfgrid::fast_math {

// Natural logarithm of a positive, normal float.
inline float log(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  float e = static_cast<float>(static_cast<int>(bits >> 23) - 127);
  float m = std::bit_cast<float>((bits & 0x007fffffu) | 0x3f800000u);  // mantissa in [1, 2)
  const bool high = m > 1.41421356f;  // bring m into [√½, √2) so |s| below is at most 0.172
  m = high ? m * 0.5f : m;
  e = high ? e + 1.0f : e;
  const float f = m - 1.0f;
  const float s = f / (2.0f + f);  // log(1 + f) = 2·atanh(s)
  const float s2 = s * s;
  const float series =
      1.0f + s2 * (1.0f / 3.0f + s2 * (1.0f / 5.0f + s2 * (1.0f / 7.0f + s2 * (1.0f / 9.0f))));
  return 2.0f * s * series + e * 0.693147180559945f;
}

// sin(2πu) and cos(2πu) for u in [0, 1].
inline void sincos_2pi(float u, float& sin_out, float& cos_out) {
  // Reduce to x = 2π·r with r in [-1/8, 1/8] around the nearest quarter turn q.
  const float q = static_cast<float>(static_cast<int>(u * 4.0f + 0.5f));
  const float x = (u - 0.25f * q) * 6.28318530717959f;
  const float x2 = x * x;
  const float s =
      x * (1.0f - x2 * (1.0f / 6.0f -
                        x2 * (1.0f / 120.0f - x2 * (1.0f / 5040.0f - x2 * (1.0f / 362880.0f)))));
  const float c =
      1.0f - x2 * (0.5f - x2 * (1.0f / 24.0f - x2 * (1.0f / 720.0f - x2 * (1.0f / 40320.0f))));
  // Rotate by q quarter turns with bit operations only (exact, and free of the branches that
  // would stop the compiler from vectorising the agent loops): odd q swaps sin and cos; sin is
  // negative for q = 2, 3 and cos for q = 1, 2.
  const auto quarter = static_cast<std::uint32_t>(static_cast<int>(q));
  const std::uint32_t swap = 0u - (quarter & 1u);  // all ones when swapping
  const std::uint32_t s_bits = std::bit_cast<std::uint32_t>(s),
                      c_bits = std::bit_cast<std::uint32_t>(c);
  const std::uint32_t sin_bits = (swap & c_bits) | (~swap & s_bits);
  const std::uint32_t cos_bits = (swap & s_bits) | (~swap & c_bits);
  const std::uint32_t sin_sign = (quarter & 2u) << 30;
  const std::uint32_t cos_sign = ((quarter + 1u) & 2u) << 30;
  sin_out = std::bit_cast<float>(sin_bits ^ sin_sign);
  cos_out = std::bit_cast<float>(cos_bits ^ cos_sign);
}

// Two independent standard normals from two uniforms in (0, 1] (Box–Muller).
inline void normal_pair(float u1, float u2, float& z1, float& z2) {
  const float r = __builtin_sqrtf(-2.0f * fast_math::log(u1));
  float s, c;
  sincos_2pi(u2, s, c);
  z1 = r * c;
  z2 = r * s;
}

}  // namespace mfgrid::fast_math
