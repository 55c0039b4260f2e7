// Scenarios compiled into the binary (from scenarios/*.toml), so `mfgrid run` works anywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfgrid {

struct EmbeddedScenario {
  std::string name;         // file stem, e.g. "ieee3-equity"
  std::string description;  // the scenario's own description
  std::string_view text;    // the TOML file, comments included
};

const std::vector<EmbeddedScenario>& embedded_scenarios();
std::optional<EmbeddedScenario> find_embedded_scenario(std::string_view name);

}  // namespace mfgrid
