#include "io/checksums.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#include "io/h5.hpp"

namespace mfgrid::io {

std::string metadata_checksum(hid_t file) {
  constexpr std::array<std::string_view, 3> skip{"checkpoint", "checkpoint_next", "agents/state"};
  constexpr std::array<std::string_view, 1> skip_attributes{metadata_checksum_attribute};
  return mfgrid::text_checksum(h5::unchecked_metadata(file, skip, skip_attributes));
}

}  // namespace mfgrid::io
