#include "mfgrid/config/network_spec.hpp"

#include <algorithm>
#include <cstddef>

#include "config/spelling.hpp"

namespace mfgrid {

int NetworkSpec::bus_index(const std::string& name) const {
  for (std::size_t i = 0; i < buses.size(); ++i)
    if (buses[i].name == name) return static_cast<int>(i);
  return -1;
}

bool NetworkSpec::has_load_series() const {
  return !load_profile_series.empty() ||
         std::any_of(buses.begin(), buses.end(),
                     [](const BusSpec& b) { return !b.base_load_series.empty(); });
}

bool NetworkSpec::has_cost_series() const {
  return std::any_of(generators.begin(), generators.end(),
                     [](const GeneratorSpec& g) { return !g.cost_series.empty(); });
}

int NetworkSpec::series_days() const {
  int days = 0;
  const auto shortest = [&](const DailySeries& s) {
    if (!s.empty()) days = days == 0 ? s.days() : std::min(days, s.days());
  };
  shortest(load_profile_series);
  for (const BusSpec& b : buses) shortest(b.base_load_series);
  for (const GeneratorSpec& g : generators) shortest(g.cost_series);
  return days;
}

std::vector<int> bus_islands(const NetworkSpec& network) {
  const std::size_t n = network.buses.size();
  std::vector<std::vector<int>> adjacent(n);
  for (const auto& l : network.lines) {
    adjacent[static_cast<std::size_t>(l.from)].push_back(l.to);
    adjacent[static_cast<std::size_t>(l.to)].push_back(l.from);
  }
  std::vector<int> island(n, -1);
  int count = 0;
  for (std::size_t start = 0; start < n; ++start) {
    if (island[start] >= 0) continue;
    std::vector<int> stack{static_cast<int>(start)};
    island[start] = count;
    while (!stack.empty()) {
      const auto b = static_cast<std::size_t>(stack.back());
      stack.pop_back();
      for (int o : adjacent[b]) {
        if (island[static_cast<std::size_t>(o)] >= 0) continue;
        island[static_cast<std::size_t>(o)] = count;
        stack.push_back(o);
      }
    }
    ++count;
  }
  return island;
}

std::optional<UnsuppliedIsland> find_unsupplied_island(const NetworkSpec& net,
                                                       std::span<const double> extra_load) {
  const std::size_t n = net.buses.size();
  if (n == 0) return std::nullopt;
  const std::vector<int> island = bus_islands(net);
  const auto count = static_cast<std::size_t>(*std::max_element(island.begin(), island.end()) + 1);
  std::vector<bool> has_gen(count, false);
  for (const auto& g : net.generators)
    if (g.pmax_mw > 0)
      has_gen[static_cast<std::size_t>(island[static_cast<std::size_t>(g.bus)])] = true;
  for (std::size_t c = 0; c < count; ++c) {
    if (has_gen[c]) continue;
    std::vector<std::string> members;
    int first_loaded = -1;
    for (std::size_t b = 0; b < n; ++b) {
      if (static_cast<std::size_t>(island[b]) != c) continue;
      members.push_back(net.buses[b].name);
      const bool loaded =
          (b < extra_load.size() && extra_load[b] > 0) ||
          std::any_of(net.buses[b].base_load_mw.begin(), net.buses[b].base_load_mw.end(),
                      [](double x) { return x > 0; }) ||
          net.buses[b].base_load_series.largest() > 0 ||
          (net.buses[b].profile_peak_mw && *net.buses[b].profile_peak_mw > 0 &&
           net.load_profile_series.largest() > 0);
      if (loaded && first_loaded < 0) first_loaded = static_cast<int>(b);
    }
    if (first_loaded < 0) continue;
    return UnsuppliedIsland{
        first_loaded,
        (members.size() == 1 ? "bus " + members[0] + " is an island"
                             : "buses " + config_detail::join(members) + " form an island") +
            " with load and no generation; connect it with a line or add a generator"};
  }
  return std::nullopt;
}

}  // namespace mfgrid
