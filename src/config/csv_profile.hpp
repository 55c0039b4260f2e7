// A per-period profile from a CSV file: one column of numbers, chosen by its header name.
//
// The file starts with a header row of column names; then one row per hour of a day (24 rows), one
// per period (time.periods rows), or one per hour of several days (24·D rows, D >= 2: a measured
// series, day d in rows 24d … 24d + 23; see series_for_periods). A series may be dated by a time
// column, its rows then checked to be hourly and in order, and the run reads it from its start
// date. Blank lines and lines starting with '#' are skipped; fields are separated by commas (quotes
// are not needed for names and numbers, and are not accepted). Hours become periods conserving
// energy: a period's value is the mean of the hours it spans (periods dividing 24), or the value of
// the hour it lies in (24 dividing periods).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mfgrid/config/calendar_date.hpp"
#include "mfgrid/config/daily_series.hpp"

namespace mfgrid::config_detail {

// What an error says when a series of days is given to a key that takes one day. The tariff's
// rates take one day: they are what the leader posts (and learns), the same every day until its
// next update.
inline constexpr const char* keys_reading_series =
    "series of days are read for network.load_profile, network.bus.base_load_mw, "
    "network.generator.cost_profile, households.solar_profile and households.class.demand_shape";

struct CsvColumn {
  std::string path;
  std::string column;
  std::vector<double> values;
  std::vector<int> lines;  // the line of each value, for errors
  std::string fnv1a64;     // the file's checksum (core/text_checksum.hpp)
  // With a time column: the date of the first row, which starts a day at 00:00 (the rows follow
  // hour by hour).
  std::optional<CalendarDate> first_date;
};

// Throws InputError at the file's line (and column) with `key` for every way the file can be
// wrong: missing or unreadable, no header, no such column (with the columns it has), a row with
// another number of fields, a field that is not a finite number. With a `time_column` (non-empty),
// each row's time in that column ("YYYY-MM-DD HH:MM", a 'T' for the space, ":00" seconds and a
// final "Z" allowed) must follow the previous row's by one hour, the first at 00:00.
CsvColumn read_csv_column(const std::string& path, std::string_view column, const std::string& key,
                          std::string_view time_column = {});

// Cuts a dated series (csv.first_date) so that its day 0 is `start` (time.start_date): day d of the
// run reads the series' day dated start + d. InputError when the series starts after `start` or
// ends before it.
void align_to_start(DailySeries& series, const CsvColumn& csv, const CalendarDate& start,
                    const std::string& key);

// A day's values at another resolution as `periods` values, conserving energy: each value
// repeated over the periods it spans (when `periods` is a multiple of their count), or the mean of
// the values each period spans (when their count is a multiple of `periods`); nothing otherwise.
std::optional<std::vector<double>> resample_to_periods(const std::vector<double>& values,
                                                       int periods);

// The column as `periods` values (see above); InputError when it holds neither 24 rows nor
// `periods` (saying so when it holds a series of days, which this key does not read).
std::vector<double> profile_for_periods(const CsvColumn& csv, int periods, const std::string& key);

// The column as a series of days: 24·D hourly rows (D >= 2; neither 24 nor `periods` rows), each
// day resampled to `periods` as above. nullopt when the column holds one day; InputError when it
// holds neither one day nor whole days.
std::optional<DailySeries> series_for_periods(const CsvColumn& csv, int periods,
                                              const std::string& key);

}  // namespace mfgrid::config_detail
