// Schema-checked reading of a TOML table.
//
// A TableReader reads one table of the scenario: every getter names a key of the schema, checks
// the value's type and range, and records the value it settled on (given or default) into an
// output table, so the fully resolved scenario can be written back as TOML. finish() then
// rejects every key that no getter asked for, with a "did you mean". All errors are InputErrors
// located at the offending key: `file:line:column: section.key: what is wrong`.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/csv_profile.hpp"
#include "mfgrid/config/calendar_date.hpp"
#include "mfgrid/config/daily_series.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid::config_detail {

// An interval a numeric value must lie in; never ±inf or nan, whatever the bounds.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  static Range any() { return {}; }
  static Range positive() { return {0.0, std::numeric_limits<double>::infinity(), true, false}; }
  static Range at_least(double lo) { return {lo, std::numeric_limits<double>::infinity()}; }
  static Range between(double lo, double hi) { return {lo, hi}; }
  static Range above_up_to(double lo, double hi) { return {lo, hi, true, false}; }

  bool contains(double v) const;
  std::string describe() const;
};

SourceLocation location_of(const toml::source_region& region);
SourceLocation key_location(const toml::key& k, const toml::node& value);

class TableReader {
 public:
  // `in` may be null (an absent table: every key takes its default).
  TableReader(const toml::table* in, toml::table* out, std::string path, SourceLocation where);

  const std::string& path() const { return path_; }
  // Where a file a value names (a CSV profile) is found when its path is relative: the scenario
  // file's folder. Tables read from this one inherit it.
  void set_base_dir(std::string dir) { base_dir_ = std::move(dir); }
  // The run's first day (time.start_date): a series dated by a time column is read from it.
  // Tables read from this one inherit it.
  void set_start_date(const CalendarDate& start) { start_date_ = start; }
  // Where each value read from a file is recorded (key path → { csv, column, fnv1a64 }), shared
  // by the tables read from this one.
  void set_sources(std::shared_ptr<toml::table> sources) { sources_ = std::move(sources); }
  // The per-period arrays resampled so far ("key: 8 values"), in any table read from the same
  // root: what period indices written elsewhere cannot follow.
  const std::vector<std::string>& resampled() const { return *resampled_; }
  std::string key_path(std::string_view key) const;
  bool has(std::string_view key) const;
  bool holds_number(std::string_view key) const;  // present and a single number
  bool names_a_file(std::string_view key) const;  // { csv = …, column = … }
  // Replaces what the resolved scenario records for a key already read (a value the reader
  // transformed, such as a normalised shape from a file, so that it reads back the same).
  void record_numbers(std::string_view key, const std::vector<double>& values);
  // Where the key's value is written, or where this table starts when the key is absent.
  SourceLocation location(std::string_view key) const;
  const SourceLocation& table_location() const { return where_; }

  [[noreturn]] void fail(std::string_view key, const std::string& reason) const;

  double number(std::string_view key, std::optional<double> fallback, Range range = {});
  std::int64_t integer(std::string_view key, std::optional<std::int64_t> fallback,
                       Range range = {});
  bool boolean(std::string_view key, std::optional<bool> fallback);
  std::string string(std::string_view key, const std::optional<std::string>& fallback);
  // A date: a TOML local date (2025-05-01) or a string "2025-05-01".
  CalendarDate date(std::string_view key, const CalendarDate& fallback);

  // A string that must be one of `options`, mapped to its value.
  template <class E>
  E choice(std::string_view key, std::optional<E> fallback,
           const std::vector<std::pair<std::string, E>>& options) {
    std::vector<std::string> names;
    std::optional<std::string> fallback_name;
    for (const auto& [name, value] : options) {
      names.push_back(name);
      if (fallback && value == *fallback) fallback_name = name;
    }
    const std::string got = string_choice(key, fallback_name, names);
    for (const auto& [name, value] : options)
      if (name == got) return value;
    fail(key, "internal: unmapped choice");
  }

  // A string that must be one of `names`.
  std::string string_choice(std::string_view key, const std::optional<std::string>& fallback,
                            const std::vector<std::string>& names);

  // An array of numbers; `size` >= 0 demands that many elements. A per-period profile (`size` =
  // time.periods) may instead name a column of a CSV file: { csv = "file.csv", column = "name" }
  // (see csv_profile.hpp); its values are recorded in the resolved scenario.
  // With `per_period` (`size` is time.periods), an inline array of another length is resampled
  // to the periods when one length divides the other (resample_to_periods: 8 values for 24
  // periods each span 3), so that time.periods can change without editing every profile.
  std::vector<double> numbers(std::string_view key,
                              const std::optional<std::vector<double>>& fallback, Range range = {},
                              int size = -1, bool per_period = false);
  // A profile that may change from day to day: an array of arrays of `periods` numbers (one per
  // day), or a CSV column of whole days of hours (csv_profile.hpp: series_for_periods), recorded
  // as an array of arrays. nullopt when the key is absent or holds one day (read with numbers()).
  std::optional<DailySeries> daily_series(std::string_view key, Range range, int periods);
  // Replaces what the resolved scenario records for a series already read (as record_numbers).
  void record_series(std::string_view key, const DailySeries& series);
  // A number (repeated `size` times) or an array of `size` numbers (per_period: as numbers).
  std::vector<double> number_or_numbers(std::string_view key,
                                        const std::optional<std::vector<double>>& fallback,
                                        Range range, int size, bool per_period = false);
  // The length of the key's inline array, or -1 (absent, or not an array).
  int array_size(std::string_view key) const;
  std::vector<std::int64_t> integers(std::string_view key,
                                     const std::optional<std::vector<std::int64_t>>& fallback,
                                     Range range = {});
  // An array of strings, each one of `allowed` (when not empty).
  std::vector<std::string> strings(std::string_view key,
                                   const std::optional<std::vector<std::string>>& fallback,
                                   const std::vector<std::string>& allowed = {});
  // An array of arrays of numbers (for example piecewise-linear cost points), each in `range`.
  std::vector<std::vector<double>> number_rows(std::string_view key, int row_size,
                                               Range range = {});

  // A sub-table; absent means every key takes its default.
  TableReader table(std::string_view key);
  // An array of tables ([[key]]); absent means empty.
  std::vector<TableReader> tables(std::string_view key);

  // Rejects keys no getter asked for (suggesting the closest of them and of `also`: keys the
  // table may hold that this reading did not need).
  void finish(const std::vector<std::string>& also = {}) const;

 private:
  const toml::node* lookup(std::string_view key, bool required);
  // The column a { csv, column, scale } table names, scaled, in `range`, its source recorded.
  CsvColumn read_csv(std::string_view key, const toml::table& spec, Range range) const;
  double as_number(std::string_view key, const toml::node& node, std::string_view what) const;
  void check_range(std::string_view key, double value, const Range& range,
                   std::string_view element = {}) const;
  template <class T>
  void record(std::string_view key, T&& value) {
    if (out_) out_->insert_or_assign(std::string(key), std::forward<T>(value));
  }

  const toml::table* in_;
  toml::table* out_;
  std::string path_;
  SourceLocation where_;
  std::string base_dir_;
  std::optional<CalendarDate> start_date_;
  std::shared_ptr<toml::table> sources_;
  std::shared_ptr<std::vector<std::string>> resampled_ =
      std::make_shared<std::vector<std::string>>();
  std::vector<std::string> known_;
};

}  // namespace mfgrid::config_detail
