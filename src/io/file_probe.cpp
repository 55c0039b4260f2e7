#include "mfgrid/io/file_probe.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

#include "io/checksums.hpp"
#include "io/h5.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/io/run_file.hpp"

namespace mfgrid {

namespace {

// The child's report of an IoError: its reason, read by the parent from a pipe.
constexpr int child_io_error = 111;

std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  return text;
}

}  // namespace

int read_in_child(const std::string& path, const std::function<int()>& reading,
                  double timeout_seconds) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return reading();  // cannot isolate it: read it here
  std::fflush(nullptr);                       // nothing buffered is printed twice
  const pid_t child = fork();
  if (child < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return reading();
  }
  if (child == 0) {
    close(pipe_fds[0]);
    // A crash is the parent's to report: no handler of MPI's prints a backtrace of it here.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
    int code = 0;
    try {
      code = reading();
    } catch (const IoError& e) {
      const std::string report = e.path() + '\0' + e.reason();
      if (write(pipe_fds[1], report.data(), report.size()) < 0) code = 1;
      code = child_io_error;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mfgrid failed: %s\n", e.what());
      code = 1;
    }
    std::fflush(nullptr);
    _exit(code);
  }
  close(pipe_fds[1]);
  int status = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (true) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      close(pipe_fds[0]);
      throw IoError(path, "damaged beyond what HDF5 can read: reading it did not finish within " +
                              std::to_string(static_cast<int>(timeout_seconds)) +
                              " s (HDF5 loops on a damaged global heap, where it keeps attribute "
                              "text without a checksum)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::string message = read_all(pipe_fds[0]);
  close(pipe_fds[0]);
  if (WIFSIGNALED(status))
    throw IoError(path,
                  std::string("damaged beyond what HDF5 can read: HDF5 crashed reading it (") +
                      strsignal(WTERMSIG(status)) +
                      "; it trusts the sizes in its global heap, where it keeps attribute "
                      "text without a checksum)");
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  if (code == child_io_error) {
    const auto split = message.find('\0');
    if (split == std::string::npos) throw IoError(path, message);
    throw IoError(message.substr(0, split), message.substr(split + 1));
  }
  return code;
}

void probe_run_file(const std::string& path) {
  read_in_child(path, [&] {
    const RunFileHeader h = read_run_header(path);
    h5::Id file = h5::open_file(h.path, MPI_COMM_NULL, false);
    if (h5::has_attribute(file, io::metadata_checksum_attribute) &&
        h5::string_attribute(file, io::metadata_checksum_attribute) != io::metadata_checksum(file))
      throw IoError(
          h.path, "attribute text or dimension lists are damaged (their checksum does not match)");
    return 0;
  });
}

}  // namespace mfgrid
