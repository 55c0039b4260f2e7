// What marks a file as an mfgrid run file, and which version of the layout it has.
#pragma once

#include <cstdint>

namespace mfgrid::io {

inline constexpr const char* run_format_name = "mfgrid-run";
// Raised when a reader of an older version could not read the layout; such a reader refuses a
// newer file (read_run_header).
inline constexpr std::int64_t run_format_version = 1;

}  // namespace mfgrid::io
