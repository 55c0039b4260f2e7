// Printing market clearings for `mfgrid opf`: an aligned table for people, tidy CSV (one value
// per row) for pandas and spreadsheets, JSON for programs.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "mfgrid/config/network_spec.hpp"
#include "mfgrid/grid/market_clearing.hpp"

namespace mfgrid::cli {

struct PeriodClearing {
  int period = 0;
  std::string label;            // e.g. "18:00-21:00"
  std::vector<double> load_mw;  // total withdrawal per bus
  MarketClearing result;
  double seconds = 0.0;  // the clearing's wall time (CLP's simplex and the results read back)
};

enum class ReportFormat { text, csv, json };

// `build_seconds`: the time to build the market's LP, reported with the clearings' times.
void write_opf_report(std::ostream& out, ReportFormat format, const std::string& title,
                      const NetworkSpec& network, const std::vector<PeriodClearing>& clearings,
                      double build_seconds);

}  // namespace mfgrid::cli
