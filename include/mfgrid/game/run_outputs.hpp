// What a run records, declared once: each series' path, dimensions, units and meaning next to the
// value it reads from the simulated day, and each dimension's size and labels. io makes the run
// file's schema from these tables and writes every row with the same entries in one loop; it
// computes nothing itself. Adding an output is one entry in src/game/run_outputs.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mfgrid/game/simulation.hpp"

namespace mfgrid {

// The growing dimension of a series: a row per simulated day, per follower update (when the day
// has one), per leader interaction (when the day ends one).
enum class SeriesRows { day, iteration, interaction };
enum class ValueType { f64, f32, i64 };

// The bytes of one row, appended value by value (in the series' type, which the calls check).
class RowBuffer {
 public:
  RowBuffer(ValueType type, std::vector<unsigned char>& bytes) : type_(type), bytes_(bytes) {}
  void put(std::span<const double> values);
  void put(std::span<const float> values);
  void put(std::span<const std::int64_t> values);
  void put(double value) { put(std::span<const double>(&value, 1)); }
  void put(std::int64_t value) { put(std::span<const std::int64_t>(&value, 1)); }

 private:
  void check(ValueType type) const;
  ValueType type_;
  std::vector<unsigned char>& bytes_;
};

// The values of one row that this rank holds, each with its coordinates after the row's: for the
// series every rank writes its own part of (the sampled agents it simulates).
class PointBuffer {
 public:
  PointBuffer(std::uint64_t row, std::vector<std::uint64_t>& coords,
              std::vector<unsigned char>& bytes)
      : row_(row), coords_(coords), bytes_(bytes) {}
  void put(std::uint64_t i, std::uint64_t j, double value);  // the value at [row, i, j]

 private:
  std::uint64_t row_;
  std::vector<std::uint64_t>& coords_;
  std::vector<unsigned char>& bytes_;
};

// Where a series' values come from.
enum class SeriesSource {
  whole_row,   // `read_row`: the same on every rank, written by rank 0
  own_points,  // `read_points`: each rank its own points of the row
  io_timing,   // written by io itself (its timings per rank, known only once a batch is written)
};

struct SeriesSpec {
  std::string path;
  std::vector<std::string> dims;  // the first is the growing one (day, iteration, interaction)
  ValueType type;
  std::string units;
  std::string long_name;
  SeriesSource source = SeriesSource::whole_row;
  std::function<void(const Simulation& sim, const DayOutcome& day, RowBuffer& row)> read_row{};
  std::function<void(const Simulation& sim, const DayOutcome& day, PointBuffer& points)>
      read_points{};

  // An auxiliary coordinate of its growing dimension (time, along day): named in the
  // `coordinates` attribute of every series along that dimension.
  bool coordinate = false;

  SeriesRows rows() const;
};

// A fixed dimension: its size and the names of its members (empty: none), from the simulation.
struct DimensionSpec {
  const char* name;
  const char* long_name;
  std::uint64_t (*size)(const Simulation& sim, int ranks);
  std::vector<std::string> (*labels)(const Simulation& sim) = nullptr;
  bool grows = false;  // rank: a run resumed on more ranks extends it
  // Each member's units, where its series mix units (param: $/MWh, $/day, ...), kept in the
  // scale's `member_units` attribute.
  std::vector<std::string> (*member_units)(const Simulation& sim) = nullptr;
};

// A fixed auxiliary coordinate of a dimension (period_start, along period): a dataset of its own,
// named in the `coordinates` attribute of every series along that dimension.
struct CoordinateSpec {
  const char* name;
  const char* dim;
  const char* units;
  const char* long_name;
  std::vector<double> (*values)(const Simulation& sim);
};

// Every series of the run file of this simulation, in the order the file lists them: the table's,
// then the leader learner's diagnostics (leader/<name>, as its diagnostic_specs() declare them),
// then the time coordinate (days since time.start_date, CF).
std::vector<SeriesSpec> run_series(const Simulation& sim);
// Every fixed dimension, in the order the file lists them.
std::span<const DimensionSpec> run_dimensions();
// Every fixed auxiliary coordinate.
std::span<const CoordinateSpec> run_coordinates();
// The fixed dimension of that name; nullptr if none.
const DimensionSpec* find_dimension(std::string_view name);
// True for a fixed dimension a resumed run may extend (rank).
bool dimension_grows(std::string_view name);
// The growing dimensions' names, in the order the file lists them, and the rows of each.
inline constexpr const char* growing_dimension_names[] = {"day", "iteration", "interaction"};
SeriesRows rows_along(std::string_view growing_dimension);
// True when the day adds a row to series of these rows (every day; a follower update; an
// interaction).
bool day_adds_row(const DayOutcome& day, SeriesRows rows);
// The value of the growing dimension's scale for the row the day adds (day, iteration index,
// interaction number); `rows_so_far` is the scale's length before it.
std::int64_t growing_scale_value(const DayOutcome& day, SeriesRows rows, std::int64_t rows_so_far);

}  // namespace mfgrid
