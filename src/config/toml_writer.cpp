#include "config/toml_writer.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "mfgrid/core/double_quoted.hpp"

namespace mfgrid::config_detail {

namespace {

std::string quoted(std::string_view s) { return double_quoted(s); }

std::string bare_or_quoted_key(std::string_view k) {
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return quoted(k);
  return k.empty() ? quoted(k) : std::string(k);
}

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact representation
  std::string s(buf, end);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a float
  return s;
}

std::string value(const toml::node& node) {
  if (auto v = node.value_exact<double>()) return number(*v);
  if (auto v = node.value_exact<std::int64_t>()) return std::to_string(*v);
  if (auto v = node.value_exact<bool>()) return *v ? "true" : "false";
  if (auto v = node.value_exact<std::string>()) return quoted(*v);
  if (auto v = node.value_exact<toml::date>()) {  // a local date: 2025-05-01
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(v->year),
                  static_cast<int>(v->month), static_cast<int>(v->day));
    return text;
  }
  if (const toml::array* arr = node.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < arr->size(); ++i) out += (i ? ", " : "") + value(*arr->get(i));
    return out + "]";
  }
  if (const toml::table* t = node.as_table()) {  // inline table (only inside arrays)
    std::string out = "{";
    bool first = true;
    for (auto&& [k, v] : *t) {
      out += (first ? " " : ", ") + bare_or_quoted_key(k.str()) + " = " + value(v);
      first = false;
    }
    return out + " }";
  }
  // Dates and times: the scenario schema has none, so the reader never records one.
  throw std::logic_error("to_toml: unsupported TOML value type");
}

void write_table(std::string& out, const toml::table& table, const std::string& path) {
  for (auto&& [k, v] : table) {
    const bool section = v.is_table() || (v.is_array() && v.as_array()->is_array_of_tables() &&
                                          !v.as_array()->empty());
    if (!section) out += bare_or_quoted_key(k.str()) + " = " + value(v) + "\n";
  }
  for (auto&& [k, v] : table) {
    const std::string sub =
        path.empty() ? bare_or_quoted_key(k.str()) : path + "." + bare_or_quoted_key(k.str());
    if (const toml::table* t = v.as_table()) {
      out += "\n[" + sub + "]\n";
      write_table(out, *t, sub);
    } else if (const toml::array* arr = v.as_array();
               arr && arr->is_array_of_tables() && !arr->empty()) {
      for (const auto& element : *arr) {
        out += "\n[[" + sub + "]]\n";
        write_table(out, *element.as_table(), sub);
      }
    }
  }
}

}  // namespace

std::string to_toml(const toml::table& table) {
  std::string out;
  write_table(out, table, "");
  return out;
}

}  // namespace mfgrid::config_detail
