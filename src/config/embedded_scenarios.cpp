#include "mfgrid/config/embedded_scenarios.hpp"

#include <toml++/toml.h>

#include "config/embedded_table.hpp"

namespace mfgrid {

const std::vector<EmbeddedScenario>& embedded_scenarios() {
  static const std::vector<EmbeddedScenario> list = [] {
    std::vector<EmbeddedScenario> out;
    for (const auto& entry : detail::embedded_scenario_table()) {
      std::string description;
      // The texts are validated by the test suite; a parse failure here only loses the summary.
      auto parsed = toml::parse(entry.text, std::string(entry.name));
      if (auto d = parsed["scenario"]["description"].value<std::string>()) description = *d;
      out.push_back({std::string(entry.name), description, entry.text});
    }
    return out;
  }();
  return list;
}

std::optional<EmbeddedScenario> find_embedded_scenario(std::string_view name) {
  for (const auto& s : embedded_scenarios())
    if (s.name == name) return s;
  return std::nullopt;
}

}  // namespace mfgrid
