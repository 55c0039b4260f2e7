// Fuzz target: the MATPOWER reader, parse_matpower(text, name).
//
// Promised (include/mfgrid/config/matpower.hpp): a malformed case is an InputError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_expect.hpp"
#include "mfgrid/config/matpower.hpp"
#include "mfgrid/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mfgrid::fuzz::expect_only<mfgrid::InputError, mfgrid::IoError>(
      [&] { (void)mfgrid::parse_matpower(text, "fuzz.m"); });
  return 0;
}
