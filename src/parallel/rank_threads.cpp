#include "mfgrid/parallel/rank_threads.hpp"

#include <cstdio>

#include "mfgrid/parallel/threads.hpp"

namespace mfgrid {

int rank_threads(int requested, const Communicator& world) {
  const ThreadChoice choice = choose_threads(requested, world.node_size());
  if (!choice.warning.empty() && world.is_root())
    std::fprintf(stderr, "mfgrid: warning: %s\n", choice.warning.c_str());
  return choice.threads;
}

}  // namespace mfgrid
