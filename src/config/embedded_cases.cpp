#include "mfgrid/config/embedded_cases.hpp"

#include "config/embedded_table.hpp"

namespace mfgrid {

std::optional<std::string_view> find_embedded_case(std::string_view name) {
  for (const auto& entry : detail::embedded_case_table())
    if (entry.name == name) return entry.text;
  return std::nullopt;
}

std::vector<std::string_view> embedded_case_names() {
  std::vector<std::string_view> names;
  for (const auto& entry : detail::embedded_case_table()) names.push_back(entry.name);
  return names;
}

}  // namespace mfgrid
