#include "config/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "mfgrid/config/input_limits.hpp"
#include "mfgrid/core/error.hpp"

namespace mfgrid::config_detail {

namespace {

// Closes the descriptor on every path out.
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string mib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buf;
}

}  // namespace

std::string read_text_file(const std::string& path, std::string_view what) {
  const std::string name(what);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the checks below refuse it anyway.
  // The checks use the opened descriptor, so the file cannot be swapped between check and read.
  Descriptor d{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (d.fd < 0) throw IoError(path, "cannot open " + name + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(d.fd, &st) != 0)
    throw IoError(path, "cannot read " + name + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw IoError(path, name + " is not a regular file");
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > limits::max_text_file_bytes)
    throw IoError(path, name + " is " + mib(static_cast<double>(size)) +
                            "; text inputs are limited to " +
                            mib(static_cast<double>(limits::max_text_file_bytes)));
  // A regular file never blocks; clear O_NONBLOCK anyway so a short read means end of file.
  ::fcntl(d.fd, F_SETFL, ::fcntl(d.fd, F_GETFL) & ~O_NONBLOCK);
  std::string text;
  text.resize(size);
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(d.fd, text.data() + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(path, "cannot read " + name + ": " + std::strerror(errno));
    }
    if (n == 0) break;  // the file shrank while being read: take what is there
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

}  // namespace mfgrid::config_detail
