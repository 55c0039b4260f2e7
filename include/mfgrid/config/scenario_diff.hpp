// What differs between two resolved scenarios (Scenario::resolved_toml): how mfgrid tells a
// request from the run a file holds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfgrid {

// One line per setting whose value differs, in key order: `time.days: 30 (requested), 20 (in the
// file)`, with `a_name`, `b_name` for the two sides. Empty when the scenarios are the same.
// Throws InputError when either text is not TOML.
std::vector<std::string> scenario_differences(std::string_view a, std::string_view b,
                                              const std::string& a_name, const std::string& b_name);

}  // namespace mfgrid
