#include "io/h5.hpp"

#include <H5DSpublic.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <set>

#include "io/file_system.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid::h5 {

Id& Id::operator=(Id&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Id::reset() {
  if (id_ >= 0 && close_ != nullptr) close_(id_);
  id_ = H5I_INVALID_HID;
}

void quiet_errors() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

namespace {

// Each frame's description, or its minor message when it has none.
herr_t collect_frame(unsigned /*n*/, const H5E_error2_t* e, void* data) {
  auto* frames = static_cast<std::vector<std::string>*>(data);
  std::string text = e->desc != nullptr ? e->desc : "";
  if (text.empty()) {
    char minor[256] = {};
    if (H5Eget_msg(e->min_num, nullptr, minor, sizeof minor) > 0) text = minor;
  }
  if (!text.empty() && (frames->empty() || frames->back() != text)) frames->push_back(text);
  return 0;
}

// The current error stack, outermost and innermost frames: "what failed: why". HDF5 sometimes
// fails without a frame (some collective paths); the caller then adds what else is known.
std::string hdf5_reason() {
  const int saved_errno = errno;
  std::vector<std::string> frames;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_frame, &frames);
  H5Eclear2(H5E_DEFAULT);
  if (frames.empty())
    return saved_errno != 0 ? std::string(std::strerror(saved_errno)) +
                                  " (HDF5 reported the failure without a reason of its own)"
                            : "HDF5 reported the failure without a reason; the system gave none";
  if (frames.size() == 1) return frames.front();
  return frames.front() + ": " + frames.back();
}

bool unclosed_file = false;

// Closes a file; a failure leaves the library in an undefined state (see file_left_unclosed).
herr_t close_file(hid_t file) {
  const herr_t status = H5Fclose(file);
  if (status < 0) {
    unclosed_file = true;
    H5Eclear2(H5E_DEFAULT);
  }
  return status;
}

Id plist(hid_t cls) { return {H5Pcreate(cls), H5Pclose}; }

// Links and attributes kept in the object headers, which carry checksums, rather than in "dense"
// storage (fractal heaps and B-trees) past 8 of them: HDF5 crashed, instead of reporting an
// error, when a flipped bit fell in a group's dense link storage. Our groups hold tens of links
// and objects tens of attributes, far below these limits.
constexpr unsigned compact_links = 4096, compact_attributes = 1024;

void keep_compact(hid_t creation_plist) {
  H5Pset_link_phase_change(creation_plist, compact_links, compact_links - 1);
  H5Pset_attr_phase_change(creation_plist, compact_attributes, compact_attributes - 1);
}

// The files opened through MPI-IO, by HDF5's number for an open file (unique in the process), so
// that a transfer knows whether to be collective without asking the file for its access list:
// H5Fget_access_plist duplicates the file's communicator on every call, which cost a third of a
// small write.
std::set<unsigned long>& mpi_files() {
  static std::set<unsigned long> files;
  return files;
}

unsigned long file_number(hid_t object) {
  H5O_info_t info;
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return 0;
  }
  return info.fileno;
}

// Transfer lists for MPI-IO files (collective) and others (the default). They live until HDF5
// shuts down, which closes them: a static destructor could run after the library's shutdown.
hid_t xfer_for(hid_t object) {
  static const hid_t collective = [] {
    const hid_t p = H5Pcreate(H5P_DATASET_XFER);
    H5Pset_dxpl_mpio(p, H5FD_MPIO_COLLECTIVE);
    return p;
  }();
  return mpi_files().contains(file_number(object)) ? collective : H5P_DEFAULT;
}

Id space_of(hid_t dataset) { return {H5Dget_space(dataset), H5Sclose}; }

Id file_access(const std::string& path, MPI_Comm comm) {
  Id fapl = plist(H5P_FILE_ACCESS);
  if (comm != MPI_COMM_NULL) {
    check(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL), path, "cannot use MPI-IO");
    // Metadata reads and writes by all ranks together: no rank-0 hot spot, and required for the
    // identical metadata writes parallel HDF5 expects.
    H5Pset_all_coll_metadata_ops(fapl, true);
    H5Pset_coll_metadata_write(fapl, true);
  } else {
    // A run's file is kept from a second writer by its own lock (run_lock.hpp), which also says
    // whether its writer is alive. HDF5's serial driver adds two marks of its own: a lock (flock)
    // while the file is open, and a flag in the superblock, "open for write", that stays set if
    // the writer is killed while the file is open, after which HDF5 refuses every open. Neither
    // is used here: the flag is read as clear (HDF5's private property for it, which its h5clear
    // tool sets), so that a run killed mid-write can be inspected and resumed (its checksums then
    // say what is intact).
    check(H5Pset_file_locking(fapl, false, true), path, "cannot turn HDF5's file locking off");
    const hbool_t clear_flags = true;
    check(H5Pset(fapl, "clear_status_flags", &clear_flags), path,
          "cannot ignore the file's write flag");
  }
  // The 1.10 file format: version-2 object headers and superblock, and chunk indices that are
  // extensible arrays and version-2 B-trees rather than version-1 B-trees, so every metadata block
  // carries a checksum and a flipped bit in the file's structure is detected. (With the 1.8 format
  // as the lower bound the chunk indices had none, and files were a third larger.) Readers need
  // HDF5 ≥ 1.10: h5py, netCDF-C and xarray on Debian 12 have it.
  check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110), path,
        "cannot set the format version");
  return fapl;
}

}  // namespace

void check(herr_t status, const std::string& path, const std::string& what) {
  if (status < 0) throw IoError(path, what + " (" + hdf5_reason() + ")");
}

hid_t check_id(hid_t id, const std::string& path, const std::string& what) {
  if (id < 0) throw IoError(path, what + " (" + hdf5_reason() + ")");
  return id;
}

void check_write(herr_t status, const std::string& path, const std::string& what) {
  if (status >= 0) return;
  const int saved_errno = errno;
  throw IoFailure(path,
                  what + " (" + io::write_failure_reason(path, saved_errno, hdf5_reason()) + ")");
}

hid_t check_write_id(hid_t id, const std::string& path, const std::string& what) {
  check_write(id < 0 ? -1 : 0, path, what);
  return id;
}

void abandon(Id& id) {
  if (!id.valid()) return;
  id.release();
  unclosed_file = true;
}

bool file_left_unclosed() { return unclosed_file; }

template <>
hid_t type_of<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
hid_t type_of<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
hid_t type_of<std::int64_t>() {
  return H5T_NATIVE_INT64;
}
template <>
hid_t type_of<std::uint8_t>() {
  return H5T_NATIVE_UINT8;
}

std::string file_name(hid_t object) {
  const ssize_t n = H5Fget_name(object, nullptr, 0);
  if (n <= 0) return "(HDF5 file)";
  std::string s(static_cast<std::size_t>(n), '\0');
  H5Fget_name(object, s.data(), s.size() + 1);
  return s;
}

Id create_file(const std::string& path, MPI_Comm comm) {
  quiet_errors();
  Id fapl = file_access(path, comm);
  Id fcpl = plist(H5P_FILE_CREATE);
  keep_compact(fcpl);  // the root group's
  Id file{check_write_id((errno = 0, H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl)), path,
                         "cannot create the file"),
          close_file};
  if (comm != MPI_COMM_NULL) mpi_files().insert(file_number(file));
  return file;
}

Id open_file(const std::string& path, MPI_Comm comm, bool writable) {
  quiet_errors();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError(path, "no such file");
  if (!std::filesystem::is_regular_file(path, ec)) throw IoError(path, "not a regular file");
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError(path, "not an HDF5 file (no HDF5 signature), or one damaged beyond reading");
  }
  Id fapl = file_access(path, comm);
  Id file{check_id(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl), path,
                   "cannot open the file (truncated or damaged?)"),
          close_file};
  if (comm != MPI_COMM_NULL) mpi_files().insert(file_number(file));
  return file;
}

void remove(hid_t loc, const std::string& name, const std::string& file) {
  check(H5Ldelete(loc, name.c_str(), H5P_DEFAULT), file, "cannot remove '" + name + "'");
}

bool exists(hid_t loc, const std::string& path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string prefix = path.substr(0, slash);
    const htri_t e = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
    if (e <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

namespace {

// One new group, its links and attributes kept compact.
Id create_group(hid_t loc, const std::string& path) {
  Id gcpl = plist(H5P_GROUP_CREATE);
  keep_compact(gcpl);
  errno = 0;
  return {check_write_id(H5Gcreate2(loc, path.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT),
                         file_name(loc), "cannot create group '" + path + "'"),
          H5Gclose};
}

// Creates the groups on the way to `path` (its prefixes) that do not exist yet.
void create_parents(hid_t loc, const std::string& path) {
  for (std::size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && !exists(loc, prefix)) create_group(loc, prefix);
  }
}

}  // namespace

Id group(hid_t loc, const std::string& path, bool create) {
  if (exists(loc, path))
    return {check_id(H5Gopen2(loc, path.c_str(), H5P_DEFAULT), file_name(loc),
                     "cannot open group '" + path + "'"),
            H5Gclose};
  if (!create) throw IoError(file_name(loc), "no group '" + path + "': not an mfgrid run file?");
  create_parents(loc, path);
  return create_group(loc, path);
}

namespace {

void replace_attribute(hid_t obj, const std::string& name, hid_t type, const void* value) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  errno = 0;
  Id attr(check_write_id(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                         file_name(obj), "cannot create attribute '" + name + "'"),
          H5Aclose);
  check_write(H5Awrite(attr, type, value), file_name(obj), "cannot write attribute '" + name + "'");
}

Id open_attribute(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError(file_name(obj), "attribute '" + name + "' is missing: not an mfgrid run file?");
  }
  Id attr{check_id(H5Aopen(obj, name.c_str(), H5P_DEFAULT), file_name(obj),
                   "cannot open attribute '" + name + "'"),
          H5Aclose};
  // Every attribute mfgrid reads is one value: a foreign file's array must not be read into it.
  Id space(H5Aget_space(attr), H5Sclose);
  if (space < 0 || H5Sget_simple_extent_npoints(space) != 1) {
    H5Eclear2(H5E_DEFAULT);
    throw IoError(file_name(obj), "attribute '" + name + "' is not a single value");
  }
  return attr;
}

}  // namespace

bool has_attribute(hid_t obj, const std::string& name) {
  const htri_t e = H5Aexists(obj, name.c_str());
  H5Eclear2(H5E_DEFAULT);
  return e > 0;
}

// Variable-length UTF-8: h5py reads it as str, netCDF as a string attribute.
void set_attribute(hid_t obj, const std::string& name, const std::string& value) {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const char* text = value.c_str();
  replace_attribute(obj, name, type, static_cast<const void*>(&text));
}

void set_attribute(hid_t obj, const std::string& name, double value) {
  replace_attribute(obj, name, H5T_NATIVE_DOUBLE, &value);
}

void set_attribute(hid_t obj, const std::string& name, std::int64_t value) {
  replace_attribute(obj, name, H5T_NATIVE_INT64, &value);
}

std::string string_attribute(hid_t obj, const std::string& name) {
  Id attr = open_attribute(obj, name);
  Id type(H5Aget_type(attr), H5Tclose);
  const std::string file = file_name(obj);
  if (H5Tget_class(type) != H5T_STRING) throw IoError(file, "attribute '" + name + "' is not text");
  if (H5Tis_variable_str(type) > 0) {
    char* text = nullptr;
    check(H5Aread(attr, type, static_cast<void*>(&text)), file,
          "cannot read attribute '" + name + "'");
    std::string s = text != nullptr ? text : "";
    H5free_memory(text);
    return s;
  }
  const std::size_t n = H5Tget_size(type);
  std::string s(n, '\0');
  check(H5Aread(attr, type, s.data()), file, "cannot read attribute '" + name + "'");
  s.resize(std::min(n, s.find('\0')));
  return s;
}

double double_attribute(hid_t obj, const std::string& name) {
  Id attr = open_attribute(obj, name);
  double v = 0;
  check(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), file_name(obj),
        "cannot read attribute '" + name + "'");
  return v;
}

std::int64_t integer_attribute(hid_t obj, const std::string& name) {
  Id attr = open_attribute(obj, name);
  std::int64_t v = 0;
  check(H5Aread(attr, H5T_NATIVE_INT64, &v), file_name(obj),
        "cannot read attribute '" + name + "'");
  return v;
}

Id create_dataset(hid_t loc, const std::string& name, hid_t type, const Layout& layout) {
  const std::string file = file_name(loc);
  const int rank = static_cast<int>(layout.dims.size());
  std::vector<hsize_t> maxdims = layout.maxdims.empty() ? layout.dims : layout.maxdims;
  Id space(check_id(H5Screate_simple(rank, layout.dims.data(), maxdims.data()), file,
                    "cannot make the shape of '" + name + "'"),
           H5Sclose);
  Id dcpl = plist(H5P_DATASET_CREATE);
  if (!layout.chunk.empty()) {
    std::vector<hsize_t> chunk = layout.chunk;
    for (hsize_t& c : chunk) c = std::max<hsize_t>(1, c);
    check(H5Pset_chunk(dcpl, rank, chunk.data()), file, "cannot chunk '" + name + "'");
    if (layout.compress) {
      H5Pset_shuffle(dcpl);
      // Level 1, not 4: texas2000 at 10^6 agents spent 16.9 s of 10 days deflating at 4 and
      // 12.0 s at 1, for a file 6 % larger (ieee3-equity's: 1.5 %); shuffle does most of the work.
      H5Pset_deflate(dcpl, 1);
    }
    // A checksum per chunk: a flipped bit in the data is an error on read, not a wrong number.
    H5Pset_fletcher32(dcpl);
  } else if (H5Tis_variable_str(type) <= 0) {
    // The bulk dump: space allocated at once, no fill pass (every element is written). (HDF5
    // wants a fill for variable-length strings: the named dimensions' scales keep the default.)
    H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
    H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER);
  }
  keep_compact(dcpl);
  create_parents(loc, name);
  errno = 0;
  return {check_write_id(H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                         file, "cannot create dataset '" + name + "'"),
          H5Dclose};
}

Id open_dataset(hid_t loc, const std::string& name) {
  if (!exists(loc, name))
    throw IoError(file_name(loc), "dataset '" + name + "' is missing: not an mfgrid run file?");
  return {check_id(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), file_name(loc),
                   "cannot open dataset '" + name + "'"),
          H5Dclose};
}

std::vector<hsize_t> extent(hid_t dataset) {
  Id space = space_of(dataset);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(0, rank)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

std::vector<hsize_t> chunk_dims(hid_t dataset) {
  Id dcpl(H5Dget_create_plist(dataset), H5Pclose);
  if (dcpl < 0 || H5Pget_layout(dcpl) != H5D_CHUNKED) return {};
  std::vector<hsize_t> dims(H5S_MAX_RANK);
  const int rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, dims.data());
  dims.resize(static_cast<std::size_t>(std::max(0, rank)));
  return dims;
}

namespace {

struct DatasetList {
  hid_t loc;
  std::vector<std::string> names;
};

// A dataset linked into a group from `loc` (a dimension scale a group links for netCDF readers)
// is named by its link at `loc`, not by whichever link the visit met first.
herr_t list_dataset(hid_t, const char* name, const H5O_info_t* info, void* data) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto& list = *static_cast<DatasetList*>(data);
  std::string path = name;
  const std::size_t slash = path.rfind('/');
  if (slash != std::string::npos) {
    const std::string base = path.substr(slash + 1);
    H5O_info_t at_loc;
    if (H5Lexists(list.loc, base.c_str(), H5P_DEFAULT) > 0 &&
        H5Oget_info_by_name2(list.loc, base.c_str(), &at_loc, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
        at_loc.fileno == info->fileno && at_loc.addr == info->addr)
      path = base;
  }
  list.names.push_back(std::move(path));
  return 0;
}

}  // namespace

std::vector<std::string> dataset_names(hid_t loc) {
  DatasetList list{loc, {}};
  check(H5Ovisit(loc, H5_INDEX_NAME, H5_ITER_INC, list_dataset, &list), file_name(loc),
        "cannot list the datasets (damaged structure?)");
  std::sort(list.names.begin(), list.names.end());
  return list.names;
}

namespace {

hsize_t row_elements(const std::vector<hsize_t>& dims) {
  hsize_t n = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) n *= dims[i];
  return n;
}

// Selects rows [begin, begin + count) of every other dimension's full range.
void select_rows(hid_t space, const std::vector<hsize_t>& dims, hsize_t begin, hsize_t count,
                 H5S_seloper_t op) {
  std::vector<hsize_t> start(dims.size(), 0), n = dims;
  start[0] = begin;
  n[0] = count;
  H5Sselect_hyperslab(space, op, start.data(), nullptr, n.data(), nullptr);
}

// The shape in memory of `rows` rows of a dataset of extent `dims`: the file selection's own, so
// that HDF5 maps a selection of whole rows onto the chunks directly. (With a flat memory space the
// shapes differ, and HDF5 1.10 builds its chunk map element by element: on texas2000's
// followers/policy, 5.7 M values a row, that was most of the run file's time besides deflate.)
std::vector<hsize_t> rows_shape(const std::vector<hsize_t>& dims, hsize_t rows) {
  std::vector<hsize_t> shape = dims.empty() ? std::vector<hsize_t>{1} : dims;
  shape[0] = std::max<hsize_t>(1, rows);
  for (hsize_t& n : shape) n = std::max<hsize_t>(1, n);
  return shape;
}

void transfer(hid_t dataset, hid_t type, hid_t file_space, const std::vector<hsize_t>& mem_shape,
              hsize_t elements, void* data, bool write, const std::string& what) {
  Id mem(H5Screate_simple(static_cast<int>(mem_shape.size()), mem_shape.data(), nullptr), H5Sclose);
  if (elements == 0) {
    H5Sselect_none(mem);
    H5Sselect_none(file_space);
  }
  const hid_t dxpl = xfer_for(dataset);
  errno = 0;
  const herr_t s = write ? H5Dwrite(dataset, type, mem, file_space, dxpl, data)
                         : H5Dread(dataset, type, mem, file_space, dxpl, data);
  if (write)
    check_write(s, file_name(dataset), what);
  else
    check(s, file_name(dataset), what);
}

}  // namespace

std::string dataset_name(hid_t dataset) {
  const ssize_t n = H5Iget_name(dataset, nullptr, 0);
  std::string s(static_cast<std::size_t>(std::max<ssize_t>(0, n)), '\0');
  if (n > 0) H5Iget_name(dataset, s.data(), s.size() + 1);
  return s;
}

hsize_t rows(hid_t dataset) {
  const std::vector<hsize_t> e = extent(dataset);
  if (e.empty())
    throw IoError(file_name(dataset), "'" + dataset_name(dataset) + "' has no dimensions");
  return e[0];
}

hsize_t chunk_rows(hid_t dataset) {
  const std::vector<hsize_t> c = chunk_dims(dataset);
  if (c.empty() || c[0] == 0)
    throw IoError(file_name(dataset), "'" + dataset_name(dataset) + "' is not chunked");
  return c[0];
}

namespace {

// Bytes of rows [0, count): the row size times count, or nullopt when that overflows.
std::optional<hsize_t> bytes_of_rows(hid_t dataset, hid_t type, hsize_t count) {
  const std::vector<hsize_t> e = extent(dataset);
  hsize_t bytes = H5Tget_size(type);
  for (std::size_t i = 1; i < e.size(); ++i) {
    if (e[i] != 0 && bytes > std::numeric_limits<hsize_t>::max() / e[i]) return std::nullopt;
    bytes *= e[i];
  }
  if (count != 0 && bytes > std::numeric_limits<hsize_t>::max() / count) return std::nullopt;
  return bytes * count;
}

}  // namespace

void require_plausible(hid_t dataset, hsize_t count) {
  Id type(H5Dget_type(dataset), H5Tclose);
  const auto declared = bytes_of_rows(dataset, type, count);
  // Deflate compresses at most about 1 032 to 1; a 1 MiB allowance covers small datasets whose
  // storage is still to be allocated.
  const hsize_t stored = H5Dget_storage_size(dataset);
  const hsize_t limit =
      std::max<hsize_t>(1u << 20, stored > (~hsize_t{0}) / 1100 ? ~hsize_t{0} : stored * 1100);
  if (!declared || *declared > limit)
    throw IoError(file_name(dataset),
                  "'" + dataset_name(dataset) + "' declares " +
                      (declared ? std::to_string(*declared) + " bytes"
                                : std::string("more bytes than can be counted")) +
                      " but stores " + std::to_string(stored) +
                      ": not a dataset mfgrid writes (damaged or foreign file)");
}

void read_checked(hid_t dataset, hsize_t count) {
  if (count == 0) return;
  require_plausible(dataset, count);
  Id type(H5Dget_type(dataset), H5Tclose);
  const hsize_t row_bytes = *bytes_of_rows(dataset, type, 1);
  const hsize_t slab = std::max<hsize_t>(1, (64u << 20) / std::max<hsize_t>(1, row_bytes));
  const bool variable = H5Tdetect_class(type, H5T_VLEN) > 0 || H5Tis_variable_str(type) > 0;
  const std::vector<hsize_t> dims = extent(dataset);
  if (row_elements(dims) == 0) return;  // rows of no values
  std::vector<unsigned char> buffer;
  for (hsize_t begin = 0; begin < count; begin += slab) {
    const hsize_t n = std::min(slab, count - begin);
    buffer.assign(n * row_bytes, 0);
    Id space = space_of(dataset);
    select_rows(space, dims, begin, n, H5S_SELECT_SET);
    const std::vector<hsize_t> shape = rows_shape(dims, n);
    Id mem(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose);
    errno = 0;
    check(H5Dread(dataset, type, mem, space, xfer_for(dataset), buffer.data()), file_name(dataset),
          "'" + dataset_name(dataset) + "' is damaged");
    // Variable-length values are allocated by HDF5 and must be given back.
    if (variable) H5Dvlen_reclaim(type, mem, H5P_DEFAULT, buffer.data());
  }
}

void write_rows(hid_t dataset, hid_t type, hsize_t begin, hsize_t count, const void* data,
                bool writer) {
  Id space = space_of(dataset);
  const std::vector<hsize_t> dims = extent(dataset);
  hsize_t elements = 0;
  if (writer && count > 0) {
    select_rows(space, dims, begin, count, H5S_SELECT_SET);
    elements = count * row_elements(dims);
  }
  transfer(dataset, type, space, rows_shape(dims, elements > 0 ? count : 0), elements,
           const_cast<void*>(data), true, "cannot write '" + dataset_name(dataset) + "'");
}

namespace {

// Moves this rank's row blocks (ascending, disjoint; its data in that order) in slabs of whole
// chunks of at most 64 MiB of the dataset, one collective transfer each (every rank makes the same
// calls: the slabs follow the dataset's extent). HDF5 holds a transfer's chunks in memory at once:
// the checkpoint's per-agent arrays in one transfer cost 5.6 bytes an agent on top of the
// simulation's 28 (10^8 agents: 600 MB more).
void transfer_blocks(hid_t dataset, hid_t type, std::span<const std::pair<hsize_t, hsize_t>> blocks,
                     void* data, bool write, const std::string& what) {
  Id space = space_of(dataset);
  const std::vector<hsize_t> dims = extent(dataset);
  const hsize_t total = dims.empty() ? 0 : dims[0];
  hsize_t last_end = 0;
  for (const auto& [begin, count] : blocks) {
    if (count == 0) continue;
    if (dims.empty() || begin + count > total)
      throw IoError(file_name(dataset), "'" + dataset_name(dataset) + "' is shorter than expected");
    if (begin < last_end)
      throw Error("'" + dataset_name(dataset) + "': row blocks out of order or overlapping");
    last_end = begin + count;
  }
  const hsize_t per_row = row_elements(dims);
  const hsize_t row_bytes = std::max<hsize_t>(1, per_row * H5Tget_size(type));
  constexpr hsize_t slab_bytes = hsize_t{64} << 20;
  hsize_t slab = std::max<hsize_t>(1, slab_bytes / row_bytes);
  if (const std::vector<hsize_t> chunk = chunk_dims(dataset); !chunk.empty())
    slab = std::max(chunk[0], slab / chunk[0] * chunk[0]);
  auto* at = static_cast<unsigned char*>(data);
  hsize_t slab_begin = 0;
  do {
    const hsize_t slab_end = std::min(total, slab_begin + slab);
    H5Sselect_none(space);
    hsize_t rows = 0;
    for (const auto& [begin, count] : blocks) {
      const hsize_t from = std::max(begin, slab_begin), to = std::min(begin + count, slab_end);
      if (from >= to) continue;
      select_rows(space, dims, from, to - from, H5S_SELECT_OR);
      rows += to - from;
    }
    transfer(dataset, type, space, rows_shape(dims, rows), rows * per_row, at, write, what);
    at += rows * row_bytes;
    slab_begin = slab_end;
  } while (slab_begin < total);
}

}  // namespace

void write_blocks(hid_t dataset, hid_t type, std::span<const std::pair<hsize_t, hsize_t>> blocks,
                  const void* data) {
  transfer_blocks(dataset, type, blocks, const_cast<void*>(data), true,
                  "cannot write '" + dataset_name(dataset) + "'");
}

void write_points(hid_t dataset, hid_t type, std::span<const hsize_t> coords, std::size_t points,
                  const void* data) {
  Id space = space_of(dataset);
  if (points > 0) H5Sselect_elements(space, H5S_SELECT_SET, points, coords.data());
  transfer(dataset, type, space, {std::max<hsize_t>(1, points)}, points, const_cast<void*>(data),
           true, "cannot write '" + dataset_name(dataset) + "'");
}

void read_blocks(hid_t dataset, hid_t type, std::span<const std::pair<hsize_t, hsize_t>> blocks,
                 void* data) {
  transfer_blocks(dataset, type, blocks, data, false,
                  "cannot read '" + dataset_name(dataset) + "' (damaged data?)");
}

template <class T>
std::vector<T> read_all(hid_t dataset) {
  Id space = space_of(dataset);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<T> out(static_cast<std::size_t>(std::max<hssize_t>(0, n)));
  if (!out.empty()) {
    errno = 0;
    check(H5Dread(dataset, type_of<T>(), H5S_ALL, H5S_ALL, xfer_for(dataset), out.data()),
          file_name(dataset), "cannot read '" + dataset_name(dataset) + "' (damaged data?)");
  }
  return out;
}
template std::vector<double> read_all(hid_t);
template std::vector<float> read_all(hid_t);
template std::vector<std::int64_t> read_all(hid_t);
template std::vector<std::uint8_t> read_all(hid_t);

namespace {

struct MetadataWalk {
  std::span<const std::string_view> skip, skip_attributes;
  std::vector<std::string> objects;
};

herr_t collect_object(hid_t, const char* name, const H5O_info_t*, void* data) {
  auto* walk = static_cast<MetadataWalk*>(data);
  const std::string_view path(name);
  for (std::string_view prefix : walk->skip)
    if (path == prefix ||
        (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/'))
      return 0;
  walk->objects.emplace_back(name);
  return 0;
}

// A dimension scale by its dimension name, written as the root path every scale had in format 1
// ("/day"): HDF5's name of an object linked from several groups is whichever link its search
// meets first, which changes when a header is rewritten (an attribute set by another program).
herr_t scale_name(hid_t, unsigned, hid_t scale, void* data) {
  char name[256];
  const ssize_t n = H5DSget_scale_name(scale, name, sizeof name);
  *static_cast<std::string*>(data) +=
      (n > 0 && static_cast<std::size_t>(n) < sizeof name ? "/" + std::string(name)
                                                          : dataset_name(scale)) +
      ';';
  return 0;
}

struct AttributeWalk {
  const MetadataWalk* walk;
  std::string* text;
  bool failed = false;
};

herr_t string_attribute_text(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  auto* a = static_cast<AttributeWalk*>(data);
  for (std::string_view skip : a->walk->skip_attributes)
    if (skip == name) return 0;
  Id attr(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose);
  Id type(H5Aget_type(attr), H5Tclose);
  if (attr < 0 || type < 0) {
    a->failed = true;
    return -1;
  }
  if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) <= 0) return 0;
  Id space(H5Aget_space(attr), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<char*> values(static_cast<std::size_t>(std::max<hssize_t>(0, n)), nullptr);
  if (H5Aread(attr, type, values.data()) < 0) {
    a->failed = true;
    return -1;
  }
  *a->text += std::string(name) + '=';
  for (char* v : values) {
    *a->text += (v != nullptr ? v : "") + std::string(1, '\0');
    H5free_memory(v);
  }
  return 0;
}

}  // namespace

std::string unchecked_metadata(hid_t file, std::span<const std::string_view> skip,
                               std::span<const std::string_view> skip_attributes) {
  const std::string path = file_name(file);
  MetadataWalk walk{skip, skip_attributes, {}};
  check(H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, collect_object, &walk), path,
        "cannot list the objects (damaged structure?)");
  std::string text;
  for (const std::string& name : walk.objects) {
    Id obj(H5Oopen(file, name.c_str(), H5P_DEFAULT), H5Oclose);
    if (obj < 0) check(-1, path, "cannot open '" + name + "' (damaged?)");
    text += "@" + name + '\n';
    AttributeWalk attributes{&walk, &text};
    const herr_t status =
        H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, string_attribute_text, &attributes);
    if (status < 0 || attributes.failed)
      check(-1, path, "cannot read the attributes of '" + name + "' (damaged?)");
    if (H5Iget_type(obj) == H5I_DATASET) {
      // A dataset of variable-length strings (the names of a dimension) keeps them in the global
      // heap too.
      Id type(H5Dget_type(obj), H5Tclose);
      if (type >= 0 && H5Tis_variable_str(type) > 0) {
        Id space(H5Dget_space(obj), H5Sclose);
        std::vector<char*> values(
            static_cast<std::size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space))),
            nullptr);
        if (!values.empty() && H5Dread(obj, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
          check(-1, path, "cannot read '" + name + "' (damaged?)");
        text += "values=";
        for (const char* v : values) text += (v != nullptr ? v : "") + std::string(1, '\0');
        if (!values.empty()) H5Dvlen_reclaim(type, space, H5P_DEFAULT, values.data());
      }
    }
    if (H5Iget_type(obj) == H5I_DATASET && H5Aexists(obj, "DIMENSION_LIST") > 0) {
      const std::vector<hsize_t> dims = extent(obj);
      for (unsigned d = 0; d < dims.size(); ++d)
        if (H5DSiterate_scales(obj, d, nullptr, scale_name, &text) < 0)
          check(-1, path, "cannot follow the dimension scales of '" + name + "' (damaged?)");
    }
  }
  return text;
}

void make_scale(hid_t dataset, const std::string& name) {
  check_write(H5DSset_scale(dataset, name.c_str()), file_name(dataset),
              "cannot make '" + name + "' a dimension scale");
}

void detach_scale(hid_t dataset, hid_t scale, unsigned index) {
  check_write(H5DSdetach_scale(dataset, scale, index), file_name(dataset),
              "cannot detach a dimension scale");
}

Id variable_string_type() {
  Id type(check_id(H5Tcopy(H5T_C_S1), "", "cannot make a string type"), H5Tclose);
  check(H5Tset_size(type, H5T_VARIABLE), "", "cannot make a string type variable");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "", "cannot make a string type UTF-8");
  return type;
}

void hard_link(hid_t file, const std::string& target, const std::string& link) {
  check_write(H5Lcreate_hard(file, target.c_str(), file, link.c_str(), H5P_DEFAULT, H5P_DEFAULT),
              file_name(file), "cannot link '" + link + "' to '" + target + "'");
}

void attach_scale(hid_t dataset, hid_t scale, unsigned index) {
  check_write(H5DSattach_scale(dataset, scale, index), file_name(dataset),
              "cannot attach a dimension scale to '" + dataset_name(dataset) + "'");
}

}  // namespace mfgrid::h5
