// Reading scenarios: TOML files, embedded scenarios, and `--set key=value` overrides.
//
// Every mistake is an InputError located at the offending key (`file:line:column: key: what is
// wrong`): unknown keys (with a "did you mean"), wrong types, values out of range, references to
// buses, groups or classes that do not exist, islands with load and no generation, empty classes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

// Reads a scenario from a file path, or from the embedded scenario of that name when no such file
// exists. `overrides` are `key=value` strings applied before validation (dotted keys, with
// `[i]` to index arrays of tables: `households.class[0].count=10`).
Scenario load_scenario(const std::string& path_or_name,
                       const std::vector<std::string>& overrides = {});

// Reads a scenario from TOML text. `source_name` names it in errors; relative paths inside it
// (a MATPOWER case) are resolved against `base_dir`.
Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides = {},
                        const std::string& base_dir = ".");

// Where the relative paths of the scenario `path_or_name` resolve (a MATPOWER case), as a run
// file records it for `resume`: the file's directory, or the working directory for an embedded
// scenario.
std::string scenario_directory(const std::string& path_or_name);

// The name of the scenario `mfgrid run` uses when given none.
inline constexpr std::string_view default_scenario_name = "ieee3-equity";

}  // namespace mfgrid
