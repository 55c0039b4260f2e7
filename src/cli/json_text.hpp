// JSON text for the commands' machine-readable output (info --json, opf --format json).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "mfgrid/core/double_quoted.hpp"

namespace mfgrid::cli {

// A JSON string: quotes, backslashes and control characters escaped.
inline std::string json_string(std::string_view s) { return double_quoted(s); }

// A number that reads back exactly (17 significant digits); null where JSON has no number
// (NaN, infinities).
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace mfgrid::cli
