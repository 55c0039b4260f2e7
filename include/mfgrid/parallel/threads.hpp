// The shared-memory backend: OpenMP, kept out of model code. Work is split statically by the
// caller (balanced blocks per thread), so which thread does what never depends on timing.
#pragma once

#include <omp.h>

#include <exception>
#include <string>
#include <vector>

namespace mfgrid {

// How many OpenMP threads a rank runs, and why not what was asked when it is not.
struct ThreadChoice {
  int threads = 1;
  std::string warning;  // empty unless the request was capped
};

// `requested` (--threads; 0 when not given), else OMP_NUM_THREADS, else the CPUs of the rank's
// affinity mask — all of them when the mask was made for this rank (srun --cpus-per-task,
// taskset, a binding mpirun), a share of them when it spans the node and several ranks run there.
// A request beyond the mask is capped to it (threads beyond the CPUs only slow a rank down, and
// each thread's buffers cost memory), with a warning.
ThreadChoice choose_threads(long long requested, int ranks_on_node);

// Calls f(thread, threads) on `threads` threads and waits for all of them. An exception f throws
// on any thread is rethrown here once every thread has finished (the lowest thread's, if several):
// one escaping an OpenMP region would end the program.
template <class F>
void run_on_threads(int threads, F&& f) {
  if (threads <= 1) {
    f(0, 1);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    const int thread = omp_get_thread_num();
    try {
      f(thread, omp_get_num_threads());
    } catch (...) {
      errors[static_cast<std::size_t>(thread)] = std::current_exception();
    }
  }
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace mfgrid
