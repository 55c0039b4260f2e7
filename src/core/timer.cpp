#include "mfgrid/core/timer.hpp"

#include <sys/resource.h>

namespace mfgrid {

double peak_memory_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

}  // namespace mfgrid
