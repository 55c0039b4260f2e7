#include "mfgrid/agents/household_energy.hpp"

#include <vector>

namespace mfgrid {

void agent_day_energy(const HouseholdModel& m, const RandomStreams& streams, const Population& pop,
                      int cls, std::int64_t local, std::int64_t id, int day,
                      std::span<const float> weather, std::span<float> demand,
                      std::span<float> pv) {
  const ClassModel& c = m.classes[static_cast<std::size_t>(cls)];
  const int per_period = c.prosumer ? prosumer_words_per_period : consumer_words_per_period;
  const int words = per_period * m.periods;
  std::vector<std::uint32_t> w(static_cast<std::size_t>((words + 3) / 4 * 4));
  for (int b = 0; b * 4 < words; ++b) {
    const auto r = streams.draw(static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(day),
                                static_cast<std::uint32_t>(b), StreamPurpose::agent_step);
    for (int k = 0; k < 4; ++k)
      w[4 * static_cast<std::size_t>(b) + static_cast<std::size_t>(k)] =
          r[static_cast<std::size_t>(k)];
  }
  const auto i = static_cast<std::size_t>(local);
  for (int t = 0; t < m.periods; ++t) {
    const auto at = static_cast<std::size_t>(per_period) * static_cast<std::size_t>(t);
    demand_and_pv(energy_inputs(m, c, weather[static_cast<std::size_t>(c.bus)], t), w[at],
                  w[at + 1], pop.demand_factor[i], pop.pv_kw[i],
                  demand[static_cast<std::size_t>(t)], pv[static_cast<std::size_t>(t)]);
  }
}

}  // namespace mfgrid
