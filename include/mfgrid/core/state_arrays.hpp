// Helpers to put ragged arrays (vectors of vectors) into a StateArchive and back.
#pragma once

#include <string>
#include <vector>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/state_archive.hpp"

namespace mfgrid {

inline void put_ragged(StateArchive& a, const std::string& key,
                       const std::vector<std::vector<double>>& rows) {
  std::vector<std::int64_t> sizes;
  std::vector<double> data;
  for (const auto& r : rows) {
    sizes.push_back(static_cast<std::int64_t>(r.size()));
    data.insert(data.end(), r.begin(), r.end());
  }
  a.put(key + "/sizes", std::move(sizes));
  a.put(key + "/data", std::move(data));
}

inline std::vector<std::vector<double>> get_ragged(const StateArchive& a, const std::string& key) {
  const auto& sizes = a.integers(key + "/sizes");
  const auto& data = a.doubles(key + "/data");
  std::vector<std::vector<double>> rows;
  std::size_t at = 0;
  for (std::int64_t n : sizes) {
    if (n < 0 || at + static_cast<std::size_t>(n) > data.size())
      throw IoError("checkpoint", "state '" + key + "' is inconsistent");
    rows.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(at),
                      data.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(n)));
    at += static_cast<std::size_t>(n);
  }
  return rows;
}

inline std::vector<double> to_doubles(const std::vector<float>& v) { return {v.begin(), v.end()}; }
inline std::vector<float> to_floats(const std::vector<double>& v) {
  std::vector<float> out;
  out.reserve(v.size());
  for (double x : v) out.push_back(static_cast<float>(x));
  return out;
}

}  // namespace mfgrid
