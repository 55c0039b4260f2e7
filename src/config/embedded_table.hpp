// The generated table of embedded scenario texts (see cmake/EmbedFiles.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace mfgrid::detail {

struct EmbeddedText {
  std::string_view name;
  std::string_view text;
};

const std::vector<EmbeddedText>& embedded_scenario_table();

}  // namespace mfgrid::detail
