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

}  // namespace mfgrid
