// Serial work shared by the ranks: items 0 … n−1 (a learner's classes, say) dealt to the ranks in
// turn, item k to rank k mod P, each rank working on its own on its threads; then every rank sends
// the records of its items to the others, so all of them end up with every item's result.
//
// Deterministic by construction: an item's record is a function of the item's inputs, never of
// the rank or thread that made it, and the others copy its bits. Which rank owns an item is fixed
// only for the call, so state that outlives it must travel in the records.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <span>
#include <vector>

#include "mfgrid/core/error.hpp"
#include "mfgrid/parallel/collective_step.hpp"
#include "mfgrid/parallel/communicator.hpp"
#include "mfgrid/parallel/threads.hpp"

namespace mfgrid {

// What deal_items moves, kept from call to call by a caller that deals often (a learner's every
// update): a large grid's records are tens of MB, and fresh memory for them each time costs more
// than sending them.
struct DealtItemsBuffers {
  std::vector<std::vector<double>> records;  // this rank's items'
  std::vector<double> packed;                // this rank's records, each after its length
  std::vector<double> all;                   // every rank's packed records
  std::vector<int> counts;
};

// Calls work(k, record) for this rank's items k (k mod P == rank), dealt in turn to `threads`
// threads; work updates what item k owns and writes into *record (empty on entry; null on one
// rank, where nobody needs it) what the other ranks need to do the same. Then every rank calls
// receive(k, record) for each item it did not work on (items touch disjoint state, so their order
// does not matter). A failure on any rank is thrown on every rank (collectively). `comm` null: this
// process alone (no MPI call is made).
// `buffers`, when given, hold the records between calls.
template <class Work, class Receive>
void deal_items(const Communicator* comm, int threads, int items, Work&& work, Receive&& receive,
                DealtItemsBuffers* buffers = nullptr) {
  const int ranks = comm ? comm->size() : 1, rank = comm ? comm->rank() : 0;
  std::vector<int> mine;
  for (int k = rank; k < items; k += ranks) mine.push_back(k);
  DealtItemsBuffers local;
  DealtItemsBuffers& b = buffers ? *buffers : local;
  std::vector<std::vector<double>>& records = b.records;
  records.resize(ranks > 1 ? mine.size() : 0);
  for (std::vector<double>& r : records) r.clear();
  const auto work_on_mine = [&] {
    const int used = std::max(1, std::min(threads, static_cast<int>(mine.size())));
    run_on_threads(used, [&](int thread, int count) {
      for (std::size_t i = static_cast<std::size_t>(thread); i < mine.size();
           i += static_cast<std::size_t>(count))
        work(mine[i], ranks > 1 ? &records[i] : nullptr);
    });
  };
  if (comm == nullptr || ranks == 1) {
    work_on_mine();
    return;
  }
  collectively(*comm, work_on_mine);

  // This rank's records, each after its length.
  std::vector<double>& packed = b.packed;
  std::size_t packed_size = 0;
  for (const std::vector<double>& r : records) packed_size += 1 + r.size();
  packed.clear();
  packed.reserve(packed_size);
  for (const std::vector<double>& r : records) {
    packed.push_back(static_cast<double>(r.size()));
    packed.insert(packed.end(), r.begin(), r.end());
  }
  const std::vector<int>& counts = b.counts;
  const std::vector<double>& all = b.all;
  comm->gather_to_all(packed, b.counts, b.all);
  collectively(*comm, [&] {
    std::size_t at = 0;
    for (int r = 0; r < ranks; ++r) {
      const std::size_t end = at + static_cast<std::size_t>(counts[static_cast<std::size_t>(r)]);
      for (int k = r; k < items; k += ranks) {
        const auto length = static_cast<std::size_t>(all[at]);
        const std::span<const double> record(all.data() + at + 1, length);
        at += 1 + length;
        if (r != rank) receive(k, record);
      }
      if (at != end) throw Error("deal_items: a rank's records do not add up to what it sent");
    }
  });
}

}  // namespace mfgrid
