// Counter-based random streams (Philox4x32-10 from Random123).
//
// Every random number in a run is a pure function of (seed, global id, day, index, purpose):
// no generator carries state, so an agent draws the same numbers on whichever rank and thread
// simulates it, and the results are bit-identical for any decomposition. The key is the run
// seed; the counter is {id, day, purpose·2^16 + index, 0}. One call gives four 32-bit words.
//
// An agent's words for a day come from blocks index = 0, 1, … of its agent_step stream and are
// used in order: a prosumer takes 3 words a period (two normals, one action draw), a consumer 2,
// so a day of 8 periods costs a prosumer 6 Philox calls and a consumer 4.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace mfgrid {

// What a draw is for; part of the counter so purposes never share numbers.
enum class StreamPurpose : std::uint32_t {
  agent_parameters = 1,  // id = agent: PV, battery and demand factors, drawn once
  agent_step = 2,        // id = agent, index = block: demand and PV noise, action draws
  weather = 3,           // id = bus: the daily solar and exogenous-load factors
  learner = 4,           // id = learner-specific: leader directions, exploration
};

class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t seed)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // Four independent 32-bit words for (id, day, index, purpose).
  std::array<std::uint32_t, 4> draw(std::uint32_t id, std::uint32_t day, std::uint32_t index,
                                    StreamPurpose purpose) const {
    const r123::Philox4x32::ctr_type ctr = {{id, day, counter_word(purpose, index), 0u}};
    const auto r = r123::Philox4x32()(ctr, key_);
    return {r[0], r[1], r[2], r[3]};
  }

  const r123::Philox4x32::key_type& key() const { return key_; }

  static constexpr std::uint32_t counter_word(StreamPurpose purpose, std::uint32_t index) {
    return (static_cast<std::uint32_t>(purpose) << 16) | index;
  }

 private:
  r123::Philox4x32::key_type key_;
};

// A uniform in the open interval (0, 1) from the top 23 bits of a word, exact in float.
inline float uniform_open01(std::uint32_t word) {
  return (static_cast<float>(word >> 9) + 0.5f) * (1.0f / 8388608.0f);
}

}  // namespace mfgrid
