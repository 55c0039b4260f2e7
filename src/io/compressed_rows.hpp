// Rank 0's writes of a batch's large rows, their chunks compressed on the rank's threads.
//
// HDF5 runs a dataset's filters on the writing thread, one chunk after another: texas2000's
// followers/policy (45 MB a follower update, 446 MB raw over 10 days) spent most of the run file's
// time in zlib on one core. Here each chunk goes through the run file's own pipeline — shuffle,
// deflate, Fletcher-32, as `h5::create_dataset` declares it — on the rank's threads, and the
// chunks are then written as they are (H5Dwrite_chunk), in order. A reader decodes them through
// the same pipeline, checksum included, so the values read are the values written; a chunk's
// bytes do not depend on the number of threads.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mfgrid::io {

// A dataset whose rows `write_compressed_rows` can write: chunks of one row, split along its
// second dimension only, through shuffle, deflate and Fletcher-32 in that order.
struct RowChunking {
  std::size_t element_bytes = 0;
  int deflate_level = 0;
  hsize_t chunk_span = 0;  // elements of the second dimension per chunk
  hsize_t second = 0;      // the second dimension's extent
  hsize_t inner = 1;       // elements of one index of the second dimension
};

// The dataset's chunking if its rows can be written that way, none otherwise (another pipeline:
// a file written by another version, or a row small enough for one chunk).
std::optional<RowChunking> row_chunking(hid_t dataset);

// Compressed chunks of a batch's rows, each with its number in the batch (row · chunks a row +
// piece): a rank's share, or on rank 0, once gathered, every rank's.
struct EncodedChunks {
  std::vector<std::uint64_t> ids, sizes;
  std::vector<unsigned char> bytes;
  void clear() {
    ids.clear();
    sizes.clear();
    bytes.clear();
  }
};

hsize_t chunks_per_row(const RowChunking& c);

// Compresses this rank's share of a row's chunks — chunk number k of the batch on rank k mod
// `ranks` — on `threads` threads, appending them to `out` in order. `row` holds the whole row.
void encode_row_share(const RowChunking& c, const void* row, hsize_t row_in_batch, int rank,
                      int ranks, int threads, EncodedChunks& out);

// Rank 0: writes the `count` rows from `begin` (the dataset already extended) from every chunk of
// them, in any order in `chunks`; an Error if one is missing or twice there.
void write_encoded_rows(hid_t dataset, const RowChunking& c, hsize_t begin, hsize_t count,
                        const EncodedChunks& chunks, const std::string& path);

// Writes `count` rows from `begin` (the dataset already extended to hold them), `data` their
// values row after row, compressing the chunks on `threads` threads. Rank 0's serial file only.
void write_compressed_rows(hid_t dataset, const RowChunking& chunking, hsize_t begin, hsize_t count,
                           const void* data, int threads, const std::string& path);

// Writes the whole of a one-dimensional dataset of the run file's pipeline (the checkpoint's
// state) from `data`, compressing its chunks on `threads` threads; false, writing nothing, for a
// dataset of another shape or pipeline.
bool write_compressed_whole(hid_t dataset, const void* data, int threads, const std::string& path);

// The chunk span that splits a row of `second` × `inner` elements of `element_bytes` into chunks
// of about `target_bytes`: the whole of `second` when the row fits in one.
hsize_t chunk_span_for(hsize_t second, hsize_t inner, std::size_t element_bytes,
                       hsize_t target_bytes);

// HDF5's Fletcher-32 of `bytes` (the checksum its filter appends to a chunk): the sums of the
// data as big-endian 16-bit words, an odd last byte as the high byte of a word.
std::uint32_t fletcher32(const unsigned char* bytes, std::size_t n);

}  // namespace mfgrid::io
