#include "mfgrid/config/calendar_date.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace mfgrid {

namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

bool digits(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool CalendarDate::valid(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::optional<CalendarDate> CalendarDate::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  CalendarDate d;
  if (!digits(text.substr(0, 4), d.year) || !digits(text.substr(5, 2), d.month) ||
      !digits(text.substr(8, 2), d.day) || !valid(d.year, d.month, d.day))
    return std::nullopt;
  return d;
}

CalendarDate CalendarDate::in_2025(int day_of_year) {
  CalendarDate d;
  int left = day_of_year - 1;
  while (left >= days_in_month(d.year, d.month)) {
    left -= days_in_month(d.year, d.month);
    ++d.month;
  }
  d.day += left;
  return d;
}

std::string CalendarDate::iso() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

int CalendarDate::day_of_year() const {
  int n = day;
  for (int m = 1; m < month; ++m) n += days_in_month(year, m);
  return n;
}

// The proleptic Gregorian calendar in eras of 400 years (146 097 days), each starting on 1 March so
// that the leap day ends the year.
long CalendarDate::days_since_epoch() const {
  const long y = year - (month <= 2 ? 1 : 0);
  const long era = y / 400;  // years are >= 1
  const long year_of_era = y - era * 400;
  const long day_of_year_from_march = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year_from_march;
  return era * 146097 + day_of_era - 719468;  // 719 468: days from 0000-03-01 to 1970-01-01
}

CalendarDate CalendarDate::from_days_since_epoch(long days) {
  const long z = days + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long day_of_era = z - era * 146097;
  const long year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const long day_of_year_from_march =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long month_from_march = (5 * day_of_year_from_march + 2) / 153;
  CalendarDate d;
  d.day = static_cast<int>(day_of_year_from_march - (153 * month_from_march + 2) / 5 + 1);
  d.month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  d.year = static_cast<int>(year_of_era + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

}  // namespace mfgrid
