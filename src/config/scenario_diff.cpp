#include "mfgrid/config/scenario_diff.hpp"

#include <toml++/toml.h>

#include <map>
#include <sstream>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

// Every leaf value by its dotted key (arrays of tables indexed as key[i]).
void flatten(const toml::table& table, const std::string& prefix,
             std::map<std::string, std::string>& out) {
  for (auto&& [key, node] : table) {
    const std::string path =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const toml::table* t = node.as_table()) {
      flatten(*t, path, out);
    } else if (const toml::array* a = node.as_array(); a && a->is_array_of_tables()) {
      for (std::size_t i = 0; i < a->size(); ++i)
        flatten(*a->get(i)->as_table(), path + "[" + std::to_string(i) + "]", out);
      if (a->empty()) out[path] = "[]";
    } else {
      std::ostringstream text;
      node.visit([&](auto&& v) { text << v; });
      out[path] = text.str();
    }
  }
}

std::map<std::string, std::string> leaves(std::string_view text, const std::string& name) {
  toml::table doc;
  try {
    doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw InputError(SourceLocation{name}, "",
                     "not a TOML scenario: " + std::string(e.description()));
  }
  std::map<std::string, std::string> out;
  flatten(doc, "", out);
  return out;
}

}  // namespace

std::vector<std::string> scenario_differences(std::string_view a, std::string_view b,
                                              const std::string& a_name,
                                              const std::string& b_name) {
  const auto la = leaves(a, a_name), lb = leaves(b, b_name);
  std::vector<std::string> lines;
  auto ia = la.begin();
  auto ib = lb.begin();
  const auto side = [](const auto& it, const auto& end, const std::string& key) {
    return it != end && it->first == key ? it->second : std::string("(absent)");
  };
  while (ia != la.end() || ib != lb.end()) {
    const std::string& key =
        ib == lb.end() || (ia != la.end() && ia->first < ib->first) ? ia->first : ib->first;
    const std::string va = side(ia, la.end(), key), vb = side(ib, lb.end(), key);
    if (va != vb) {
      std::string line = key;
      line.append(": ").append(va).append(" (").append(a_name).append("), ");
      line.append(vb).append(" (").append(b_name).append(")");
      lines.push_back(std::move(line));
    }
    if (ia != la.end() && ia->first == key) ++ia;
    if (ib != lb.end() && ib->first == key) ++ib;
  }
  return lines;
}

}  // namespace mfgrid
