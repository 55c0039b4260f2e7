#include "mfgrid/config/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "config/csv_profile.hpp"
#include "config/spelling.hpp"
#include "config/text_file.hpp"
#include "config/toml_nesting.hpp"
#include "config/toml_reader.hpp"
#include "config/toml_writer.hpp"
#include "mfgrid/config/cost_curve.hpp"
#include "mfgrid/config/embedded_cases.hpp"
#include "mfgrid/config/embedded_scenarios.hpp"
#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/config/matpower.hpp"
#include "mfgrid/config/population_estimate.hpp"

namespace mfgrid {

using config_detail::check_toml_nesting;
using config_detail::did_you_mean;
using config_detail::join;
using config_detail::location_of;
using config_detail::Range;
using config_detail::TableReader;

namespace {

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// ---------------------------------------------------------------------------------------------
// --set key=value overrides

struct PathPart {
  std::string key;
  int index = -1;  // >= 0: element of an array of tables
};

std::string trimmed(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") + 1 - begin);
}

// `key` is trimmed; its parts are trimmed too (TOML allows `a . b`, and a shell-quoted
// ' population.scale =2' means population.scale).
std::vector<PathPart> split_override_key(const std::string& key, const std::string& arg) {
  std::vector<PathPart> parts;
  std::stringstream ss(key);
  std::string piece;
  auto bad = [&](const std::string& why) {
    throw InputError(SourceLocation{"--set " + arg}, key, why);
  };
  while (std::getline(ss, piece, '.')) {
    piece = trimmed(piece);
    if (static_cast<int>(parts.size()) >= limits::max_toml_nesting)
      bad("more than " + std::to_string(limits::max_toml_nesting) + " key components");
    PathPart part;
    if (auto open = piece.find('['); open != std::string::npos) {
      const auto close = piece.find(']', open);
      if (close == std::string::npos || close != piece.size() - 1)
        bad("malformed index; write name[i]");
      try {
        part.index = std::stoi(piece.substr(open + 1, close - open - 1));
      } catch (const std::exception&) {
        bad("malformed index; write name[i]");
      }
      if (part.index < 0) bad("index must be >= 0");
      piece = trimmed(piece.substr(0, open));
    }
    if (piece.empty()) bad("empty key component");
    part.key = piece;
    parts.push_back(part);
  }
  if (parts.empty() || key.back() == '.') bad("empty key component");
  return parts;
}

// A value that reads as an integer literal but that TOML could not parse is out of range.
bool looks_like_integer(const std::string& value) {
  const std::string v = trimmed(value);
  std::size_t i = (!v.empty() && (v[0] == '+' || v[0] == '-')) ? 1 : 0;
  if (i >= v.size()) return false;
  for (; i < v.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(v[i])) && v[i] != '_') return false;
  return true;
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF).
bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    int more = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      more = 1, code = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2, code = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3, code = c & 0x07u;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(more) >= text.size()) return false;  // cut short
    for (int k = 1; k <= more; ++k) {
      const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (b & 0x3Fu);
    }
    if ((more == 2 && code < 0x800) || (more == 3 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += static_cast<std::size_t>(more) + 1;
  }
  return true;
}

void apply_override(toml::table& root, const std::string& arg) {
  // A newline would let the value define keys of its own (`2\nfoo=1`), silently dropped.
  if (arg.find_first_of("\n\r") != std::string::npos)
    throw InputError(SourceLocation{"--set " + arg}, "",
                     "must be one line (key=value); it contains a line break");
  // TOML is UTF-8: a key that is not would be written into the resolved scenario, which then
  // could not be read back (found by fuzzing).
  if (!is_utf8(arg)) throw InputError(SourceLocation{"--set " + arg}, "", "is not UTF-8 text");
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(SourceLocation{"--set " + arg}, "", "expected key=value");
  const std::string key = trimmed(arg.substr(0, eq));
  const std::string value = arg.substr(eq + 1);
  const auto parts = split_override_key(key, arg);
  const std::string source = "--set " + arg;
  try {
    check_toml_nesting("v = " + value, source, limits::max_toml_nesting);
  } catch (const InputError& e) {
    throw InputError(SourceLocation{source}, key, e.reason());
  }

  // The value is TOML (number, boolean, array, quoted string); a bare word is taken as a string,
  // so `--set followers.learner=optimizer` works without shell-quoted quotes.
  toml::table doc;
  try {
    doc = toml::parse("v = " + value, source);
  } catch (const toml::parse_error&) {
    // toml++ integers are 64-bit signed: a longer literal is not a word to take as a string.
    if (looks_like_integer(value))
      throw InputError(SourceLocation{source}, key,
                       "integer " + trimmed(value) +
                           " is out of range: TOML integers are 64-bit signed "
                           "(-9223372036854775808 to 9223372036854775807)");
    std::string escaped;
    for (char c : value) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    try {
      doc = toml::parse("v = \"" + escaped + "\"", source);
    } catch (const toml::parse_error& e) {
      throw InputError(SourceLocation{source}, key,
                       std::string("cannot parse value: ") + std::string(e.description()));
    }
  }

  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const PathPart& p = parts[i];
    toml::node* node = table->get(p.key);
    if (!node) {
      if (p.index >= 0)
        throw InputError(SourceLocation{source}, key,
                         "'" + p.key + "' has no element " + std::to_string(p.index));
      node = &table->insert_or_assign(p.key, toml::table{}).first->second;
    }
    if (p.index >= 0) {
      toml::array* arr = node->as_array();
      if (!arr || !arr->is_array_of_tables())
        throw InputError(SourceLocation{source}, key, "'" + p.key + "' is not an array of tables");
      if (static_cast<std::size_t>(p.index) >= arr->size())
        throw InputError(SourceLocation{source}, key,
                         "'" + p.key + "' has " + std::to_string(arr->size()) +
                             " elements, no element " + std::to_string(p.index));
      node = arr->get(static_cast<std::size_t>(p.index));
    }
    table = node->as_table();
    if (!table) throw InputError(SourceLocation{source}, key, "'" + p.key + "' is not a table");
  }
  if (parts.back().index >= 0)
    throw InputError(SourceLocation{source}, key, "the last key component cannot be indexed");
  toml::node* v = doc.get("v");
  if (!v || doc.size() != 1)
    throw InputError(SourceLocation{source}, key, "the value must be one TOML value");
  // Moving (not copying) keeps the value's source region, which locates errors at the option.
  v->visit([&](auto&& typed) {
    table->insert_or_assign(parts.back().key,
                            std::move(typed));  // NOLINT(bugprone-move-forwarding-reference)
  });
  // time.start_date and time.first_day_of_year say the same thing (a file may give both if they
  // agree): the one set here replaces what the file says with the other.
  if (parts.size() == 2 && parts[0].key == "time" && parts[0].index < 0) {
    if (parts[1].key == "start_date") table->erase("first_day_of_year");
    if (parts[1].key == "first_day_of_year") table->erase("start_date");
  }
}

// ---------------------------------------------------------------------------------------------
// Sections

std::string file_stem(const std::string& source) {
  return std::filesystem::path(source).stem().string();
}

// A bus named by string (or by number, for MATPOWER buses).
int read_bus_ref(TableReader& t, std::string_view key, const NetworkSpec& net,
                 const std::optional<std::string>& fallback = std::nullopt) {
  std::string name;
  if (t.has(key)) {
    // Accept integers for MATPOWER-numbered buses.
    try {
      name = std::to_string(t.integer(key, std::nullopt));
    } catch (const InputError&) {
      name = t.string(key, std::nullopt);
    }
  } else {
    name = t.string(key, fallback);
  }
  const int b = net.bus_index(name);
  if (b < 0) {
    std::vector<std::string> names;
    for (const auto& bus : net.buses) names.push_back(bus.name);
    std::string listing = names.size() <= 12 ? "; buses are " + join(names) : "";
    t.fail(key, "no bus named '" + name + "'" + did_you_mean(name, names) + listing);
  }
  return b;
}

Bounds read_bounds(TableReader& t, std::string_view key, Bounds fallback, Range range) {
  auto v = t.numbers(key, std::vector<double>{fallback.lo, fallback.hi}, range, 2);
  if (v[0] > v[1]) t.fail(key, "lower bound " + fmt(v[0]) + " exceeds upper bound " + fmt(v[1]));
  return {v[0], v[1]};
}

void check_within(TableReader& t, std::string_view key, const std::vector<double>& values, Bounds b,
                  std::string_view bounds_key) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] < b.lo || values[i] > b.hi)
      t.fail(key, "value " + fmt(values[i]) + " (element " + std::to_string(i) + ") lies outside " +
                      std::string(bounds_key) + " [" + fmt(b.lo) + ", " + fmt(b.hi) + "]");
}

// Shares that must sum to 1 (normalised exactly once they pass). A shape from a CSV column (a
// measured load, in kWh say) is normalised whatever its sum; shares resampled to other periods
// (time.periods changed) are normalised too.
std::vector<double> read_shape(TableReader& t, std::string_view key, int periods,
                               const std::optional<std::vector<double>>& fallback) {
  const bool measured = t.names_a_file(key);
  const int written = t.array_size(key);  // another count than periods: resampled
  auto v = t.numbers(key, fallback, Range::at_least(0.0), periods, true);
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  // Shares resampled from n to P periods sum to P/n times what was written.
  const double written_sum = written > 0 ? sum * written / periods : sum;
  if (measured && !(sum > 0)) t.fail(key, "the column's values sum to 0: no shape to take");
  if (!measured && std::abs(written_sum - 1.0) > 1e-3)
    t.fail(key, "shares must sum to 1 (they sum to " + fmt(written_sum) + ")");
  for (double& x : v) x /= sum;
  if (measured || (written > 0 && written != periods)) {
    // The resolved scenario holds these shares; read back, they are normalised once more (their
    // sum is 1 only to rounding). Doing that here too makes a run and its resume (which reads the
    // resolved scenario) use the very same shares.
    t.record_numbers(key, v);
    const double again = std::accumulate(v.begin(), v.end(), 0.0);
    for (double& x : v) x /= again;
  }
  return v;
}

// A demand series: each day's shares of the mean day's demand, so that the daily sums average 1
// (daily_kwh stays the class's mean daily demand and each day keeps its measured total: the
// seasons). From a file it is normalised whatever its unit; written inline its days must sum to 1
// on average. Normalised once more after recording, as read_shape does, for resumes.
std::optional<DailySeries> read_shape_series(TableReader& t, std::string_view key, int periods) {
  const bool measured = t.names_a_file(key);
  auto series = t.daily_series(key, Range::at_least(0.0), periods);
  if (!series) return std::nullopt;
  const auto mean_sum = [&] {
    return std::accumulate(series->values.begin(), series->values.end(), 0.0) / series->days();
  };
  const double sum = mean_sum();
  if (measured && !(sum > 0)) t.fail(key, "the column's values sum to 0: no shape to take");
  if (!measured && std::abs(sum - 1.0) > 1e-3)
    t.fail(key, "a series' daily shares must sum to 1 on average (they sum to " + fmt(sum) + ")");
  for (double& x : series->values) x /= sum;
  if (measured) {
    t.record_series(key, *series);
    const double again = mean_sum();
    for (double& x : series->values) x /= again;
  }
  return series;
}

// Day d of the run reads day d of a series: the run may not outlast it.
void check_series_days(TableReader& t, std::string_view key, const DailySeries& series, int days) {
  if (!series.empty() && series.days() < days)
    t.fail(key, "the series holds " + std::to_string(series.days()) +
                    " days and time.days = " + std::to_string(days) +
                    " (day d of the run reads day d of the series): shorten the run or extend "
                    "the series");
}

struct NetworkLocations {
  std::vector<SourceLocation> bus;  // where each bus is defined
};

NetworkSpec read_network(TableReader t, int periods, int days, const std::string& base_dir,
                         NetworkLocations& where) {
  NetworkSpec net;
  net.periods = periods;
  const std::string matpower = t.string("matpower", "");
  const int cost_segments =
      static_cast<int>(t.integer("cost_segments", 10, Range::between(1, 1000)));
  // Both are objective coefficients of the market LP.
  net.voll = t.number("voll", 10000.0, Range::above_up_to(0.0, limits::max_cost_per_mwh));
  net.spill_cost = t.number("spill_cost", 0.0, Range::between(0.0, limits::max_cost_per_mwh));
  // A series of days scales every bus given as a peak day by day; its mean day is the one-day
  // profile (the expected load).
  std::vector<double> profile;
  if (auto series = t.daily_series("load_profile", Range::at_least(0.0), periods)) {
    check_series_days(t, "load_profile", *series, days);
    profile = series->mean_day();
    net.load_profile_series = std::move(*series);
  } else {
    profile = t.numbers("load_profile", std::vector<double>(static_cast<std::size_t>(periods), 1.0),
                        Range::at_least(0.0), periods, true);
  }
  // The day-to-day and seasonal variation of the exogenous load (agents/weather.hpp): a daily
  // relative s.d. (0.1: weather moves a day's load by about 10 %) and a seasonal amplitude.
  net.load_sd = t.number("load_sd", 0.0, Range::between(0.0, 1.0));
  // … of which this share of the variance is common to every bus (the region's weather).
  net.load_correlation = t.number("load_correlation", 0.0, Range::between(0.0, 1.0));
  net.load_season = t.number("load_season", 0.0, Range::between(0.0, 1.0));
  net.load_peak_day = static_cast<int>(t.integer("load_peak_day", 200, Range::between(1, 365)));
  // The largest factor the weather applies: at 6 standard deviations, on the seasonal peak.
  const double max_factor = (1.0 + 6.0 * net.load_sd) * (1.0 + net.load_season);
  // A bus's load in every period, profile and weather applied, must be a power the LP can carry.
  auto check_load = [&](TableReader& r, std::string_view key, const BusSpec& bus) {
    // `index` counts periods from the first day's first (day −1: the bus's one-day profile).
    const auto check = [&](double mw, std::size_t index, bool dated) {
      if (std::abs(mw * max_factor) <= limits::max_power_mw) return;
      const auto p = static_cast<std::size_t>(periods);
      r.fail(key, "bus " + bus.name + " has a load of up to " + fmt(mw * max_factor) + " MW " +
                      (dated ? "on day " + std::to_string(index / p) + " " : std::string()) +
                      "in period " + std::to_string(index % p) +
                      " (load_profile, load_sd and load_season applied), beyond ±" +
                      fmt(limits::max_power_mw) + " MW");
    };
    // A series' days first: the one-day profile is their mean.
    const std::vector<double>& own = bus.base_load_series.values;
    for (std::size_t k = 0; k < own.size(); ++k) check(own[k], k, true);
    const std::vector<double>& scale = net.load_profile_series.values;
    if (bus.profile_peak_mw)
      for (std::size_t k = 0; k < scale.size(); ++k)
        check(*bus.profile_peak_mw * scale[k], k, true);
    for (std::size_t k = 0; k < bus.base_load_mw.size(); ++k) check(bus.base_load_mw[k], k, false);
  };

  if (!matpower.empty()) {
    for (const char* inline_key : {"bus", "line", "generator", "base_mva", "reference_bus"})
      if (t.has(inline_key))
        t.fail(inline_key,
               "cannot be combined with network.matpower; the case file defines the network");
    std::filesystem::path p(matpower);
    MatpowerCase mc;
    // A case's name without a folder or ".m" is one of the embedded cases (data/matpower/);
    // anything else is a file, relative to the scenario's folder.
    const auto embedded =
        p.has_parent_path() || p.has_extension() ? std::nullopt : find_embedded_case(matpower);
    if (embedded) {
      mc = parse_matpower(*embedded, matpower + ".m (embedded)", cost_segments);
      p = matpower;
    } else {
      if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
      p = p.lexically_normal();
      try {
        mc = read_matpower(p.string(), cost_segments);
      } catch (const IoError& e) {
        // IoError's message is "path: reason"; the path is named here already.
        const std::string what = e.what(), prefix = e.path() + ": ";
        std::string embedded_names;
        for (std::string_view name : embedded_case_names())
          embedded_names += (embedded_names.empty() ? "" : ", ") + std::string(name);
        t.fail("matpower",
               "cannot read '" + p.string() +
                   "': " + (what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what) +
                   " (the embedded cases, named without folder or .m: " + embedded_names + ")");
      }
    }
    t.string("matpower", p.string());  // record the resolved path, or the embedded case's name
    NetworkSpec m = std::move(mc.network);
    net.base_mva = m.base_mva;
    net.reference_bus = m.reference_bus;
    net.lines = std::move(m.lines);
    net.generators = std::move(m.generators);
    for (std::size_t b = 0; b < m.buses.size(); ++b) {
      BusSpec bus{m.buses[b].name, {}, {}, m.buses[b].base_load_mw[0]};
      for (int k = 0; k < periods; ++k)
        bus.base_load_mw.push_back(m.buses[b].base_load_mw[0] *
                                   profile[static_cast<std::size_t>(k)]);
      check_load(t, "load_profile", bus);
      net.buses.push_back(std::move(bus));
      where.bus.push_back(SourceLocation{p.string(), mc.bus_lines[b], 1});
    }
    t.finish();
    return net;
  }

  net.base_mva =
      t.number("base_mva", 100.0, Range::between(limits::min_base_mva, limits::max_base_mva));
  auto buses = t.tables("bus");
  if (buses.empty())
    t.fail("bus", "missing; define buses with [[network.bus]] or set network.matpower");
  for (auto& b : buses) {
    BusSpec bus;
    bus.name = b.string("name", std::nullopt);
    if (bus.name.empty()) b.fail("name", "must not be empty");
    if (net.bus_index(bus.name) >= 0) b.fail("name", "bus '" + bus.name + "' is defined twice");
    // A single number is scaled by the network's load profile; an array is taken as given.
    const Range load = Range::between(-limits::max_power_mw, limits::max_power_mw);
    if (b.holds_number("base_load_mw")) {
      const double peak = b.number("base_load_mw", std::nullopt, load);
      for (double f : profile) bus.base_load_mw.push_back(peak * f);
      bus.profile_peak_mw = peak;
    } else if (auto series = b.daily_series("base_load_mw", load, periods)) {
      check_series_days(b, "base_load_mw", *series, days);
      bus.base_load_mw = series->mean_day();
      bus.base_load_series = std::move(*series);
    } else {
      bus.base_load_mw =
          b.numbers("base_load_mw", std::vector<double>(static_cast<std::size_t>(periods), 0.0),
                    load, periods, true);
    }
    check_load(b, "base_load_mw", bus);
    where.bus.push_back(b.location("name"));
    net.buses.push_back(std::move(bus));
    b.finish();
  }
  net.reference_bus = read_bus_ref(t, "reference_bus", net, net.buses.front().name);

  for (auto& l : t.tables("line")) {
    LineSpec line;
    line.from = read_bus_ref(l, "from", net);
    line.to = read_bus_ref(l, "to", net);
    if (line.from == line.to) l.fail("to", "a line must connect two different buses");
    line.name = l.string("name", net.buses[static_cast<std::size_t>(line.from)].name + "-" +
                                     net.buses[static_cast<std::size_t>(line.to)].name);
    line.reactance_pu = l.number(
        "x", std::nullopt, Range::between(limits::min_reactance_pu, limits::max_reactance_pu));
    line.limit_mw = l.number("limit_mw", 0.0, Range::between(0.0, limits::max_power_mw));
    line.shift_deg = l.number("shift_deg", 0.0, Range::between(-90.0, 90.0));
    net.lines.push_back(std::move(line));
    l.finish();
  }

  for (auto& g : t.tables("generator")) {
    GeneratorSpec gen;
    gen.name = g.string("name", std::nullopt);
    gen.bus = read_bus_ref(g, "bus", net);
    const Range power = Range::between(-limits::max_power_mw, limits::max_power_mw);
    gen.pmin_mw = g.number("pmin_mw", 0.0, power);
    gen.pmax_mw = g.number("pmax_mw", std::nullopt, power);
    if (gen.pmin_mw > gen.pmax_mw)
      g.fail("pmax_mw", "pmax_mw " + fmt(gen.pmax_mw) + " is below pmin_mw " + fmt(gen.pmin_mw));
    const bool linear = g.has("cost_per_mwh"), poly = g.has("cost_coefficients"),
               pwl = g.has("cost_points");
    if (!linear && !poly && !pwl) g.number("cost_per_mwh", std::nullopt);  // reports a misspelling
    if (int(linear) + int(poly) + int(pwl) != 1)
      g.fail(linear && poly ? "cost_coefficients"
                            : (pwl && (linear || poly) ? "cost_points" : "cost_per_mwh"),
             "give exactly one of cost_per_mwh, cost_coefficients, cost_points");
    const int segments =
        static_cast<int>(g.integer("cost_segments", cost_segments, Range::between(1, 1000)));
    try {
      if (linear) {
        set_linear_cost(
            gen, g.number("cost_per_mwh", std::nullopt,
                          Range::between(-limits::max_cost_per_mwh, limits::max_cost_per_mwh)));
      } else if (poly) {
        const auto c = g.numbers("cost_coefficients", std::nullopt, Range::any());
        if (c.empty()) g.fail("cost_coefficients", "needs at least one coefficient");
        set_polynomial_cost(gen, c, segments);
      } else {
        std::vector<std::pair<double, double>> pts;
        for (const auto& row : g.number_rows("cost_points", 2)) pts.emplace_back(row[0], row[1]);
        set_piecewise_cost(gen, pts);
      }
    } catch (const std::invalid_argument& e) {
      g.fail(linear ? "cost_per_mwh" : (poly ? "cost_coefficients" : "cost_points"), e.what());
    }
    if (g.has("cost_profile")) {
      if (auto series = g.daily_series("cost_profile", Range::at_least(0.0), periods)) {
        check_series_days(g, "cost_profile", *series, days);
        gen.cost_profile = series->mean_day();
        gen.cost_series = std::move(*series);
      } else {
        gen.cost_profile =
            g.numbers("cost_profile", std::nullopt, Range::at_least(0.0), periods, true);
      }
      try {
        check_cost_profile(gen);
      } catch (const std::invalid_argument& e) {
        g.fail("cost_profile", e.what());
      }
    } else {
      g.numbers("cost_profile", std::vector<double>(static_cast<std::size_t>(periods), 1.0),
                Range::at_least(0.0), periods, true);
    }
    for (const auto& other : net.generators)
      if (other.name == gen.name) g.fail("name", "generator '" + gen.name + "' is defined twice");
    net.generators.push_back(std::move(gen));
    g.finish();
  }
  if (net.generators.empty())
    t.fail("generator", "missing; the network needs at least one generator");
  t.finish();
  return net;
}

// The most a household of the class could exchange in one period, as the rollout kernel bounds it
// (src/agents/rollout.cpp, Rollout::Rollout): demand and PV at 6 standard deviations of noise,
// the largest parameter draw, the battery charging at full power and its whole content. The
// kernel holds per-period energies in 32 bits of micro-kWh and refuses such a class when the run
// starts; here it is refused at validation, at the key whose term is largest.
void check_household_energy(TableReader& c, const HouseholdSpec& h, const HouseholdClass& hc,
                            int periods) {
  const double hours = 24.0 / periods;
  const double spread = 1.0 + h.parameter_spread;
  double solar = 0, share = 0;
  for (double f : h.solar_profile) solar = std::max(solar, f);
  for (double x : hc.demand_shape) share = std::max(share, x);
  solar = std::max(solar, h.solar_series.largest());
  share = std::max(share, hc.demand_series.largest());
  const std::pair<const char*, double> terms[] = {
      {"daily_kwh", spread * hc.daily_kwh * share * (1 + 6 * h.demand_noise)},
      {"pv_kw", spread * hc.pv_kw * solar * (h.weather_mean + 6 * h.weather_sd) *
                    (1 + h.solar_season) * (1 + 6 * h.pv_noise) * hours},
      {"battery_kw", spread * 2 * hc.battery_kw * hours},
      {"battery_kwh", spread * hc.battery_kwh}};
  double bound = 0;
  const char* largest = terms[0].first;
  double largest_term = -1;
  for (const auto& [key, term] : terms) {
    bound += term;
    if (term > largest_term) {
      largest_term = term;
      largest = key;
    }
  }
  // A hair below the kernel's limit: it computes the same bound in float.
  if (!(bound < limits::max_household_period_kwh * (1 - 1e-6)))
    c.fail(largest, "a household of this class could exchange up to " + fmt(bound) +
                        " kWh in one period (demand and PV at 6 standard deviations of noise, " +
                        "the largest parameter draw, the battery's power and content); the " +
                        "rollout kernel handles at most " + fmt(limits::max_household_period_kwh) +
                        " kWh per household and period: model a larger site as several households");
}

HouseholdSpec read_households(TableReader t, const NetworkSpec& net, int periods, int days,
                              double scale, std::vector<double>& bus_household_load) {
  HouseholdSpec h;
  // The default sun is given for 8 periods, resampled to others where they divide or are divided
  // by 8 (time.periods = 24 or 48 need no profile of their own).
  const std::optional<std::vector<double>> default_solar =
      config_detail::resample_to_periods({0.0, 0.0, 0.15, 0.55, 0.65, 0.3, 0.02, 0.0}, periods);
  if (auto series = t.daily_series("solar_profile", Range::between(0.0, 1.0), periods)) {
    check_series_days(t, "solar_profile", *series, days);
    h.solar_profile = series->mean_day();
    h.solar_series = std::move(*series);
  } else {
    h.solar_profile =
        t.numbers("solar_profile", default_solar, Range::between(0.0, 1.0), periods, true);
  }
  // The daily solar factor multiplies the capacity factors: 10 is ten times an average day's sun,
  // beyond any real sky (the per-household bound below is the limit that matters).
  h.weather_mean = t.number("weather_mean", 1.0, Range::between(0.0, 10.0));
  h.weather_sd = t.number("weather_sd", 0.2, Range::between(0.0, 10.0));
  // The season scales the daily factor by 1 ± solar_season over the year (0.4: summer days with
  // 2.3 times the sun of winter ones, a mid-latitude site).
  h.solar_season = t.number("solar_season", 0.0, Range::between(0.0, 1.0));
  h.solar_peak_day = static_cast<int>(t.integer("solar_peak_day", 172, Range::between(1, 365)));
  h.demand_noise = t.number("demand_noise", 0.1, Range::between(0.0, 1.0));
  h.pv_noise = t.number("pv_noise", 0.05, Range::between(0.0, 1.0));
  h.parameter_spread = t.number("parameter_spread", 0.2, Range::between(0.0, 0.9));
  h.battery_levels = t.numbers("battery_levels", std::vector<double>{-1.0, -0.5, 0.0, 0.5, 1.0},
                               Range::between(-1.0, 1.0));
  if (h.battery_levels.size() < 2 || h.battery_levels.size() > 9)
    t.fail("battery_levels",
           "needs 2 to 9 actions (got " + std::to_string(h.battery_levels.size()) + ")");
  for (std::size_t i = 1; i < h.battery_levels.size(); ++i)
    if (!(h.battery_levels[i] > h.battery_levels[i - 1]))
      t.fail("battery_levels", "levels must be strictly increasing");

  auto groups = t.tables("group");
  if (groups.empty()) t.fail("group", "missing; define income groups with [[households.group]]");
  std::vector<std::string> group_names;
  for (auto& g : groups) {
    IncomeGroup group;
    group.name = g.string("name", std::nullopt);
    if (std::find(group_names.begin(), group_names.end(), group.name) != group_names.end())
      g.fail("name", "group '" + group.name + "' is defined twice");
    // EEI divides bills by incomes: at least a dollar a year keeps it a real number.
    group.income = g.number("income", std::nullopt, Range::between(1.0, 1e9));
    group_names.push_back(group.name);
    h.groups.push_back(group);
    g.finish();
  }

  auto classes = t.tables("class");
  if (classes.empty())
    t.fail("class", "missing; define household classes with [[households.class]]");
  std::vector<bool> group_used(h.groups.size(), false);
  for (auto& c : classes) {
    HouseholdClass hc;
    hc.name = c.string("name", std::nullopt);
    // A class at every bus with load (a large network's households): one class per such bus,
    // named NAME@BUS, of count_per_mw households per MW of the bus's peak exogenous load.
    // Recorded in the resolved scenario only when given: a class at one bus reads as before.
    const bool at_load_buses = c.has("at_load_buses") && c.boolean("at_load_buses", false);
    std::vector<std::pair<int, long long>> placements;  // (bus, households)
    if (at_load_buses) {
      for (const char* key : {"bus", "count"})
        if (c.has(key))
          c.fail(key, std::string("a class with at_load_buses = true is at every bus with load, ") +
                          "of count_per_mw households per MW: remove " + key);
      const double per_mw = c.number("count_per_mw", std::nullopt, Range::positive());
      for (std::size_t b = 0; b < net.buses.size(); ++b) {
        const BusSpec& bus = net.buses[b];
        double peak = bus.profile_peak_mw.value_or(0.0);
        for (double x : bus.base_load_mw) peak = std::max(peak, x);
        const double households = std::round(per_mw * peak);
        // A bus whose households of this class scale to no simulated agent gets none.
        if (households >= 1 && simulated_agents(static_cast<long long>(households), scale) >= 1)
          placements.emplace_back(static_cast<int>(b), static_cast<long long>(households));
      }
      if (placements.empty())
        c.fail("count_per_mw", std::string("no bus has enough load for one simulated household ") +
                                   "of this class " + "at population.scale = " + fmt(scale) + " (" +
                                   fmt(per_mw) + " households per MW): raise population.scale");
    } else {
      if (c.has("count_per_mw"))
        c.fail("count_per_mw", "count_per_mw is for a class with at_load_buses = true; give count");
      const int bus = read_bus_ref(c, "bus", net);
      const long long count =
          c.integer("count", std::nullopt,
                    Range::between(0, static_cast<double>(limits::max_class_households)));
      placements.emplace_back(bus, count);
    }
    const auto clash = [&](const std::string& name) {
      for (const auto& other : h.classes)
        if (other.name == name) c.fail("name", "class '" + name + "' is defined twice");
    };
    if (!at_load_buses) clash(hc.name);
    hc.kind = c.choice<HouseholdKind>(
        "kind", std::nullopt,
        {{"consumer", HouseholdKind::consumer}, {"prosumer", HouseholdKind::prosumer}});
    const std::string group = c.string("group", std::nullopt);
    const auto git = std::find(group_names.begin(), group_names.end(), group);
    if (git == group_names.end())
      c.fail("group", "no income group named '" + group + "'" + did_you_mean(group, group_names) +
                          "; groups are " + join(group_names));
    hc.group = static_cast<int>(git - group_names.begin());
    group_used[static_cast<std::size_t>(hc.group)] = true;
    for (const auto& [bus, count] : placements) {
      if (count > limits::max_class_households)
        c.fail("count_per_mw", "bus " + net.buses[static_cast<std::size_t>(bus)].name + " gets " +
                                   std::to_string(count) + " households, more than " +
                                   std::to_string(limits::max_class_households) + " in a class");
      if (count == 0) c.fail("count", "the class is empty: count must be >= 1");
      // In double: llround of a product beyond 2^63 is undefined, and a huge class is not empty.
      const double agents = simulated_agents(count, scale);
      const char* key = at_load_buses ? "count_per_mw" : "count";
      if (agents > static_cast<double>(limits::max_agents))
        c.fail(key, std::to_string(count) + " households at population.scale = " + fmt(scale) +
                        " are " + fmt(agents) + " simulated agents, more than the " +
                        std::to_string(limits::max_agents) +
                        " agent ids (32 bits) of the random streams; lower population.scale");
      if (agents < 1)
        c.fail(key, "the class is empty at population.scale = " + fmt(scale) + ": " +
                        std::to_string(count) + " households scale to no simulated agent");
    }
    hc.daily_kwh = c.number("daily_kwh", std::nullopt, Range::positive());
    if (auto series = read_shape_series(c, "demand_shape", periods)) {
      check_series_days(c, "demand_shape", *series, days);
      hc.demand_shape = series->mean_day();
      const double sum = std::accumulate(hc.demand_shape.begin(), hc.demand_shape.end(), 0.0);
      for (double& x : hc.demand_shape) x /= sum;
      hc.demand_series = std::move(*series);
    } else {
      hc.demand_shape = read_shape(c, "demand_shape", periods, std::nullopt);
    }
    const bool prosumer = hc.kind == HouseholdKind::prosumer;
    const std::optional<double> required = prosumer ? std::nullopt : std::optional(0.0);
    hc.pv_kw = c.number("pv_kw", required, Range::at_least(0.0));
    hc.battery_kwh = c.number("battery_kwh", required, Range::at_least(0.0));
    hc.battery_kw = c.number("battery_kw", required, Range::at_least(0.0));
    for (const auto& [key, value] :
         {std::pair{"pv_kw", hc.pv_kw}, std::pair{"battery_kwh", hc.battery_kwh},
          std::pair{"battery_kw", hc.battery_kw}})
      if (!prosumer && value > 0.0)
        c.fail(key, "only prosumers have PV and batteries; set kind = \"prosumer\"");
    hc.eta_charge = c.number("eta_charge", prosumer ? 0.95 : 1.0, Range::above_up_to(0.0, 1.0));
    hc.eta_discharge =
        c.number("eta_discharge", prosumer ? 0.95 : 1.0, Range::above_up_to(0.0, 1.0));
    hc.initial_soc = c.number("initial_soc", 0.5, Range::between(0.0, 1.0));
    check_household_energy(c, h, hc, periods);
    for (const auto& [bus, count] : placements) {
      HouseholdClass placed = hc;
      placed.bus = bus;
      placed.count = count;
      if (at_load_buses) {
        placed.name = hc.name + "@" + net.buses[static_cast<std::size_t>(bus)].name;
        clash(placed.name);
      }
      // Mean household withdrawal (MW) for the island check.
      bus_household_load[static_cast<std::size_t>(bus)] +=
          static_cast<double>(count) * hc.daily_kwh;
      h.classes.push_back(std::move(placed));
    }
    c.finish();
  }
  for (std::size_t g = 0; g < h.groups.size(); ++g)
    if (!group_used[g])
      groups[g].fail("name", "income group '" + h.groups[g].name + "' has no household class");
  t.finish();
  return h;
}

// Every island with load needs generation (households count as load).
void check_islands(TableReader& network, const NetworkSpec& net, const NetworkLocations& where,
                   const std::vector<double>& household_load) {
  if (auto island = find_unsupplied_island(net, household_load))
    throw InputError(where.bus[static_cast<std::size_t>(island->bus)], network.path() + ".bus",
                     island->reason);
}

TariffSpec read_tariff(TableReader t, const NetworkSpec& net, const HouseholdSpec& h, int periods) {
  TariffSpec s;
  const std::size_t np = static_cast<std::size_t>(periods);
  s.per_bus = t.boolean("per_bus", false);
  // Rates are bounded like the market's costs; charges so that bills, and the inequality
  // measures built from them (variances square them), stay far inside double range.
  const Range rate = Range::between(-limits::max_cost_per_mwh, limits::max_cost_per_mwh);
  const Range charge = Range::between(-limits::max_charge_per_day, limits::max_charge_per_day);
  s.import_bounds = read_bounds(t, "import_bounds", {0.0, 1000.0}, rate);
  if (s.per_bus) {
    const auto rows = t.number_rows("import_rates", periods, rate);
    if (rows.size() != net.buses.size())
      t.fail("import_rates", "per_bus tariffs need one row of " + std::to_string(periods) +
                                 " rates per bus (" + std::to_string(net.buses.size()) +
                                 " rows), got " + std::to_string(rows.size()));
    for (const auto& r : rows) s.import_rates.insert(s.import_rates.end(), r.begin(), r.end());
  } else {
    s.import_rates =
        t.number_or_numbers("import_rates", std::vector<double>(np, 150.0), rate, periods, true);
  }
  check_within(t, "import_rates", s.import_rates, s.import_bounds, "import_bounds");
  s.fixed_bounds = read_bounds(t, "fixed_bounds", {0.0, 10.0}, charge);
  s.fixed_charges = t.number_or_numbers("fixed_charges", std::vector<double>(h.groups.size(), 0.0),
                                        charge, static_cast<int>(h.groups.size()));
  check_within(t, "fixed_charges", s.fixed_charges, s.fixed_bounds, "fixed_bounds");
  s.export_credit = t.choice<ExportCredit>("export", ExportCredit::net_billing,
                                           {{"net-metering", ExportCredit::net_metering},
                                            {"net-billing", ExportCredit::net_billing},
                                            {"fixed", ExportCredit::fixed_rate}});
  s.export_rate = t.number("export_rate", 0.0, Range::between(0.0, limits::max_cost_per_mwh));
  if (s.export_rate > 0.0 && s.export_credit != ExportCredit::fixed_rate)
    t.fail("export_rate", "only used with export = \"fixed\"");
  s.peak_bounds =
      read_bounds(t, "peak_bounds", {0.0, 5.0}, Range::between(0.0, limits::max_charge_per_day));
  s.peak_charge = t.number("peak_charge", 0.0, Range::between(0.0, limits::max_charge_per_day));
  check_within(t, "peak_charge", {s.peak_charge}, s.peak_bounds, "peak_bounds");
  s.peak_basis = t.choice<PeakBasis>(
      "peak_basis", PeakBasis::individual,
      {{"individual", PeakBasis::individual}, {"community", PeakBasis::community}});
  s.network_cost =
      t.number("network_cost", 0.0, Range::between(0.0, limits::max_network_cost_per_day));
  const auto learn =
      t.strings("learn", std::vector<std::string>{"import", "fixed"}, {"import", "fixed", "peak"});
  auto learns = [&](const char* part) {
    return std::find(learn.begin(), learn.end(), part) != learn.end();
  };
  s.learn_import = learns("import");
  s.learn_fixed = learns("fixed");
  s.learn_peak = learns("peak");
  s.parameterisation =
      t.choice<TariffParameterisation>("parameterisation", TariffParameterisation::full,
                                       {{"full", TariffParameterisation::full},
                                        {"peak-offpeak", TariffParameterisation::peak_offpeak}});
  for (auto p :
       t.integers("peak_periods", std::vector<std::int64_t>{}, Range::between(0, periods - 1)))
    s.peak_periods.push_back(static_cast<int>(p));
  // Period indices cannot be resampled as profiles are: which resolution the file wrote them for
  // is not known (given with --set, they are taken for the periods in force).
  if (!s.peak_periods.empty() && t.has("peak_periods") && !t.resampled().empty() &&
      !t.location("peak_periods").file.starts_with("--set"))
    t.fail("peak_periods", "profiles written for another number of periods were resampled to " +
                               std::to_string(periods) + " (" + t.resampled().front() +
                               "), but period indices cannot be: give peak_periods for " +
                               std::to_string(periods) +
                               " periods (--set tariff.peak_periods=[...] or in the file)");
  if (s.parameterisation == TariffParameterisation::peak_offpeak && s.peak_periods.empty())
    t.fail("peak_periods", "the peak-offpeak parameterisation needs the peak periods");
  t.finish();
  return s;
}

// ---------------------------------------------------------------------------------------------
// Learners: `learner` names a registered type; its keys live in [role.<name>] and are checked
// against the type's parameter specification.

LearnerParameters read_learner_table(TableReader& section, const LearnerType& type) {
  TableReader t = section.table(type.name);
  LearnerParameters values;
  for (const ParameterSpec& p : type.parameters) {
    const Range range{p.lo, p.hi, p.lo_open, false};
    if (p.type == ParameterType::integer)
      values.set(p.key, static_cast<double>(
                            t.integer(p.key, static_cast<std::int64_t>(p.default_value), range)));
    else
      values.set(p.key, t.number(p.key, p.default_value, range));
  }
  if (type.check)
    if (const ParameterProblem problem = type.check(values); !problem.key.empty())
      t.fail(problem.key, problem.reason);
  t.finish();
  return values;
}

// Reads `learner`, the chosen learner's table, and validates the tables of the others present
// (so `--set leader.learner=...` can switch between tables kept in one file).
std::string read_learner_choice(TableReader& section, LearnerRole role, const std::string& fallback,
                                LearnerParameters& parameters) {
  std::string name = section.string_choice("learner", fallback, learner_names(role));
  for (const LearnerType& type : learner_types()) {
    if (type.role != role) continue;
    if (type.name == name)
      parameters = read_learner_table(section, type);
    else if (section.has(type.name))
      read_learner_table(section, type);
  }
  return name;
}

// Scenario files written before learners had tables keep their keys flat in [followers] and
// [leader]. Each such key moves into the chosen learner's table (an override on the command line
// replaces the table's value; a value in the file fills only a key the table lacks); a key of
// another learner is dropped. Either way a notice says where the key goes now.
void migrate_flat_learner_keys(toml::table& doc, std::vector<std::string>& notices) {
  for (const LearnerRole role : {LearnerRole::followers, LearnerRole::leader}) {
    toml::table* section = doc[to_string(role)].as_table();
    if (!section) continue;
    std::string chosen = role == LearnerRole::followers ? "soft-q" : "fixed";
    if (const auto* learner = section->get_as<std::string>("learner")) chosen = learner->get();
    const LearnerType* chosen_type = find_learner_type(role, chosen);
    auto flat_key = [](const ParameterSpec& p) { return p.flat_key.empty() ? p.key : p.flat_key; };
    // The parameter a flat key names in `type`, or null.
    auto parameter = [&](const LearnerType& type, std::string_view flat) -> const ParameterSpec* {
      for (const ParameterSpec& p : type.parameters)
        if (flat_key(p) == flat) return &p;
      return nullptr;
    };
    std::vector<std::string> flat;
    for (const auto& [key, node] : *section) {
      if (node.is_table()) continue;
      for (const LearnerType& type : learner_types())
        if (type.role == role && parameter(type, key.str())) {
          flat.emplace_back(key.str());
          break;
        }
    }
    for (const std::string& old : flat) {
      toml::node& node = *section->get(old);
      const SourceLocation where = location_of(node.source());
      const std::string old_key = std::string(to_string(role)) + "." + old;
      const ParameterSpec* declared = chosen_type ? parameter(*chosen_type, old) : nullptr;
      const std::string table_name = std::string(to_string(role)) + "." + chosen;
      std::string text = where.str();
      text += ": ";
      text += old_key;
      if (declared) {
        const std::string& key = declared->key;
        if (!section->contains(chosen)) section->insert(chosen, toml::table{});
        if (toml::table* table = section->get_as<toml::table>(chosen)) {
          const bool from_override = where.file.rfind("--set ", 0) == 0;
          if (from_override || !table->contains(key))
            node.visit([&](auto& value) { table->insert_or_assign(key, std::move(value)); });
        }
        text += ": deprecated; write it as ";
        text += key;
        text += " in [" + table_name;
        text += "] (or --set " + table_name;
        text += "." + key;
        text += "=...)";
      } else {
        text += ": ignored: not a key of ";
        text += to_string(role);
        text += ".learner = \"" + chosen;
        text += "\"; each learner's keys are in its own table [";
        text += to_string(role);
        text += ".<learner>]";
      }
      notices.push_back(text);
      section->erase(old);
    }
  }
}

// The shared keys' defaults are the struct's own initialisers (config/scenario.hpp), declared once.
FollowerSpec read_followers(TableReader t) {
  FollowerSpec f;
  f.learner = read_learner_choice(t, LearnerRole::followers, f.learner, f.parameters);
  f.update_every_days = static_cast<int>(
      t.integer("update_every_days", f.update_every_days, Range::between(1, 100000)));
  f.soc_bins = static_cast<int>(t.integer("soc_bins", f.soc_bins, Range::between(2, 10001)));
  f.discount = t.number("discount", f.discount, Range::between(0.0, 0.9999));
  // τ in $: the policy is softmax(Q/τ); below a micro-dollar it is a hard argmax in all but name.
  f.temperature = t.number("temperature", f.temperature, Range::between(1e-6, 1e6));
  f.damping = t.number("damping", f.damping, Range::above_up_to(0.0, 1.0));
  f.damping_horizon =
      static_cast<int>(t.integer("damping_horizon", f.damping_horizon, Range::between(0, 1000000)));
  // Both residuals are L1 distances between distributions, at most 2.
  f.policy_tolerance =
      t.number("policy_tolerance", f.policy_tolerance, Range::above_up_to(0.0, 2.0));
  f.meanfield_tolerance =
      t.number("meanfield_tolerance", f.meanfield_tolerance, Range::above_up_to(0.0, 2.0));
  f.max_iterations =
      static_cast<int>(t.integer("max_iterations", f.max_iterations, Range::between(1, 1000000)));
  f.degradation_cost = t.number("degradation_cost", f.degradation_cost, Range::between(0.0, 1e6));
  f.prior_count = t.number("prior_count", f.prior_count, Range::above_up_to(0.0, 1e9));
  t.finish(learner_names(LearnerRole::followers));  // a misspelt learner table
  return f;
}

LeaderSpec read_leader(TableReader t, int periods) {
  LeaderSpec l;
  l.learner = read_learner_choice(t, LearnerRole::leader, l.learner, l.parameters);
  l.update_every_days = static_cast<int>(
      t.integer("update_every_days", l.update_every_days, Range::between(1, 100000)));
  l.max_interactions = static_cast<int>(
      t.integer("max_interactions", l.max_interactions, Range::between(1, 10000000)));
  l.warmup_days =
      static_cast<int>(t.integer("warmup_days", l.warmup_days, Range::between(0, 10000000)));
  l.inequality = t.choice<InequalityMeasure>("inequality", l.inequality,
                                             {{"gap", InequalityMeasure::gap},
                                              {"variance", InequalityMeasure::variance},
                                              {"gini", InequalityMeasure::gini}});
  // Weights of J's terms: 1e9 is far beyond any sensible trade-off and keeps J finite.
  const Range weight = Range::between(0.0, 1e9);
  l.weight_inequality = t.number("weight_inequality", l.weight_inequality, weight);
  l.weight_cost = t.number("weight_cost", l.weight_cost, weight);
  l.weight_volatility = t.number("weight_volatility", l.weight_volatility, weight);
  l.weight_peak = t.number("weight_peak", l.weight_peak, weight);
  l.weight_tracking = t.number("weight_tracking", l.weight_tracking, weight);
  l.target_profile = t.numbers("target_profile", std::vector<double>{},
                               Range::between(-limits::max_power_mw, limits::max_power_mw));
  if (!l.target_profile.empty() && static_cast<int>(l.target_profile.size()) != periods)
    t.fail("target_profile", "expected " + std::to_string(periods) +
                                 " values (one per period), got " +
                                 std::to_string(l.target_profile.size()));
  if (l.weight_tracking > 0 && l.target_profile.empty())
    t.fail("weight_tracking", "tracking needs leader.target_profile");
  l.penalty = t.number("penalty", l.penalty, weight);
  t.finish(learner_names(LearnerRole::leader));  // a misspelt learner table
  return l;
}

// The agents must have ids (32 bits) and fit in memory; both are known before anything is
// allocated, so validation refuses what the run could not hold.
void check_population_size(TableReader& population, const Scenario& s) {
  const double agents = simulated_agents(s);
  if (agents > static_cast<double>(limits::max_agents))
    population.fail("scale", "the classes scale to " + fmt(agents) +
                                 " simulated agents in total, more than the " +
                                 std::to_string(limits::max_agents) +
                                 " agent ids (32 bits) of the random streams");
  const PopulationMemory memory = population_memory(s);
  if (memory.physical_bytes > 0 && memory.node_bytes > memory.physical_bytes) {
    const double gib = 1024.0 * 1024.0 * 1024.0;
    char text[400];
    char share[120] = "";
    if (memory.ranks > 1)
      std::snprintf(share, sizeof share, ", %.1f GiB of it on this node (%d of %d ranks)",
                    memory.node_bytes / gib, memory.local_ranks, memory.ranks);
    std::snprintf(text, sizeof text,
                  "%.0f simulated agents need about %.1f GiB of memory (%.0f bytes each)%s, more "
                  "than the %.1f GiB this machine has; lower population.scale",
                  agents, memory.total_bytes / gib, memory.bytes_per_agent, share,
                  memory.physical_bytes / gib);
    population.fail("scale", text);
  }
}

// Initially the leader posts the scenario's tariff as its parameterisation represents it. A
// learning leader whose parameterisation cannot represent that tariff would post another one from
// its first update on, and every comparison with the scenario's tariff would be wrong. (The fixed
// leader posts the scenario's tariff exactly, whatever the parameterisation.)
void check_leader_can_post(TableReader& t, const Scenario& s) {
  const TariffSpec& tariff = s.tariff;
  if (!find_learner_type(LearnerRole::leader, s.leader.learner)->learns_tariff) return;
  if (!tariff.learn_import && !tariff.learn_fixed && !tariff.learn_peak)
    t.fail("learn", "leader.learner = \"" + s.leader.learner +
                        "\" has nothing to learn: tariff.learn is empty (only the fixed leader "
                        "posts a tariff it does not learn)");
  if (tariff.parameterisation != TariffParameterisation::peak_offpeak) return;
  auto same = [](double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
  };
  const int periods = s.time.periods;
  if (tariff.learn_import) {
    std::vector<bool> peak(static_cast<std::size_t>(periods), false);
    for (int p : tariff.peak_periods) peak[static_cast<std::size_t>(p)] = true;
    // One level for the peak periods and one for the rest, on every bus.
    std::optional<double> level[2];
    for (std::size_t k = 0; k < tariff.import_rates.size(); ++k) {
      const bool is_peak = peak[k % static_cast<std::size_t>(periods)];
      auto& l = level[is_peak ? 1 : 0];
      if (!l) {
        l = tariff.import_rates[k];
      } else if (!same(*l, tariff.import_rates[k])) {
        t.fail("import_rates",
               "parameterisation = \"peak-offpeak\" posts one import rate in the peak periods "
               "(tariff.peak_periods) and one in the others, on every bus; it cannot represent "
               "these rates (" +
                   fmt(*l) + " and " + fmt(tariff.import_rates[k]) + " $/MWh in " +
                   (is_peak ? "peak" : "off-peak") +
                   " periods), so the leader would post another tariff from its first update: "
                   "make the rates flat within each level or use parameterisation = \"full\"");
      }
    }
  }
  if (tariff.learn_fixed) {
    // fixed_g = level + slope·(income_g / mean income − 1), clamped into fixed_bounds.
    const auto& groups = s.households.groups;
    const auto G = static_cast<double>(groups.size());
    double mean_income = 0, level = 0, num = 0, den = 0;
    for (const auto& g : groups) mean_income += g.income / G;
    for (double f : tariff.fixed_charges) level += f / G;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const double r = groups[g].income / mean_income - 1.0;
      num += r * (tariff.fixed_charges[g] - level);
      den += r * r;
    }
    const Bounds fb = tariff.fixed_bounds;
    const double span = fb.hi - fb.lo;
    const double slope = std::clamp(den > 0 ? num / den : 0.0, -span, span);
    level = std::clamp(level, fb.lo, fb.hi);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const double r = groups[g].income / mean_income - 1.0;
      const double posted = std::clamp(level + slope * r, fb.lo, fb.hi);
      if (!same(posted, tariff.fixed_charges[g]))
        t.fail("fixed_charges",
               "parameterisation = \"peak-offpeak\" posts fixed charges as a level and a slope "
               "in income; it cannot represent these charges (group " +
                   groups[g].name + ": " + fmt(tariff.fixed_charges[g]) + " $/day, the fit gives " +
                   fmt(posted) +
                   "), so the leader would post another tariff from its first update: make the "
                   "charges affine in income or use parameterisation = \"full\"");
    }
  }
}

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides, const std::string& base_dir) {
  check_toml_nesting(text, source_name, limits::max_toml_nesting);
  toml::table doc;
  try {
    doc = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(location_of(e.source()), "",
                     "TOML syntax error: " + std::string(e.description()));
  }
  for (const auto& o : overrides) apply_override(doc, o);
  std::vector<std::string> notices;
  migrate_flat_learner_keys(doc, notices);

  toml::table resolved;
  TableReader root(&doc, &resolved, "", SourceLocation{source_name, 1, 1});
  root.set_base_dir(base_dir);
  // The files values were read from: kept from a resolved scenario read again (its values are
  // inline by then), replaced for each value read from a file now.
  auto sources = std::make_shared<toml::table>();
  if (const toml::table* earlier = doc["sources"].as_table()) *sources = *earlier;
  root.set_sources(sources);
  root.table("sources");  // a known table: what it holds is not read back
  Scenario s;
  s.source = source_name;
  s.notices = std::move(notices);

  {
    TableReader t = root.table("scenario");
    s.name = t.string("name", file_stem(source_name));
    s.description = t.string("description", "");
    // TOML integers are 64-bit signed: seeds are 0 … 2^63 − 1 (an unsigned 64-bit seed beyond
    // that cannot be written in TOML; apply_override says so for --set).
    const auto seed = t.integer("seed", 1, Range::at_least(0));
    s.seed = static_cast<std::uint64_t>(seed);
    t.finish();
  }
  {
    TableReader t = root.table("time");
    s.time.days = static_cast<int>(t.integer("days", 100, Range::between(1, 10000000)));
    s.time.periods = static_cast<int>(t.integer("periods", 8, Range::between(1, 1440)));
    if (24 * 60 % s.time.periods != 0) t.fail("periods", "must divide a day into whole minutes");
    // The start date and the first day of the year say the same thing: either may be given (the
    // other follows; 2025 by default), or both if they agree. Day 366 of a leap year counts as 365.
    const bool dated = t.has("start_date");
    s.time.start_date = t.date("start_date", CalendarDate{});
    s.time.first_day_of_year = static_cast<int>(
        t.integer("first_day_of_year", dated ? std::min(s.time.start_date.day_of_year(), 365) : 1,
                  Range::between(1, 365)));
    if (!dated) {
      s.time.start_date = CalendarDate::in_2025(s.time.first_day_of_year);
      t.date("start_date", s.time.start_date);  // recorded in the resolved scenario
    } else if (std::min(s.time.start_date.day_of_year(), 365) != s.time.first_day_of_year) {
      t.fail("first_day_of_year",
             std::to_string(s.time.first_day_of_year) +
                 " is not the day of the year of start_date " + s.time.start_date.iso() + " (" +
                 std::to_string(s.time.start_date.day_of_year()) + "); give one of them");
    }
    t.finish();
  }
  root.set_start_date(s.time.start_date);  // where a dated series starts
  const int periods = s.time.periods;
  TableReader population_table = root.table("population");
  // The upper limit is the agents' (checked once the classes are read).
  s.population.scale = population_table.number("scale", 1.0, Range::positive());
  population_table.finish();
  NetworkLocations where;
  TableReader network_table = root.table("network");
  s.network = read_network(network_table, periods, s.time.days, base_dir, where);
  std::vector<double> household_load(s.network.buses.size(), 0.0);
  s.households = read_households(root.table("households"), s.network, periods, s.time.days,
                                 s.population.scale, household_load);
  check_islands(network_table, s.network, where, household_load);
  TableReader tariff_table = root.table("tariff");
  s.tariff = read_tariff(tariff_table, s.network, s.households, periods);
  s.followers = read_followers(root.table("followers"));
  s.leader = read_leader(root.table("leader"), periods);
  check_population_size(population_table, s);
  check_leader_can_post(tariff_table, s);
  {
    TableReader t = root.table("output");
    s.output.path = t.string("path", "");
    s.output.sample_agents =
        static_cast<int>(t.integer("sample_agents", 16, Range::between(0, 1000000)));
    s.output.dump_state = t.boolean("dump_state", false);
    s.output.write_every_days =
        static_cast<int>(t.integer("write_every_days", 10, Range::between(1, 100000)));
    // false: a run that completes leaves its file without the final checkpoint (the per-agent
    // state, most of a large run's file), rewritten so the space is reclaimed; interrupted runs
    // keep theirs to be resumed.
    s.output.keep_checkpoint = t.boolean("keep_checkpoint", true);
    t.finish();
  }
  {
    TableReader t = root.table("checkpoint");
    s.checkpoint.every_days =
        static_cast<int>(t.integer("every_days", 10, Range::between(0, 10000000)));
    t.finish();
  }
  root.finish();
  if (sources->empty())
    resolved.erase("sources");
  else
    resolved.insert_or_assign("sources", *sources);

  s.resolved_toml = "# Resolved mfgrid scenario " + s.name + " (from " + source_name +
                    "): every setting, defaults filled in.\n" + config_detail::to_toml(resolved);
  return s;
}

std::string scenario_directory(const std::string& path_or_name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path_or_name, ec)) return fs::current_path(ec).string();
  return fs::absolute(fs::path(path_or_name), ec).parent_path().string();
}

Scenario load_scenario(const std::string& path_or_name, const std::vector<std::string>& overrides) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto read_file = [&] {
    const std::string text = config_detail::read_text_file(path_or_name, "scenario file");
    const fs::path parent = fs::path(path_or_name).parent_path();
    return parse_scenario(text, path_or_name, overrides, parent.empty() ? "." : parent.string());
  };
  if (fs::is_regular_file(path_or_name, ec)) return read_file();
  if (auto embedded = find_embedded_scenario(path_or_name))
    return parse_scenario(embedded->text, embedded->name, overrides, ".");
  std::vector<std::string> names;
  for (const auto& e : embedded_scenarios()) names.push_back(e.name);
  // Something else by that name (a directory, a device, a FIFO): read_text_file says what.
  if (fs::exists(path_or_name, ec)) return read_file();
  throw IoError(path_or_name, "no such scenario file, and no embedded scenario of that name" +
                                  did_you_mean(path_or_name, names) + " (embedded: " + join(names) +
                                  ")");
}

}  // namespace mfgrid
