#include "mfgrid/agents/weather.hpp"

#include "mfgrid/core/fast_math.hpp"

namespace mfgrid {

std::vector<float> daily_weather(const HouseholdModel& model, const RandomStreams& streams,
                                 int buses, int day) {
  std::vector<float> factor(static_cast<std::size_t>(buses));
  for (int b = 0; b < buses; ++b) {
    const auto w = streams.draw(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(day), 0,
                                StreamPurpose::weather);
    float z1, z2;
    fast_math::normal_pair(uniform_open01(w[0]), uniform_open01(w[1]), z1, z2);
    const float f = model.weather_mean + model.weather_sd * z1;
    factor[static_cast<std::size_t>(b)] = f > 0.0f ? f : 0.0f;
  }
  return factor;
}

}  // namespace mfgrid
