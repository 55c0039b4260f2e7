// A calendar date (proleptic Gregorian): the run's first day, time.start_date, which dates the
// run file's time coordinate and sets the day of the year the seasons start from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mfgrid {

struct CalendarDate {
  int year = 2025;
  int month = 1;
  int day = 1;

  bool operator==(const CalendarDate&) const = default;

  static bool valid(int year, int month, int day);
  // "YYYY-MM-DD"; nothing when the text is not such a date.
  static std::optional<CalendarDate> parse(std::string_view text);
  // Day `day_of_year` (1 … 365) of 2025: the start of a run whose scenario gives only
  // time.first_day_of_year.
  static CalendarDate in_2025(int day_of_year);

  std::string iso() const;  // "YYYY-MM-DD"
  int day_of_year() const;  // 1 … 366
  // Days since 1970-01-01 (negative before), to count the days between two dates.
  long days_since_epoch() const;
  static CalendarDate from_days_since_epoch(long days);
};

}  // namespace mfgrid
