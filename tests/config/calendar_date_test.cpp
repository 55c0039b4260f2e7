// time.start_date: the run's first day, as a TOML date or a string, consistent with
// time.first_day_of_year; the calendar arithmetic checked against dates known by heart.
#include "mfgrid/config/calendar_date.hpp"

#include <gtest/gtest.h>

#include <string>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "scenario_test_text.hpp"

namespace mfgrid {
namespace {

using testing::small_with;

TEST(CalendarDate, ParsesOnlyRealDates) {
  EXPECT_EQ(CalendarDate::parse("2024-02-29"), (CalendarDate{2024, 2, 29}));
  EXPECT_FALSE(CalendarDate::parse("2025-02-29"));  // not a leap year
  EXPECT_FALSE(CalendarDate::parse("1900-02-29"));  // divisible by 100, not by 400
  EXPECT_TRUE(CalendarDate::parse("2000-02-29"));
  EXPECT_FALSE(CalendarDate::parse("2025-13-01"));
  EXPECT_FALSE(CalendarDate::parse("2025-04-31"));
  EXPECT_FALSE(CalendarDate::parse("2025-5-01"));
  EXPECT_FALSE(CalendarDate::parse("01/05/2025"));
  EXPECT_FALSE(CalendarDate::parse("2025-05-01 "));
}

TEST(CalendarDate, DayOfYearBothWays) {
  EXPECT_EQ((CalendarDate{2025, 1, 1}).day_of_year(), 1);
  EXPECT_EQ((CalendarDate{2025, 5, 1}).day_of_year(), 121);
  EXPECT_EQ((CalendarDate{2024, 5, 1}).day_of_year(), 122);
  EXPECT_EQ((CalendarDate{2024, 12, 31}).day_of_year(), 366);
  EXPECT_EQ(CalendarDate::in_2025(121).iso(), "2025-05-01");
  EXPECT_EQ(CalendarDate::in_2025(365).iso(), "2025-12-31");
  for (int d = 1; d <= 365; ++d) EXPECT_EQ(CalendarDate::in_2025(d).day_of_year(), d);
}

Scenario with_time(const std::string& time_keys) {
  return parse_scenario(small_with("periods = 4", "periods = 4\n" + time_keys), "s.toml", {},
                        MFGRID_TEST_DATA);
}

TEST(StartDate, FollowsTheFirstDayOfTheYearOrSetsIt) {
  EXPECT_EQ(with_time("").time.start_date.iso(), "2025-01-01");
  EXPECT_EQ(with_time("first_day_of_year = 121").time.start_date.iso(), "2025-05-01");
  const Scenario dated = with_time("start_date = 2024-05-01");  // a TOML date
  EXPECT_EQ(dated.time.start_date.iso(), "2024-05-01");
  EXPECT_EQ(dated.time.first_day_of_year, 122);
  EXPECT_EQ(with_time("start_date = \"2024-12-31\"").time.first_day_of_year, 365);
  EXPECT_EQ(with_time("start_date = 2025-05-01\nfirst_day_of_year = 121").time.start_date.iso(),
            "2025-05-01");
  // The resolved scenario records the date, so a re-read run starts the same day.
  const Scenario resolved = parse_scenario(with_time("first_day_of_year = 121").resolved_toml,
                                           "r.toml", {}, MFGRID_TEST_DATA);
  EXPECT_EQ(resolved.time.start_date.iso(), "2025-05-01");
}

// `keys` follow time.periods (line 9) of the small scenario: the first is on line 10.
// On the command line, the key set replaces the file's other one (ieee3-equity gives
// first_day_of_year = 121).
TEST(StartDate, AnOverrideReplacesTheFilesOtherKey) {
  EXPECT_EQ(load_scenario("ieee3-equity", {"time.start_date=2024-02-27"}).time.first_day_of_year,
            58);
  EXPECT_EQ(load_scenario("ieee3-equity", {"time.first_day_of_year=32"}).time.start_date.iso(),
            "2025-02-01");
  EXPECT_EQ(load_scenario("ieee3-equity").time.start_date.iso(), "2025-05-01");
}

void expect_time_error(const std::string& keys, int line, const std::string& key,
                       const std::string& reason) {
  try {
    with_time(keys);
    ADD_FAILURE() << "no error for " << keys;
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "s.toml") << e.what();
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
  }
}

TEST(StartDate, RefusesWhatIsNotADateOrDisagrees) {
  expect_time_error("start_date = \"2025-02-30\"", 10, "time.start_date",
                    "expected a date such as 2025-05-01 (year-month-day), got '2025-02-30'");
  expect_time_error("start_date = \"1 May\"", 10, "time.start_date", "got '1 May'");
  expect_time_error("start_date = 20250501", 10, "time.start_date", "got an integer");
  expect_time_error("start_date = 2025-05-01\nfirst_day_of_year = 120", 11,
                    "time.first_day_of_year",
                    "120 is not the day of the year of start_date 2025-05-01 (121)");
}

// Days since 1970-01-01 against counting days one by one from 1965 to 2075 (leap days, 2000's
// leap century), and both ways round.
TEST(CalendarDate, CountsDaysSinceTheEpoch) {
  EXPECT_EQ((CalendarDate{1970, 1, 1}.days_since_epoch()), 0);
  EXPECT_EQ((CalendarDate{2025, 1, 1}.days_since_epoch()), 55 * 365 + 14);
  CalendarDate d{1965, 1, 1};
  long n = -(5 * 365 + 1);  // 1968 was a leap year
  for (int k = 0; k < 110 * 366; ++k, ++n) {
    ASSERT_EQ(d.days_since_epoch(), n) << d.iso();
    ASSERT_EQ(CalendarDate::from_days_since_epoch(n), d) << n;
    if (CalendarDate::valid(d.year, d.month, d.day + 1)) {
      ++d.day;
    } else if (d.month < 12) {
      d = {d.year, d.month + 1, 1};
    } else {
      d = {d.year + 1, 1, 1};
    }
  }
}

}  // namespace
}  // namespace mfgrid
