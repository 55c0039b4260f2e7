// A thin layer over the HDF5 C API: owned identifiers, errors that name the file and the reason,
// attributes, and the few dataset shapes the run file uses.
//
// Every call that can fail turns the HDF5 error stack into an IoError("path", "reason"), so a
// truncated, corrupt or foreign file is reported, never a crash. On a file opened by every rank
// (parallel HDF5) writes are collective: every rank calls every write with its own selection
// (possibly empty), as parallel HDF5 requires for filtered (compressed, checksummed) datasets.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mfgrid::h5 {

// An owned hid_t, closed with the close function that matches its kind.
class Id {
 public:
  Id() = default;
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id(Id&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& o) noexcept;
  ~Id() { reset(); }
  void reset();
  hid_t get() const { return id_; }
  // Gives up ownership: the caller closes it.
  hid_t release() {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }
  operator hid_t() const { return id_; }  // NOLINT(google-explicit-constructor): reads as C API
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

// Silences HDF5's own printing of errors (we report them as IoError instead); once per process.
void quiet_errors();

// Throws IoError(path, what + HDF5's reason) when status < 0: for opening and reading, where a
// failure means the file is foreign, truncated or damaged.
void check(herr_t status, const std::string& path, const std::string& what);
hid_t check_id(hid_t id, const std::string& path, const std::string& what);
// Throws IoFailure(path, what + why) when status < 0: for writing to a file mfgrid opened, where a
// failure is the environment's (no space left, a quota, a device error). `why` is the most
// precise reason known: the file system's state and errno (reset before each write), then HDF5's.
void check_write(herr_t status, const std::string& path, const std::string& what);
hid_t check_write_id(hid_t id, const std::string& path, const std::string& what);

// Drops an identifier without closing it (a file whose writes failed must not be flushed).
void abandon(Id& id);
// True once a file was abandoned, or HDF5 failed to close one (its last writes could not be
// flushed): shutting the library down (which MPI_Finalize does) would then flush or crash, so
// the process must end without that.
bool file_left_unclosed();

// Element types.
template <class T>
hid_t type_of();

// Files. `comm` may be MPI_COMM_NULL for a serial open (readers, `mfgrid info`).
Id create_file(const std::string& path, MPI_Comm comm);
Id open_file(const std::string& path, MPI_Comm comm, bool writable);
std::string file_name(hid_t object);

// Groups: opens `path` (slash separated, relative to loc), creating what is missing.
Id group(hid_t loc, const std::string& path, bool create);
bool exists(hid_t loc, const std::string& path);
// Removes the link `name` (a dataset or group) from `loc`; `file` names the file in errors.
void remove(hid_t loc, const std::string& name, const std::string& file);

// Attributes (scalars and strings; strings as fixed-length UTF-8).
void set_attribute(hid_t obj, const std::string& name, const std::string& value);
void set_attribute(hid_t obj, const std::string& name, double value);
void set_attribute(hid_t obj, const std::string& name, std::int64_t value);
std::string string_attribute(hid_t obj, const std::string& name);
double double_attribute(hid_t obj, const std::string& name);
std::int64_t integer_attribute(hid_t obj, const std::string& name);
bool has_attribute(hid_t obj, const std::string& name);

// The properties of a dataset the run file creates.
struct Layout {
  std::vector<hsize_t> dims;     // current extent
  std::vector<hsize_t> maxdims;  // H5S_UNLIMITED along growing dimensions
  std::vector<hsize_t> chunk;    // empty: contiguous, no filters (the bulk state dump)
  bool compress = true;          // shuffle, then deflate level 1 (chunked only)
};
Id create_dataset(hid_t loc, const std::string& name, hid_t type, const Layout& layout);
Id open_dataset(hid_t loc, const std::string& name);
std::vector<hsize_t> extent(hid_t dataset);
std::vector<hsize_t> chunk_dims(hid_t dataset);  // empty for a contiguous dataset
std::string dataset_name(hid_t dataset);         // its path in the file
// The extent of the first dimension, and rows per chunk; IoError for a dataset without dimensions
// (or not chunked), which mfgrid never writes.
hsize_t rows(hid_t dataset);
hsize_t chunk_rows(hid_t dataset);
// Reads rows [0, count) of the dataset, in slabs of at most 64 MiB, so that every chunk's
// checksum is checked (and nothing is kept); IoError naming the dataset when a read fails. A
// dataset that declares far more than it stores (beyond what deflate can compress, 1 100 to 1,
// for the rows mfgrid writes in full) is refused before anything is allocated.
void read_checked(hid_t dataset, hsize_t count);
// Refuses (IoError) a dataset whose rows [0, count) declare more bytes than it could hold.
void require_plausible(hid_t dataset, hsize_t count);
// The paths (relative to `loc`) of every dataset under it, in name order.
std::vector<std::string> dataset_names(hid_t loc);

// Collective writes. `rows` is the first-dimension range [begin, begin + count); the writing rank
// passes the data of those whole rows, the others pass writer = false and write nothing.
void write_rows(hid_t dataset, hid_t type, hsize_t begin, hsize_t count, const void* data,
                bool writer);
// Writes blocks of the first dimension: (offset, count) pairs of rows, this rank's data in order.
void write_blocks(hid_t dataset, hid_t type, std::span<const std::pair<hsize_t, hsize_t>> blocks,
                  const void* data);
// Writes the listed elements of a 1-D or N-D dataset (coordinates, rank × points).
void write_points(hid_t dataset, hid_t type, std::span<const hsize_t> coords, std::size_t points,
                  const void* data);

// Reads the whole dataset (any rank reads everything), or blocks of its first dimension.
template <class T>
std::vector<T> read_all(hid_t dataset);
void read_blocks(hid_t dataset, hid_t type, std::span<const std::pair<hsize_t, hsize_t>> blocks,
                 void* data);

// The metadata HDF5 keeps without a checksum, as text: the variable-length string attributes (they
// live in the global heap), the values of variable-length string datasets (the names of the
// named dimensions, also there) and each dataset's dimension list (references, also in the global
// heap, written as the attached scales' names), of every object in name order. Objects under a path
// in `skip`, and attributes named in `skip_attributes`, are left out.
std::string unchecked_metadata(hid_t file, std::span<const std::string_view> skip,
                               std::span<const std::string_view> skip_attributes);

// Writes a copy of `source` (a file open for reading, serially) to a new file `target` (created
// through HDF5's serial driver, replacing a file there) without the links under the top-level
// names in `drop` and the root attributes named in `drop_attributes`; so the space of what is left
// out is not in the copy (deleting a link frees nothing of the file). Every other link, object
// (once, however many links name it) and attribute is kept, chunks as stored, and the object
// references of dimension lists name the copies. Returns the copy, open for writing.
Id copy_file_without(hid_t source, const std::string& target,
                     std::span<const std::string_view> drop,
                     std::span<const std::string_view> drop_attributes);

// The variable-length UTF-8 string type (netCDF's NC_STRING). Parallel HDF5 cannot write it into
// datasets: a file opened by one process can.
Id variable_string_type();
// A second name for an object: `link` (a path) names the object at `target`. Collective.
void hard_link(hid_t file, const std::string& target, const std::string& link);

// Dimension scales: a dataset becomes a scale that `attach` names dimension `index` with.
void make_scale(hid_t dataset, const std::string& name);
void attach_scale(hid_t dataset, hid_t scale, unsigned index);
void detach_scale(hid_t dataset, hid_t scale, unsigned index);

}  // namespace mfgrid::h5
