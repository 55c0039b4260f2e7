#include "io/series.hpp"

#include <cstring>
#include <optional>

#include "io/compressed_rows.hpp"

namespace mfgrid::io {

hid_t h5_type(ValueType type) {
  switch (type) {
    case ValueType::f64:
      return H5T_NATIVE_DOUBLE;
    case ValueType::f32:
      return H5T_NATIVE_FLOAT;
    case ValueType::i64:
      return H5T_NATIVE_INT64;
  }
  return H5T_NATIVE_DOUBLE;
}

void write_pending(Series& s, const std::string& path, int threads) {
  if (s.pending == 0) return;
  auto e = h5::extent(s.dataset);
  e[0] = s.rows + s.pending;
  h5::check_write(H5Dset_extent(s.dataset, e.data()), path, "cannot extend a dataset");
  if (s.pointwise) {
    h5::write_points(s.dataset, s.type, std::vector<hsize_t>(s.coords.begin(), s.coords.end()),
                     s.coords.size() / e.size(), s.data.data());
    return;
  }
  if (s.shared.chunk_span > 0) {
    write_encoded_rows(s.dataset, s.shared, s.rows, s.pending, s.encoded, path);
    return;
  }
  // Whatever the threads, the same rows go the same way, so the file does not depend on them.
  if (s.pending * s.row_bytes >= split_row_bytes)
    if (const std::optional<RowChunking> chunking = row_chunking(s.dataset)) {
      write_compressed_rows(s.dataset, *chunking, s.rows, s.pending, s.data.data(), threads, path);
      return;
    }
  h5::write_rows(s.dataset, s.type, s.rows, s.pending, s.data.data(), true);
}

void commit_pending(Series& s) {
  s.rows += s.pending;
  s.pending = 0;
  s.data.clear();
  s.coords.clear();
  s.encoded.clear();
}

namespace {

void put(std::vector<unsigned char>& bytes, const void* data, std::size_t n) {
  const auto* first = static_cast<const unsigned char*>(data);
  bytes.insert(bytes.end(), first, first + n);
}

// Reads `n` bytes at `at` into `out` and moves past them.
void take(const unsigned char*& at, void* out, std::size_t n) {
  std::memcpy(out, at, n);
  at += n;
}

}  // namespace

void gather_points(std::span<Series* const> series, const Communicator& comm,
                   GatherBuffers& bytes) {
  if (comm.size() == 1) return;
  // This rank's points, series after series: the number of coordinates and of value bytes, then
  // both.
  bytes.mine.clear();
  for (const Series* s : series) {
    const std::uint64_t sizes[2] = {s->coords.size(), s->data.size()};
    put(bytes.mine, sizes, sizeof sizes);
    put(bytes.mine, s->coords.data(), s->coords.size() * sizeof(std::uint64_t));
    put(bytes.mine, s->data.data(), s->data.size());
  }
  comm.gather_to_root(bytes.mine, bytes.all);
  for (Series* s : series) {
    s->coords.clear();
    s->data.clear();
  }
  if (!comm.is_root()) return;
  const unsigned char* at = bytes.all.data();
  const unsigned char* const end = at + bytes.all.size();
  while (at < end)
    for (Series* s : series) {
      std::uint64_t sizes[2];
      take(at, sizes, sizeof sizes);
      const std::size_t coords = s->coords.size(), data = s->data.size();
      s->coords.resize(coords + sizes[0]);
      take(at, s->coords.data() + coords, sizes[0] * sizeof(std::uint64_t));
      s->data.resize(data + sizes[1]);
      take(at, s->data.data() + data, sizes[1]);
    }
}

void gather_chunks(std::span<Series* const> series, const Communicator& comm,
                   GatherBuffers& bytes) {
  if (comm.size() == 1) return;
  // This rank's chunks, series after series: their number, then their ids, sizes and bytes.
  bytes.mine.clear();
  for (const Series* s : series) {
    const EncodedChunks& e = s->encoded;
    const std::uint64_t counts[2] = {e.ids.size(), e.bytes.size()};
    put(bytes.mine, counts, sizeof counts);
    put(bytes.mine, e.ids.data(), e.ids.size() * sizeof(std::uint64_t));
    put(bytes.mine, e.sizes.data(), e.sizes.size() * sizeof(std::uint64_t));
    put(bytes.mine, e.bytes.data(), e.bytes.size());
  }
  comm.gather_to_root(bytes.mine, bytes.all);
  for (Series* s : series) s->encoded.clear();
  if (!comm.is_root()) return;
  const unsigned char* at = bytes.all.data();
  const unsigned char* const end = at + bytes.all.size();
  while (at < end)
    for (Series* s : series) {
      EncodedChunks& e = s->encoded;
      std::uint64_t counts[2];
      take(at, counts, sizeof counts);
      const std::size_t chunks = e.ids.size(), stored = e.bytes.size();
      e.ids.resize(chunks + counts[0]);
      take(at, e.ids.data() + chunks, counts[0] * sizeof(std::uint64_t));
      e.sizes.resize(chunks + counts[0]);
      take(at, e.sizes.data() + chunks, counts[0] * sizeof(std::uint64_t));
      e.bytes.resize(stored + counts[1]);
      take(at, e.bytes.data() + stored, counts[1]);
    }
}

}  // namespace mfgrid::io
