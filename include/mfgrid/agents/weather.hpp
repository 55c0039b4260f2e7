// The day's weather: one solar factor per bus, common to the bus's households.
#pragma once

#include <vector>

#include "mfgrid/agents/household_model.hpp"
#include "mfgrid/core/random.hpp"

namespace mfgrid {

// max(0, mean + sd·z) per bus, z standard normal from the bus's weather stream for `day`.
std::vector<float> daily_weather(const HouseholdModel& model, const RandomStreams& streams,
                                 int buses, int day);

}  // namespace mfgrid
