#include "io/checksums.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#include "io/h5.hpp"

namespace mfgrid::io {

std::string text_checksum(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string metadata_checksum(hid_t file) {
  constexpr std::array<std::string_view, 3> skip{"checkpoint", "checkpoint_next", "agents/state"};
  constexpr std::array<std::string_view, 1> skip_attributes{metadata_checksum_attribute};
  return text_checksum(h5::unchecked_metadata(file, skip, skip_attributes));
}

}  // namespace mfgrid::io
