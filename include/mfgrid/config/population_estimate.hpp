// How many agents a scenario simulates and how much memory they need, known before anything is
// allocated: validation refuses a population that has no agent ids or cannot fit in memory
// (instead of std::bad_alloc once the run has started).
#pragma once

#include <cstdint>

#include "mfgrid/config/scenario.hpp"

namespace mfgrid {

// count × scale rounded as the population layout rounds it (llround), in double: a product beyond
// 2^63 stays a (huge) number instead of overflowing.
double simulated_agents(std::int64_t count, double scale);
// The sum over the scenario's classes.
double simulated_agents(const Scenario& scenario);

struct PopulationMemory {
  double bytes_per_agent = 0;  // population and checkpoint bytes, plus the optimizer's plans
  double total_bytes = 0;      // the whole population
  // The share this machine holds: under an MPI launcher that says how many ranks run and how many
  // on this node (Open MPI: OMPI_COMM_WORLD_SIZE, OMPI_COMM_WORLD_LOCAL_SIZE; MPICH/Hydra:
  // PMI_SIZE, MPI_LOCALNRANKS), local / total of it, the ranks' blocks being balanced; otherwise
  // (mfgrid validate, a one-rank run) all of it.
  double node_bytes = 0;
  int ranks = 1, local_ranks = 1;
  double physical_bytes = 0;  // this machine's memory (sysconf); 0 when unknown
};

PopulationMemory population_memory(const Scenario& scenario);

}  // namespace mfgrid
