// The small valid scenario of tests/data/small.toml, read once for the config tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace mfgrid::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const std::string& small_scenario() {
  static const std::string text = read_text(std::string(MFGRID_TEST_DATA) + "/small.toml");
  return text;
}

// The small scenario with the first occurrence of `from` replaced by `to`.
inline std::string small_with(const std::string& from, const std::string& to) {
  std::string text = small_scenario();
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test text not found: " + from);
  return text.replace(at, from.size(), to);
}

}  // namespace mfgrid::testing
