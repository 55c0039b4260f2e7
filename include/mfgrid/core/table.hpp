// A two-dimensional table stored row by row: the layout is in the type ([row][column]) and its
// accessors, not in a comment next to a flat vector and index arithmetic at every use.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

template <class T>
class Table2 {
 public:
  Table2() = default;
  Table2(int rows, int columns, const T& value = T{})
      : rows_(rows), columns_(columns), values_(size(rows, columns), value) {}

  // A table of `values` given row after row; there must be rows × columns of them.
  Table2(int rows, int columns, std::vector<T> values)
      : rows_(rows), columns_(columns), values_(std::move(values)) {
    if (values_.size() != size(rows, columns))
      throw Error("a table of " + std::to_string(rows) + " × " + std::to_string(columns) +
                  " built from " + std::to_string(values_.size()) + " values");
  }

  int rows() const { return rows_; }
  int columns() const { return columns_; }

  T& operator()(int row, int column) { return values_[index(row, column)]; }
  const T& operator()(int row, int column) const { return values_[index(row, column)]; }
  std::span<T> row(int r) { return {values_.data() + index(r, 0), size(1, columns_)}; }
  std::span<const T> row(int r) const { return {values_.data() + index(r, 0), size(1, columns_)}; }

  // Every value, row after row: what a file, a reduction or a checkpoint takes.
  const std::vector<T>& values() const { return values_; }
  // Replaces every value (row after row); false, and nothing changed, when the count is not
  // rows × columns.
  bool assign(const std::vector<T>& values) {
    if (values.size() != values_.size()) return false;
    values_ = values;
    return true;
  }

  bool operator==(const Table2&) const = default;

 private:
  static std::size_t size(int rows, int columns) {
    return static_cast<std::size_t>(rows) * static_cast<std::size_t>(columns);
  }
  std::size_t index(int row, int column) const {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(columns_) +
           static_cast<std::size_t>(column);
  }

  int rows_ = 0;
  int columns_ = 0;
  std::vector<T> values_;
};

}  // namespace mfgrid
