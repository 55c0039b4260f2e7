#include "mfgrid/parallel/communicator.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/set_bits.hpp"

namespace mfgrid {

namespace {
void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw Error(std::string("MPI failure in ") + what);
}

// The length of a rank's part as an MPI count.
int part_count(std::size_t size, const char* call, const char* unit) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error(std::string(call) + ": a rank's part exceeds 2^31 " + unit);
  return static_cast<int>(size);
}

// Where each rank's part starts in the gathered whole (`offsets`); returns the whole's length.
std::size_t offsets_of(const std::vector<int>& counts, std::vector<int>& offsets, const char* call,
                       const char* unit) {
  offsets.assign(counts.size(), 0);
  long long total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    total += counts[r];
    if (total > std::numeric_limits<int>::max())
      throw Error(std::string(call) + ": the ranks' parts together exceed 2^31 " + unit);
  }
  return static_cast<std::size_t>(total);
}

}  // namespace

Communicator::Communicator(MPI_Comm comm) : comm_(comm) {
  check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
}

Communicator Communicator::world() { return Communicator(MPI_COMM_WORLD); }
Communicator Communicator::self() { return Communicator(MPI_COMM_SELF); }

void Communicator::sum(std::span<std::int64_t> values) const {
  if (size_ == 1 || values.empty()) return;
  // MPI counts are ints: reduce in chunks so arrays of any length work.
  constexpr std::size_t chunk = std::numeric_limits<int>::max() / 2;
  for (std::size_t at = 0; at < values.size(); at += chunk) {
    const int n = static_cast<int>(std::min(chunk, values.size() - at));
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + at, n, MPI_INT64_T, MPI_SUM, comm_),
          "MPI_Allreduce");
  }
}

std::size_t Communicator::sum_sparse(std::span<std::int64_t> values) const {
  const IndexRange all{0, static_cast<std::int64_t>(values.size())};
  return sum_sparse(values, std::span<const IndexRange>(&all, 1));
}

std::size_t Communicator::sum_sparse(std::span<std::int64_t> values,
                                     std::span<const IndexRange> mine,
                                     SparseSumBuffers* buffers) const {
  SparseSumBuffers local;
  SparseSumBuffers& b = buffers ? *buffers : local;
  b.used.clear();
  if (size_ == 1 || values.empty()) return 0;
  // One bit per value: set where this rank holds a non-zero, then OR-ed over the ranks.
  const std::size_t n = values.size();
  std::vector<std::uint64_t>& used = b.used;
  used.assign((n + 63) / 64, 0);
  for (const IndexRange& r : mine) {
    if (r.begin < 0 || r.end > static_cast<std::int64_t>(n) || r.begin > r.end)
      throw Error("sum_sparse: a range lies outside the values");
    const auto begin = static_cast<std::size_t>(r.begin), end = static_cast<std::size_t>(r.end);
    for (std::size_t w = begin / 64; w * 64 < end; ++w) {
      std::uint64_t bits = 0;
      const std::size_t base = w * 64, to = std::min(end, base + 64);
      for (std::size_t i = std::max(begin, base); i < to; ++i)
        bits |= static_cast<std::uint64_t>(values[i] != 0) << (i - base);
      used[w] |= bits;
    }
  }
  check(MPI_Allreduce(MPI_IN_PLACE, used.data(), static_cast<int>(used.size()), MPI_UINT64_T,
                      MPI_BOR, comm_),
        "MPI_Allreduce");
  std::size_t count = 0;
  for (const std::uint64_t bits : used) count += static_cast<std::size_t>(std::popcount(bits));
  std::vector<std::int64_t>& packed = b.packed;
  packed.resize(count);
  std::size_t k = 0;
  for_each_set_bit(used, [&](std::size_t i) { packed[k++] = values[i]; });
  sum(packed);
  k = 0;
  for_each_set_bit(used, [&](std::size_t i) { values[i] = packed[k++]; });
  return count;
}

double Communicator::max(double value) const {
  check(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX, comm_), "MPI_Allreduce");
  return value;
}

double Communicator::sum(double value) const {
  check(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_SUM, comm_), "MPI_Allreduce");
  return value;
}

std::vector<double> Communicator::gather_to_all(double value) const {
  std::vector<double> all(static_cast<std::size_t>(size_));
  check(MPI_Allgather(&value, 1, MPI_DOUBLE, all.data(), 1, MPI_DOUBLE, comm_), "MPI_Allgather");
  return all;
}

std::vector<double> Communicator::gather_to_all(std::span<const double> mine,
                                                std::vector<int>& counts) const {
  std::vector<double> all;
  gather_to_all(mine, counts, all);
  return all;
}

void Communicator::gather_to_all(std::span<const double> mine, std::vector<int>& counts,
                                 std::vector<double>& all) const {
  const int n = part_count(mine.size(), "MPI_Allgatherv", "values");
  counts.assign(static_cast<std::size_t>(size_), 0);
  check(MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, comm_), "MPI_Allgather");
  std::vector<int> offsets;
  all.resize(offsets_of(counts, offsets, "MPI_Allgatherv", "values"));
  check(MPI_Allgatherv(mine.data(), n, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                       MPI_DOUBLE, comm_),
        "MPI_Allgatherv");
}

void Communicator::gather_to_root(std::span<const std::uint8_t> mine,
                                  std::vector<std::uint8_t>& all) const {
  const int n = part_count(mine.size(), "MPI_Gatherv", "bytes");
  std::vector<int> counts(is_root() ? static_cast<std::size_t>(size_) : 0, 0);
  check(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm_), "MPI_Gather");
  std::vector<int> offsets;
  all.resize(offsets_of(counts, offsets, "MPI_Gatherv", "bytes"));
  check(MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE,
                    0, comm_),
        "MPI_Gatherv");
}

int Communicator::node_size() const {
  MPI_Comm node;
  check(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node),
        "MPI_Comm_split_type");
  int n = 1;
  MPI_Comm_size(node, &n);
  MPI_Comm_free(&node);
  return n;
}

void Communicator::barrier() const { check(MPI_Barrier(comm_), "MPI_Barrier"); }

void Communicator::broadcast(std::span<std::uint8_t> bytes, int root) const {
  if (size_ == 1) return;
  check(MPI_Bcast(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, root, comm_),
        "MPI_Bcast");
}

void Communicator::broadcast(std::span<double> values, int root) const {
  if (size_ == 1) return;
  check(MPI_Bcast(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, root, comm_),
        "MPI_Bcast");
}

void Communicator::broadcast(std::string& text, int root) const {
  if (size_ == 1) return;
  long long n = static_cast<long long>(text.size());
  check(MPI_Bcast(&n, 1, MPI_LONG_LONG, root, comm_), "MPI_Bcast");
  text.resize(static_cast<std::size_t>(n));
  check(MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, root, comm_), "MPI_Bcast");
}

bool Communicator::any(bool flag) const {
  int v = flag ? 1 : 0;
  check(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT, MPI_LOR, comm_), "MPI_Allreduce");
  return v != 0;
}

}  // namespace mfgrid
