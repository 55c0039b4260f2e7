#include "cli/opf_report.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "cli/json_text.hpp"

namespace mfgrid::cli {

namespace {

std::string num(double v, int decimals = 3) {
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0.0;  // no "-0.000"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string full(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void write_text(std::ostream& out, const std::string& title, const NetworkSpec& net,
                const std::vector<PeriodClearing>& clearings, double build_seconds) {
  out << title << "\n";
  for (const auto& pc : clearings) {
    const MarketClearing& r = pc.result;
    double shed = 0, spill = 0;
    for (std::size_t b = 0; b < r.shed_mw.size(); ++b) {
      shed += r.shed_mw[b];
      spill += r.spill_mw[b];
    }
    char line[256];
    out << "\nperiod " << pc.period << " (" << pc.label << "): cost " << num(r.cost_per_hour, 2)
        << " $/h, shed " << num(shed) << " MW, spill " << num(spill) << " MW; cleared in "
        << num(1e3 * pc.seconds, 1) << " ms, " << r.iterations << " pivots\n";
    std::snprintf(line, sizeof line, "  %-14s %12s %12s %10s %10s\n", "bus", "load_MW", "LMP_$/MWh",
                  "shed_MW", "spill_MW");
    out << line;
    for (std::size_t b = 0; b < net.buses.size(); ++b) {
      std::snprintf(line, sizeof line, "  %-14s %12s %12s %10s %10s\n", net.buses[b].name.c_str(),
                    num(pc.load_mw[b]).c_str(), num(r.lmp[b], 2).c_str(), num(r.shed_mw[b]).c_str(),
                    num(r.spill_mw[b]).c_str());
      out << line;
    }
    if (!net.lines.empty()) {
      std::snprintf(line, sizeof line, "  %-14s %-16s %10s %10s %8s %14s\n", "line", "from->to",
                    "flow_MW", "limit_MW", "loading", "shadow_$/MWh");
      out << line;
      for (std::size_t l = 0; l < net.lines.size(); ++l) {
        const LineSpec& ls = net.lines[l];
        const std::string ends = net.buses[static_cast<std::size_t>(ls.from)].name + "->" +
                                 net.buses[static_cast<std::size_t>(ls.to)].name;
        const std::string loading =
            ls.limit_mw > 0 ? num(100.0 * std::abs(r.flow_mw[l]) / ls.limit_mw, 1) + "%" : "-";
        std::snprintf(line, sizeof line, "  %-14s %-16s %10s %10s %8s %14s%s\n", ls.name.c_str(),
                      ends.c_str(), num(r.flow_mw[l]).c_str(),
                      ls.limit_mw > 0 ? num(ls.limit_mw, 1).c_str() : "none", loading.c_str(),
                      num(r.line_shadow_price[l], 2).c_str(),
                      r.line_congested(l, ls.limit_mw) ? "  congested" : "");
        out << line;
      }
    }
    std::snprintf(line, sizeof line, "  %-14s %-8s %12s %10s %10s\n", "generator", "bus",
                  "dispatch_MW", "pmin_MW", "pmax_MW");
    out << line;
    for (std::size_t g = 0; g < net.generators.size(); ++g) {
      const GeneratorSpec& gs = net.generators[g];
      std::snprintf(line, sizeof line, "  %-14s %-8s %12s %10s %10s\n", gs.name.c_str(),
                    net.buses[static_cast<std::size_t>(gs.bus)].name.c_str(),
                    num(r.dispatch_mw[g]).c_str(), num(gs.pmin_mw, 1).c_str(),
                    num(gs.pmax_mw, 1).c_str());
      out << line;
    }
  }
  double total = 0;
  for (const auto& pc : clearings) total += pc.seconds;
  out << "\ncleared " << clearings.size() << " period" << (clearings.size() == 1 ? "" : "s")
      << " in " << num(total, 3) << " s (the LP built in " << num(1e3 * build_seconds, 1)
      << " ms; the first clearing starts cold, from the network's basis, each next one from the "
         "previous period's optimal basis)\n";
}

void write_csv(std::ostream& out, const NetworkSpec& net,
               const std::vector<PeriodClearing>& clearings) {
  out << "period,element,name,quantity,value,unit\n";
  for (const auto& pc : clearings) {
    const MarketClearing& r = pc.result;
    const std::string p = std::to_string(pc.period);
    out << p << ",system,,cost," << full(r.cost_per_hour) << ",$/h\n"
        << p << ",system,,clear_time," << full(pc.seconds) << ",s\n"
        << p << ",system,,pivots," << r.iterations << ",\n";
    for (std::size_t b = 0; b < net.buses.size(); ++b) {
      const std::string row = p + ",bus," + net.buses[b].name + ",";
      out << row << "load," << full(pc.load_mw[b]) << ",MW\n"
          << row << "lmp," << full(r.lmp[b]) << ",$/MWh\n"
          << row << "shed," << full(r.shed_mw[b]) << ",MW\n"
          << row << "spill," << full(r.spill_mw[b]) << ",MW\n";
    }
    for (std::size_t l = 0; l < net.lines.size(); ++l) {
      const std::string row = p + ",line," + net.lines[l].name + ",";
      out << row << "flow," << full(r.flow_mw[l]) << ",MW\n"
          << row << "limit," << full(net.lines[l].limit_mw) << ",MW\n"
          << row << "shadow_price," << full(r.line_shadow_price[l]) << ",$/MWh\n";
    }
    for (std::size_t g = 0; g < net.generators.size(); ++g)
      out << p << ",generator," << net.generators[g].name << ",dispatch," << full(r.dispatch_mw[g])
          << ",MW\n";
  }
}

void write_json(std::ostream& out, const std::string& title, const NetworkSpec& net,
                const std::vector<PeriodClearing>& clearings, double build_seconds) {
  out << "{\n  \"title\": " << json_string(title)
      << ",\n  \"build_seconds\": " << json_number(build_seconds)
      << ",\n  \"units\": {\"power\": \"MW\", \"price\": \"$/MWh\", \"cost\": \"$/h\"},\n  "
         "\"periods\": [";
  for (std::size_t k = 0; k < clearings.size(); ++k) {
    const PeriodClearing& pc = clearings[k];
    const MarketClearing& r = pc.result;
    out << (k ? "," : "") << "\n    {\"period\": " << pc.period
        << ", \"label\": " << json_string(pc.label)
        << ", \"cost_per_hour\": " << json_number(r.cost_per_hour)
        << ", \"clear_seconds\": " << json_number(pc.seconds) << ", \"pivots\": " << r.iterations
        << ",\n     \"buses\": [";
    for (std::size_t b = 0; b < net.buses.size(); ++b)
      out << (b ? ", " : "") << "{\"name\": " << json_string(net.buses[b].name)
          << ", \"load\": " << json_number(pc.load_mw[b]) << ", \"lmp\": " << json_number(r.lmp[b])
          << ", \"shed\": " << json_number(r.shed_mw[b])
          << ", \"spill\": " << json_number(r.spill_mw[b]) << "}";
    out << "],\n     \"lines\": [";
    for (std::size_t l = 0; l < net.lines.size(); ++l) {
      const LineSpec& ls = net.lines[l];
      out << (l ? ", " : "") << "{\"name\": " << json_string(ls.name)
          << ", \"from\": " << json_string(net.buses[static_cast<std::size_t>(ls.from)].name)
          << ", \"to\": " << json_string(net.buses[static_cast<std::size_t>(ls.to)].name)
          << ", \"flow\": " << json_number(r.flow_mw[l])
          << ", \"limit\": " << json_number(ls.limit_mw)
          << ", \"shadow_price\": " << json_number(r.line_shadow_price[l])
          << ", \"congested\": " << (r.line_congested(l, ls.limit_mw) ? "true" : "false") << "}";
    }
    out << "],\n     \"generators\": [";
    for (std::size_t g = 0; g < net.generators.size(); ++g)
      out << (g ? ", " : "") << "{\"name\": " << json_string(net.generators[g].name)
          << ", \"bus\": "
          << json_string(net.buses[static_cast<std::size_t>(net.generators[g].bus)].name)
          << ", \"dispatch\": " << json_number(r.dispatch_mw[g]) << "}";
    out << "]}";
  }
  out << "\n  ]\n}\n";
}

}  // namespace

void write_opf_report(std::ostream& out, ReportFormat format, const std::string& title,
                      const NetworkSpec& network, const std::vector<PeriodClearing>& clearings,
                      double build_seconds) {
  switch (format) {
    case ReportFormat::text:
      write_text(out, title, network, clearings, build_seconds);
      break;
    case ReportFormat::csv:
      write_csv(out, network, clearings);
      break;
    case ReportFormat::json:
      write_json(out, title, network, clearings, build_seconds);
      break;
  }
}

}  // namespace mfgrid::cli
