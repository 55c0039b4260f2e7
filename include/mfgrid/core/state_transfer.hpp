// One path in and out of a checkpoint: a component describes its state once, in
// `transfer(StateTransfer&)`, and that one description both saves it into a StateArchive and
// restores it from one, so a field cannot be saved under one key and loaded under another, or
// saved and forgotten on load.
//
// Saving reads the component's fields into the archive; loading checks the archive's values
// (their type, and their size where the component's shape is fixed by the scenario) and writes
// them into the fields. Records (a learner's history) are stored column by column.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/state_archive.hpp"
#include "mfgrid/core/table.hpp"

namespace mfgrid {

template <class Record>
class StateColumns;

class StateTransfer {
 public:
  static StateTransfer into(StateArchive& out) { return StateTransfer(&out, &out); }
  static StateTransfer from(const StateArchive& in) { return StateTransfer(nullptr, &in); }

  bool saving() const { return out_ != nullptr; }
  bool loading() const { return out_ == nullptr; }
  // Whether the archive holds a key: lets a loader recognise an older checkpoint layout.
  bool has(const std::string& key) const { return in_->has(key); }
  const StateArchive& archive() const { return *in_; }

  // Scalars: integers and flags are stored as 64-bit integers.
  void value(const std::string& key, double& v) {
    if (saving()) return out_->put_scalar(key, v);
    v = in_->scalar(key);
  }
  void value(const std::string& key, std::int64_t& v) {
    if (saving()) return out_->put_integer(key, v);
    v = in_->integer(key);
  }
  void value(const std::string& key, int& v) {
    std::int64_t wide = v;
    value(key, wide);
    if (loading()) v = static_cast<int>(wide);
  }
  void value(const std::string& key, bool& v) {
    std::int64_t wide = v ? 1 : 0;
    value(key, wide);
    if (loading()) v = wide != 0;
  }

  // A scalar the component exposes by a getter: `current` is saved, or `set` receives the
  // loaded value.
  template <class T, class Set>
  void value(const std::string& key, T current, Set set) {
    value(key, current);
    if (loading()) set(current);
  }

  // Arrays whose length the archive decides.
  template <class T>
  void values(const std::string& key, std::vector<T>& v) {
    if (saving()) return out_->put(key, v);
    v = stored<T>(key);
  }
  // Arrays whose length the component already has (from the scenario): loading refuses another
  // length, naming `what`.
  template <class T>
  void fixed(const std::string& key, std::span<T> v, const char* what) {
    if (saving()) return out_->put(key, std::vector<T>(v.begin(), v.end()));
    const std::vector<T>& in = stored<T>(key);
    expect_size(in.size(), v.size(), what);
    std::copy(in.begin(), in.end(), v.begin());
  }
  template <class T>
  void fixed(const std::string& key, std::vector<T>& v, const char* what) {
    fixed(key, std::span<T>(v), what);
  }
  template <class T>
  void fixed(const std::string& key, Table2<T>& table, const char* what) {
    std::vector<T> cells = table.values();
    fixed(key, cells, what);
    if (loading()) table.assign(cells);
  }

  // Several scalars stored as one array of Stored (double or std::int64_t); `fields` is a
  // std::tie of them.
  template <class Stored, class... Fields>
  void tuple(const std::string& key, std::tuple<Fields&...> fields) {
    std::vector<Stored> all;
    if (saving())
      std::apply([&](auto&... f) { (all.push_back(static_cast<Stored>(f)), ...); }, fields);
    values(key, all);
    if (loading()) {
      expect_size(all.size(), sizeof...(Fields), ("state '" + key + "'").c_str());
      assign_from(all.data(), fields);
    }
  }

  // An array of arrays, stored as key/sizes and key/data.
  void ragged(const std::string& key, std::vector<std::vector<double>>& rows) {
    std::vector<std::int64_t> sizes;
    std::vector<double> data;
    for (std::size_t r = 0; saving() && r < rows.size(); ++r) {
      sizes.push_back(static_cast<std::int64_t>(rows[r].size()));
      data.insert(data.end(), rows[r].begin(), rows[r].end());
    }
    values(key + "/sizes", sizes);
    values(key + "/data", data);
    if (saving()) return;
    rows.clear();
    std::size_t at = 0;
    for (std::int64_t n : sizes) {
      if (n < 0 || at + static_cast<std::size_t>(n) > data.size())
        throw IoError("checkpoint", "state '" + key + "' is inconsistent");
      rows.emplace_back(
          data.begin() + static_cast<std::ptrdiff_t>(at),
          data.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(n)));
      at += static_cast<std::size_t>(n);
    }
  }

  // The records of a list, one column per field: see StateColumns.
  template <class Record>
  StateColumns<Record> columns(std::string prefix, std::vector<Record>& list) {
    return StateColumns<Record>(*this, std::move(prefix), list);
  }

  static void expect_size(std::size_t stored, std::size_t needed, const char* what) {
    if (stored != needed)
      throw IoError("checkpoint", std::string(what) + " has " + std::to_string(stored) +
                                      " values where this scenario needs " +
                                      std::to_string(needed));
  }

 private:
  template <class Stored, class Tuple>
  static void assign_from(const Stored* at, Tuple fields) {
    std::apply(
        [&](auto&... f) { ((f = static_cast<std::remove_cvref_t<decltype(f)>>(*at++)), ...); },
        fields);
  }
  StateTransfer(StateArchive* out, const StateArchive* in) : out_(out), in_(in) {}
  template <class T>
  const std::vector<T>& stored(const std::string& key) const {
    if constexpr (std::is_same_v<T, double>)
      return in_->doubles(key);
    else if constexpr (std::is_same_v<T, std::int64_t>)
      return in_->integers(key);
    else
      return in_->bytes(key);
  }
  template <class Record>
  friend class StateColumns;

  StateArchive* out_;  // null when loading
  const StateArchive* in_;
};

// A list of records stored as columns "prefix/name", one per field. On load the first column
// gives the number of records (the list is rebuilt from default records) and every later column
// must hold as many, or the checkpoint is refused as inconsistent. A field is named by a member
// pointer or by a function from a record to a reference to the field.
template <class Record>
class StateColumns {
 public:
  StateColumns(StateTransfer& t, std::string prefix, std::vector<Record>& list)
      : t_(t), prefix_(std::move(prefix)), list_(list) {}

  // One scalar (int, bool, double) or one array of doubles per record.
  template <class Field>
  StateColumns& column(const std::string& name, Field field) {
    using Value = std::remove_cvref_t<std::invoke_result_t<Field, Record&>>;
    const std::string key = prefix_ + "/" + name;
    if constexpr (std::is_same_v<Value, std::vector<double>>) {
      std::vector<std::vector<double>> rows;
      if (t_.saving())
        for (Record& r : list_) rows.push_back(std::invoke(field, r));
      t_.ragged(key, rows);
      if (t_.loading()) {
        records(rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) std::invoke(field, list_[k]) = rows[k];
      }
    } else {
      using Stored = std::conditional_t<std::is_floating_point_v<Value>, double, std::int64_t>;
      std::vector<Stored> column;
      if (t_.saving())
        for (Record& r : list_) column.push_back(static_cast<Stored>(std::invoke(field, r)));
      t_.values(key, column);
      if (t_.loading()) {
        records(column.size());
        for (std::size_t k = 0; k < column.size(); ++k)
          std::invoke(field, list_[k]) = static_cast<Value>(column[k]);
      }
    }
    return *this;
  }

  // An array of doubles per record, all of one length, stored end to end. Not the first column:
  // the length is the stored count over the number of records.
  template <class Field>
  StateColumns& packed(const std::string& name, Field field) {
    std::vector<double> all;
    if (t_.saving())
      for (Record& r : list_) {
        const std::vector<double>& v = std::invoke(field, r);
        all.insert(all.end(), v.begin(), v.end());
      }
    t_.values(prefix_ + "/" + name, all);
    if (t_.loading()) {
      if (!sized_) throw std::logic_error("StateColumns::packed before the first column");
      const std::size_t n = list_.size(), width = n ? all.size() / n : 0;
      if (width * n != all.size()) inconsistent();
      for (std::size_t k = 0; k < n; ++k)
        std::invoke(field, list_[k])
            .assign(all.begin() + static_cast<std::ptrdiff_t>(k * width),
                    all.begin() + static_cast<std::ptrdiff_t>((k + 1) * width));
    }
    return *this;
  }

  // Several scalar fields per record, stored end to end as Stored (double or std::int64_t):
  // `fields` returns a tuple of references (std::tie).
  template <class Stored, class Fields>
  StateColumns& tuple(const std::string& name, Fields fields) {
    using Refs = std::invoke_result_t<Fields, Record&>;
    constexpr std::size_t width = std::tuple_size_v<Refs>;
    std::vector<Stored> all;
    if (t_.saving())
      for (Record& r : list_)
        std::apply([&](auto&... f) { (all.push_back(static_cast<Stored>(f)), ...); },
                   std::invoke(fields, r));
    t_.values(prefix_ + "/" + name, all);
    if (t_.loading()) {
      if (all.size() % width != 0) inconsistent();
      records(all.size() / width);
      for (std::size_t k = 0; k < list_.size(); ++k)
        StateTransfer::assign_from(all.data() + k * width, std::invoke(fields, list_[k]));
    }
    return *this;
  }

 private:
  // Loading: the first column sizes the list, the others must agree.
  void records(std::size_t n) {
    if (!sized_) {
      list_.assign(n, Record{});
      sized_ = true;
    } else if (n != list_.size()) {
      inconsistent();
    }
  }
  [[noreturn]] void inconsistent() const {
    throw IoError("checkpoint", "state '" + prefix_ + "' is inconsistent");
  }

  StateTransfer& t_;
  std::string prefix_;
  std::vector<Record>& list_;
  bool sized_ = false;
};

// Saving only reads the component: the transfer's saving direction never writes into it, so a
// const component may be described by its one non-const transfer() (as serialisation libraries
// do).
template <class Component>
void save_state(const Component& component, StateArchive& archive) {
  StateTransfer t = StateTransfer::into(archive);
  const_cast<Component&>(component).transfer(t);
}

template <class Component>
void load_state(Component& component, const StateArchive& archive) {
  StateTransfer t = StateTransfer::from(archive);
  component.transfer(t);
}

}  // namespace mfgrid
