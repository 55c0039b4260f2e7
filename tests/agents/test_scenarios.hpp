// Scenarios for the agent and determinism tests, built from tests/data/small.toml.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mfgrid/config/scenario_loader.hpp"

namespace mfgrid::testing {

inline Scenario small_scenario_with(std::vector<std::string> overrides = {}) {
  std::ifstream in(std::string(MFGRID_TEST_DATA) + "/small.toml");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), "small.toml", overrides, MFGRID_TEST_DATA);
}

}  // namespace mfgrid::testing
