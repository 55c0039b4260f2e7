#include "bindings/day_arrays.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

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
    if (spec.source != SeriesSource::whole_row) continue;
    Series s{std::move(spec), {}, {}};
    for (std::size_t k = 1; k < s.spec.dims.size(); ++k) {
      s.dims.push_back(s.spec.dims[k]);
      s.shape.push_back(static_cast<py::ssize_t>(dimension(s.spec.dims[k]).size(sim, ranks)));
    }
    series_.push_back(std::move(s));
  }
}

py::dict DayArrays::arrays(const Simulation& sim, const DayOutcome& day) const {
  py::dict out;
  for (const Series& s : series_) {
    if (!day_adds_row(day, s.spec.rows())) continue;
    auto bytes = std::make_unique<std::vector<unsigned char>>();
    RowBuffer row(s.spec.type, *bytes);
    s.spec.read_row(sim, day, row);
    std::size_t count = 1;
    for (py::ssize_t n : s.shape) count *= static_cast<std::size_t>(n);
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
  return out;
}

py::dict DayArrays::describe() const {
  py::dict out;
  for (const Series& s : series_) {
    py::dict d;
    d["dims"] = py::tuple(py::cast(s.dims));
    d["units"] = s.spec.units;
    d["long_name"] = s.spec.long_name;
    d["rows"] = rows_name(s.spec.rows());
    out[py::str(s.spec.path)] = d;
  }
  return out;
}

std::vector<std::string> dimension_labels(const Simulation& sim, const std::string& dim) {
  const DimensionSpec& d = dimension(dim);
  return d.labels != nullptr ? d.labels(sim) : std::vector<std::string>{};
}

}  // namespace mfgrid::bindings
