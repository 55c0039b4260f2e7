// The shared-memory backend: OpenMP, kept out of model code. Work is split statically by the
// caller (balanced blocks per thread), so which thread does what never depends on timing.
#pragma once

#include <omp.h>

namespace mfgrid {

// OMP_NUM_THREADS when set, else the node's cores shared among the ranks on the node.
int default_thread_count(int ranks_on_node);

// Calls f(thread, threads) on `threads` threads and waits for all of them. f must not throw.
template <class F>
void run_on_threads(int threads, F&& f) {
  if (threads <= 1) {
    f(0, 1);
    return;
  }
#pragma omp parallel num_threads(threads)
  { f(omp_get_thread_num(), omp_get_num_threads()); }
}

}  // namespace mfgrid
