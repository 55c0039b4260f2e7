// MATPOWER case files (format version 2): the way power-systems users exchange networks.
//
// Read: `mpc.baseMVA`, `mpc.bus`, `mpc.gen`, `mpc.branch`, `mpc.gencost` (models 1 and 2).
// DC model: a bus's load is Pd plus its shunt conductance Gs (MW at 1 p.u.); a branch's
// reactance is x·tap; `rateA = 0` means unlimited; out-of-service branches and generators and
// isolated (type 4) buses are skipped. Bus names are the MATPOWER bus numbers.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "mfgrid/config/network_spec.hpp"

namespace mfgrid {

struct MatpowerCase {
  NetworkSpec network;         // one period; base load = Pd + Gs
  std::vector<int> bus_lines;  // source line of each kept bus row (for error messages)
  int skipped_branches = 0;    // out of service or touching an isolated bus
  int skipped_generators = 0;
};

// Throws InputError (`file:line:column: mpc.field: what is wrong`) on a malformed case, IoError
// when the file cannot be read. Polynomial costs become `cost_segments` linear pieces.
MatpowerCase read_matpower(const std::string& path, int cost_segments = 10);
MatpowerCase parse_matpower(std::string_view text, const std::string& source_name,
                            int cost_segments = 10);

// Writes the network as a version-2 case with piecewise-linear (model 1) costs, base load of
// `period` as Pd. Buses are numbered 1…n in order; their names go into comments.
void write_matpower(const NetworkSpec& network, std::ostream& out, int period = 0,
                    std::string_view case_name = "mfgrid_case");

}  // namespace mfgrid
