// main() for benchmarks that run under mpiexec: every rank runs the same fixed number of
// iterations (collectives must match), only rank 0 reports.
#pragma once

#include <benchmark/benchmark.h>
#include <mpi.h>

#define MFGRID_MPI_BENCHMARK_MAIN()                                  \
  int main(int argc, char** argv) {                                  \
    int provided = 0;                                                \
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);   \
    benchmark::Initialize(&argc, argv);                              \
    int rank = 0;                                                    \
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);                            \
    if (rank == 0) {                                                 \
      benchmark::RunSpecifiedBenchmarks();                           \
    } else {                                                         \
      benchmark::BenchmarkReporter* quiet = nullptr;                 \
      struct Null : benchmark::BenchmarkReporter {                   \
        bool ReportContext(const Context&) override { return true; } \
        void ReportRuns(const std::vector<Run>&) override {}         \
      } null;                                                        \
      quiet = &null;                                                 \
      benchmark::RunSpecifiedBenchmarks(quiet);                      \
    }                                                                \
    benchmark::Shutdown();                                           \
    MPI_Finalize();                                                  \
    return 0;                                                        \
  }
