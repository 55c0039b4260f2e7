// The MPI communicator the simulation runs on. Model code talks to MPI only through this class.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mfgrid/parallel/decomposition.hpp"

namespace mfgrid {

// What Communicator::sum_sparse works in.
struct SparseSumBuffers {
  std::vector<std::uint64_t> used;   // one bit per value
  std::vector<std::int64_t> packed;  // the values summed
};

class Communicator {
 public:
  static Communicator world();
  static Communicator self();  // a one-rank communicator (serial runs inside an MPI program)
  static Communicator wrap(MPI_Comm comm) { return Communicator(comm); }  // not owned

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  // Ranks sharing this rank's node (for choosing a default thread count).
  int node_size() const;
  MPI_Comm handle() const { return comm_; }

  // In-place sum over all ranks; integers, so the result does not depend on the order.
  void sum(std::span<std::int64_t> values) const;
  // The same sum for values that are mostly zero: the ranks agree where any of them holds a
  // non-zero (an OR of one bit per value) and sum only those values, packed; the result is sum()'s
  // bit for bit. Returns how many values were summed.
  std::size_t sum_sparse(std::span<std::int64_t> values) const;
  // The same, where this rank's non-zeros all lie in `mine` (ascending, disjoint ranges of
  // indices): only those are looked at here, so a rank's own pass costs its share of the values,
  // not all of them. A non-zero outside `mine` is not summed and its value is undefined after.
  // `buffers`, when given, keep the work's memory from call to call (MBs for a large grid, whose
  // fresh pages cost more than the sum) and hold after it the bits of the values summed (one per
  // value, bit i % 64 of word i / 64): every other value is then zero. On one rank nothing is
  // summed and those bits are left empty.
  std::size_t sum_sparse(std::span<std::int64_t> values, std::span<const IndexRange> mine,
                         SparseSumBuffers* buffers = nullptr) const;
  double max(double value) const;
  double sum(double value) const;  // for diagnostics only (order-dependent in the last bits)
  std::vector<double> gather_to_all(double value) const;
  // Every rank's `mine`, rank after rank, on every rank; `counts` gets each rank's length.
  std::vector<double> gather_to_all(std::span<const double> mine, std::vector<int>& counts) const;
  // The same into `all`, whose memory is reused from call to call (tens of MB for a large grid's
  // classes, whose fresh pages would cost more than the transfer).
  void gather_to_all(std::span<const double> mine, std::vector<int>& counts,
                     std::vector<double>& all) const;
  // Every rank's `mine`, rank after rank, on rank 0 (`all`, reused from call to call); the other
  // ranks' `all` is left empty.
  void gather_to_root(std::span<const std::uint8_t> mine, std::vector<std::uint8_t>& all) const;
  void barrier() const;
  void broadcast(std::span<std::uint8_t> bytes, int root = 0) const;
  void broadcast(std::span<double> values, int root = 0) const;
  void broadcast(std::string& text, int root = 0) const;
  // True on every rank if `flag` is true on any rank.
  bool any(bool flag) const;

 private:
  explicit Communicator(MPI_Comm comm);
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace mfgrid
