// MPI start-up and shutdown for a program. A program run without mpirun is a one-rank MPI run.
#pragma once

namespace mfgrid {

class MpiSession {
 public:
  // Initialises MPI (threads funnelled through the main thread) unless already initialised.
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  static bool active();
  // Rank in MPI_COMM_WORLD, 0 when MPI is not active.
  static int world_rank();

 private:
  bool owns_ = false;
};

}  // namespace mfgrid
