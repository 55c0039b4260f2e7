// What marks a file as an mfgrid run file, and which version of the layout it has.
#pragma once

#include <cstdint>

namespace mfgrid::io {

inline constexpr const char* run_format_name = "mfgrid-run";
// Raised when a reader of an older version could not read the layout; such a reader refuses a
// newer file (read_run_header). 2: named dimensions hold their names (strings; 1: indices and a
// `labels` attribute, still written), the time and period_start coordinates, and each group links
// the dimension scales and coordinates its datasets use (netCDF/xarray readers). 3: the checkpoint
// keeps every agent's bill to date (`bill`), which the energy burden's distribution
// (outcome/burden_*, outcome/high_burden_share) needs. A run of an older format is read, but not
// resumed.
inline constexpr std::int64_t run_format_version = 3;

}  // namespace mfgrid::io
