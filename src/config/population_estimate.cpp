#include "mfgrid/config/population_estimate.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <utility>

#include "mfgrid/config/input_limits.hpp"

namespace mfgrid {

namespace {

// A positive integer from the environment, or 0.
int env_count(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return 0;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (*end == '\0' && n > 0 && n < 1 << 30) ? static_cast<int>(n) : 0;
}

}  // namespace

double simulated_agents(std::int64_t count, double scale) {
  return std::round(static_cast<double>(count) * scale);
}

double simulated_agents(const Scenario& s) {
  double total = 0;
  for (const auto& c : s.households.classes) total += simulated_agents(c.count, s.population.scale);
  return total;
}

PopulationMemory population_memory(const Scenario& s) {
  PopulationMemory m;
  // The checkpoint's share is counted always: validation cannot know whether `run -o` will
  // write a run file, and runs that matter do.
  m.bytes_per_agent =
      static_cast<double>(limits::population_bytes_per_agent + limits::checkpoint_bytes_per_agent);
  const LearnerType* followers = find_learner_type(LearnerRole::followers, s.followers.learner);
  if (followers && followers->plans_actions)
    m.bytes_per_agent += static_cast<double>(limits::plan_bytes_per_agent_period) * s.time.periods;
  m.total_bytes = simulated_agents(s) * m.bytes_per_agent;
  for (const auto& [world, local] :
       {std::pair{"OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_SIZE"},
        std::pair{"PMI_SIZE", "MPI_LOCALNRANKS"}}) {
    const int n = env_count(world), k = env_count(local);
    if (n > 0 && k > 0 && k <= n) {
      m.ranks = n;
      m.local_ranks = k;
      break;
    }
  }
  m.node_bytes = m.total_bytes * m.local_ranks / m.ranks;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    m.physical_bytes = static_cast<double>(pages) * static_cast<double>(page);
  return m;
}

}  // namespace mfgrid
