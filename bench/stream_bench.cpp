// The machine's memory bandwidth, STREAM-triad style (a[i] = b[i] + s·c[i] on arrays far larger
// than the caches), on 1 and 2 threads: the ceiling for any kernel that streams its data.
#include <benchmark/benchmark.h>

#include <vector>

#include "mfgrid/parallel/decomposition.hpp"
#include "mfgrid/parallel/threads.hpp"

namespace {

void triad(double* __restrict a, const double* __restrict b, const double* __restrict c, double s,
           std::int64_t begin, std::int64_t end) {
  for (std::int64_t i = begin; i < end; ++i) a[i] = b[i] + s * c[i];
}

void BM_StreamTriad(benchmark::State& state) {
  const std::int64_t n = std::int64_t{1} << 25;  // 256 MiB per array
  const int threads = static_cast<int>(state.range(0));
  std::vector<double> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n), 1.0),
      c(static_cast<std::size_t>(n), 2.0);
  // First touch by the threads that will use the pages.
  mfgrid::run_on_threads(threads, [&](int t, int nt) {
    const auto r = mfgrid::balanced_block(n, nt, t);
    triad(a.data(), b.data(), c.data(), 3.0, r.begin, r.end);
  });
  for (auto _ : state) {
    mfgrid::run_on_threads(threads, [&](int t, int nt) {
      const auto r = mfgrid::balanced_block(n, nt, t);
      triad(a.data(), b.data(), c.data(), 3.0, r.begin, r.end);
    });
    benchmark::DoNotOptimize(a.data());
  }
  // STREAM counts 24 bytes per element for the triad (two reads, one write).
  state.counters["bandwidth_B/s"] =
      benchmark::Counter(24.0 * static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["threads"] = threads;
}
BENCHMARK(BM_StreamTriad)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
