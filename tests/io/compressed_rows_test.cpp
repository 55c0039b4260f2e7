// The run file's chunks compressed by mfgrid itself (io/compressed_rows.hpp), checked by HDF5:
// a file written that way reads back through HDF5's own filter pipeline — inflate, unshuffle and
// the Fletcher-32 test of every chunk — as the values written, at any thread count, and a chunk
// whose bytes were changed on disk is refused.
#include "io/compressed_rows.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "io/h5.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid::io {
namespace {

namespace fs = std::filesystem;

class CompressedRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfgrid_chunks_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

// Values of every magnitude and sign, some runs of equal ones (as a policy's rows have).
std::vector<double> sample_values(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = (i / 7) % 3 == 0 ? 0.25 : u(gen) * std::exp(20 * u(gen));
  return v;
}

std::vector<double> read_everything(const std::string& path, const std::string& name) {
  h5::Id f = h5::open_file(path, MPI_COMM_NULL, false);
  h5::Id ds = h5::open_dataset(f, name);
  return h5::read_all<double>(ds);
}

// Every chunk of a dataset as stored (its offset, filter mask and the bytes the filters made), in
// HDF5's chunk order.
std::vector<std::string> stored_chunks(const std::string& path, const std::string& name) {
  h5::Id f = h5::open_file(path, MPI_COMM_NULL, false);
  h5::Id ds = h5::open_dataset(f, name);
  h5::Id space(H5Dget_space(ds), H5Sclose);
  const int dims = H5Sget_simple_extent_ndims(space);
  hsize_t count = 0;
  EXPECT_GE(H5Dget_num_chunks(ds, space, &count), 0);
  std::vector<std::string> chunks;
  for (hsize_t i = 0; i < count; ++i) {
    std::vector<hsize_t> offset(static_cast<std::size_t>(dims));
    unsigned mask = 0;
    haddr_t address = 0;
    hsize_t size = 0;
    EXPECT_GE(H5Dget_chunk_info(ds, space, i, offset.data(), &mask, &address, &size), 0);
    std::string bytes(size, '\0');
    EXPECT_GE(H5Dread_chunk(ds, H5P_DEFAULT, offset.data(), &mask, bytes.data()), 0);
    std::string where;
    for (hsize_t o : offset) where += std::to_string(o) + ",";
    chunks.push_back(where + " mask " + std::to_string(mask) + ": " + bytes);
  }
  return chunks;
}

// Rows of [5 classes][3][4] doubles in chunks of 2 classes: three chunks a row, the last half
// padding; written at 1 and at 3 threads, read back by HDF5 alike.
TEST_F(CompressedRowsTest, RowsReadBackThroughHdf5sPipelineAtAnyThreadCount) {
  const hsize_t rows = 4, classes = 5, inner = 12;
  const std::vector<double> values = sample_values(rows * classes * inner, 7);
  for (const int threads : {1, 3}) {
    const std::string path = file("rows" + std::to_string(threads) + ".h5");
    {
      h5::Id f = h5::create_file(path, MPI_COMM_NULL);
      h5::Id ds = h5::create_dataset(
          f, "policy", H5T_NATIVE_DOUBLE,
          {{rows, classes, 3, 4}, {H5S_UNLIMITED, classes, 3, 4}, {1, 2, 3, 4}, true});
      const std::optional<RowChunking> chunking = row_chunking(ds);
      ASSERT_TRUE(chunking.has_value());
      EXPECT_EQ(chunking->deflate_level, 1);
      EXPECT_EQ(chunking->chunk_span, 2U);
      EXPECT_EQ(chunking->inner, inner);
      // Rows 0-1, then 2-3: two batches, as a run appends them.
      write_compressed_rows(ds, *chunking, 0, 2, values.data(), threads, path);
      write_compressed_rows(ds, *chunking, 2, 2, values.data() + 2 * classes * inner, threads,
                            path);
    }
    EXPECT_EQ(read_everything(path, "policy"), values) << threads << " threads";
  }
  // Which thread encoded a chunk changes none of its bytes: the two files store the same chunks.
  // (Not the same files: HDF5 stamps object headers with the second they were made.)
  const std::vector<std::string> one = stored_chunks(file("rows1.h5"), "policy");
  EXPECT_EQ(one.size(), 4U * 3U);
  EXPECT_TRUE(one == stored_chunks(file("rows3.h5"), "policy"));
}

// Shared rows: each of 3 "ranks" compresses its share of every row's chunks (chunk k of the batch
// on rank k mod 3), their chunks are put together in rank order as the gather does, and the rows
// read back; a batch missing a chunk is refused before anything is written.
TEST_F(CompressedRowsTest, SharesOfChunksFromEveryRankMakeTheRows) {
  const hsize_t rows = 3, classes = 7, inner = 10;
  const std::vector<double> values = sample_values(rows * classes * inner, 5);
  const std::string path = file("shared.h5");
  h5::Id f = h5::create_file(path, MPI_COMM_NULL);
  h5::Id ds = h5::create_dataset(
      f, "policy", H5T_NATIVE_DOUBLE,
      {{rows, classes, inner}, {H5S_UNLIMITED, classes, inner}, {1, 3, inner}, true});
  const std::optional<RowChunking> c = row_chunking(ds);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(chunks_per_row(*c), 3U);
  std::vector<EncodedChunks> share(3);
  for (hsize_t r = 0; r < rows; ++r)
    for (int rank = 0; rank < 3; ++rank)
      encode_row_share(*c, values.data() + r * classes * inner, r, rank, 3, 2,
                       share[static_cast<std::size_t>(rank)]);
  EncodedChunks all;
  for (const EncodedChunks& e : share) {
    EXPECT_EQ(e.ids.size(), 3U);  // 9 chunks over 3 ranks
    all.ids.insert(all.ids.end(), e.ids.begin(), e.ids.end());
    all.sizes.insert(all.sizes.end(), e.sizes.begin(), e.sizes.end());
    all.bytes.insert(all.bytes.end(), e.bytes.begin(), e.bytes.end());
  }
  EncodedChunks short_of_one = all;
  short_of_one.ids.pop_back();
  short_of_one.sizes.pop_back();
  EXPECT_THROW(write_encoded_rows(ds, *c, 0, rows, short_of_one, path), Error);
  write_encoded_rows(ds, *c, 0, rows, all, path);
  ds.reset();
  f.reset();
  EXPECT_EQ(read_everything(path, "policy"), values);
}

// A one-dimensional array (a checkpoint's state) in chunks of 1 000, the last one partial.
TEST_F(CompressedRowsTest, AWholeArrayReadsBack) {
  const std::vector<double> values = sample_values(4321, 11);
  const std::string path = file("whole.h5");
  {
    h5::Id f = h5::create_file(path, MPI_COMM_NULL);
    h5::Id ds = h5::create_dataset(f, "state", H5T_NATIVE_DOUBLE,
                                   {{values.size()}, {H5S_UNLIMITED}, {1000}, true});
    EXPECT_TRUE(write_compressed_whole(ds, values.data(), 2, path));
    // Without the run file's pipeline nothing is written, and the caller writes it as usual.
    h5::Id plain = h5::create_dataset(f, "plain", H5T_NATIVE_DOUBLE,
                                      {{values.size()}, {H5S_UNLIMITED}, {1000}, false});
    EXPECT_FALSE(write_compressed_whole(plain, values.data(), 2, path));
    EXPECT_FALSE(row_chunking(plain).has_value());
  }
  EXPECT_EQ(read_everything(path, "state"), values);
}

// A flipped byte inside a compressed chunk: HDF5's checksum test refuses the read, so the
// checksum written is the one HDF5 computes.
TEST_F(CompressedRowsTest, ADamagedChunkIsRefusedByItsChecksum) {
  std::vector<double> values(20000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 1000) / 3;
  const std::string path = file("damaged.h5");
  {
    h5::Id f = h5::create_file(path, MPI_COMM_NULL);
    h5::Id ds = h5::create_dataset(f, "state", H5T_NATIVE_DOUBLE,
                                   {{values.size()}, {H5S_UNLIMITED}, {values.size()}, true});
    ASSERT_TRUE(write_compressed_whole(ds, values.data(), 1, path));
  }
  ASSERT_EQ(read_everything(path, "state"), values);
  // The chunk is the file's largest block of bytes: flip one in its middle. Find it as the longest
  // run of bytes after the metadata (the data are written last).
  std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
  const auto size = static_cast<std::streamoff>(fs::file_size(path));
  h5::Id f = h5::open_file(path, MPI_COMM_NULL, false);
  h5::Id ds = h5::open_dataset(f, "state");
  haddr_t address = 0;
  hsize_t stored = 0;
  {
    h5::Id space(H5Dget_space(ds), H5Sclose);
    ASSERT_GE(H5Dget_chunk_info(ds, space, 0, nullptr, nullptr, &address, &stored), 0);
  }
  f.reset();
  ASSERT_GT(stored, 100U);
  ASSERT_LT(static_cast<std::streamoff>(address + stored), size + 1);
  const auto middle = static_cast<std::streamoff>(address + stored / 2);
  io.seekg(middle);
  char byte = 0;
  io.read(&byte, 1);
  io.seekp(middle);
  byte = static_cast<char>(byte ^ 0x10);
  io.write(&byte, 1);
  io.close();
  EXPECT_THROW(read_everything(path, "state"), IoError);
}

TEST(ChunkSpan, RowsLargerThanTheTargetAreSplitIntoNearlyEqualChunks) {
  EXPECT_EQ(chunk_span_for(6635, 840, 8, 1 << 20), 155U);  // texas2000's followers/policy
  EXPECT_EQ(chunk_span_for(3, 840, 8, 1 << 20), 3U);       // a row that fits: one chunk
  EXPECT_EQ(chunk_span_for(1, 1 << 20, 8, 1 << 20), 1U);   // nothing to split along
  EXPECT_EQ(chunk_span_for(10, 1 << 17, 8, 1 << 20), 1U);  // 1 MiB a class: a class a chunk
}

// Fletcher-32 as HDF5 defines it, worked by hand: the words 0x6162 and 0x6364, then the odd last
// byte as 0x6500. a = 0x6162, 0xC4C6; b = 0x6162, 0x12628, folded to 0x2629; then a = 0x129C6,
// b = 0x14FEF, folded to 0x29C7 and 0x4FF0.
TEST(Fletcher32, SumsBigEndianWordsAndAnOddLastByte) {
  const unsigned char abcde[] = {'a', 'b', 'c', 'd', 'e'};
  EXPECT_EQ(fletcher32(abcde, 5), 0x4FF029C7U);
  EXPECT_EQ(fletcher32(abcde, 4), 0x2629C4C6U);
  EXPECT_EQ(fletcher32(abcde, 0), 0U);
}

}  // namespace
}  // namespace mfgrid::io
