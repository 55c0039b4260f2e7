// JSON text for the commands' machine-readable output (info --json, opf --format json).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace mfgrid::cli {

// A JSON string: quotes, backslashes and control characters escaped.
inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char code[8];
          std::snprintf(code, sizeof code, "\\u%04x", static_cast<unsigned>(c));
          out += code;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A number that reads back exactly (17 significant digits); null where JSON has no number
// (NaN, infinities).
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace mfgrid::cli
