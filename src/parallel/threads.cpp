#include "mfgrid/parallel/threads.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace mfgrid {

int default_thread_count(int ranks_on_node) {
  if (const char* env = std::getenv("OMP_NUM_THREADS"); env && std::atoi(env) > 0)
    return std::atoi(env);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, ranks_on_node));
}

}  // namespace mfgrid
