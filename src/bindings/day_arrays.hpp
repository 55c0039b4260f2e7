// A simulated day's outputs as numpy arrays, named and shaped as the run file's series: one array
// per series the day adds a row to (market/lmp [period, bus], outcome/eei [group], agents/soc
// [period, agent_sample], …; a follower update's and a leader interaction's on the days that have
// one), read by the same entries of game/run_outputs.hpp that io writes the file with, so the
// names, units and values are the file's.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "mfgrid/game/run_outputs.hpp"

namespace mfgrid::bindings {

class DayArrays {
 public:
  explicit DayArrays(const Simulation& sim);

  // The sampled agents' values of the last day (each rank holds its own agents'), gathered onto
  // every rank: collective, called by every rank after its last day of a step.
  void gather_points(const Simulation& sim, const DayOutcome& day);

  // {path: array}: each array owns the bytes its entry wrote (no further copy). The sampled
  // agents' series are there when gather_points was called after the simulation's last day.
  pybind11::dict arrays(const Simulation& sim, const DayOutcome& day) const;
  // {path: {"dims", "units", "long_name", "rows"}}: dims without the growing one; rows is what
  // adds a row to it ("day", "iteration": a follower update, "interaction": a leader update).
  pybind11::dict describe() const;

 private:
  struct Series {
    SeriesSpec spec;
    std::vector<std::string> dims;  // the fixed ones
    std::vector<pybind11::ssize_t> shape;
  };
  std::vector<Series> series_;
  // The series of each rank's own points (SeriesSource::own_points) and, for the day gathered
  // (its clock, Simulation::day()), their whole rows in C order.
  std::vector<Series> point_series_;
  std::vector<std::vector<double>> point_rows_;
  int points_clock_ = -1;
};

// The members of a fixed dimension of the run file (bus names, income groups, …); empty where
// they have no names.
std::vector<std::string> dimension_labels(const Simulation& sim, const std::string& dim);

}  // namespace mfgrid::bindings
