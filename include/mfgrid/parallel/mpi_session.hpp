// MPI start-up and shutdown for a program. A program run without mpirun is a one-rank MPI run.
#pragma once

#include <exception>

namespace mfgrid {

class MpiSession {
 public:
  // Initialises MPI (threads funnelled through the main thread) unless already initialised.
  MpiSession(int* argc, char*** argv);
  // Finalises MPI — unless an exception is on its way out, which the program reports first
  // (while MPI still runs, so that one rank speaks for all) and then calls end().
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  static bool active();
  // Rank in MPI_COMM_WORLD; when MPI is not active, the rank the launcher (mpiexec, srun) gave
  // this process, or 0 in a process started alone.
  static int world_rank();
  // True when a launcher (mpiexec, srun) started this process: its stdout is then the launcher's
  // forwarding (Open MPI's is a terminal even when mpiexec's output goes to a file).
  static bool launched();

  // For a program whose command failed on this rank: agrees with the other ranks on the error
  // (agree_on_failure on a communicator of its own, so it never meets a collective call of the
  // command), and returns the one every rank reports — the lowest failing rank's. A rank whose
  // peers went on without it reports its own error and ends the job.
  static std::exception_ptr agree_on_error(std::exception_ptr error);
  // Finalises MPI if a session left it to the program (see the destructor).
  static void end();

 private:
  bool owns_ = false;
};

}  // namespace mfgrid
