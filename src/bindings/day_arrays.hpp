// A simulated day's outputs as numpy arrays, named and shaped as the run file's series: one array
// per series the day adds a row to (market/lmp [period, bus], outcome/eei [group], …; a follower
// update's and a leader interaction's on the days that have one), read by the same entries of
// game/run_outputs.hpp that io writes the file with, so the names, units and values are the file's.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "mfgrid/game/run_outputs.hpp"

namespace mfgrid::bindings {

class DayArrays {
 public:
  // The series the same on every rank (a sampled agent's are each rank's own, in the file only).
  explicit DayArrays(const Simulation& sim);

  // {path: array}: each array owns the bytes its entry wrote (no further copy).
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
};

// The members of a fixed dimension of the run file (bus names, income groups, …); empty where
// they have no names.
std::vector<std::string> dimension_labels(const Simulation& sim, const std::string& dim);

}  // namespace mfgrid::bindings
