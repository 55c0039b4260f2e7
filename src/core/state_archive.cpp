#include "mfgrid/core/state_archive.hpp"

#include "mfgrid/core/error.hpp"

namespace mfgrid {

template <class T>
const std::vector<T>& StateArchive::get(const std::string& key, const char* type) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) throw IoError("checkpoint", "missing state '" + key + "'");
  if (const auto* v = std::get_if<std::vector<T>>(&it->second)) return *v;
  throw IoError("checkpoint", "state '" + key + "' is not an array of " + type);
}

const std::vector<double>& StateArchive::doubles(const std::string& key) const {
  return get<double>(key, "doubles");
}
const std::vector<std::int64_t>& StateArchive::integers(const std::string& key) const {
  return get<std::int64_t>(key, "integers");
}
const std::vector<std::uint8_t>& StateArchive::bytes(const std::string& key) const {
  return get<std::uint8_t>(key, "bytes");
}

double StateArchive::scalar(const std::string& key) const {
  const auto& v = doubles(key);
  if (v.size() != 1) throw IoError("checkpoint", "state '" + key + "' is not a scalar");
  return v[0];
}

std::int64_t StateArchive::integer(const std::string& key) const {
  const auto& v = integers(key);
  if (v.size() != 1) throw IoError("checkpoint", "state '" + key + "' is not a scalar");
  return v[0];
}

}  // namespace mfgrid
