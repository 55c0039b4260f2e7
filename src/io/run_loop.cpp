#include "mfgrid/io/run_loop.hpp"

#include <algorithm>
#include <csignal>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/stop_signal.hpp"

namespace mfgrid {

namespace {

// A day, or, when the numeric checks stop the run, the days finished before it written first.
const DayOutcome& step_or_keep_days(Simulation& sim, RunWriter* writer) {
  try {
    return sim.step();
  } catch (const NumericError& e) {
    if (writer != nullptr) writer->write_kept_days();
    throw NumericError(std::string(e.what()) + "; that day was not written" +
                       (writer != nullptr ? ", the days before it are in " + writer->path() : ""));
  }
}

// MWh of load shed at the value of lost load over the day.
double shed_energy_mwh(const DayOutcome& day, const Scenario& scenario) {
  double mw = 0.0;
  for (double x : day.shed_mw.values()) mw += x;
  return mw * scenario.time.period_hours();
}

}  // namespace

RunResult run_days(Simulation& sim, RunWriter* writer, RunObserver* observer, int max_days) {
  const Scenario& scenario = sim.scenario();
  const Communicator& world = sim.communicator();
  const int days = scenario.time.days;
  const int checkpoint_every = scenario.checkpoint.every_days;
  RunResult result;
  result.first_day = sim.day();
  const int end_day = max_days < 0 ? days : std::min(days, result.first_day + max_days);
  Stopwatch clock;
  for (int d = result.first_day; d < end_day; ++d) {
    const DayOutcome& day = step_or_keep_days(sim, writer);
    result.last_day = d;
    if (const double shed = shed_energy_mwh(day, scenario); shed > 0) {
      if (result.shed_days == 0 && observer != nullptr) observer->on_first_shedding(sim, d, shed);
      ++result.shed_days;
      result.shed_mwh += shed;
    }
    if (writer != nullptr) {
      writer->write_day(sim, day);
      if (checkpoint_every > 0 && (d + 1) % checkpoint_every == 0 && d + 1 < days)
        writer->write_checkpoint(sim);
    }
    for (std::size_t p = 0; p < result.total.seconds.size(); ++p)
      result.total.seconds[p] += day.times.seconds[p];
    if (observer != nullptr)
      observer->on_day(sim, day, clock.seconds() / (d - result.first_day + 1) * (days - d - 1));
    // The fault tests' hook: every rank stops itself here, its day written or kept for the
    // next batch, until the test has done its deed and continues it (SIGCONT).
    if (sim.test_fault().at(TestFault::Kind::stop, d)) std::raise(SIGSTOP);
    // A stop signal on any rank stops every rank after the same day.
    if (world.any(stop_signal() != 0) && d + 1 < days) {
      if (writer != nullptr) writer->write_checkpoint(sim);
      result.end = RunEnd::stopped;
      result.seconds = clock.seconds();
      return result;
    }
  }
  if (writer != nullptr && end_day == days) writer->finish(sim);
  result.seconds = world.max(clock.seconds());
  return result;
}

}  // namespace mfgrid
