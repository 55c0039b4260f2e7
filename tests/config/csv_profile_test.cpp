// Per-period profiles from CSV files: the column by name, hours averaged into periods (or
// repeated), and every way a file can be wrong reported at its line with the column.
#include "config/csv_profile.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "scenario_test_text.hpp"

namespace mfgrid::config_detail {
namespace {

namespace fs = std::filesystem;

class CsvProfile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mfgrid-csv-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text) {
    const std::string path = (dir_ / "p.csv").string();
    std::ofstream(path) << text;
    return path;
  }
  // 24 hourly rows: hour h has load (h + 1)·unit and pv 10·h·unit.
  std::string hourly(double unit = 1.0) {
    std::string text = "# a day of one home\nhour,load,pv\n";
    for (int h = 0; h < 24; ++h)
      text += std::to_string(h) + "," + std::to_string((h + 1) * unit) + "," +
              std::to_string(10 * h * unit) + "\n";
    return write(text);
  }
  void expect_error(const std::string& text, const std::string& column, int periods, int line,
                    const std::string& reason) {
    const std::string path = write(text);
    try {
      profile_for_periods(read_csv_column(path, column, "households.solar_profile"), periods,
                          "households.solar_profile");
      ADD_FAILURE() << "no error; expected " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().file, path) << e.what();
      EXPECT_EQ(e.where().line, line) << e.what();
      EXPECT_EQ(e.key(), "households.solar_profile") << e.what();
      EXPECT_NE(e.reason().find("column '" + column + "': " + reason), std::string::npos)
          << e.what();
    }
  }
  fs::path dir_;
};

TEST_F(CsvProfile, HoursAveragedIntoPeriodsConserveEnergy) {
  const CsvColumn load = read_csv_column(hourly(), "load", "k");
  ASSERT_EQ(load.values.size(), 24u);
  EXPECT_EQ(load.lines.front(), 3);  // after the comment and the header
  // 8 periods of 3 hours: hours 0-2 have loads 1, 2, 3, mean 2; period p: 3p + 2.
  const std::vector<double> eight = profile_for_periods(load, 8, "k");
  for (int p = 0; p < 8; ++p) EXPECT_DOUBLE_EQ(eight[static_cast<std::size_t>(p)], 3.0 * p + 2.0);
  double hours = 0, periods = 0;
  for (double v : load.values) hours += v;
  for (double v : eight) periods += 3.0 * v;
  EXPECT_DOUBLE_EQ(hours, periods) << "energy over the day";
  // 48 half-hours: each hour's value twice.
  const std::vector<double> half =
      profile_for_periods(read_csv_column(hourly(), "pv", "k"), 48, "k");
  ASSERT_EQ(half.size(), 48u);
  EXPECT_EQ(half[0], 0.0);
  EXPECT_EQ(half[46], 230.0);
  EXPECT_EQ(half[47], 230.0);
  // As many rows as periods: taken as they are.
  const std::string path = write("v\n0.5\n1.5\n2.5\n");
  EXPECT_EQ(profile_for_periods(read_csv_column(path, "v", "k"), 3, "k"),
            (std::vector<double>{0.5, 1.5, 2.5}));
}

TEST_F(CsvProfile, EveryWrongFileIsReportedAtItsLine) {
  expect_error("hour,load\n0,1\n", "pv", 8, 1, "no such column; the header has: hour, load");
  expect_error("hour,load\n0,1\n1\n", "load", 8, 3, "the row has 1 fields, the header 2");
  expect_error("hour,load\n0,1\n1,x\n", "load", 8, 3, "'x' is not a finite number");
  expect_error("hour,load\n0,nan\n", "load", 8, 2, "'nan' is not a finite number");
  expect_error("hour,load\n0,1e999\n", "load", 8, 2, "'1e999' is not a finite number");
  expect_error("hour,load\n0,\n", "load", 8, 2, "'' is not a finite number");
  expect_error("hour,\"load\"\n", "load", 8, 1, "quoted fields are not read");
  expect_error("# only a comment\n\n", "load", 8, 2, "the file has no header row");
  expect_error("hour,load\n", "load", 8, 1, "the file has no rows of values");
  expect_error("v\n1\n2\n3\n4\n5\n", "v", 8, 6, "5 rows; a day's profile has 24 (hours) or 8");
  std::string hours = "v\n";
  for (int h = 0; h < 24; ++h) hours += "1\n";
  expect_error(hours, "v", 5, 25, "24 hourly values cannot become 5 periods");
}

TEST_F(CsvProfile, AMissingFileNamesItsPath) {
  const std::string path = (dir_ / "absent.csv").string();
  try {
    read_csv_column(path, "v", "k");
    ADD_FAILURE() << "read a missing file";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

// In a scenario: any per-period profile may name a CSV column, relative to the scenario's folder;
// the resolved scenario holds the values (it reads back to the same scenario without the file).
TEST_F(CsvProfile, AScenarioProfileFromAColumn) {
  hourly(0.001);  // dir_/p.csv: pv 0.01·h at hour h, load 0.001·(h + 1)
  const std::string text =
      testing::small_with("solar_profile = [0.0, 0.4, 0.5, 0.0]",
                          "solar_profile = { csv = \"p.csv\", column = \"pv\" }");
  const Scenario s = parse_scenario(text, "s.toml", {}, dir_.string());
  // 4 periods of 6 hours: the mean of 0.01·h over h = 6p … 6p + 5 is 0.06p + 0.025.
  const auto near = [](const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << i;
  };
  near(s.households.solar_profile, {0.025, 0.085, 0.145, 0.205});
  const Scenario again = parse_scenario(s.resolved_toml, "r.toml", {}, "/nonexistent");
  EXPECT_EQ(again.households.solar_profile, s.households.solar_profile);
  // The resolved scenario names the file, the column and the file's FNV-1a (computed here), and a
  // resolved scenario read again keeps that record.
  std::ifstream in(dir_ / "p.csv", std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::uint64_t fnv = 1469598103934665603ULL;
  for (const unsigned char c : bytes) fnv = (fnv ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv));
  for (const Scenario* r : {&s, &again}) {
    const toml::table resolved = toml::parse(r->resolved_toml);
    const toml::node_view source = resolved["sources"]["households.solar_profile"];
    EXPECT_EQ(source["csv"].value_or(std::string()), (dir_ / "p.csv").string());
    EXPECT_EQ(source["column"].value_or(std::string()), "pv");
    EXPECT_EQ(source["fnv1a64"].value_or(std::string()), hex);
  }
  // … and so may an override on the command line.
  const Scenario set =
      parse_scenario(testing::small_scenario(), "s.toml",
                     {"households.solar_profile={csv=\"p.csv\",column=\"load\"}"}, dir_.string());
  near(set.households.solar_profile, {0.0035, 0.0095, 0.0155, 0.0215});
}

// A class's demand shape from a measured load: normalised, and read back from the resolved
// scenario as it is.
TEST_F(CsvProfile, ADemandShapeFromAMeasuredLoadIsNormalised) {
  hourly();  // load h + 1 kWh at hour h: 300 kWh a day; periods of 6 hours hold 6p·6 + 21
  const std::string text =
      testing::small_with("demand_shape = [0.2, 0.2, 0.3, 0.3]",
                          "demand_shape = { csv = \"p.csv\", column = \"load\" }");
  const Scenario s = parse_scenario(text, "s.toml", {}, dir_.string());
  const std::vector<double>& shape = s.households.classes.at(0).demand_shape;
  ASSERT_EQ(shape.size(), 4u);
  for (int p = 0; p < 4; ++p)
    EXPECT_NEAR(shape[static_cast<std::size_t>(p)], (36.0 * p + 21) / 300, 1e-12);
  const Scenario again = parse_scenario(s.resolved_toml, "r.toml", {}, "/nonexistent");
  EXPECT_EQ(again.households.classes.at(0).demand_shape, shape);
}

void expect_scenario_error(const std::string& value, const std::string& dir, int line,
                           const std::string& key, const std::string& reason) {
  try {
    parse_scenario(
        testing::small_with("solar_profile = [0.0, 0.4, 0.5, 0.0]", "solar_profile = " + value),
        "s.toml", {}, dir);
    ADD_FAILURE() << "no error for " << value;
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
  }
}

TEST_F(CsvProfile, AScenarioNamesTheKeyOfAWrongReference) {
  hourly();
  const std::string dir = dir_.string();
  expect_scenario_error("{ csv = \"p.csv\" }", dir, 40, "households.solar_profile",
                        "'column' is missing");
  expect_scenario_error("{ csv = \"p.csv\", column = 3 }", dir, 40, "households.solar_profile",
                        "'column' is not a string");
  expect_scenario_error("{ csv = \"p.csv\", column = \"pv\", sheet = 1 }", dir, 40,
                        "households.solar_profile.sheet", "unknown key");
  expect_scenario_error("{ csv = \"absent.csv\", column = \"pv\" }", dir, 40,
                        "households.solar_profile", "cannot read the CSV file");
  // Out of the key's range (a capacity factor is within [0, 1]): the CSV line of the value.
  std::ofstream(dir_ / "neg.csv") << "pv\n0.1\n-0.5\n0.2\n0.3\n";
  try {
    parse_scenario(testing::small_with("solar_profile = [0.0, 0.4, 0.5, 0.0]",
                                       "solar_profile = { csv = \"neg.csv\", column = \"pv\" }"),
                   "s.toml", {}, dir);
    ADD_FAILURE() << "a negative solar factor was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, (dir_ / "neg.csv").string()) << e.what();
    EXPECT_EQ(e.where().line, 3) << e.what();
    EXPECT_NE(e.reason().find("column 'pv': -0.5 is out of range"), std::string::npos) << e.what();
  }
}

// Series of days: 24·D hourly rows are D days, day d of the run reading day d; each day's hours
// become periods as a single day's do.
TEST_F(CsvProfile, HourlyRowsOfSeveralDaysAreASeries) {
  std::string text = "day,hour,load\n";
  for (int d = 0; d < 3; ++d)
    for (int h = 0; h < 24; ++h)
      text +=
          std::to_string(d) + "," + std::to_string(h) + "," + std::to_string((d + 1) * h) + "\n";
  const CsvColumn load = read_csv_column(write(text), "load", "k");
  const auto series = series_for_periods(load, 4, "k");
  ASSERT_TRUE(series);
  ASSERT_EQ(series->days(), 3);
  // Day d, period p (hours 6p … 6p + 5): the mean of (d + 1)·h, (d + 1)·(6p + 2.5).
  for (int d = 0; d < 3; ++d)
    for (int p = 0; p < 4; ++p)
      EXPECT_DOUBLE_EQ(series->day(d)[static_cast<std::size_t>(p)], (d + 1) * (6.0 * p + 2.5))
          << d << " " << p;
  EXPECT_EQ(series->mean_day()[1], 2.0 * 8.5);
  // One day is not a series; neither whole days nor one day is an error at the last row.
  EXPECT_FALSE(series_for_periods(read_csv_column(hourly(), "load", "k"), 4, "k"));
  try {
    series_for_periods(read_csv_column(write(text + "3,0,1\n"), "load", "k"), 4, "k");
    ADD_FAILURE() << "73 rows read as days";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 74) << e.what();
    EXPECT_NE(e.reason().find("73 rows: neither one day (24 hourly rows or 4 for time.periods) "
                              "nor whole days of 24 hours (3 days and 1 hours)"),
              std::string::npos)
        << e.what();
  }
  // A key that takes one day says that the file holds a series, and which keys read them.
  expect_error(text, "load", 4, 73,
               "72 rows, a series of 3 days; this key takes one day's profile (24 hourly rows or "
               "4 for time.periods): series of days are read for network.load_profile, "
               "network.bus.base_load_mw, network.generator.cost_profile, "
               "households.solar_profile and households.class.demand_shape");
}

// In a scenario: the PV and a class's demand as series (from a file, or inline as one array per
// day), their mean days as the one-day profiles, demand shares whose daily sums average 1, a
// resolved scenario that reads back to the same bits, and every way it can be wrong.
TEST_F(CsvProfile, AScenarioSeriesOfDays) {
  std::string text = "hour,pv,load\n";
  for (int d = 0; d < 2; ++d)
    for (int h = 0; h < 24; ++h)
      text += std::to_string(h) + "," + std::to_string(d == 0 ? 10 * h : 5 * h) + "," +
              std::to_string(d == 0 ? 1 : 3) + "\n";
  write(text);  // day 0: 24 kWh, day 1: 72 kWh; PV in W per kW
  const std::string pv_from_file =
      "solar_profile = { csv = \"p.csv\", column = \"pv\", scale = 0.001 }";
  const std::string both =
      testing::small_with("demand_shape = [0.2, 0.2, 0.3, 0.3]",
                          "demand_shape = { csv = \"p.csv\", column = \"load\" }");
  const std::string at = "solar_profile = [0.0, 0.4, 0.5, 0.0]";
  std::string with_pv = both;
  with_pv.replace(with_pv.find(at), at.size(), pv_from_file);
  const Scenario m = parse_scenario(with_pv, "s.toml", {"time.days=2"}, dir_.string());
  const HouseholdClass& c = m.households.classes.at(0);
  ASSERT_EQ(c.demand_series.days(), 2);
  // Mean day 48 kWh: day 0's periods hold 6/48 of it, day 1's 18/48.
  for (int p = 0; p < 4; ++p) {
    EXPECT_NEAR(c.demand_series.day(0)[static_cast<std::size_t>(p)], 6.0 / 48, 1e-15);
    EXPECT_NEAR(c.demand_series.day(1)[static_cast<std::size_t>(p)], 18.0 / 48, 1e-15);
    EXPECT_NEAR(c.demand_shape[static_cast<std::size_t>(p)], 0.25, 1e-15);
  }
  // PV: 10·h and 5·h W per kW, scaled to kW per kW; period p's mean over its hours.
  const DailySeries& pv = m.households.solar_series;
  ASSERT_EQ(pv.days(), 2);
  EXPECT_NEAR(pv.day(0)[1], 0.010 * 8.5, 1e-15);
  EXPECT_NEAR(pv.day(1)[3], 0.005 * 20.5, 1e-15);
  EXPECT_NEAR(m.households.solar_profile[3], 0.0075 * 20.5, 1e-15);
  // Read back from the resolved scenario without the file: the same bits.
  const Scenario again = parse_scenario(m.resolved_toml, "r.toml", {}, "/nonexistent");
  EXPECT_EQ(again.households.classes.at(0).demand_series.values, c.demand_series.values);
  EXPECT_EQ(again.households.classes.at(0).demand_shape, c.demand_shape);
  EXPECT_EQ(again.households.solar_series.values, pv.values);
  EXPECT_EQ(again.households.solar_profile, m.households.solar_profile);
  const toml::table resolved = toml::parse(m.resolved_toml);
  EXPECT_EQ(resolved["sources"]["households.solar_profile"]["scale"].value_or(0.0), 0.001);

  const auto error = [&](const std::string& scenario_text,
                         const std::vector<std::string>& overrides, const std::string& key,
                         const std::string& reason) {
    try {
      parse_scenario(scenario_text, "s.toml", overrides, dir_.string());
      ADD_FAILURE() << "no error; expected " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), key) << e.what();
      EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
    }
  };
  error(both, {"time.days=3"}, "households.class[0].demand_shape",
        "the series holds 2 days and time.days = 3 (day d of the run reads day d of the "
        "series)");
  error(testing::small_with(at, "solar_profile = [[0, 0.4, 0.5, 0], [0, 0.2, 0.1]]"), {},
        "households.solar_profile",
        "day 1 of the series: expected an array of 4 numbers (time.periods)");
  error(testing::small_with(at, "solar_profile = [[0, 0.4, 0.5, 0], [0, 0.2, 1.1, 0]]"), {},
        "households.solar_profile", "day 1, period 2 must be");
  error(testing::small_with("demand_shape = [0.2, 0.2, 0.3, 0.3]",
                            "demand_shape = [[0.2, 0.2, 0.3, 0.3], [0.3, 0.3, 0.3, 0.3]]"),
        {"time.days=2"}, "households.class[0].demand_shape",
        "a series' daily shares must sum to 1 on average (they sum to 1.1)");
  // The tariff's rates are the leader's: one day, the same every day until it posts others.
  error(testing::small_with("import_rates = [100.0, 120.0, 200.0, 150.0]",
                            "import_rates = [[100.0, 120.0, 200.0, 150.0], [1.0, 2.0, 3.0, 4.0]]"),
        {}, "tariff.import_rates",
        "got an array of arrays: series of days are read for network.load_profile, "
        "network.bus.base_load_mw, network.generator.cost_profile, households.solar_profile and "
        "households.class.demand_shape");
  // The network's series: as long as the run, each day's load and costs within the LP's limits.
  const std::string two_days = "load_profile = [[0.8, 1.0, 1.2, 1.0], [0.8, 1.0, 1.2, 1.0]]";
  error(testing::small_with("load_profile = [0.8, 1.0, 1.2, 1.0]", two_days), {},
        "network.load_profile",
        "the series holds 2 days and time.days = 3 (day d of the run reads day d of the series)");
  error(testing::small_with("load_profile = [0.8, 1.0, 1.2, 1.0]",
                            "load_profile = [[0.8, 1.0, 1.2, 1.0], [0.8, 1.0, 2e6, 1.0]]"),
        {"time.days=2"}, "network.bus[0].base_load_mw",
        "bus b1 has a load of up to 2e+06 MW on day 1 in period 2 (load_profile, load_sd and "
        "load_season applied), beyond ±1e+06 MW");
  error(testing::small_with("base_load_mw = [0.5, 0.6, 0.7, 0.6]",
                            "base_load_mw = [[0.5, 0.6, 0.7, 0.6], [0.5, 0.6]]"),
        {"time.days=2"}, "network.bus[1].base_load_mw",
        "day 1 of the series: expected an array of 4 numbers (time.periods)");
  error(testing::small_with("cost_per_mwh = 30.0",
                            "cost_per_mwh = 30.0\ncost_profile = [[1, 1, 1, 1], [1, 1, 1e8, 1]]"),
        {"time.days=2"}, "network.generator[0].cost_profile",
        "cost profile 100000000 on day 1 in period 2 makes a marginal cost of 3000000000 $/MWh");
  error(testing::small_with("cost_per_mwh = 30.0",
                            "cost_per_mwh = 30.0\ncost_profile = [[1, 1, 1, 1], [1, -1, 1, 1]]"),
        {"time.days=2"}, "network.generator[0].cost_profile", "day 1, period 1 must be");
  error(testing::small_with(at, "solar_profile = { csv = \"p.csv\", column = \"pv\", scale = -1 }"),
        {}, "households.solar_profile.scale", "must be a finite number > 0");
  // Inline: shares whose daily sums average 1 are taken as they are.
  const Scenario inline_series = parse_scenario(
      testing::small_with("demand_shape = [0.2, 0.2, 0.3, 0.3]",
                          "demand_shape = [[0.1, 0.1, 0.2, 0.2], [0.2, 0.3, 0.4, 0.5]]"),
      "s.toml", {"time.days=2"}, dir_.string());
  EXPECT_NEAR(inline_series.households.classes.at(0).demand_series.day(1)[3], 0.5, 1e-15);
}

// A series dated by a time column: rows hourly and in order from a midnight, and the run reads it
// from time.start_date (its day d is the series' day dated start + d), whatever day the file
// starts on; the resolved scenario records the days the run reads; every way the dates can be
// wrong.
TEST_F(CsvProfile, ADatedSeriesIsReadFromTheStartDate) {
  // 2025-07-31 … 2025-08-03, the load factor of the k-th day k + 1 in every hour.
  const auto dated = [](int days, const std::string& first = "2025-07-31") {
    std::string text = "time,load\n";
    const int day0 = std::stoi(first.substr(8, 2));
    for (int d = 0; d < days; ++d)
      for (int h = 0; h < 24; ++h) {
        char stamp[32];
        std::snprintf(stamp, sizeof stamp, "%s-%02d %02d:00",
                      d + day0 <= 31 ? "2025-07" : "2025-08",
                      d + day0 <= 31 ? d + day0 : d + day0 - 31, h);
        text += std::string(stamp) + "," + std::to_string(d + 1) + "\n";
      }
    return text;
  };
  write(dated(4));
  const std::string from_file =
      "load_profile = { csv = \"p.csv\", column = \"load\", time_column = \"time\" }";
  const std::string text = testing::small_with("load_profile = [0.8, 1.0, 1.2, 1.0]", from_file);
  const Scenario s =
      parse_scenario(text, "s.toml", {"time.days=2", "time.start_date=2025-08-01"}, dir_.string());
  const DailySeries& series = s.network.load_profile_series;
  ASSERT_EQ(series.days(), 3);       // from 2025-08-01 to the end of the file
  EXPECT_EQ(series.day(0)[0], 2.0);  // 2025-08-01
  EXPECT_EQ(series.day(1)[3], 3.0);  // 2025-08-02
  const Scenario again = parse_scenario(s.resolved_toml, "r.toml", {}, "/nonexistent");
  EXPECT_EQ(again.network.load_profile_series.values, series.values);
  const toml::table resolved = toml::parse(s.resolved_toml);
  EXPECT_EQ(resolved["sources"]["network.load_profile"]["time_column"].value_or(std::string()),
            "time");

  const auto error = [&](const std::vector<std::string>& overrides, const std::string& key,
                         int line, const std::string& reason) {
    try {
      parse_scenario(text, "s.toml", overrides, dir_.string());
      ADD_FAILURE() << "no error; expected " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), key) << e.what();
      if (line > 0) {
        EXPECT_EQ(e.where().line, line) << e.what();
      }
      EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
    }
  };
  error({"time.days=2", "time.start_date=2025-07-30"}, "network.load_profile", 2,
        "column 'load': the series starts on 2025-07-31, after time.start_date 2025-07-30 (day d "
        "of the run reads the series' day dated time.start_date + d)");
  error({"time.days=2", "time.start_date=2025-08-04"}, "network.load_profile", 2,
        "the series ends on 2025-08-03, before time.start_date 2025-08-04");
  error({"time.days=2", "time.start_date=2025-08-03"}, "network.load_profile", 0,
        "the series holds 1 days and time.days = 2");
  const std::vector<std::string> two_days{"time.days=2", "time.start_date=2025-08-01"};
  // Line 2 + 24·d + h holds day d's hour h.
  std::string gap = dated(4);
  gap.replace(gap.find("2025-07-31 05:00"), 16, "2025-07-31 06:00");
  write(gap);
  error(two_days, "network.load_profile", 7,
        "column 'load': time 2025-07-31 06:00 where the rows, hourly and in order, reach "
        "2025-07-31 05:00 (a local time with daylight saving repeats or skips an hour: give the "
        "series in UTC or standard time)");
  std::string late = dated(4);
  late.replace(late.find("2025-07-31 00:00"), 16, "2025-07-30 23:00");
  write(late);
  error(two_days, "network.load_profile", 2,
        "the first row's time 2025-07-30 23:00 must start a day (00:00)");
  std::string half = dated(4);
  half.replace(half.find("2025-08-01 10:00"), 16, "2025-08-01 10:30");
  write(half);
  error(two_days, "network.load_profile", 2 + 24 + 10,
        "time '2025-08-01 10:30' is not a time on the hour such as 2025-08-01 00:00");
  // ISO 8601 with a T, seconds and Z read alike.
  std::string iso = dated(4);
  for (auto at = iso.find(" "); at != std::string::npos; at = iso.find(" ", at)) iso[at] = 'T';
  for (auto at = iso.find(":00,"); at != std::string::npos; at = iso.find(":00,", at + 7))
    iso.replace(at, 4, ":00:00Z,");
  write(iso);
  EXPECT_EQ(
      parse_scenario(text, "s.toml", two_days, dir_.string()).network.load_profile_series.values,
      series.values);
  write(dated(4));
  const std::string misnamed = testing::small_with(
      "load_profile = [0.8, 1.0, 1.2, 1.0]",
      "load_profile = { csv = \"p.csv\", column = \"load\", time_column = \"hour\" }");
  try {
    parse_scenario(misnamed, "s.toml", two_days, dir_.string());
    ADD_FAILURE() << "a missing time column was not reported";
  } catch (const InputError& e) {
    EXPECT_NE(e.reason().find("no time column 'hour'; the header has: time, load"),
              std::string::npos)
        << e.what();
  }
}

// time.periods changed without editing the profiles: inline arrays of another length are
// resampled like hours (each value repeated over the periods it spans, or periods the mean of
// their values), shapes renormalised; period indices are refused.
TEST(ProfileResampling, ProfilesFollowTimePeriods) {
  const std::string text = testing::small_scenario();  // 4 periods
  const Scenario eight = parse_scenario(text, "s.toml", {"time.periods=8"}, MFGRID_TEST_DATA);
  EXPECT_EQ(eight.network.buses.at(0).base_load_mw,
            (std::vector<double>{0.8, 0.8, 1.0, 1.0, 1.2, 1.2, 1.0, 1.0}));
  const std::vector<double>& shape = eight.households.classes.at(0).demand_shape;
  const std::vector<double> want{0.1, 0.1, 0.1, 0.1, 0.15, 0.15, 0.15, 0.15};
  ASSERT_EQ(shape.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(shape[i], want[i], 1e-15) << i;
  const Scenario again = parse_scenario(eight.resolved_toml, "r.toml", {}, MFGRID_TEST_DATA);
  EXPECT_EQ(again.network.buses.at(0).base_load_mw, eight.network.buses.at(0).base_load_mw);
  EXPECT_EQ(again.households.classes.at(0).demand_shape, shape);
  const Scenario two = parse_scenario(text, "s.toml", {"time.periods=2"}, MFGRID_TEST_DATA);
  ASSERT_EQ(two.network.buses.at(0).base_load_mw.size(), 2u);
  EXPECT_NEAR(two.network.buses.at(0).base_load_mw[0], 0.9, 1e-15);
  EXPECT_NEAR(two.network.buses.at(0).base_load_mw[1], 1.1, 1e-15);
  EXPECT_NEAR(two.households.classes.at(0).demand_shape[0], 0.4, 1e-15);
  try {
    parse_scenario(text, "s.toml", {"time.periods=3"}, MFGRID_TEST_DATA);
    ADD_FAILURE() << "4 values became 3 periods";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "network.load_profile") << e.what();
    EXPECT_NE(e.reason().find("expected 3 values (time.periods; other counts are resampled when "
                              "one divides the other), got 4"),
              std::string::npos)
        << e.what();
  }
}

TEST(ProfileResampling, PeriodIndicesAreNotGuessed) {
  try {
    load_scenario("ieee3-equity", {"time.periods=24"});
    ADD_FAILURE() << "peak periods written for 8 periods were taken for 24";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "tariff.peak_periods") << e.what();
    EXPECT_NE(e.reason().find("period indices cannot be"), std::string::npos) << e.what();
  }
  const Scenario s =
      load_scenario("ieee3-equity", {"time.periods=24", "tariff.peak_periods=[18,19,20,21,22,23]"});
  EXPECT_EQ(s.tariff.peak_periods, (std::vector<int>{18, 19, 20, 21, 22, 23}));
  EXPECT_EQ(s.households.solar_profile.size(), 24u) << "the default sun, resampled";
}

}  // namespace
}  // namespace mfgrid::config_detail
