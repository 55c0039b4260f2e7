// The OpenMP threads of each rank of a run, from --threads, OMP_NUM_THREADS or the affinity mask
// (see choose_threads); a request capped to the mask is reported once, by rank 0. What `mfgrid
// run` and a Simulation made from Python both use.
#pragma once

#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {

int rank_threads(int requested, const Communicator& world);

}  // namespace mfgrid
