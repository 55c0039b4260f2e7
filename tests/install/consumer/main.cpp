// A downstream program: loads the default scenario and clears its evening peak.
#include <iostream>

#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/grid/dc_opf.hpp"

int main() {
  const mfgrid::Scenario s = mfgrid::load_scenario("ieee3-equity");
  mfgrid::DcOpf opf(s.network);
  const auto& r = opf.clear_base_load(6);
  std::cout << "consumer: " << s.name << " LMP at " << s.network.buses[0].name << " = " << r.lmp[0]
            << "\n";
  return r.lmp[0] > 0 ? 0 : 1;
}
