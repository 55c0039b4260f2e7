// Named arrays: the state of a component, saved for a checkpoint and restored on resume.
//
// Components (the followers' and leader's learners, the simulation clock) save what they need to
// continue bit-identically; the io module writes the archive into the run file's /checkpoint group.
// Keys are paths ("followers/prices"); values are arrays of doubles, 64-bit integers or bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace mfgrid {

class StateArchive {
 public:
  using Value =
      std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::uint8_t>>;

  void put(const std::string& key, std::vector<double> values) {
    entries_[key] = std::move(values);
  }
  void put(const std::string& key, std::vector<std::int64_t> values) {
    entries_[key] = std::move(values);
  }
  void put(const std::string& key, std::vector<std::uint8_t> values) {
    entries_[key] = std::move(values);
  }
  void put_scalar(const std::string& key, double v) { put(key, std::vector<double>{v}); }
  void put_integer(const std::string& key, std::int64_t v) {
    put(key, std::vector<std::int64_t>{v});
  }

  // Throw IoError naming the key when it is missing or of another type.
  const std::vector<double>& doubles(const std::string& key) const;
  const std::vector<std::int64_t>& integers(const std::string& key) const;
  const std::vector<std::uint8_t>& bytes(const std::string& key) const;
  double scalar(const std::string& key) const;
  std::int64_t integer(const std::string& key) const;
  bool has(const std::string& key) const { return entries_.count(key) != 0; }

  const std::map<std::string, Value>& entries() const { return entries_; }
  std::map<std::string, Value>& entries() { return entries_; }

 private:
  template <class T>
  const std::vector<T>& get(const std::string& key, const char* type) const;
  std::map<std::string, Value> entries_;
};

}  // namespace mfgrid
