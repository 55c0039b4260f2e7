#include "mfgrid/config/network_spec.hpp"

#include <cstddef>

namespace mfgrid {

int NetworkSpec::bus_index(const std::string& name) const {
  for (std::size_t i = 0; i < buses.size(); ++i)
    if (buses[i].name == name) return static_cast<int>(i);
  return -1;
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

}  // namespace mfgrid
