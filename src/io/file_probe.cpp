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

// What the child writes to the pipe before it exits: "returned" when the reading finished (its
// exit code is the reading's), or "io-error\0PATH\0REASON". A child that ends without writing
// either did not finish: a signal killed it, or a sanitizer's report ended it with an exit code.
constexpr char returned_record[] = "returned";
constexpr char io_error_record[] = "io-error";

void write_record(int fd, const std::string& record) {
  std::size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = write(fd, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::string crashed(const std::string& how) {
  return "damaged beyond what HDF5 can read: HDF5 crashed reading it (" + how +
         "; it trusts the sizes in its global heap, where it keeps attribute text without a "
         "checksum)";
}

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
      write_record(pipe_fds[1], returned_record);
    } catch (const IoError& e) {
      write_record(pipe_fds[1], std::string(io_error_record) + '\0' + e.path() + '\0' + e.reason());
      code = 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mfgrid failed: %s\n", e.what());
      write_record(pipe_fds[1], returned_record);
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
  if (WIFSIGNALED(status)) throw IoError(path, crashed(strsignal(WTERMSIG(status))));
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  if (message == returned_record) return code;
  const std::string io_error = std::string(io_error_record) + '\0';
  if (message.rfind(io_error, 0) == 0) {
    const std::string report = message.substr(io_error.size());
    const auto split = report.find('\0');
    if (split == std::string::npos) throw IoError(path, report);
    throw IoError(report.substr(0, split), report.substr(split + 1));
  }
  throw IoError(path, crashed("the reading ended with exit status " + std::to_string(code) +
                              " before it finished"));
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
