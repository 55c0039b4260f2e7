// FNV-1a (64 bits) of a text, as 16 hexadecimal digits: the run file's checksums of the text HDF5
// keeps without one, and the scenario's record of the files it read.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace mfgrid {

inline std::string text_checksum(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace mfgrid
