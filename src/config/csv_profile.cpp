#include "config/csv_profile.hpp"

#include <charconv>
#include <cmath>
#include <span>
#include <sstream>

#include "config/text_file.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/text_checksum.hpp"

namespace mfgrid::config_detail {

namespace {

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

// The fields of a line and the (1-based) column each starts at.
std::vector<std::pair<std::string, int>> fields_of(std::string_view line) {
  std::vector<std::pair<std::string, int>> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::string_view field = line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    fields.emplace_back(trimmed(field), static_cast<int>(start) + 1);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

}  // namespace

CsvColumn read_csv_column(const std::string& path, std::string_view column,
                          const std::string& key) {
  CsvColumn out{path, std::string(column), {}, {}, {}};
  const std::string text = read_text_file(path, "the CSV file");
  out.fnv1a64 = text_checksum(text);
  const auto fail = [&](int line, int col, const std::string& why) {
    throw InputError(SourceLocation{path, line, col}, key,
                     "column '" + std::string(column) + "': " + why);
  };
  std::istringstream in(text);
  std::string line;
  int number = 0;
  int index = -1;
  std::size_t width = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string content = trimmed(line);
    if (content.empty() || content.front() == '#') continue;
    if (content.find('"') != std::string::npos)
      fail(number, static_cast<int>(line.find('"')) + 1, "quoted fields are not read");
    const auto fields = fields_of(line);
    if (index < 0) {  // the header
      std::string names;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].first == column) index = static_cast<int>(i);
        names += (i ? ", " : "") + fields[i].first;
      }
      if (index < 0) fail(number, 1, "no such column; the header has: " + names);
      width = fields.size();
      continue;
    }
    if (fields.size() != width)
      fail(number, 1,
           "the row has " + std::to_string(fields.size()) + " fields, the header " +
               std::to_string(width));
    const auto& [field, at] = fields[static_cast<std::size_t>(index)];
    double value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size() ||
        !std::isfinite(value))
      fail(number, at, "'" + field + "' is not a finite number");
    out.values.push_back(value);
    out.lines.push_back(number);
  }
  if (index < 0) fail(number, 0, "the file has no header row");
  if (out.values.empty()) fail(number, 0, "the file has no rows of values");
  return out;
}

std::optional<std::vector<double>> resample_to_periods(const std::vector<double>& values,
                                                       int periods) {
  const auto n = static_cast<int>(values.size());
  if (n == 0 || periods < 1) return std::nullopt;
  std::vector<double> out(static_cast<std::size_t>(periods), 0.0);
  if (periods % n == 0) {  // each value over the periods it spans
    const int per = periods / n;
    for (int p = 0; p < periods; ++p)
      out[static_cast<std::size_t>(p)] = values[static_cast<std::size_t>(p / per)];
    return out;
  }
  if (n % periods == 0) {  // each period: the mean of its values
    const int per = n / periods;
    for (int p = 0; p < periods; ++p) {
      double sum = 0;
      for (int k = 0; k < per; ++k)
        sum += values[static_cast<std::size_t>(p) * static_cast<std::size_t>(per) +
                      static_cast<std::size_t>(k)];
      out[static_cast<std::size_t>(p)] = sum / per;
    }
    return out;
  }
  return std::nullopt;
}

namespace {

bool holds_one_day(const CsvColumn& csv, int periods) {
  const auto rows = static_cast<int>(csv.values.size());
  return rows == periods || rows == 24;
}

bool holds_days(const CsvColumn& csv, int periods) {
  const auto rows = static_cast<int>(csv.values.size());
  return !holds_one_day(csv, periods) && rows % 24 == 0;
}

[[noreturn]] void fail_at_end(const CsvColumn& csv, const std::string& key,
                              const std::string& why) {
  throw InputError(SourceLocation{csv.path, csv.lines.back(), 0}, key,
                   "column '" + csv.column + "': " + why);
}

std::vector<double> day_for_periods(const CsvColumn& csv, std::span<const double> hours,
                                    int periods, const std::string& key) {
  if (auto out = resample_to_periods({hours.begin(), hours.end()}, periods)) return *out;
  fail_at_end(csv, key,
              "24 hourly values cannot become " + std::to_string(periods) +
                  " periods without splitting an hour unevenly; give the periods' values");
}

}  // namespace

std::vector<double> profile_for_periods(const CsvColumn& csv, int periods, const std::string& key) {
  const auto rows = static_cast<int>(csv.values.size());
  if (rows == periods) return csv.values;
  if (holds_days(csv, periods))
    fail_at_end(csv, key,
                std::to_string(rows) + " rows, a series of " + std::to_string(rows / 24) +
                    " days; this key takes one day's profile (24 hourly rows or " +
                    std::to_string(periods) +
                    " for time.periods): series of days are read for households.solar_profile "
                    "and households.class.demand_shape");
  if (rows != 24)
    fail_at_end(csv, key,
                std::to_string(rows) + " rows; a day's profile has 24 (hours) or " +
                    std::to_string(periods) + " (time.periods), a series of days 24 a day (hours)");
  return day_for_periods(csv, csv.values, periods, key);
}

std::optional<DailySeries> series_for_periods(const CsvColumn& csv, int periods,
                                              const std::string& key) {
  const auto rows = static_cast<int>(csv.values.size());
  if (holds_one_day(csv, periods)) return std::nullopt;
  if (!holds_days(csv, periods))
    fail_at_end(csv, key,
                std::to_string(rows) + " rows: neither one day (24 hourly rows or " +
                    std::to_string(periods) + " for time.periods) nor whole days of 24 hours (" +
                    std::to_string(rows / 24) + " days and " + std::to_string(rows % 24) +
                    " hours)");
  DailySeries series{periods, {}};
  const std::span<const double> all(csv.values);
  for (int d = 0; d < rows / 24; ++d) {
    const auto day =
        day_for_periods(csv, all.subspan(static_cast<std::size_t>(d) * 24, 24), periods, key);
    series.values.insert(series.values.end(), day.begin(), day.end());
  }
  return series;
}

}  // namespace mfgrid::config_detail
