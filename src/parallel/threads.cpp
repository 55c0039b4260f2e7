#include "mfgrid/parallel/threads.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>

namespace mfgrid {

namespace {

// CPUs this process may run on (its affinity mask: what taskset, srun --cpus-per-task or a
// binding launcher gave it), and CPUs online on the node.
int allowed_cpus() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof mask, &mask) == 0) return std::max(1, CPU_COUNT(&mask));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int online_cpus() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : allowed_cpus();
}

// OMP_NUM_THREADS as a count (its first entry, for a nested list), or 0 when unset or not one.
long long env_threads() {
  const char* env = std::getenv("OMP_NUM_THREADS");
  if (env == nullptr || *env == '\0') return 0;
  errno = 0;
  char* end = nullptr;
  const long long n = std::strtoll(env, &end, 10);
  if (errno == ERANGE) return std::numeric_limits<long long>::max();
  if (end == env || (*end != '\0' && *end != ',') || n <= 0) return 0;
  return n;
}

}  // namespace

ThreadChoice choose_threads(long long requested, int ranks_on_node) {
  const int allowed = allowed_cpus();
  ThreadChoice c;
  std::string source = "--threads";
  if (requested <= 0) {
    requested = env_threads();
    source = "OMP_NUM_THREADS";
  }
  if (requested <= 0) {
    // A mask narrower than the node was made for this rank (srun, a binding mpirun, taskset):
    // all of it is this rank's. A mask of the whole node is shared by the ranks on it.
    c.threads =
        allowed < online_cpus() ? allowed : std::max(1, allowed / std::max(1, ranks_on_node));
    return c;
  }
  if (requested > allowed) {
    c.threads = allowed;
    c.warning = source + " asks for " + std::to_string(requested) +
                " threads, but this rank may run on " + std::to_string(allowed) + " CPU" +
                (allowed == 1 ? "" : "s") + " (its affinity mask): using " +
                std::to_string(allowed);
    return c;
  }
  c.threads = static_cast<int>(requested);
  return c;
}

}  // namespace mfgrid
