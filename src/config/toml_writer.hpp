// Writes a TOML table back as text: numbers in their shortest exact form (so values read back
// bit for bit), strings quoted, sections in the order [a], [a.b], [[a.c]].
#pragma once

#include <toml++/toml.h>

#include <string>

namespace mfgrid::config_detail {

std::string to_toml(const toml::table& table);

}  // namespace mfgrid::config_detail
