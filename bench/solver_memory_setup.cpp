// Every benchmark program runs with the command line's allocator setting (core/solver_memory.hpp),
// so that it measures what `mfgrid run` does.
#include "mfgrid/core/solver_memory.hpp"

namespace {
const bool solver_memory_kept = [] {
  mfgrid::keep_solver_memory();
  return true;
}();
}  // namespace
