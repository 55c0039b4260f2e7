// Fuzz target: the run-file readers of `mfgrid resume` and `mfgrid info`: the input is written to
// a file, then read_run_header, read_run_summary and verify_run_file read it (serial HDF5).
//
// Promised (include/mfgrid/io/run_file.hpp, run_summary.hpp): a foreign, truncated or damaged
// file is an IoError. Each call also closes what it opened: no HDF5 object stays open after it.
#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_expect.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/io/run_summary.hpp"

namespace {

// A directory of this process's own, removed at exit.
const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/mfgrid-run-file-fuzzer-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) mfgrid::fuzz::finding("mkdtemp", templ.c_str());
    static std::string removed = templ;
    std::atexit([] { ::rmdir(removed.c_str()); });
    return templ;
  }();
  return dir;
}

void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0)
    mfgrid::fuzz::finding("cannot write the input to", path.c_str());
}

template <class Body>
void read_with(const char* reader, Body&& body) {
  mfgrid::fuzz::expect_only<mfgrid::IoError>(body);
  if (const ssize_t open = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL); open != 0)
    mfgrid::fuzz::finding(reader, ("left " + std::to_string(open) + " HDF5 objects open").c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A new file (a new inode) for every input: HDF5 must not take it for one it has open.
  const std::string path = scratch_dir() + "/run.h5";
  ::unlink(path.c_str());
  write_file(path, data, size);
  read_with("read_run_header", [&] { (void)mfgrid::read_run_header(path); });
  read_with("read_run_summary", [&] { (void)mfgrid::read_run_summary(path); });
  read_with("verify_run_file", [&] { (void)mfgrid::verify_run_file(path); });
  ::unlink(path.c_str());
  return 0;
}
