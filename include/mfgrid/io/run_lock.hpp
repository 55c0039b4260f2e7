// The lock that makes one process the only writer of a run file.
//
// A run writing OUT.h5 (as OUT.h5.partial) holds OUT.h5.lock for its whole life: an exclusive
// fcntl lock of the open file description (F_OFD_SETLK, which NFS and Lustre mounted with
// `flock` pass to the server, so it holds across nodes) on a small file that names the holder:
// host, pid, SLURM job, start time, command. `run`, `run --force` and `resume` refuse a locked
// file; `info` reports who holds it.
//
// A holder that dies (SIGKILL, a node failure) leaves the lock file behind but no lock. Such a
// stale lock is taken over when that is certainly safe — its holder ran on this host (the kernel
// would still hold the lock of a live one), or it is this very SLURM job run again after a
// requeue — and otherwise refused with how to clear it, since a file system whose locks do not
// reach other nodes cannot tell a dead holder on another host from a live one. On a file system
// without fcntl locks at all, the lock file's existence is the lock.
#pragma once

#include <optional>
#include <string>

namespace mfgrid {

// Who holds (or held) a run file's lock, as written in the lock file.
struct LockHolder {
  std::string host, pid, job, since, command;
  std::string describe() const;  // "host vm, pid 1234, SLURM job 77, since 2026-…"
};

// What `mfgrid info` reports.
struct LockState {
  enum class Kind { none, held, stale } kind = Kind::none;
  LockHolder holder;
  std::string lock_path;
  std::string advice;  // for a stale lock: how it is cleared
};

std::string lock_path(const std::string& final_path);

class RunLock {
 public:
  // Takes the lock of the run file named `final_path` (OUT.h5, whether OUT.h5 or OUT.h5.partial
  // is written). Throws IoError naming the holder when another process holds it, or when a stale
  // lock cannot be taken over safely. `took_over` receives the previous holder when a stale lock
  // was taken over (for a warning).
  static RunLock acquire(const std::string& final_path, std::optional<LockHolder>* took_over);
  // Where the lock of `final_path` stands, without taking it.
  static LockState inspect(const std::string& final_path);
  // Throws the IoError acquire() would when a live process holds the lock.
  static void refuse_if_held(const std::string& final_path);

  RunLock() = default;
  RunLock(RunLock&& o) noexcept;
  RunLock& operator=(RunLock&& o) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // release()

  // Removes the lock file and lets the lock go (nothing when not held).
  void release() noexcept;
  bool held() const { return fd_ >= 0; }
  // This process as a holder (what the lock file and the run file's `writer` attribute say).
  static LockHolder self();

 private:
  RunLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace mfgrid
