#include "mfgrid/core/error.hpp"

#include <utility>

namespace mfgrid {

std::string SourceLocation::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {
std::string format_input_error(const SourceLocation& where, const std::string& key,
                               const std::string& reason) {
  std::string out = where.str();
  if (!out.empty()) out += ": ";
  if (!key.empty()) out += key + ": ";
  return out + reason;
}
}  // namespace

InputError::InputError(SourceLocation where, std::string key, std::string reason)
    : Error(format_input_error(where, key, reason)),
      where_(std::move(where)),
      key_(std::move(key)),
      reason_(std::move(reason)) {}

FileError::FileError(std::string path, std::string reason)
    : Error(path + ": " + reason), path_(std::move(path)), reason_(std::move(reason)) {}

}  // namespace mfgrid
