// A main for a fuzz target's LLVMFuzzerTestOneInput without libFuzzer (any compiler): runs the
// target once on every file named, and on every regular file in each directory named (sorted, not
// recursive). A finding aborts, as under libFuzzer; ctest -L fuzz replays the corpus and the
// regression inputs this way in every build.
//
//   TARGET_replay FILE|DIR…                    every input must run without a finding
//   TARGET_replay --expect-finding FILE|DIR…   every input must still give one (an open finding,
//                                              tests/fuzz/known/): each runs in a child process,
//                                              for at most 10 s
// A peak resident size over 2 GiB is a finding, as libFuzzer's -rss_limit_mb=2048 makes it.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

std::vector<std::uint8_t> read_input(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::uint8_t> data{std::istreambuf_iterator<char>(in),
                                 std::istreambuf_iterator<char>()};
  if (!in.eof() && in.fail()) {
    std::fprintf(stderr, "%s: cannot read\n", p.c_str());
    std::exit(2);
  }
  // The range constructor allocates exactly the input's size, so AddressSanitizer sees reads
  // past its end.
  return data;
}

constexpr long rss_limit_mb = 2048;

long peak_resident_mb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // KiB on Linux
}

void run(const std::vector<std::uint8_t>& data) {
  LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
}

// Runs input p; memory is a finding too, as the fuzzers' -rss_limit_mb=2048 makes it (the
// process's peak so far: the input that first passes the limit is named).
void run_within_memory(const std::filesystem::path& p) {
  run(read_input(p));
  if (const long mb = peak_resident_mb(); mb > rss_limit_mb) {
    std::fprintf(stderr, "%s: out of memory: peak resident %ld MB (limit %ld MB)\n", p.c_str(), mb,
                 rss_limit_mb);
    std::abort();
  }
}

// Runs the input in a child process; true when it ended with a finding (a signal or an exit
// status other than 0, as the sanitizers and LeakSanitizer's check at exit give).
bool gives_finding(const std::filesystem::path& p) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(2);
  }
  if (pid == 0) {
    ::alarm(10);  // a hang is a finding too: SIGALRM ends the child
    run_within_memory(p);
    std::exit(0);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      std::perror("waitpid");
      std::exit(2);
    }
  }
  if (WIFSIGNALED(status)) {
    std::fprintf(stderr, "%s: still a finding (%s)\n", p.c_str(), strsignal(WTERMSIG(status)));
    return true;
  }
  if (WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s: still a finding (exit %d)\n", p.c_str(), WEXITSTATUS(status));
    return true;
  }
  std::fprintf(stderr,
               "%s: no finding any more: if it is fixed, move the input to "
               "tests/fuzz/regressions/ and update tests/fuzz/README.md\n",
               p.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  namespace fs = std::filesystem;
  bool expect_finding = false;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (std::strcmp(argv[i], "--expect-finding") == 0) {
      expect_finding = true;
    } else if (fs::is_directory(arg)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(arg))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (fs::is_regular_file(arg)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
  }
  if (expect_finding) {
    std::size_t fixed = 0;
    for (const fs::path& p : inputs) fixed += gives_finding(p) ? 0 : 1;
    std::printf("%zu of %zu inputs still give their finding\n", inputs.size() - fixed,
                inputs.size());
    return fixed == 0 ? 0 : 1;
  }
  for (const fs::path& p : inputs) {
    std::fprintf(stderr, "running %s\n", p.c_str());
    run_within_memory(p);
  }
  std::printf("%zu inputs ran without a finding\n", inputs.size());
  return 0;
}
