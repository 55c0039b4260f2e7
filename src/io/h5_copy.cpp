// Copying a closed file without some of its objects (h5.hpp: copy_file_without).
//
// H5Ocopy alone cannot do it: each call copies an object and everything it links to, so objects
// linked from several groups (the dimension scales each group links) would be copied once per
// link, and object references copied into another file keep the addresses of the source, so
// every dimension list (DIMENSION_LIST, REFERENCE_LIST) would point at whatever lies there in the
// copy. Here every link is visited once: an object met again is linked, not copied again, and
// once everything is copied the references are rewritten to name the copies.
#include <hdf5.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <map>
#include <vector>

#include "io/h5.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid::h5 {

namespace {

bool under(std::string_view path, std::span<const std::string_view> prefixes) {
  for (std::string_view p : prefixes)
    if (path == p || (path.starts_with(p) && path.size() > p.size() && path[p.size()] == '/'))
      return true;
  return false;
}

bool listed(std::string_view name, std::span<const std::string_view> names) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

struct Copy {
  hid_t source = H5I_INVALID_HID, target = H5I_INVALID_HID;
  std::string source_path, target_path;
  std::span<const std::string_view> drop;
  std::map<haddr_t, std::string> copied;  // a source object → its path in the copy
  std::exception_ptr error;               // thrown inside a callback, rethrown after it
};

// An attribute's values in memory, as its own type reads them (variable-length data allocated by
// HDF5, reclaimed with the buffer).
struct Values {
  Id type, space;
  std::vector<unsigned char> bytes;
  bool read = false;
  Values(hid_t attr, const std::string& path, const std::string& what)
      : type(check_id(H5Aget_type(attr), path, "cannot read the type of " + what), H5Tclose),
        space(check_id(H5Aget_space(attr), path, "cannot read the shape of " + what), H5Sclose) {
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    bytes.resize(H5Tget_size(type) * static_cast<std::size_t>(std::max<hssize_t>(0, n)));
    if (!bytes.empty()) {
      check(H5Aread(attr, type, bytes.data()), path, "cannot read " + what);
      read = true;
    }
  }
  Values(const Values&) = delete;
  Values& operator=(const Values&) = delete;
  ~Values() {
    if (read) H5Dvlen_reclaim(type, space, H5P_DEFAULT, bytes.data());
  }
};

std::string attribute_name(hid_t attr) {
  std::string name(static_cast<std::size_t>(std::max<ssize_t>(0, H5Aget_name(attr, 0, nullptr))),
                   '\0');
  H5Aget_name(attr, name.size() + 1, name.data());
  return name;
}

// "attribute 'NAME' of 'PATH'", for the messages.
std::string describe_attribute(const std::string& name, const std::string& path) {
  std::string s = "attribute '";
  s += name;
  s += "' of '";
  s += path;
  s += '\'';
  return s;
}

// Calls `visit` with each attribute of `object` (in the copy's `path`), in their stored order.
template <class Visit>
void for_each_attribute(hid_t object, const Copy& c, const std::string& path, Visit visit) {
  H5O_info_t info;
  check(H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS), c.source_path,
        "cannot read the attributes of '" + path + "'");
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    Id attr(check_id(H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_NATIVE, i, H5P_DEFAULT,
                                    H5P_DEFAULT),
                     c.source_path, "cannot open an attribute of '" + path + "'"),
            H5Aclose);
    visit(static_cast<hid_t>(attr));
  }
}

// Copies the attributes of `from` (in the copy's `path`) to `to`, in their stored order, but
// those named in `skip`. Their references, if any, are rewritten later (translate_references).
void copy_attributes(hid_t from, hid_t to, std::span<const std::string_view> skip, const Copy& c,
                     const std::string& path) {
  for_each_attribute(from, c, path, [&](hid_t attr) {
    const std::string name = attribute_name(attr);
    if (listed(name, skip)) return;
    const std::string what = describe_attribute(name, path);
    const Values v(attr, c.source_path, what);
    Id acpl(H5Aget_create_plist(attr), H5Pclose);
    errno = 0;
    Id out(check_write_id(H5Acreate2(to, name.c_str(), v.type, v.space, acpl, H5P_DEFAULT),
                          c.target_path, "cannot create " + what),
           H5Aclose);
    if (v.read)
      check_write(H5Awrite(out, v.type, v.bytes.data()), c.target_path, "cannot write " + what);
  });
}

// One link of the source, made in the copy (H5Lvisit meets a group's link before its members).
void copy_link(const char* name, const H5L_info_t& link, Copy& c) {
  if (under(name, c.drop)) return;
  errno = 0;
  if (link.type == H5L_TYPE_SOFT) {
    std::vector<char> value(link.u.val_size + 1, '\0');
    check(H5Lget_val(c.source, name, value.data(), value.size(), H5P_DEFAULT), c.source_path,
          std::string("cannot read the link '") + name + "'");
    check_write(H5Lcreate_soft(value.data(), c.target, name, H5P_DEFAULT, H5P_DEFAULT),
                c.target_path, std::string("cannot create the link '") + name + "'");
    return;
  }
  if (link.type != H5L_TYPE_HARD)
    throw IoError(c.source_path, std::string("'") + name + "' is an external link: not copied");
  const auto known = c.copied.find(link.u.address);
  if (known != c.copied.end()) {
    check_write(
        H5Lcreate_hard(c.target, known->second.c_str(), c.target, name, H5P_DEFAULT, H5P_DEFAULT),
        c.target_path, std::string("cannot link '") + name + "'");
    return;
  }
  Id object(check_id(H5Oopen(c.source, name, H5P_DEFAULT), c.source_path,
                     std::string("cannot open '") + name + "'"),
            H5Oclose);
  if (H5Iget_type(object) == H5I_GROUP) {
    // Made as the writer makes groups (links kept compact): with the source's creation list
    // instead, HDF5 1.10.8 crashed visiting the copy while it was open.
    Id group = h5::group(c.target, name, true);
    copy_attributes(object, group, {}, c, name);
  } else {
    if (H5Iget_type(object) == H5I_DATASET) {
      Id type(H5Dget_type(object), H5Tclose);
      if (H5Tdetect_class(type, H5T_REFERENCE) > 0)
        throw IoError(c.source_path, std::string("'") + name + "' holds references: not copied");
    }
    // The object with its attributes; chunks are copied as they are stored (compressed, with
    // their checksums).
    check_write(H5Ocopy(c.source, name, c.target, name, H5P_DEFAULT, H5P_DEFAULT), c.target_path,
                std::string("cannot copy '") + name + "'");
  }
  c.copied.emplace(link.u.address, name);
}

herr_t visit_link(hid_t, const char* name, const H5L_info_t* link, void* data) {
  auto& c = *static_cast<Copy*>(data);
  try {
    copy_link(name, *link, c);
    return 0;
  } catch (...) {
    c.error = std::current_exception();
    return -1;
  }
}

// The copy of the object a source reference names.
hobj_ref_t translate(hobj_ref_t ref, const Copy& c, const std::string& what) {
  if (ref == 0) return 0;  // a null reference
  Id object(check_id(H5Rdereference2(c.source, H5P_DEFAULT, H5R_OBJECT, &ref), c.source_path,
                     "cannot follow a reference of " + what),
            H5Oclose);
  H5O_info_t info;
  check(H5Oget_info2(object, &info, H5O_INFO_BASIC), c.source_path,
        "cannot follow a reference of " + what);
  const auto copy = c.copied.find(info.addr);
  if (copy == c.copied.end())
    throw IoError(c.source_path, what + " refers to an object that is not copied");
  hobj_ref_t out = 0;
  check_write(H5Rcreate(&out, c.target, copy->second.c_str(), H5R_OBJECT, -1), c.target_path,
              "cannot make a reference of " + what);
  return out;
}

// Rewrites, in place, the object references among `count` values of `type` at `data`: inside
// compounds (REFERENCE_LIST), variable-length sequences (DIMENSION_LIST) and arrays.
void translate_values(hid_t type, unsigned char* data, std::size_t count, const Copy& c,
                      const std::string& what) {
  const std::size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_REFERENCE:
      if (H5Tequal(type, H5T_STD_REF_OBJ) <= 0)
        throw IoError(c.source_path, what + " holds region references: not copied");
      for (std::size_t i = 0; i < count; ++i) {
        hobj_ref_t ref = 0;
        std::memcpy(&ref, data + i * size, sizeof ref);
        ref = translate(ref, c, what);
        std::memcpy(data + i * size, &ref, sizeof ref);
      }
      break;
    case H5T_COMPOUND:
      for (int m = 0; m < H5Tget_nmembers(type); ++m) {
        Id member(H5Tget_member_type(type, static_cast<unsigned>(m)), H5Tclose);
        if (H5Tdetect_class(member, H5T_REFERENCE) <= 0) continue;
        const std::size_t offset = H5Tget_member_offset(type, static_cast<unsigned>(m));
        for (std::size_t i = 0; i < count; ++i)
          translate_values(member, data + i * size + offset, 1, c, what);
      }
      break;
    case H5T_VLEN: {
      Id base(H5Tget_super(type), H5Tclose);
      for (std::size_t i = 0; i < count; ++i) {
        hvl_t sequence;
        std::memcpy(&sequence, data + i * size, sizeof sequence);
        translate_values(base, static_cast<unsigned char*>(sequence.p), sequence.len, c, what);
      }
      break;
    }
    case H5T_ARRAY: {
      Id base(H5Tget_super(type), H5Tclose);
      for (std::size_t i = 0; i < count; ++i)
        translate_values(base, data + i * size, size / H5Tget_size(base), c, what);
      break;
    }
    default:
      break;
  }
}

// The attributes holding references of a copied object, rewritten from the source's values.
void translate_references(haddr_t address, const std::string& path, const Copy& c) {
  Id from(check_id(H5Oopen_by_addr(c.source, address), c.source_path, "cannot open '" + path + "'"),
          H5Oclose);
  Id to(check_id(H5Oopen(c.target, path.c_str(), H5P_DEFAULT), c.target_path,
                 "cannot open '" + path + "'"),
        H5Oclose);
  for_each_attribute(from, c, path, [&](hid_t attr) {
    Id type(H5Aget_type(attr), H5Tclose);
    if (H5Tdetect_class(type, H5T_REFERENCE) <= 0) return;
    const std::string name = attribute_name(attr);
    const std::string what = describe_attribute(name, path);
    Values v(attr, c.source_path, what);
    if (!v.read) return;
    translate_values(v.type, v.bytes.data(), v.bytes.size() / H5Tget_size(v.type), c, what);
    Id out(check_id(H5Aopen(to, name.c_str(), H5P_DEFAULT), c.target_path, "cannot open " + what),
           H5Aclose);
    errno = 0;
    check_write(H5Awrite(out, v.type, v.bytes.data()), c.target_path, "cannot write " + what);
  });
}

}  // namespace

Id copy_file_without(hid_t source, const std::string& target,
                     std::span<const std::string_view> drop,
                     std::span<const std::string_view> drop_attributes) {
  Copy c;
  c.source = source;
  c.source_path = file_name(source);
  c.target_path = target;
  c.drop = drop;
  Id file = create_file(target, MPI_COMM_NULL);
  c.target = file;
  Id root(check_id(H5Gopen2(source, "/", H5P_DEFAULT), c.source_path, "cannot open the root"),
          H5Gclose);
  H5O_info_t info;
  check(H5Oget_info2(root, &info, H5O_INFO_BASIC), c.source_path, "cannot open the root");
  c.copied.emplace(info.addr, "/");
  copy_attributes(root, file, drop_attributes, c, "/");
  const herr_t visited = H5Lvisit(source, H5_INDEX_NAME, H5_ITER_INC, visit_link, &c);
  if (c.error) std::rethrow_exception(c.error);
  check(visited, c.source_path, "cannot list the objects (damaged structure?)");
  for (const auto& [address, path] : c.copied) translate_references(address, path, c);
  return file;
}

}  // namespace mfgrid::h5
