// The OpenMP threads of each rank of a run, from --threads, OMP_NUM_THREADS or the affinity mask
// (see choose_threads); a request capped to the mask is reported once, by rank 0.
#pragma once

#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid::cli {

int rank_threads(int requested, const Communicator& world);

}  // namespace mfgrid::cli
