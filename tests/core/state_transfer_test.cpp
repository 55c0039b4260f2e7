// StateTransfer: one description of a component's state saves it and restores it, and a damaged
// or foreign archive is refused with the key named.
#include "mfgrid/core/state_transfer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "mfgrid/core/error.hpp"

namespace mfgrid {
namespace {

struct Entry {
  int step = 0;
  bool done = false;
  double value = 0;
  std::vector<double> trace;  // any length
  std::vector<double> row;    // one length for every entry
  std::int64_t a = 0;
  int b = 0;
};

// A component with every kind of field.
struct Component {
  int day = 0;
  bool flag = false;
  double rate = 0;
  std::vector<double> free;
  std::vector<double> sized = std::vector<double>(3);
  Table2<double> table = Table2<double>(2, 2);
  std::vector<std::vector<double>> ragged;
  std::vector<Entry> entries;
  int x = 0;
  double y = 0;
  std::int64_t behind_setter = 0;

  void transfer(StateTransfer& t) {
    t.value("day", day);
    t.value("flag", flag);
    t.value("rate", rate);
    t.values("free", free);
    t.fixed("sized", sized, "the sized array");
    t.fixed("table", table, "the table");
    t.ragged("ragged", ragged);
    t.tuple<double>("pair", std::tie(x, y));
    t.value("set", behind_setter, [this](std::int64_t v) { behind_setter = v; });
    t.columns("entries", entries)
        .column("step", &Entry::step)
        .column("done", &Entry::done)
        .column("value", &Entry::value)
        .column("trace", &Entry::trace)
        .packed("row", &Entry::row)
        .tuple<std::int64_t>("ab", [](Entry& e) { return std::tie(e.a, e.b); });
  }
};

Component filled() {
  Component c;
  c.day = 17;
  c.flag = true;
  c.rate = 0.125;
  c.free = {1, 2, 3, 4, 5};
  c.sized = {7, 8, 9};
  c.table(1, 0) = 3.5;
  c.ragged = {{1}, {}, {2, 3}};
  c.x = -4;
  c.y = 2.75;
  c.behind_setter = 99;
  c.entries = {{1, false, 0.5, {1, 2, 3}, {4, 5}, 10, 11}, {2, true, -0.5, {}, {6, 7}, 12, 13}};
  return c;
}

bool same(const Component& a, const Component& b) {
  bool entries = a.entries.size() == b.entries.size();
  for (std::size_t k = 0; entries && k < a.entries.size(); ++k) {
    const Entry &e = a.entries[k], &f = b.entries[k];
    entries = e.step == f.step && e.done == f.done && e.value == f.value && e.trace == f.trace &&
              e.row == f.row && e.a == f.a && e.b == f.b;
  }
  return entries && a.day == b.day && a.flag == b.flag && a.rate == b.rate && a.free == b.free &&
         a.sized == b.sized && a.table == b.table && a.ragged == b.ragged && a.x == b.x &&
         a.y == b.y && a.behind_setter == b.behind_setter;
}

TEST(StateTransfer, WhatIsSavedIsRestored) {
  const Component original = filled();
  StateArchive archive;
  save_state(original, archive);
  Component restored;
  restored.entries = {Entry{}, Entry{}, Entry{}};  // loading replaces, not appends
  load_state(restored, archive);
  EXPECT_TRUE(same(original, restored));
  EXPECT_EQ(archive.integers("entries/step"), (std::vector<std::int64_t>{1, 2}))
      << "one column per field, not per entry";
}

TEST(StateTransfer, SavingLeavesTheComponentAsItWas) {
  const Component original = filled();
  StateArchive archive;
  save_state(original, archive);
  EXPECT_TRUE(same(original, filled()));
}

void expect_refused(const StateArchive& archive, const std::string& fragment) {
  Component c;
  try {
    load_state(c, archive);
    ADD_FAILURE() << "loaded; expected an error containing '" << fragment << "'";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(StateTransfer, RefusesAnotherSizeAMissingKeyOrAnotherType) {
  StateArchive archive;
  save_state(filled(), archive);
  StateArchive wrong = archive;
  wrong.put("sized", std::vector<double>{1, 2});
  expect_refused(wrong, "the sized array has 2 values where this scenario needs 3");
  wrong = archive;
  wrong.put("table", std::vector<double>{1, 2, 3, 4, 5});
  expect_refused(wrong, "the table has 5 values");
  wrong = archive;
  wrong.entries().erase("rate");
  expect_refused(wrong, "missing state 'rate'");
  wrong = archive;
  wrong.put("day", std::vector<double>{17});
  expect_refused(wrong, "'day' is not an array of integers");
  wrong = archive;
  wrong.put("pair", std::vector<double>{1, 2, 3});
  expect_refused(wrong, "state 'pair' has 3 values where this scenario needs 2");
}

TEST(StateTransfer, RefusesColumnsOfDifferentLengths) {
  StateArchive archive;
  save_state(filled(), archive);
  StateArchive wrong = archive;
  wrong.put("entries/value", std::vector<double>{0.5});
  expect_refused(wrong, "state 'entries' is inconsistent");
  wrong = archive;
  wrong.put("entries/row", std::vector<double>{1, 2, 3});
  expect_refused(wrong, "state 'entries' is inconsistent");
  wrong = archive;
  wrong.put("entries/ab", std::vector<std::int64_t>{1, 2, 3});
  expect_refused(wrong, "state 'entries' is inconsistent");
  wrong = archive;
  wrong.put("ragged/sizes", std::vector<std::int64_t>{1, 5});
  expect_refused(wrong, "state 'ragged' is inconsistent");
  wrong = archive;
  wrong.put("ragged/sizes", std::vector<std::int64_t>{-1});
  expect_refused(wrong, "state 'ragged' is inconsistent");
}

}  // namespace
}  // namespace mfgrid
