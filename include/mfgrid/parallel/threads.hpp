// The shared-memory backend: OpenMP, kept out of model code. Work is split statically by the
// caller (balanced blocks per thread), so which thread does what never depends on timing.
#pragma once

#include <omp.h>

#include <exception>
#include <vector>

namespace mfgrid {

// OMP_NUM_THREADS when set, else the node's cores shared among the ranks on the node.
int default_thread_count(int ranks_on_node);

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
