#include "mfgrid/parallel/mpi_session.hpp"

#include <mpi.h>

#include <cstdlib>

#include "mfgrid/core/error.hpp"
#include "mfgrid/parallel/collective_step.hpp"

namespace mfgrid {

namespace {
// The communicator failing commands agree on their error on (see agree_on_error).
MPI_Comm failures = MPI_COMM_NULL;
// MPI_Finalize left to the program by a session destroyed while an exception unwound.
bool finalize_pending = false;

// The rank the launcher gave this process (Open MPI's mpiexec, a PMIx or PMI launcher such as
// srun), 0 when none did: known before MPI starts, so a command that needs no MPI still speaks
// from one process only.
constexpr const char* launcher_rank_variables[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};

int launcher_rank() {
  for (const char* name : launcher_rank_variables) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    char* end = nullptr;
    const long rank = std::strtol(value, &end, 10);
    if (*end == '\0' && rank >= 0) return static_cast<int>(rank);
  }
  return 0;
}

void finalize() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (failures != MPI_COMM_NULL) MPI_Comm_free(&failures);
  MPI_Finalize();
}
}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw Error("MPI_Init_thread failed");
  MPI_Comm_dup(MPI_COMM_WORLD, &failures);
  owns_ = true;
}

MpiSession::~MpiSession() {
  if (!owns_) return;
  if (std::uncaught_exceptions() > 0) {
    finalize_pending = true;
    return;
  }
  finalize();
}

bool MpiSession::active() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

// Read before main: MPI_Init of a process started alone (a singleton) sets these variables too.
const bool launched_by_launcher = [] {
  for (const char* name : launcher_rank_variables) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}();

bool MpiSession::launched() { return launched_by_launcher; }

int MpiSession::world_rank() {
  if (!active()) return launcher_rank();
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

std::exception_ptr MpiSession::agree_on_error(std::exception_ptr error) {
  if (!active() || failures == MPI_COMM_NULL) return error;
  try {
    agree_on_failure(Communicator::wrap(failures), error);
  } catch (...) {
    return std::current_exception();
  }
  return error;
}

void MpiSession::end() {
  if (!finalize_pending) return;
  finalize_pending = false;
  finalize();
}

}  // namespace mfgrid
