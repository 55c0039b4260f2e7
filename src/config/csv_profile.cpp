#include "config/csv_profile.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
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

// "YYYY-MM-DD HH:MM" (or 'T' for the space, with ":00" seconds, and a final "Z"): hours since
// 1970-01-01 00:00; nothing when the text is not such a time on the hour.
std::optional<long> hours_since_epoch(std::string_view text) {
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  if (text.size() == 19 && text.substr(16) == ":00") text.remove_suffix(3);
  if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':')
    return std::nullopt;
  const auto date = CalendarDate::parse(text.substr(0, 10));
  int hour = -1;
  const auto [end, ec] = std::from_chars(text.data() + 11, text.data() + 13, hour);
  if (!date || ec != std::errc() || end != text.data() + 13 || hour < 0 || hour > 23 ||
      text.substr(14) != "00")
    return std::nullopt;
  return date->days_since_epoch() * 24 + hour;
}

std::string time_text(long hours) {
  char hh[8];
  std::snprintf(hh, sizeof hh, " %02ld:00", hours % 24);
  return CalendarDate::from_days_since_epoch(hours / 24).iso() + hh;
}

}  // namespace

CsvColumn read_csv_column(const std::string& path, std::string_view column, const std::string& key,
                          std::string_view time_column) {
  CsvColumn out{path, std::string(column), {}, {}, {}, {}};
  const std::string text = read_text_file(path, "the CSV file");
  out.fnv1a64 = text_checksum(text);
  const auto fail = [&](int line, int col, const std::string& why) {
    throw InputError(SourceLocation{path, line, col}, key,
                     "column '" + std::string(column) + "': " + why);
  };
  std::istringstream in(text);
  std::string line;
  int number = 0;
  int index = -1, time_index = -1;
  std::size_t width = 0;
  long first_hour = 0;
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
        if (!time_column.empty() && fields[i].first == time_column)
          time_index = static_cast<int>(i);
        names += (i ? ", " : "") + fields[i].first;
      }
      if (index < 0) fail(number, 1, "no such column; the header has: " + names);
      if (!time_column.empty() && time_index < 0)
        fail(number, 1,
             "no time column '" + std::string(time_column) + "'; the header has: " + names);
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
    if (time_index >= 0) {
      const auto& [stamp, stamp_at] = fields[static_cast<std::size_t>(time_index)];
      const auto hour = hours_since_epoch(stamp);
      if (!hour)
        fail(number, stamp_at,
             "time '" + stamp +
                 "' is not a time on the hour such as 2025-08-01 00:00 (or "
                 "2025-08-01T00:00, seconds :00 and a final Z allowed)");
      if (out.values.empty()) {
        if (*hour % 24 != 0)
          fail(number, stamp_at, "the first row's time " + stamp + " must start a day (00:00)");
        first_hour = *hour;
        out.first_date = CalendarDate::from_days_since_epoch(*hour / 24);
      } else if (const long expected = first_hour + static_cast<long>(out.values.size());
                 *hour != expected) {
        fail(number, stamp_at,
             "time " + stamp + " where the rows, hourly and in order, reach " +
                 time_text(expected) +
                 " (a local time with daylight saving repeats or skips an hour: give the series "
                 "in UTC or standard time)");
      }
    }
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
                    std::to_string(periods) + " for time.periods): " + keys_reading_series);
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

void align_to_start(DailySeries& series, const CsvColumn& csv, const CalendarDate& start,
                    const std::string& key) {
  if (!csv.first_date) return;
  const long skip = start.days_since_epoch() - csv.first_date->days_since_epoch();
  const auto fail = [&](const std::string& why) {
    throw InputError(SourceLocation{csv.path, csv.lines.front(), 0}, key,
                     "column '" + csv.column + "': " + why +
                         " (day d of the run reads the series' day dated time.start_date + d)");
  };
  const CalendarDate last =
      CalendarDate::from_days_since_epoch(csv.first_date->days_since_epoch() + series.days() - 1);
  if (skip < 0)
    fail("the series starts on " + csv.first_date->iso() + ", after time.start_date " +
         start.iso());
  if (skip >= series.days())
    fail("the series ends on " + last.iso() + ", before time.start_date " + start.iso());
  series.values.erase(series.values.begin(),
                      series.values.begin() + skip * static_cast<long>(series.periods));
}

}  // namespace mfgrid::config_detail
