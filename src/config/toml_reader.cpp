#include "config/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "config/csv_profile.hpp"
#include "config/spelling.hpp"

namespace mfgrid::config_detail {

namespace {

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string (\"" + *node.value<std::string>() + "\")";
    case toml::node_type::integer:
      return "an integer (" + std::to_string(*node.value<std::int64_t>()) + ")";
    case toml::node_type::floating_point:
      return "a number (" + format_number(*node.value<double>()) + ")";
    case toml::node_type::boolean:
      return *node.value<bool>() ? "a boolean (true)" : "a boolean (false)";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

}  // namespace

bool Range::contains(double v) const {
  if (!std::isfinite(v)) return false;  // TOML has inf and nan; no key of a scenario takes them
  if (lo_open ? !(v > lo) : !(v >= lo)) return false;
  if (hi_open ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

std::string Range::describe() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi)
    return std::string("in ") + (lo_open ? "(" : "[") + format_number(lo) + ", " +
           format_number(hi) + (hi_open ? ")" : "]");
  if (has_lo) return std::string(lo_open ? "> " : ">= ") + format_number(lo);
  if (has_hi) return std::string(hi_open ? "< " : "<= ") + format_number(hi);
  return "finite";
}

// Keys inserted by a `--set` override carry no source; their value does.
SourceLocation key_location(const toml::key& k, const toml::node& value) {
  return k.source().path ? location_of(k.source()) : location_of(value.source());
}

SourceLocation location_of(const toml::source_region& region) {
  SourceLocation loc;
  if (region.path) loc.file = *region.path;
  // Overrides from the command line are one-line documents named after the option itself: the
  // option is the location, a line and column would only confuse.
  if (loc.file.rfind("--set", 0) != 0) {
    loc.line = static_cast<int>(region.begin.line);
    loc.column = static_cast<int>(region.begin.column);
  }
  return loc;
}

TableReader::TableReader(const toml::table* in, toml::table* out, std::string path,
                         SourceLocation where)
    : in_(in), out_(out), path_(std::move(path)), where_(std::move(where)) {}

std::string TableReader::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

bool TableReader::has(std::string_view key) const { return in_ && in_->contains(key); }

bool TableReader::holds_number(std::string_view key) const {
  const toml::node* node = in_ ? in_->get(key) : nullptr;
  return node && node->is_number();
}

SourceLocation TableReader::location(std::string_view key) const {
  if (in_) {
    if (const toml::node* node = in_->get(key)) return location_of(node->source());
  }
  return where_;
}

void TableReader::fail(std::string_view key, const std::string& reason) const {
  throw InputError(location(key), key_path(key), reason);
}

const toml::node* TableReader::lookup(std::string_view key, bool required) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  const toml::node* node = in_ ? in_->get(key) : nullptr;
  if (node || !required) return node;
  // A required key is missing: a misspelling of it is the likely reason; point at that.
  if (in_) {
    for (auto&& [k, v] : *in_) {
      if (std::find(known_.begin(), known_.end(), k.str()) != known_.end()) continue;
      if (!closest_match(k.str(), {std::string(key)}).empty())
        throw InputError(key_location(k, v), key_path(k.str()),
                         "unknown key (did you mean '" + std::string(key) + "'?)");
    }
  }
  throw InputError(where_, key_path(key), "missing; this key is required");
}

double TableReader::as_number(std::string_view key, const toml::node& node,
                              std::string_view what) const {
  if (auto v = node.value_exact<double>()) {
    // TOML allows inf and nan; nothing downstream can use them (costs, powers, rates, weights),
    // so they are refused here, for every key, whatever its range.
    if (!std::isfinite(*v))
      throw InputError(location_of(node.source()), key_path(key),
                       std::string("expected a finite number, got ") + format_number(*v));
    return *v;
  }
  if (auto v = node.value_exact<std::int64_t>()) return static_cast<double>(*v);
  throw InputError(location_of(node.source()), key_path(key),
                   std::string("expected ") + std::string(what) + ", got " + type_name(node));
}

void TableReader::check_range(std::string_view key, double value, const Range& range,
                              std::string_view element) const {
  if (range.contains(value)) return;
  std::string reason = "must be " + range.describe() + " (got " + format_number(value) + ")";
  if (!element.empty()) reason = std::string(element) + " " + reason;
  fail(key, reason);
}

double TableReader::number(std::string_view key, std::optional<double> fallback, Range range) {
  const toml::node* node = lookup(key, !fallback);
  const double v = node ? as_number(key, *node, "a number") : *fallback;
  if (node) check_range(key, v, range);
  record(key, v);
  return v;
}

std::int64_t TableReader::integer(std::string_view key, std::optional<std::int64_t> fallback,
                                  Range range) {
  const toml::node* node = lookup(key, !fallback);
  std::int64_t v = fallback.value_or(0);
  if (node) {
    auto exact = node->value_exact<std::int64_t>();
    if (!exact)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected an integer, got " + type_name(*node));
    v = *exact;
    check_range(key, static_cast<double>(v), range);
  }
  record(key, v);
  return v;
}

bool TableReader::boolean(std::string_view key, std::optional<bool> fallback) {
  const toml::node* node = lookup(key, !fallback);
  bool v = fallback.value_or(false);
  if (node) {
    auto exact = node->value_exact<bool>();
    if (!exact)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected true or false, got " + type_name(*node));
    v = *exact;
  }
  record(key, v);
  return v;
}

std::string TableReader::string(std::string_view key, const std::optional<std::string>& fallback) {
  const toml::node* node = lookup(key, !fallback);
  std::string v = fallback.value_or("");
  if (node) {
    auto exact = node->value_exact<std::string>();
    if (!exact)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected a string, got " + type_name(*node));
    v = *exact;
  }
  record(key, v);
  return v;
}

CalendarDate TableReader::date(std::string_view key, const CalendarDate& fallback) {
  const toml::node* node = lookup(key, false);
  CalendarDate v = fallback;
  if (node) {
    std::optional<CalendarDate> got;
    if (const auto d = node->value_exact<toml::date>())
      got = CalendarDate::parse(CalendarDate{d->year, d->month, d->day}.iso());
    else if (const auto text = node->value_exact<std::string>())
      got = CalendarDate::parse(*text);
    if (!got)
      throw InputError(
          location_of(node->source()), key_path(key),
          "expected a date such as 2025-05-01 (year-month-day), got " +
              (node->is_string() ? "'" + *node->value<std::string>() + "'" : type_name(*node)));
    v = *got;
  }
  record(key, toml::date(static_cast<std::uint16_t>(v.year), static_cast<std::uint8_t>(v.month),
                         static_cast<std::uint8_t>(v.day)));
  return v;
}

std::string TableReader::string_choice(std::string_view key,
                                       const std::optional<std::string>& fallback,
                                       const std::vector<std::string>& names) {
  std::string got = string(key, fallback);
  if (std::find(names.begin(), names.end(), got) == names.end())
    fail(key, "unknown value '" + got + "'" + did_you_mean(got, names) + "; expected one of " +
                  join(names));
  return got;
}

std::vector<double> TableReader::numbers(std::string_view key,
                                         const std::optional<std::vector<double>>& fallback,
                                         Range range, int size, bool per_period) {
  const toml::node* node = lookup(key, !fallback);
  std::vector<double> v = fallback.value_or(std::vector<double>{});
  if (node && node->is_table()) {
    if (size < 0)
      throw InputError(location_of(node->source()), key_path(key),
                       "only per-period profiles can come from a CSV file");
    v = profile_for_periods(read_csv(key, *node->as_table(), range), size, key_path(key));
  } else if (node) {
    const toml::array* arr = node->as_array();
    if (!arr)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected an array of numbers, got " + type_name(*node));
    v.clear();
    if (per_period && !arr->empty() && arr->get(0)->is_array())
      throw InputError(location_of(node->source()), key_path(key),
                       std::string("expected an array of numbers, got an array of arrays: ") +
                           config_detail::keys_reading_series);
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const double x = as_number(key, *arr->get(i), "an array of numbers");
      check_range(key, x, range, "element " + std::to_string(i));
      v.push_back(x);
    }
  }
  if (size >= 0 && static_cast<int>(v.size()) != size) {
    const auto again = per_period && node && node->is_array()
                           ? resample_to_periods(v, size)
                           : std::optional<std::vector<double>>();
    if (!again)
      fail(key, "expected " + std::to_string(size) + " values" +
                    (per_period ? " (time.periods; other counts are resampled when one divides "
                                  "the other)"
                                : "") +
                    ", got " + std::to_string(v.size()));
    resampled_->push_back(key_path(key) + ": " + std::to_string(v.size()) + " values");
    v = *again;
  }
  toml::array out;
  for (double x : v) out.push_back(x);
  record(key, std::move(out));
  return v;
}

std::vector<double> TableReader::number_or_numbers(
    std::string_view key, const std::optional<std::vector<double>>& fallback, Range range, int size,
    bool per_period) {
  const toml::node* node = in_ ? in_->get(key) : nullptr;
  if (node && node->is_number()) {
    const double x = number(key, std::nullopt, range);
    std::vector<double> v(static_cast<std::size_t>(size), x);
    toml::array out;
    for (double y : v) out.push_back(y);
    record(key, std::move(out));
    return v;
  }
  return numbers(key, fallback, range, size, per_period);
}

int TableReader::array_size(std::string_view key) const {
  const toml::node* node = in_ ? in_->get(key) : nullptr;
  return node != nullptr && node->is_array() ? static_cast<int>(node->as_array()->size()) : -1;
}

std::vector<std::int64_t> TableReader::integers(
    std::string_view key, const std::optional<std::vector<std::int64_t>>& fallback, Range range) {
  const toml::node* node = lookup(key, !fallback);
  std::vector<std::int64_t> v = fallback.value_or(std::vector<std::int64_t>{});
  if (node) {
    const toml::array* arr = node->as_array();
    if (!arr)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected an array of integers, got " + type_name(*node));
    v.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      auto x = arr->get(i)->value_exact<std::int64_t>();
      if (!x)
        throw InputError(location_of(arr->get(i)->source()), key_path(key),
                         "expected an array of integers, got " + type_name(*arr->get(i)));
      check_range(key, static_cast<double>(*x), range, "element " + std::to_string(i));
      v.push_back(*x);
    }
  }
  toml::array out;
  for (auto x : v) out.push_back(x);
  record(key, std::move(out));
  return v;
}

std::vector<std::string> TableReader::strings(
    std::string_view key, const std::optional<std::vector<std::string>>& fallback,
    const std::vector<std::string>& allowed) {
  const toml::node* node = lookup(key, !fallback);
  std::vector<std::string> v = fallback.value_or(std::vector<std::string>{});
  if (node) {
    const toml::array* arr = node->as_array();
    if (!arr)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected an array of strings, got " + type_name(*node));
    v.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      auto x = arr->get(i)->value_exact<std::string>();
      if (!x)
        throw InputError(location_of(arr->get(i)->source()), key_path(key),
                         "expected an array of strings, got " + type_name(*arr->get(i)));
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *x) == allowed.end())
        throw InputError(location_of(arr->get(i)->source()), key_path(key),
                         "unknown value '" + *x + "'" + did_you_mean(*x, allowed) +
                             "; expected any of " + join(allowed));
      v.push_back(*x);
    }
  }
  toml::array out;
  for (const auto& x : v) out.push_back(x);
  record(key, std::move(out));
  return v;
}

std::vector<std::vector<double>> TableReader::number_rows(std::string_view key, int row_size,
                                                          Range range) {
  const toml::node* node = lookup(key, false);
  std::vector<std::vector<double>> rows;
  if (!node) return rows;
  const toml::array* arr = node->as_array();
  if (!arr)
    throw InputError(location_of(node->source()), key_path(key),
                     "expected an array of [" + std::to_string(row_size) + " numbers] rows, got " +
                         type_name(*node));
  toml::array out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::array* row = arr->get(i)->as_array();
    if (!row || static_cast<int>(row->size()) != row_size)
      throw InputError(
          location_of(arr->get(i)->source()), key_path(key),
          "row " + std::to_string(i) + ": expected " + std::to_string(row_size) + " numbers");
    std::vector<double> values;
    toml::array out_row;
    for (std::size_t j = 0; j < row->size(); ++j) {
      values.push_back(as_number(key, *row->get(j), "numbers"));
      if (!range.contains(values.back()))
        throw InputError(location_of(row->get(j)->source()), key_path(key),
                         "row " + std::to_string(i) + ", element " + std::to_string(j) +
                             " must be " + range.describe() + " (got " +
                             format_number(values.back()) + ")");
      out_row.push_back(values.back());
    }
    rows.push_back(std::move(values));
    out.push_back(std::move(out_row));
  }
  record(key, std::move(out));
  return rows;
}

void TableReader::record_numbers(std::string_view key, const std::vector<double>& values) {
  toml::array out;
  for (double x : values) out.push_back(x);
  record(key, std::move(out));
}

bool TableReader::names_a_file(std::string_view key) const {
  const toml::node* node = in_ ? in_->get(key) : nullptr;
  return node != nullptr && node->is_table();
}

CsvColumn TableReader::read_csv(std::string_view key, const toml::table& spec, Range range) const {
  const SourceLocation at = location_of(spec.source());
  static constexpr const char* form =
      "a profile from a file is { csv = \"file.csv\", column = \"name\" } (and optionally "
      "scale = a factor, such as 0.001 for W to kW, and time_column = \"name\" for a series "
      "dated hour by hour)";
  for (auto&& [k, value] : spec)
    if (k.str() != "csv" && k.str() != "column" && k.str() != "scale" && k.str() != "time_column")
      throw InputError(key_location(k, value), key_path(key) + "." + std::string(k.str()),
                       std::string("unknown key; ") + form);
  const auto text = [&](const char* name) {
    const toml::node* n = spec.get(name);
    if (n == nullptr || !n->is_string())
      throw InputError(
          at, key_path(key),
          std::string(form) + ": '" + name + "' is " + (n == nullptr ? "missing" : "not a string"));
    return *n->value<std::string>();
  };
  double scale = 1.0;
  if (const toml::node* n = spec.get("scale")) {
    const auto x = n->value<double>();
    if (!x || !std::isfinite(*x) || !(*x > 0))
      throw InputError(location_of(n->source()), key_path(key) + ".scale",
                       "must be a finite number > 0 (the factor every value is multiplied by)");
    scale = *x;
  }
  std::filesystem::path file = text("csv");
  if (file.is_relative() && !base_dir_.empty()) file = std::filesystem::path(base_dir_) / file;
  const std::string column = text("column");
  const std::string time_column = spec.contains("time_column") ? text("time_column") : "";
  CsvColumn csv;
  try {
    csv = read_csv_column(file.string(), column, key_path(key), time_column);
  } catch (const IoError& e) {
    throw InputError(at, key_path(key), std::string("cannot read the CSV file: ") + e.what());
  }
  for (std::size_t i = 0; i < csv.values.size(); ++i) {
    csv.values[i] *= scale;
    if (!range.contains(csv.values[i]))
      throw InputError(SourceLocation{csv.path, csv.lines[i], 0}, key_path(key),
                       "column '" + column + "': " + format_number(csv.values[i]) +
                           (scale != 1.0 ? " (scaled by " + format_number(scale) + ")" : "") +
                           " is out of range (" + range.describe() + ")");
  }
  if (sources_) {
    toml::table source{{"csv", std::filesystem::absolute(file).string()},
                       {"column", column},
                       {"fnv1a64", csv.fnv1a64}};
    if (scale != 1.0) source.insert("scale", scale);
    if (!time_column.empty()) source.insert("time_column", time_column);
    sources_->insert_or_assign(key_path(key), std::move(source));
  }
  return csv;
}

std::optional<DailySeries> TableReader::daily_series(std::string_view key, Range range,
                                                     int periods) {
  const toml::node* node = lookup(key, false);
  if (node == nullptr) return std::nullopt;
  std::optional<DailySeries> series;
  if (const toml::table* spec = node->as_table()) {
    const CsvColumn csv = read_csv(key, *spec, range);
    series = series_for_periods(csv, periods, key_path(key));
    if (series && start_date_) align_to_start(*series, csv, *start_date_, key_path(key));
  } else if (const toml::array* days = node->as_array();
             days != nullptr && !days->empty() && days->get(0)->is_array()) {
    series = DailySeries{periods, {}};
    for (std::size_t d = 0; d < days->size(); ++d) {
      const toml::array* day = days->get(d)->as_array();
      if (day == nullptr || static_cast<int>(day->size()) != periods)
        throw InputError(location_of(days->get(d)->source()), key_path(key),
                         "day " + std::to_string(d) + " of the series: expected an array of " +
                             std::to_string(periods) + " numbers (time.periods)");
      for (std::size_t t = 0; t < day->size(); ++t) {
        const double x = as_number(key, *day->get(t), "an array of arrays of numbers");
        check_range(key, x, range, "day " + std::to_string(d) + ", period " + std::to_string(t));
        series->values.push_back(x);
      }
    }
  }
  if (series) record_series(key, *series);
  return series;
}

void TableReader::record_series(std::string_view key, const DailySeries& series) {
  toml::array out;
  for (int d = 0; d < series.days(); ++d) {
    toml::array day;
    for (double x : series.day(d)) day.push_back(x);
    out.push_back(std::move(day));
  }
  record(key, std::move(out));
}

TableReader TableReader::table(std::string_view key) {
  const toml::node* node = lookup(key, false);
  const toml::table* in = nullptr;
  SourceLocation where = where_;
  if (node) {
    in = node->as_table();
    if (!in)
      throw InputError(location_of(node->source()), key_path(key),
                       "expected a table, got " + type_name(*node));
    where = location_of(node->source());
  }
  toml::table* out = nullptr;
  if (out_) {
    auto [it, inserted] = out_->insert_or_assign(std::string(key), toml::table{});
    out = it->second.as_table();
  }
  TableReader child(in, out, key_path(key), where);
  child.base_dir_ = base_dir_;
  child.start_date_ = start_date_;
  child.sources_ = sources_;
  child.resampled_ = resampled_;
  return child;
}

std::vector<TableReader> TableReader::tables(std::string_view key) {
  const toml::node* node = lookup(key, false);
  std::vector<TableReader> result;
  if (!node) return result;
  const toml::array* arr = node->as_array();
  if (!arr || !arr->is_array_of_tables())
    throw InputError(
        location_of(node->source()), key_path(key),
        "expected an array of tables ([[" + key_path(key) + "]]), got " + type_name(*node));
  toml::array* out = nullptr;
  if (out_) {
    auto [it, inserted] = out_->insert_or_assign(std::string(key), toml::array{});
    out = it->second.as_array();
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    toml::table* out_table = nullptr;
    if (out) {
      out->push_back(toml::table{});
      out_table = out->back().as_table();
    }
    const toml::table* in = arr->get(i)->as_table();
    result.emplace_back(in, out_table, key_path(key) + "[" + std::to_string(i) + "]",
                        location_of(in->source()));
    result.back().base_dir_ = base_dir_;
    result.back().start_date_ = start_date_;
    result.back().sources_ = sources_;
    result.back().resampled_ = resampled_;
  }
  return result;
}

void TableReader::finish(const std::vector<std::string>& also) const {
  if (!in_) return;
  for (auto&& [k, v] : *in_) {
    if (std::find(known_.begin(), known_.end(), k.str()) != known_.end()) continue;
    std::vector<std::string> keys = known_;
    keys.insert(keys.end(), also.begin(), also.end());
    throw InputError(key_location(k, v), key_path(k.str()),
                     "unknown key" + did_you_mean(k.str(), keys));
  }
}

}  // namespace mfgrid::config_detail
