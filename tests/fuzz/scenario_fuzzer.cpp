// Fuzz target: the scenario reader with validation, parse_scenario(text, name, {}, dir).
//
// Promised (include/mfgrid/config/scenario_loader.hpp, scenario.hpp): a mistake is an InputError
// (or an IoError for a MATPOWER case that cannot be read); a scenario that validates has a
// resolved_toml that reads back to the same scenario.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_expect.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"

namespace {

// Past the header line, which names the source.
std::string_view body(const std::string& resolved) {
  const auto nl = resolved.find('\n');
  return nl == std::string::npos ? std::string_view{} : std::string_view(resolved).substr(nl);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Relative MATPOWER paths resolve against tests/data (case5_mixed.m, bad/*.m).
  const std::string dir = MFGRID_FUZZ_DATA_DIR;
  mfgrid::fuzz::expect_only<mfgrid::InputError, mfgrid::IoError>([&] {
    const mfgrid::Scenario s = mfgrid::parse_scenario(text, "fuzz.toml", {}, dir);
    mfgrid::Scenario again;
    try {
      again = mfgrid::parse_scenario(s.resolved_toml, "resolved.toml", {}, dir);
    } catch (const mfgrid::Error& e) {
      mfgrid::fuzz::finding("the resolved scenario does not read back", e.what());
    }
    if (body(again.resolved_toml) != body(s.resolved_toml))
      mfgrid::fuzz::finding("the resolved scenario reads back to another scenario",
                            s.resolved_toml.c_str());
  });
  return 0;
}
