#include "bindings/day_arrays.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <limits>
#include <memory>

#include "mfgrid/core/error.hpp"

namespace py = pybind11;

namespace mfgrid::bindings {

namespace {

const DimensionSpec& dimension(const std::string& name) {
  if (const DimensionSpec* d = find_dimension(name)) return *d;
  throw Error("no dimension named '" + name + "' in the run file's outputs");
}

py::dtype dtype_of(ValueType type) {
  switch (type) {
    case ValueType::f64:
      return py::dtype::of<double>();
    case ValueType::f32:
      return py::dtype::of<float>();
    case ValueType::i64:
      return py::dtype::of<std::int64_t>();
  }
  return py::dtype::of<double>();
}

std::size_t bytes_of(ValueType type) { return type == ValueType::f32 ? 4 : 8; }

std::size_t values_in(const std::vector<py::ssize_t>& shape) {
  std::size_t count = 1;
  for (py::ssize_t n : shape) count *= static_cast<std::size_t>(n);
  return count;
}

const char* rows_name(SeriesRows rows) {
  switch (rows) {
    case SeriesRows::day:
      return "day";
    case SeriesRows::iteration:
      return "iteration";
    case SeriesRows::interaction:
      return "interaction";
  }
  return "day";
}

}  // namespace

DayArrays::DayArrays(const Simulation& sim) {
  const int ranks = sim.communicator().size();
  for (SeriesSpec& spec : run_series(sim)) {
    if (spec.source == SeriesSource::io_timing) continue;
    Series s{std::move(spec), {}, {}};
    for (std::size_t k = 1; k < s.spec.dims.size(); ++k) {
      s.dims.push_back(s.spec.dims[k]);
      s.shape.push_back(static_cast<py::ssize_t>(dimension(s.spec.dims[k]).size(sim, ranks)));
    }
    if (s.spec.source == SeriesSource::whole_row) {
      series_.push_back(std::move(s));
      continue;
    }
    // A point's coordinates after the row are two (PointBuffer::put), its value a double.
    if (s.shape.size() != 2 || s.spec.type != ValueType::f64)
      throw Error(s.spec.path + ": a series of points has two fixed dimensions and doubles");
    point_series_.push_back(std::move(s));
  }
  point_rows_.resize(point_series_.size());
}

void DayArrays::gather_points(const Simulation& sim, const DayOutcome& day) {
  std::vector<std::uint64_t> coords;
  std::vector<unsigned char> bytes;
  std::vector<double> mine;
  std::vector<double> all;
  std::vector<int> counts;
  for (std::size_t k = 0; k < point_series_.size(); ++k) {
    const Series& s = point_series_[k];
    std::vector<double>& row = point_rows_[k];
    row.clear();
    if (!day_adds_row(day, s.spec.rows())) continue;  // the same on every rank
    coords.clear();
    bytes.clear();
    PointBuffer points(0, coords, bytes);
    s.spec.read_points(sim, day, points);
    // Each point as (i, j, value): indices of a day's row are far below 2^53, exact as doubles.
    mine.clear();
    for (std::size_t p = 0; p < bytes.size() / sizeof(double); ++p) {
      double value = 0;
      std::memcpy(&value, bytes.data() + p * sizeof(double), sizeof value);
      mine.insert(mine.end(), {static_cast<double>(coords[3 * p + 1]),
                               static_cast<double>(coords[3 * p + 2]), value});
    }
    sim.communicator().gather_to_all(mine, counts, all);
    // Every sampled agent lives on one rank: a value left NaN would be one no rank simulated.
    row.assign(values_in(s.shape), std::numeric_limits<double>::quiet_NaN());
    const auto width = static_cast<std::size_t>(s.shape[1]);
    for (std::size_t p = 0; p + 2 < all.size(); p += 3)
      row.at(static_cast<std::size_t>(all[p]) * width + static_cast<std::size_t>(all[p + 1])) =
          all[p + 2];
    if (all.size() / 3 != row.size())
      throw Error(s.spec.path + ": the ranks hold " + std::to_string(all.size() / 3) +
                  " of the row's " + std::to_string(row.size()) + " values");
  }
  points_clock_ = sim.day();
}

py::dict DayArrays::arrays(const Simulation& sim, const DayOutcome& day) const {
  py::dict out;
  for (const Series& s : series_) {
    if (!day_adds_row(day, s.spec.rows())) continue;
    auto bytes = std::make_unique<std::vector<unsigned char>>();
    RowBuffer row(s.spec.type, *bytes);
    s.spec.read_row(sim, day, row);
    const std::size_t count = values_in(s.shape);
    if (bytes->size() != count * bytes_of(s.spec.type))
      throw Error(s.spec.path + ": the day's row holds " + std::to_string(bytes->size()) +
                  " bytes, not the " + std::to_string(count * bytes_of(s.spec.type)) +
                  " of its dimensions");
    void* data = bytes->data();
    // The array keeps the row's bytes alive: from here the capsule frees them, with the array.
    py::capsule owner(bytes.get(),
                      [](void* p) { delete static_cast<std::vector<unsigned char>*>(p); });
    static_cast<void>(bytes.release());
    out[py::str(s.spec.path)] = py::array(dtype_of(s.spec.type), s.shape, data, owner);
  }
  // Gathered at the end of every step; a step that failed after its first day did not, and its
  // last day is then shown without them.
  if (points_clock_ != sim.day()) return out;
  for (std::size_t k = 0; k < point_series_.size(); ++k) {
    if (point_rows_[k].empty()) continue;
    py::array_t<double> values(point_series_[k].shape);
    std::memcpy(values.mutable_data(), point_rows_[k].data(),
                point_rows_[k].size() * sizeof(double));
    out[py::str(point_series_[k].spec.path)] = values;
  }
  return out;
}

py::dict DayArrays::describe() const {
  py::dict out;
  const auto add = [&out](const Series& s) {
    py::dict d;
    d["dims"] = py::tuple(py::cast(s.dims));
    d["units"] = s.spec.units;
    d["long_name"] = s.spec.long_name;
    d["rows"] = rows_name(s.spec.rows());
    out[py::str(s.spec.path)] = d;
  };
  for (const Series& s : series_) add(s);
  for (const Series& s : point_series_) add(s);
  return out;
}

std::vector<std::string> dimension_labels(const Simulation& sim, const std::string& dim) {
  const DimensionSpec& d = dimension(dim);
  return d.labels != nullptr ? d.labels(sim) : std::vector<std::string>{};
}

}  // namespace mfgrid::bindings
