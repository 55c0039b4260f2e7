#include "mfgrid/io/run_lock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/timer.hpp"

namespace mfgrid {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// This process's command line, arguments separated by spaces (for the holder's record).
std::string own_command() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!args.empty() && args.back() == '\0') args.pop_back();
  for (char& c : args)
    if (c == '\0' || c == '\n') c = ' ';
  return args.size() > 500 ? args.substr(0, 500) + "…" : args;
}

std::string record_of(const LockHolder& h) {
  return "host=" + h.host + "\npid=" + h.pid + "\njob=" + h.job + "\nsince=" + h.since +
         "\ncommand=" + h.command + "\n";
}

LockHolder parse_record(const std::string& text) {
  LockHolder h;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "host") h.host = value;
    if (key == "pid") h.pid = value;
    if (key == "job") h.job = value;
    if (key == "since") h.since = value;
    if (key == "command") h.command = value;
  }
  return h;
}

std::string read_fd(int fd) {
  std::string text;
  char buf[4096];
  off_t at = 0;
  while (text.size() < 65536) {
    const ssize_t n = pread(fd, buf, sizeof buf, at);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
  return text;
}

bool locks_unsupported(int e) {
  return e == ENOLCK || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP;
}

// A holder on this host whose lock is free is gone (the kernel drops a dead process's locks); so
// is this SLURM job's own earlier run (SLURM never runs a job twice at once).
bool certainly_gone(const LockHolder& h, const LockHolder& me) {
  return h.host == me.host || (!h.job.empty() && h.job == me.job);
}

bool process_alive(const std::string& pid) {
  char* end = nullptr;
  const long p = std::strtol(pid.c_str(), &end, 10);
  if (pid.empty() || *end != '\0' || p <= 0) return false;
  return kill(static_cast<pid_t>(p), 0) == 0 || errno == EPERM;
}

[[noreturn]] void refuse_held(const std::string& final_path, const std::string& path,
                              const LockHolder& h) {
  throw IoError(final_path, "in use by " + h.describe() + " (it holds " + path +
                                "); wait for that run to end, or stop it (SIGTERM checkpoints it)");
}

[[noreturn]] void refuse_unverifiable(const std::string& final_path, const std::string& path,
                                      const LockHolder& h, const char* why) {
  throw IoError(final_path, path + " was left by " + h.describe() + ", " + why +
                                ": if that run has ended, remove " + path + " and try again");
}

int open_lock_file(const std::string& path, int extra_flags) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | extra_flags, 0644);
  if (fd < 0 && errno != EEXIST)
    throw IoError(path, "cannot create the lock file (" + errno_text(errno) + ")");
  if (fd >= 0) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(fd);
      throw IoError(path, "the lock file is not a regular file");
    }
  }
  return fd;
}

// The same file is still at `path` (a holder that lets go removes it, and a process that had
// opened it just before would otherwise lock a file nobody else sees).
bool still_at_path(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  return fstat(fd, &a) == 0 && lstat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

void write_record(int fd, const std::string& path) {
  const std::string record = record_of(RunLock::self());
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, record.data(), record.size(), 0) != static_cast<ssize_t>(record.size()))
    throw IoFailure(path, "cannot write the lock file (" + errno_text(errno) + ")");
}

// On a file system without fcntl locks: the lock file's existence is the lock. Returns its
// descriptor.
int acquire_by_existence(const std::string& final_path, const std::string& path,
                         std::optional<LockHolder>* took_over) {
  const LockHolder me = RunLock::self();
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = open_lock_file(path, O_EXCL);
    if (fd >= 0) {
      write_record(fd, path);
      return fd;
    }
    const int existing = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    const LockHolder h = existing >= 0 ? parse_record(read_fd(existing)) : LockHolder{};
    if (existing >= 0) close(existing);
    const bool gone =
        (h.host == me.host && !process_alive(h.pid)) || (!h.job.empty() && h.job == me.job);
    if (!gone)
      refuse_unverifiable(final_path, path, h,
                          "and this file system has no locks to tell whether it still runs");
    if (took_over) *took_over = h;
    unlink(path.c_str());
  }
  throw IoError(path, "cannot take the lock file (others keep creating it)");
}

}  // namespace

std::string LockHolder::describe() const {
  std::string s = "host " + (host.empty() ? std::string("?") : host) + ", pid " +
                  (pid.empty() ? std::string("?") : pid);
  if (!job.empty()) s += ", SLURM job " + job;
  if (!since.empty()) s += ", since " + since;
  return s;
}

std::string lock_path(const std::string& final_path) { return final_path + ".lock"; }

LockHolder RunLock::self() {
  static const std::string since = utc_timestamp();  // this process's start, near enough
  LockHolder h;
  h.host = host_name();
  h.pid = std::to_string(getpid());
  if (const char* job = std::getenv("SLURM_JOB_ID")) h.job = job;
  h.since = since;
  h.command = own_command();
  return h;
}

RunLock RunLock::acquire(const std::string& final_path, std::optional<LockHolder>* took_over) {
  const std::string path = lock_path(final_path);
  const LockHolder me = self();
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int fd = open_lock_file(path, 0);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (fcntl(fd, F_OFD_SETLK, &lock) != 0) {
      const int e = errno;
      if (locks_unsupported(e)) {
        close(fd);
        return RunLock(acquire_by_existence(final_path, path, took_over), path);
      }
      const LockHolder h = parse_record(read_fd(fd));
      close(fd);
      if (e == EAGAIN || e == EACCES) refuse_held(final_path, path, h);
      throw IoError(path, "cannot lock the lock file (" + errno_text(e) + ")");
    }
    if (!still_at_path(fd, path)) {  // locked a file its holder had just removed: again
      close(fd);
      continue;
    }
    const std::string previous = read_fd(fd);
    if (!previous.empty()) {
      const LockHolder h = parse_record(previous);
      if (!certainly_gone(h, me)) {
        close(fd);
        refuse_unverifiable(final_path, path, h,
                            "which no longer holds its lock as seen from here, but that host "
                            "cannot be checked from this one (file systems whose locks do not "
                            "reach other nodes cannot tell)");
      }
      if (took_over) *took_over = h;
    }
    write_record(fd, path);
    return RunLock(fd, path);
  }
  throw IoError(path, "cannot take the lock (the lock file keeps being replaced)");
}

LockState RunLock::inspect(const std::string& final_path) {
  LockState s;
  s.lock_path = lock_path(final_path);
  const int fd = open(s.lock_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return s;
  const std::string text = read_fd(fd);
  s.holder = parse_record(text);
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const int rc = fcntl(fd, F_OFD_GETLK, &lock);
  const int e = errno;
  close(fd);
  if (rc != 0 && locks_unsupported(e)) {
    // Without locks, only a holder on this host can be checked.
    const bool gone = s.holder.host == self().host && !process_alive(s.holder.pid);
    s.kind = gone ? LockState::Kind::stale : LockState::Kind::held;
  } else if (rc == 0 && lock.l_type != F_UNLCK) {
    s.kind = LockState::Kind::held;
  } else {
    s.kind = text.empty() ? LockState::Kind::none : LockState::Kind::stale;
  }
  if (s.kind == LockState::Kind::stale)
    s.advice = certainly_gone(s.holder, self())
                   ? "the next `mfgrid resume` or `mfgrid run --force` takes it over; or remove " +
                         s.lock_path
                   : "if that run has ended, remove " + s.lock_path;
  return s;
}

void RunLock::refuse_if_held(const std::string& final_path) {
  const LockState s = inspect(final_path);
  if (s.kind == LockState::Kind::held) refuse_held(final_path, s.lock_path, s.holder);
}

RunLock::RunLock(RunLock&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }

RunLock& RunLock::operator=(RunLock&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    o.fd_ = -1;
  }
  return *this;
}

RunLock::~RunLock() { release(); }

void RunLock::release() noexcept {
  if (fd_ < 0) return;
  // Removed while still locked, so nobody can take the lock of a file that is about to vanish
  // without noticing (acquire checks that the file it locked is still the one at the path).
  unlink(path_.c_str());
  close(fd_);
  fd_ = -1;
}

}  // namespace mfgrid
