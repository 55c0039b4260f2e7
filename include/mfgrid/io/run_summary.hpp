// What `mfgrid info` shows of a run file: where it stands and what it found.
#pragma once

#include <string>
#include <vector>

#include "mfgrid/io/run_file.hpp"

namespace mfgrid {

struct RunSummary {
  RunFileHeader header;
  std::vector<std::string> params, groups;  // labels of the param and group dimensions
  std::vector<double> theta;                // the tariff posted on the last day, real units
  std::vector<double> eei, bill;            // by group, the last day
  double inequality = 0, revenue_adequacy = 0, cost = 0;  // the last day
  std::int64_t follower_updates = 0;
  double policy_residual = 0, meanfield_residual = 0;
  bool followers_converged = false;
  std::int64_t interactions = 0;
  double last_objective = 0, best_objective = 0;
};

// Throws IoError (path and reason) for a foreign, truncated or damaged file.
RunSummary read_run_summary(const std::string& path);

// Reads every dataset of the file in full, so every chunk's checksum is checked. Returns the
// number of datasets read; throws IoError naming the first damaged one.
std::size_t verify_run_file(const std::string& path);

}  // namespace mfgrid
