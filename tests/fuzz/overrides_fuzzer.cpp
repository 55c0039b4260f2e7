// Fuzz target: `--set key=value` overrides on an embedded scenario,
// parse_scenario(embedded text, name, overrides).
//
// Input: one override per line. A first line "@NAME" picks the embedded scenario NAME (default
// ieee3-equity). Promised: a mistake is an InputError (IoError for an unreadable MATPOWER case);
// what validates has a resolved_toml that reads back to the same scenario.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_expect.hpp"
#include "mfgrid/config/embedded_scenarios.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= in.size();) {
    const auto nl = in.find('\n', start);
    const auto end = nl == std::string_view::npos ? in.size() : nl;
    lines.emplace_back(in.substr(start, end - start));
    start = end + 1;
  }
  std::string name(mfgrid::default_scenario_name);
  if (!lines.empty() && lines.front().starts_with('@')) {
    name = lines.front().substr(1);
    lines.erase(lines.begin());
  }
  const auto scenario = mfgrid::find_embedded_scenario(name);
  if (!scenario) return -1;  // not an input worth keeping
  mfgrid::fuzz::expect_only<mfgrid::InputError, mfgrid::IoError>([&] {
    const mfgrid::Scenario s = mfgrid::parse_scenario(scenario->text, scenario->name, lines);
    mfgrid::Scenario again;
    try {
      again = mfgrid::parse_scenario(s.resolved_toml, "resolved.toml");
    } catch (const mfgrid::Error& e) {
      mfgrid::fuzz::finding("the resolved scenario does not read back", e.what());
    }
    const auto body = [](const std::string& t) { return t.substr(t.find('\n')); };
    if (body(again.resolved_toml) != body(s.resolved_toml))
      mfgrid::fuzz::finding("the resolved scenario reads back to another scenario",
                            s.resolved_toml.c_str());
  });
  return 0;
}
