#include "io/compressed_rows.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "io/h5.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/parallel/threads.hpp"

namespace mfgrid::io {

namespace {

// The filter pipeline `h5::create_dataset` gives a compressed dataset, with its deflate level;
// none for any other.
std::optional<int> run_file_pipeline(hid_t dcpl) {
  if (H5Pget_nfilters(dcpl) != 3) return std::nullopt;
  const H5Z_filter_t expected[3] = {H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32};
  int level = -1;
  for (unsigned i = 0; i < 3; ++i) {
    unsigned flags = 0, config = 0;
    std::size_t values = 8;
    unsigned cd[8] = {};
    char name[16];
    if (H5Pget_filter2(dcpl, i, &flags, &values, cd, sizeof name, name, &config) != expected[i])
      return std::nullopt;
    if (expected[i] == H5Z_FILTER_DEFLATE) {
      if (values < 1 || cd[0] > 9) return std::nullopt;
      level = static_cast<int>(cd[0]);
    }
  }
  return level;
}

// HDF5's shuffle: byte j of element i goes to j·n + i, so that the like bytes of neighbouring
// values (exponents, high mantissa bytes) stand together for deflate.
void shuffle(const unsigned char* in, std::size_t elements, std::size_t element_bytes,
             unsigned char* out) {
  if (element_bytes <= 1 || elements <= 1) {  // the filter leaves these as they are
    std::memcpy(out, in, elements * element_bytes);
    return;
  }
  for (std::size_t j = 0; j < element_bytes; ++j) {
    unsigned char* to = out + j * elements;
    for (std::size_t i = 0; i < elements; ++i) to[i] = in[i * element_bytes + j];
  }
}

// One chunk through the pipeline: `raw` (a whole chunk, padding included) shuffled, deflated,
// and its Fletcher-32 appended as HDF5 stores it (least significant byte first).
void encode_chunk(const unsigned char* raw, std::size_t elements, std::size_t element_bytes,
                  int level, std::vector<unsigned char>& shuffled,
                  std::vector<unsigned char>& out) {
  const std::size_t bytes = elements * element_bytes;
  shuffled.resize(bytes);
  shuffle(raw, elements, element_bytes, shuffled.data());
  uLongf size = compressBound(static_cast<uLong>(bytes));
  out.resize(size + 4);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(bytes), level) != Z_OK)
    throw Error("run file: zlib could not deflate a chunk");
  const std::uint32_t sum = fletcher32(out.data(), size);
  for (int b = 0; b < 4; ++b)
    out[size + static_cast<std::size_t>(b)] = static_cast<unsigned char>(sum >> (8 * b));
  out.resize(size + 4);
}

}  // namespace

std::uint32_t fletcher32(const unsigned char* bytes, std::size_t n) {
  // Sums of 16-bit words, folded to 16 bits every 360 words (before they could overflow).
  std::uint32_t a = 0, b = 0;
  std::size_t words = n / 2;
  while (words > 0) {
    const std::size_t block = std::min<std::size_t>(words, 360);
    words -= block;
    for (std::size_t k = 0; k < block; ++k, bytes += 2) {
      a += (static_cast<std::uint32_t>(bytes[0]) << 8) | bytes[1];
      b += a;
    }
    a = (a & 0xffff) + (a >> 16);
    b = (b & 0xffff) + (b >> 16);
  }
  if (n % 2 != 0) {
    a += static_cast<std::uint32_t>(bytes[0]) << 8;
    b += a;
    a = (a & 0xffff) + (a >> 16);
    b = (b & 0xffff) + (b >> 16);
  }
  a = (a & 0xffff) + (a >> 16);
  b = (b & 0xffff) + (b >> 16);
  return (b << 16) | a;
}

hsize_t chunk_span_for(hsize_t second, hsize_t inner, std::size_t element_bytes,
                       hsize_t target_bytes) {
  const hsize_t row = second * inner * element_bytes;
  if (second <= 1 || row <= target_bytes) return std::max<hsize_t>(1, second);
  const hsize_t pieces = (row + target_bytes - 1) / target_bytes;
  return (second + pieces - 1) / pieces;
}

std::optional<RowChunking> row_chunking(hid_t dataset) {
  const std::vector<hsize_t> chunk = h5::chunk_dims(dataset);
  const std::vector<hsize_t> dims = h5::extent(dataset);
  if (chunk.size() < 2 || chunk.size() != dims.size() || chunk[0] != 1) return std::nullopt;
  for (std::size_t i = 2; i < dims.size(); ++i)
    if (chunk[i] != dims[i]) return std::nullopt;
  h5::Id dcpl(H5Dget_create_plist(dataset), H5Pclose);
  if (!dcpl.valid()) return std::nullopt;
  const std::optional<int> level = run_file_pipeline(dcpl);
  if (!level) return std::nullopt;
  h5::Id type(H5Dget_type(dataset), H5Tclose);
  RowChunking c;
  c.element_bytes = H5Tget_size(type);
  c.deflate_level = *level;
  c.chunk_span = chunk[1];
  c.second = dims[1];
  for (std::size_t i = 2; i < dims.size(); ++i) c.inner *= dims[i];
  if (c.element_bytes == 0 || c.chunk_span == 0) return std::nullopt;
  return c;
}

namespace {

// Encodes chunks [0, n) into `encoded` on `threads` threads: `fill(k, raw)` copies chunk k's
// values into `raw` (a whole chunk) and returns how many elements it holds. Chunk k is encoded by
// thread k mod T, which does not change its bytes.
template <class Fill>
void encode_chunks(std::size_t n, std::size_t chunk_elements, std::size_t element_bytes, int level,
                   int threads, Fill&& fill, std::vector<std::vector<unsigned char>>& encoded) {
  run_on_threads(threads, [&](int thread, int threads_running) {
    std::vector<unsigned char> raw(chunk_elements * element_bytes), shuffled;
    for (std::size_t k = static_cast<std::size_t>(thread); k < n;
         k += static_cast<std::size_t>(threads_running)) {
      const std::size_t held = fill(k, raw.data());
      // An edge chunk is stored whole: the part past the dataset's extent holds the fill value.
      std::fill(raw.begin() + static_cast<std::ptrdiff_t>(held * element_bytes), raw.end(), 0);
      encode_chunk(raw.data(), chunk_elements, element_bytes, level, shuffled, encoded[k]);
    }
  });
}

// Encodes chunks [0, total) a group at a time (about 64 MiB of them, a few per thread, so the
// encoded bytes held at once stay small beside the data) and writes them in order; `place(k,
// offset)` sets chunk k's offset in the dataset.
template <class Fill, class Place>
void encode_and_write(hid_t dataset, int level, std::size_t element_bytes,
                      std::size_t chunk_elements, std::size_t total, int threads, Fill&& fill,
                      Place&& place, const std::string& path) {
  const std::size_t chunk_bytes = chunk_elements * element_bytes;
  const auto team = static_cast<std::size_t>(std::max(1, threads));
  const std::size_t group = std::max<std::size_t>(
      4 * team, (std::size_t{64} << 20) / std::max<std::size_t>(1, chunk_bytes));
  std::vector<std::vector<unsigned char>> encoded(std::min(group, total));
  const int rank = H5Sget_simple_extent_ndims(h5::Id(H5Dget_space(dataset), H5Sclose));
  std::vector<hsize_t> offset(static_cast<std::size_t>(std::max(rank, 1)), 0);
  for (std::size_t first_chunk = 0; first_chunk < total; first_chunk += group) {
    const std::size_t chunks = std::min(group, total - first_chunk);
    encode_chunks(
        chunks, chunk_elements, element_bytes, level, threads,
        [&](std::size_t k, unsigned char* raw) { return fill(first_chunk + k, raw); }, encoded);
    for (std::size_t k = 0; k < chunks; ++k) {
      place(first_chunk + k, offset);
      errno = 0;
      h5::check_write(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), encoded[k].size(),
                                     encoded[k].data()),
                      path, "cannot write '" + h5::dataset_name(dataset) + "'");
    }
  }
}

// Copies piece `piece` of a row (`row` its values) into `raw`; returns the elements it holds.
std::size_t copy_row_chunk(const RowChunking& c, const unsigned char* row, hsize_t piece,
                           unsigned char* raw) {
  const std::size_t chunk_elements = c.chunk_span * c.inner;
  const std::size_t first = piece * chunk_elements;
  const std::size_t n = std::min<std::size_t>(chunk_elements, c.second * c.inner - first);
  std::memcpy(raw, row + first * c.element_bytes, n * c.element_bytes);
  return n;
}

// The offset in the dataset of chunk `id` of the rows from `begin` (row id / chunks a row).
void row_chunk_offset(const RowChunking& c, hsize_t begin, hsize_t id,
                      std::vector<hsize_t>& offset) {
  const hsize_t per_row = chunks_per_row(c);
  offset[0] = begin + id / per_row;
  offset[1] = (id % per_row) * c.chunk_span;
}

}  // namespace

hsize_t chunks_per_row(const RowChunking& c) {
  return (c.second + c.chunk_span - 1) / std::max<hsize_t>(1, c.chunk_span);
}

void encode_row_share(const RowChunking& c, const void* row, hsize_t row_in_batch, int rank,
                      int ranks, int threads, EncodedChunks& out) {
  const hsize_t per_row = chunks_per_row(c);
  std::vector<hsize_t> mine;  // this rank's pieces of the row
  for (hsize_t piece = 0; piece < per_row; ++piece)
    if ((row_in_batch * per_row + piece) % static_cast<hsize_t>(std::max(1, ranks)) ==
        static_cast<hsize_t>(rank))
      mine.push_back(piece);
  std::vector<std::vector<unsigned char>> encoded(mine.size());
  const auto* values = static_cast<const unsigned char*>(row);
  encode_chunks(
      mine.size(), c.chunk_span * c.inner, c.element_bytes, c.deflate_level, threads,
      [&](std::size_t k, unsigned char* raw) { return copy_row_chunk(c, values, mine[k], raw); },
      encoded);
  for (std::size_t k = 0; k < mine.size(); ++k) {
    out.ids.push_back(row_in_batch * per_row + mine[k]);
    out.sizes.push_back(encoded[k].size());
    out.bytes.insert(out.bytes.end(), encoded[k].begin(), encoded[k].end());
  }
}

void write_encoded_rows(hid_t dataset, const RowChunking& c, hsize_t begin, hsize_t count,
                        const EncodedChunks& chunks, const std::string& path) {
  const hsize_t total = count * chunks_per_row(c);
  if (chunks.ids.size() != total || chunks.sizes.size() != total)
    throw Error("run file: " + std::to_string(chunks.ids.size()) + " compressed chunks for " +
                std::to_string(total) + " of '" + h5::dataset_name(dataset) + "'");
  // Where each chunk's bytes start, by its number.
  std::vector<std::size_t> at(total, std::size_t(-1)), size(total, 0);
  std::size_t offset_in_bytes = 0;
  for (std::size_t i = 0; i < total; ++i) {
    const auto id = static_cast<std::size_t>(chunks.ids[i]);
    if (id >= total || at[id] != std::size_t(-1))
      throw Error("run file: compressed chunk " + std::to_string(id) + " of '" +
                  h5::dataset_name(dataset) + "' out of range or repeated");
    at[id] = offset_in_bytes;
    size[id] = chunks.sizes[i];
    offset_in_bytes += chunks.sizes[i];
  }
  if (offset_in_bytes != chunks.bytes.size())
    throw Error("run file: the compressed chunks of '" + h5::dataset_name(dataset) +
                "' do not add up");
  const int rank = H5Sget_simple_extent_ndims(h5::Id(H5Dget_space(dataset), H5Sclose));
  std::vector<hsize_t> offset(static_cast<std::size_t>(std::max(rank, 2)), 0);
  for (std::size_t id = 0; id < total; ++id) {
    row_chunk_offset(c, begin, id, offset);
    errno = 0;
    h5::check_write(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), size[id],
                                   chunks.bytes.data() + at[id]),
                    path, "cannot write '" + h5::dataset_name(dataset) + "'");
  }
}

void write_compressed_rows(hid_t dataset, const RowChunking& c, hsize_t begin, hsize_t count,
                           const void* data, int threads, const std::string& path) {
  const hsize_t per_row = chunks_per_row(c);
  const std::size_t row_bytes = c.second * c.inner * c.element_bytes;
  const auto* values = static_cast<const unsigned char*>(data);
  encode_and_write(
      dataset, c.deflate_level, c.element_bytes, c.chunk_span * c.inner, count * per_row, threads,
      [&](std::size_t k, unsigned char* raw) {
        return copy_row_chunk(c, values + k / per_row * row_bytes, k % per_row, raw);
      },
      [&](std::size_t k, std::vector<hsize_t>& offset) { row_chunk_offset(c, begin, k, offset); },
      path);
}

bool write_compressed_whole(hid_t dataset, const void* data, int threads, const std::string& path) {
  const std::vector<hsize_t> chunk = h5::chunk_dims(dataset);
  const std::vector<hsize_t> dims = h5::extent(dataset);
  if (chunk.size() != 1 || dims.size() != 1 || chunk[0] == 0) return false;
  h5::Id dcpl(H5Dget_create_plist(dataset), H5Pclose);
  if (!dcpl.valid()) return false;
  const std::optional<int> level = run_file_pipeline(dcpl);
  if (!level) return false;
  h5::Id type(H5Dget_type(dataset), H5Tclose);
  const std::size_t element_bytes = H5Tget_size(type), span = chunk[0];
  const auto* values = static_cast<const unsigned char*>(data);
  encode_and_write(
      dataset, *level, element_bytes, span, (dims[0] + span - 1) / span, threads,
      [&](std::size_t k, unsigned char* raw) {
        const std::size_t n = std::min<std::size_t>(span, dims[0] - k * span);
        std::memcpy(raw, values + k * span * element_bytes, n * element_bytes);
        return n;
      },
      [&](std::size_t k, std::vector<hsize_t>& offset) { offset[0] = k * span; }, path);
  return true;
}

}  // namespace mfgrid::io
