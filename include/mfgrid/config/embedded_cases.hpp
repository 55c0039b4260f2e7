// MATPOWER cases compiled into the binary (data/matpower/*.m, with their READMEs' sources and
// licences), so that a scenario can name one, network.matpower = "case_ACTIVSg2000", and run
// wherever the binary runs, as the embedded scenarios do.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace mfgrid {

// The case file's text; nothing when no case has that name (the file's stem).
std::optional<std::string_view> find_embedded_case(std::string_view name);
std::vector<std::string_view> embedded_case_names();

}  // namespace mfgrid
