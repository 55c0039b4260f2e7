#include "io/series.hpp"

namespace mfgrid::io {

hid_t h5_type(ValueType type) {
  switch (type) {
    case ValueType::f64:
      return H5T_NATIVE_DOUBLE;
    case ValueType::f32:
      return H5T_NATIVE_FLOAT;
    case ValueType::i64:
      return H5T_NATIVE_INT64;
  }
  return H5T_NATIVE_DOUBLE;
}

void write_pending(Series& s, const std::string& path, bool root) {
  if (s.pending == 0) return;
  auto e = h5::extent(s.dataset);
  e[0] = s.rows + s.pending;
  h5::check_write(H5Dset_extent(s.dataset, e.data()), path, "cannot extend a dataset");
  if (s.pointwise)
    h5::write_points(s.dataset, s.type, std::vector<hsize_t>(s.coords.begin(), s.coords.end()),
                     s.coords.size() / e.size(), s.data.data());
  else
    h5::write_rows(s.dataset, s.type, s.rows, s.pending, s.data.data(), root);
  s.rows += s.pending;
  s.pending = 0;
  s.data.clear();
  s.coords.clear();
}

}  // namespace mfgrid::io
