// The checksums a run file keeps for what HDF5 stores without one (private to io).
//
// HDF5 checksums its metadata blocks and, with Fletcher-32, our data chunks, but not the global
// heap: variable-length attribute text (the scenario, units, descriptions, labels) and the
// dimension lists live there, so a flipped bit would change them silently. A 64-bit FNV-1a of
// each is stored in the (checksummed) root object header and checked on read.
#pragma once

#include <hdf5.h>

#include <string>
#include <string_view>

#include "mfgrid/core/text_checksum.hpp"

namespace mfgrid::io {

using mfgrid::text_checksum;  // FNV-1a of a text (core/text_checksum.hpp)

// The checksum of the file's unchecked metadata (h5::unchecked_metadata), leaving out the
// checkpoints and the state dump (replaced during a run) and the checksum attribute itself.
std::string metadata_checksum(hid_t file);
constexpr const char* metadata_checksum_attribute = "metadata_fnv1a64";

}  // namespace mfgrid::io
