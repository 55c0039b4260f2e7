#include "io/file_system.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "mfgrid/core/error.hpp"

namespace mfgrid::io {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

// The directory a file is (or will be) in, for statvfs.
std::string directory_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

void require_regular_or_absent(const std::string& path, const char* role) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return;
  if (!S_ISREG(st.st_mode))
    throw IoError(path, std::string("is ") + kind_of(st.st_mode) + ", not a regular file: " + role +
                            " must be a regular file (mfgrid never writes through or replaces "
                            "anything else); choose another output");
}

void create_exclusively(const std::string& path, bool replace) {
  require_regular_or_absent(path, "the run file being written");
  if (replace && unlink(path.c_str()) != 0 && errno != ENOENT)
    throw IoError(path,
                  std::string("cannot remove it to start again (") + std::strerror(errno) + ")");
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST)
      throw IoError(path, "was created by another process at the same moment; not touched");
    throw IoError(path, std::string("cannot create it (") + std::strerror(errno) + ")");
  }
  close(fd);
}

void sync_to_disk(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  const bool synced = fd >= 0 && fsync(fd) == 0;
  const int error = errno;
  if (fd >= 0) close(fd);
  if (!synced)
    throw IoFailure(path, std::string("cannot sync it to disk (") + std::strerror(error) + ")");
}

std::optional<std::uint64_t> free_bytes(const std::string& path) {
  struct statvfs vfs {};
  if (statvfs(directory_of(path).c_str(), &vfs) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

void require_space(const std::string& path, std::uint64_t bytes, const std::string& what) {
  const auto free = free_bytes(path);
  if (!free || *free >= bytes) return;
  throw IoFailure(path, "no space left on device: " + what + " needs up to " + mib(bytes) +
                            ", and the file system has " + mib(*free) + " free");
}

std::string write_failure_reason(const std::string& path, int saved_errno,
                                 const std::string& fallback) {
  const auto free = free_bytes(path);
  // HDF5 writes in blocks of up to a few MiB: less than that free means it ran out.
  constexpr std::uint64_t nearly_full = 4u << 20;
  if (saved_errno == ENOSPC || (free && *free < nearly_full))
    return "no space left on device (" + (free ? mib(*free) : std::string("?")) +
           " free on the file system)";
  if (saved_errno == EDQUOT) return "disk quota exceeded";
  if (saved_errno != 0) return std::strerror(saved_errno) + std::string(" (") + fallback + ")";
  return fallback;
}

}  // namespace mfgrid::io
