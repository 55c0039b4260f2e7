// Steps every rank takes together, which must succeed or fail on all of them.
//
// Collective I/O (parallel HDF5) deadlocks when one rank fails and unwinds while the others go
// on into the next collective call, or into the one the failing rank left half-way. A step run
// through `collectively` ends on every rank in the same way: each rank's part runs, then the
// ranks agree on the outcome, and if any rank failed every rank throws the error of the lowest
// failing rank: that rank its own exception, the others one of the same kind (InputError,
// IoError, IoFailure, NumericError, else Error) with the same message, so every rank handles it
// alike.
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {

// How long a rank that failed waits for the others to reach the agreement. Past it they are
// taken to be stuck inside a collective call the failing rank will never make, and the failing
// rank reports its error and aborts the job (MPI_Abort) rather than hang. Ranks that did not fail
// wait as long as the slowest rank's part takes.
inline constexpr double collective_failure_wait_seconds = 20.0;

// Every rank calls this after its part of a step, with the exception it met (or none). Returns on
// every rank when no rank failed; otherwise throws on every rank, as described above.
void agree_on_failure(const Communicator& comm, const std::exception_ptr& mine,
                      double wait_seconds = collective_failure_wait_seconds);

// Runs `part` (this rank's part of the step) and agrees on the outcome with the other ranks.
template <class F>
decltype(auto) collectively(const Communicator& comm, F&& part) {
  std::exception_ptr error;
  if constexpr (std::is_void_v<decltype(part())>) {
    try {
      std::forward<F>(part)();
    } catch (...) {
      error = std::current_exception();
    }
    agree_on_failure(comm, error);
  } else {
    decltype(part()) result{};
    try {
      result = std::forward<F>(part)();
    } catch (...) {
      error = std::current_exception();
    }
    agree_on_failure(comm, error);
    return result;
  }
}

}  // namespace mfgrid
