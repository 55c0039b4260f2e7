// A bound on how deeply a TOML text nests, checked before the text is parsed.
//
// toml++ builds (and later destroys) nested tables recursively: a table header or a dotted key
// 50 000 levels deep overflows the stack. It bounds nested arrays and inline tables itself (at
// 256), but not the depth of `[a.a.a…]` or `a.a.a… = 1`. A linear scan of the text counts the
// depth every key and value reaches: the parts of the current table header, plus the parts of a
// dotted key, plus each array or inline table a value opens (and the keys inside inline tables).
#pragma once

#include <string>
#include <string_view>

namespace mfgrid::config_detail {

// Throws InputError at the line and column where the nesting first exceeds `limit` levels.
void check_toml_nesting(std::string_view text, const std::string& source_name, int limit);

}  // namespace mfgrid::config_detail
