// Wall-clock timing of the phases of a simulated day.
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace mfgrid {

enum class Phase { rollout, reduce, market, learn, io, count };
inline constexpr std::array<std::string_view, static_cast<std::size_t>(Phase::count)> phase_names{
    "rollout", "reduce", "market", "learn", "io"};

// The current time in UTC, ISO 8601 to the second ("2026-12-01T20:04:40Z").
std::string utc_timestamp();

class Stopwatch {
 public:
  Stopwatch() : start_(clock::now()) {}
  double seconds() const { return std::chrono::duration<double>(clock::now() - start_).count(); }
  void restart() { start_ = clock::now(); }

 private:
  using clock = std::chrono::steady_clock;
  clock::time_point start_;
};

// Seconds spent in each phase.
struct PhaseTimes {
  std::array<double, static_cast<std::size_t>(Phase::count)> seconds{};
  double& operator[](Phase p) { return seconds[static_cast<std::size_t>(p)]; }
  double operator[](Phase p) const { return seconds[static_cast<std::size_t>(p)]; }
  double total() const {
    double t = 0;
    for (double s : seconds) t += s;
    return t;
  }
};

// This process's peak resident memory (high-water mark), MiB.
double peak_memory_mib();

}  // namespace mfgrid
