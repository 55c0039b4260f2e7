// The generated tables of embedded texts (see cmake/EmbedFiles.cmake): the scenarios and the
// MATPOWER cases they may name.
#pragma once

#include <string_view>
#include <vector>

namespace mfgrid::detail {

struct EmbeddedText {
  std::string_view name;
  std::string_view text;
};

const std::vector<EmbeddedText>& embedded_scenario_table();
const std::vector<EmbeddedText>& embedded_case_table();

}  // namespace mfgrid::detail
