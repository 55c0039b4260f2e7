// The batched-series engine of the run file: a dataset that grows along its first dimension, its
// rows kept in memory until the next batch and then written by rank 0 with one extension and one
// write (whole rows, or the points every rank sent it).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/compressed_rows.hpp"
#include "io/h5.hpp"
#include "mfgrid/game/run_outputs.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid::io {

// The HDF5 type of a run output's values.
hid_t h5_type(ValueType type);

struct Series {
  h5::Id dataset;  // rank 0's; the other ranks count rows and send their points

  hid_t type = H5T_NATIVE_DOUBLE;
  std::string dim;   // its growing dimension
  hsize_t rows = 0;  // in the file
  // Rows kept in memory until the next batch: whole rows (kept by rank 0 only), or, for the series
  // each rank holds its own part of, the points' coordinates and values (on rank 0, once
  // gathered, every rank's).
  hsize_t pending = 0;
  std::vector<unsigned char> data;
  std::vector<std::uint64_t> coords;
  bool pointwise = false;
  hsize_t chunk_rows = 1;  // rows per chunk
  hsize_t row_bytes = 0;   // bytes of one whole row (every rank's points together)
  // A row larger than `split_row_bytes` is split into chunks along its second dimension, whose
  // last may be padded: the bytes its chunks hold.
  hsize_t stored_row_bytes = 0;
  hsize_t row_chunks = 1;
  // Such a row of a whole-row series, which every rank holds, is `shared` (its chunk_span not 0):
  // every rank reads each row (`scratch`) and compresses its share of the row's chunks
  // (`encoded`), and rank 0 writes every rank's with the batch; no rank keeps the rows themselves.
  RowChunking shared;
  EncodedChunks encoded;
  std::vector<unsigned char> scratch;

  hsize_t next_row() const { return rows + pending; }
  // Adds one row (kept in memory); returns its index.
  hsize_t add_row() { return rows + pending++; }
  template <class T>
  void keep(std::span<const T> values) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
    data.insert(data.end(), bytes, bytes + values.size_bytes());
  }
  // At most the bytes the pending rows add to the file: every chunk they touch is written anew
  // (compressed, a chunk that grows gets new space), deflate expands incompressible data by under
  // 1 %, and each chunk carries a checksum and an index entry.
  std::uint64_t batch_bytes_bound() const {
    if (pending == 0) return 0;
    const hsize_t chunks = (rows + pending - 1) / chunk_rows - rows / chunk_rows + 1;
    const hsize_t stored = std::max(row_bytes, stored_row_bytes);
    return chunks * (chunk_rows * stored * 101 / 100 + 64 * row_chunks);
  }
};

// Rows larger than this are stored in chunks of about this size, split along their second
// dimension: a reader of one class's rows decompresses that much, not the whole row, and a batch's
// chunks are compressed on the rank's threads (compressed_rows.hpp).
inline constexpr hsize_t split_row_bytes = hsize_t{1} << 20;

// Rank 0: writes a series' pending rows, one extension and one write (large compressed rows
// chunk by chunk, compressed on `threads` threads). Every rank then commits them
// (commit_pending).
void write_pending(Series& s, const std::string& path, int threads);
// The pending rows are in the file: counted, and their buffers emptied (their memory kept).
void commit_pending(Series& s);

// Sends the pending points of these pointwise series to rank 0, which then holds every rank's
// (rank after rank); the other ranks' buffers are emptied. Collective. `bytes` is the buffers'
// memory, kept from batch to batch.
struct GatherBuffers {
  std::vector<unsigned char> mine, all;
};
void gather_points(std::span<Series* const> series, const Communicator& comm, GatherBuffers& bytes);
// The same for the compressed chunks of shared series: rank 0 then holds every rank's.
void gather_chunks(std::span<Series* const> series, const Communicator& comm, GatherBuffers& bytes);

}  // namespace mfgrid::io
