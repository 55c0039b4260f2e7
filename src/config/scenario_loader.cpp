#include "mfgrid/config/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "config/spelling.hpp"
#include "config/toml_reader.hpp"
#include "config/toml_writer.hpp"
#include "mfgrid/config/cost_curve.hpp"
#include "mfgrid/config/embedded_scenarios.hpp"
#include "mfgrid/config/matpower.hpp"

namespace mfgrid {

using config_detail::did_you_mean;
using config_detail::join;
using config_detail::location_of;
using config_detail::Range;
using config_detail::TableReader;

namespace {

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// ---------------------------------------------------------------------------------------------
// --set key=value overrides

struct PathPart {
  std::string key;
  int index = -1;  // >= 0: element of an array of tables
};

std::vector<PathPart> split_override_key(const std::string& key, const std::string& arg) {
  std::vector<PathPart> parts;
  std::stringstream ss(key);
  std::string piece;
  auto bad = [&](const std::string& why) {
    throw InputError(SourceLocation{"--set " + arg}, key, why);
  };
  while (std::getline(ss, piece, '.')) {
    PathPart part;
    if (auto open = piece.find('['); open != std::string::npos) {
      const auto close = piece.find(']', open);
      if (close == std::string::npos || close != piece.size() - 1)
        bad("malformed index; write name[i]");
      try {
        part.index = std::stoi(piece.substr(open + 1, close - open - 1));
      } catch (const std::exception&) {
        bad("malformed index; write name[i]");
      }
      if (part.index < 0) bad("index must be >= 0");
      piece = piece.substr(0, open);
    }
    if (piece.empty()) bad("empty key component");
    part.key = piece;
    parts.push_back(part);
  }
  if (parts.empty()) bad("empty key");
  return parts;
}

void apply_override(toml::table& root, const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(SourceLocation{"--set " + arg}, "", "expected key=value");
  std::string key = arg.substr(0, eq);
  const std::string value = arg.substr(eq + 1);
  key.erase(key.find_last_not_of(" \t") + 1);
  const auto parts = split_override_key(key, arg);
  const std::string source = "--set " + arg;

  // The value is TOML (number, boolean, array, quoted string); a bare word is taken as a string,
  // so `--set followers.learner=optimizer` works without shell-quoted quotes.
  toml::table doc;
  try {
    doc = toml::parse("v = " + value, source);
  } catch (const toml::parse_error&) {
    std::string escaped;
    for (char c : value) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    try {
      doc = toml::parse("v = \"" + escaped + "\"", source);
    } catch (const toml::parse_error& e) {
      throw InputError(SourceLocation{source}, key,
                       std::string("cannot parse value: ") + std::string(e.description()));
    }
  }

  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const PathPart& p = parts[i];
    toml::node* node = table->get(p.key);
    if (!node) {
      if (p.index >= 0)
        throw InputError(SourceLocation{source}, key,
                         "'" + p.key + "' has no element " + std::to_string(p.index));
      node = &table->insert_or_assign(p.key, toml::table{}).first->second;
    }
    if (p.index >= 0) {
      toml::array* arr = node->as_array();
      if (!arr || !arr->is_array_of_tables())
        throw InputError(SourceLocation{source}, key, "'" + p.key + "' is not an array of tables");
      if (static_cast<std::size_t>(p.index) >= arr->size())
        throw InputError(SourceLocation{source}, key,
                         "'" + p.key + "' has " + std::to_string(arr->size()) +
                             " elements, no element " + std::to_string(p.index));
      node = arr->get(static_cast<std::size_t>(p.index));
    }
    table = node->as_table();
    if (!table) throw InputError(SourceLocation{source}, key, "'" + p.key + "' is not a table");
  }
  if (parts.back().index >= 0)
    throw InputError(SourceLocation{source}, key, "the last key component cannot be indexed");
  toml::node* v = doc.get("v");
  // Moving (not copying) keeps the value's source region, which locates errors at the option.
  v->visit([&](auto&& typed) {
    table->insert_or_assign(parts.back().key,
                            std::move(typed));  // NOLINT(bugprone-move-forwarding-reference)
  });
}

// ---------------------------------------------------------------------------------------------
// Sections

std::string file_stem(const std::string& source) {
  return std::filesystem::path(source).stem().string();
}

// A bus named by string (or by number, for MATPOWER buses).
int read_bus_ref(TableReader& t, std::string_view key, const NetworkSpec& net,
                 const std::optional<std::string>& fallback = std::nullopt) {
  std::string name;
  if (t.has(key)) {
    // Accept integers for MATPOWER-numbered buses.
    try {
      name = std::to_string(t.integer(key, std::nullopt));
    } catch (const InputError&) {
      name = t.string(key, std::nullopt);
    }
  } else {
    name = t.string(key, fallback);
  }
  const int b = net.bus_index(name);
  if (b < 0) {
    std::vector<std::string> names;
    for (const auto& bus : net.buses) names.push_back(bus.name);
    std::string listing = names.size() <= 12 ? "; buses are " + join(names) : "";
    t.fail(key, "no bus named '" + name + "'" + did_you_mean(name, names) + listing);
  }
  return b;
}

Bounds read_bounds(TableReader& t, std::string_view key, Bounds fallback, Range range) {
  auto v = t.numbers(key, std::vector<double>{fallback.lo, fallback.hi}, range, 2);
  if (v[0] > v[1]) t.fail(key, "lower bound " + fmt(v[0]) + " exceeds upper bound " + fmt(v[1]));
  return {v[0], v[1]};
}

void check_within(TableReader& t, std::string_view key, const std::vector<double>& values, Bounds b,
                  std::string_view bounds_key) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] < b.lo || values[i] > b.hi)
      t.fail(key, "value " + fmt(values[i]) + " (element " + std::to_string(i) + ") lies outside " +
                      std::string(bounds_key) + " [" + fmt(b.lo) + ", " + fmt(b.hi) + "]");
}

// Shares that must sum to 1 (normalised exactly once they pass).
std::vector<double> read_shape(TableReader& t, std::string_view key, int periods,
                               const std::optional<std::vector<double>>& fallback) {
  auto v = t.numbers(key, fallback, Range::at_least(0.0), periods);
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (std::abs(sum - 1.0) > 1e-3)
    t.fail(key, "shares must sum to 1 (they sum to " + fmt(sum) + ")");
  for (double& x : v) x /= sum;
  return v;
}

struct NetworkLocations {
  std::vector<SourceLocation> bus;  // where each bus is defined
};

NetworkSpec read_network(TableReader t, int periods, const std::string& base_dir,
                         NetworkLocations& where) {
  NetworkSpec net;
  net.periods = periods;
  const std::string matpower = t.string("matpower", "");
  const int cost_segments =
      static_cast<int>(t.integer("cost_segments", 10, Range::between(1, 1000)));
  net.voll = t.number("voll", 10000.0, Range::positive());
  net.spill_cost = t.number("spill_cost", 0.0, Range::at_least(0.0));
  const auto profile =
      t.numbers("load_profile", std::vector<double>(static_cast<std::size_t>(periods), 1.0),
                Range::at_least(0.0), periods);

  if (!matpower.empty()) {
    for (const char* inline_key : {"bus", "line", "generator", "base_mva", "reference_bus"})
      if (t.has(inline_key))
        t.fail(inline_key,
               "cannot be combined with network.matpower; the case file defines the network");
    std::filesystem::path p(matpower);
    if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
    p = p.lexically_normal();
    MatpowerCase mc;
    try {
      mc = read_matpower(p.string(), cost_segments);
    } catch (const IoError& e) {
      t.fail("matpower", "cannot read '" + p.string() + "'");
    }
    t.string("matpower", p.string());  // record the resolved path
    NetworkSpec m = std::move(mc.network);
    net.base_mva = m.base_mva;
    net.reference_bus = m.reference_bus;
    net.lines = std::move(m.lines);
    net.generators = std::move(m.generators);
    for (std::size_t b = 0; b < m.buses.size(); ++b) {
      BusSpec bus{m.buses[b].name, {}};
      for (int k = 0; k < periods; ++k)
        bus.base_load_mw.push_back(m.buses[b].base_load_mw[0] *
                                   profile[static_cast<std::size_t>(k)]);
      net.buses.push_back(std::move(bus));
      where.bus.push_back(SourceLocation{p.string(), mc.bus_lines[b], 1});
    }
    t.finish();
    return net;
  }

  net.base_mva = t.number("base_mva", 100.0, Range::positive());
  auto buses = t.tables("bus");
  if (buses.empty())
    t.fail("bus", "missing; define buses with [[network.bus]] or set network.matpower");
  for (auto& b : buses) {
    BusSpec bus;
    bus.name = b.string("name", std::nullopt);
    if (bus.name.empty()) b.fail("name", "must not be empty");
    if (net.bus_index(bus.name) >= 0) b.fail("name", "bus '" + bus.name + "' is defined twice");
    // A single number is scaled by the network's load profile; an array is taken as given.
    if (b.holds_number("base_load_mw")) {
      const double peak = b.number("base_load_mw", std::nullopt, Range::any());
      for (double f : profile) bus.base_load_mw.push_back(peak * f);
    } else {
      bus.base_load_mw =
          b.numbers("base_load_mw", std::vector<double>(static_cast<std::size_t>(periods), 0.0),
                    Range::any(), periods);
    }
    where.bus.push_back(b.location("name"));
    net.buses.push_back(std::move(bus));
    b.finish();
  }
  net.reference_bus = read_bus_ref(t, "reference_bus", net, net.buses.front().name);

  for (auto& l : t.tables("line")) {
    LineSpec line;
    line.from = read_bus_ref(l, "from", net);
    line.to = read_bus_ref(l, "to", net);
    if (line.from == line.to) l.fail("to", "a line must connect two different buses");
    line.name = l.string("name", net.buses[static_cast<std::size_t>(line.from)].name + "-" +
                                     net.buses[static_cast<std::size_t>(line.to)].name);
    line.reactance_pu = l.number("x", std::nullopt, Range::positive());
    line.limit_mw = l.number("limit_mw", 0.0, Range::at_least(0.0));
    line.shift_deg = l.number("shift_deg", 0.0, Range::between(-90.0, 90.0));
    net.lines.push_back(std::move(line));
    l.finish();
  }

  for (auto& g : t.tables("generator")) {
    GeneratorSpec gen;
    gen.name = g.string("name", std::nullopt);
    gen.bus = read_bus_ref(g, "bus", net);
    gen.pmin_mw = g.number("pmin_mw", 0.0, Range::any());
    gen.pmax_mw = g.number("pmax_mw", std::nullopt, Range::any());
    if (gen.pmin_mw > gen.pmax_mw)
      g.fail("pmax_mw", "pmax_mw " + fmt(gen.pmax_mw) + " is below pmin_mw " + fmt(gen.pmin_mw));
    const bool linear = g.has("cost_per_mwh"), poly = g.has("cost_coefficients"),
               pwl = g.has("cost_points");
    if (!linear && !poly && !pwl) g.number("cost_per_mwh", std::nullopt);  // reports a misspelling
    if (int(linear) + int(poly) + int(pwl) != 1)
      g.fail(linear && poly ? "cost_coefficients"
                            : (pwl && (linear || poly) ? "cost_points" : "cost_per_mwh"),
             "give exactly one of cost_per_mwh, cost_coefficients, cost_points");
    const int segments =
        static_cast<int>(g.integer("cost_segments", cost_segments, Range::between(1, 1000)));
    try {
      if (linear) {
        set_linear_cost(gen, g.number("cost_per_mwh", std::nullopt, Range::any()));
      } else if (poly) {
        const auto c = g.numbers("cost_coefficients", std::nullopt, Range::any());
        if (c.empty()) g.fail("cost_coefficients", "needs at least one coefficient");
        set_polynomial_cost(gen, c, segments);
      } else {
        std::vector<std::pair<double, double>> pts;
        for (const auto& row : g.number_rows("cost_points", 2)) pts.emplace_back(row[0], row[1]);
        set_piecewise_cost(gen, pts);
      }
    } catch (const std::invalid_argument& e) {
      g.fail(linear ? "cost_per_mwh" : (poly ? "cost_coefficients" : "cost_points"), e.what());
    }
    if (g.has("cost_profile"))
      gen.cost_profile = g.numbers("cost_profile", std::nullopt, Range::at_least(0.0), periods);
    else
      g.numbers("cost_profile", std::vector<double>(static_cast<std::size_t>(periods), 1.0),
                Range::at_least(0.0), periods);
    for (const auto& other : net.generators)
      if (other.name == gen.name) g.fail("name", "generator '" + gen.name + "' is defined twice");
    net.generators.push_back(std::move(gen));
    g.finish();
  }
  if (net.generators.empty())
    t.fail("generator", "missing; the network needs at least one generator");
  t.finish();
  return net;
}

HouseholdSpec read_households(TableReader t, const NetworkSpec& net, int periods, double scale,
                              std::vector<double>& bus_household_load) {
  HouseholdSpec h;
  const std::size_t np = static_cast<std::size_t>(periods);
  std::vector<double> default_solar(np, 0.0);
  if (periods == 8) default_solar = {0.0, 0.0, 0.15, 0.55, 0.65, 0.3, 0.02, 0.0};
  h.solar_profile =
      t.numbers("solar_profile", periods == 8 ? std::optional(default_solar) : std::nullopt,
                Range::between(0.0, 1.0), periods);
  h.weather_mean = t.number("weather_mean", 1.0, Range::at_least(0.0));
  h.weather_sd = t.number("weather_sd", 0.2, Range::at_least(0.0));
  h.demand_noise = t.number("demand_noise", 0.1, Range::between(0.0, 1.0));
  h.pv_noise = t.number("pv_noise", 0.05, Range::between(0.0, 1.0));
  h.parameter_spread = t.number("parameter_spread", 0.2, Range::between(0.0, 0.9));
  h.battery_levels = t.numbers("battery_levels", std::vector<double>{-1.0, -0.5, 0.0, 0.5, 1.0},
                               Range::between(-1.0, 1.0));
  if (h.battery_levels.size() < 2 || h.battery_levels.size() > 9)
    t.fail("battery_levels",
           "needs 2 to 9 actions (got " + std::to_string(h.battery_levels.size()) + ")");
  for (std::size_t i = 1; i < h.battery_levels.size(); ++i)
    if (!(h.battery_levels[i] > h.battery_levels[i - 1]))
      t.fail("battery_levels", "levels must be strictly increasing");

  auto groups = t.tables("group");
  if (groups.empty()) t.fail("group", "missing; define income groups with [[households.group]]");
  std::vector<std::string> group_names;
  for (auto& g : groups) {
    IncomeGroup group;
    group.name = g.string("name", std::nullopt);
    if (std::find(group_names.begin(), group_names.end(), group.name) != group_names.end())
      g.fail("name", "group '" + group.name + "' is defined twice");
    group.income = g.number("income", std::nullopt, Range::positive());
    group_names.push_back(group.name);
    h.groups.push_back(group);
    g.finish();
  }

  auto classes = t.tables("class");
  if (classes.empty())
    t.fail("class", "missing; define household classes with [[households.class]]");
  std::vector<bool> group_used(h.groups.size(), false);
  for (auto& c : classes) {
    HouseholdClass hc;
    hc.name = c.string("name", std::nullopt);
    for (const auto& other : h.classes)
      if (other.name == hc.name) c.fail("name", "class '" + hc.name + "' is defined twice");
    hc.bus = read_bus_ref(c, "bus", net);
    hc.kind = c.choice<HouseholdKind>(
        "kind", std::nullopt,
        {{"consumer", HouseholdKind::consumer}, {"prosumer", HouseholdKind::prosumer}});
    const std::string group = c.string("group", std::nullopt);
    const auto git = std::find(group_names.begin(), group_names.end(), group);
    if (git == group_names.end())
      c.fail("group", "no income group named '" + group + "'" + did_you_mean(group, group_names) +
                          "; groups are " + join(group_names));
    hc.group = static_cast<int>(git - group_names.begin());
    group_used[static_cast<std::size_t>(hc.group)] = true;
    hc.count = c.integer("count", std::nullopt, Range::at_least(0));
    if (hc.count == 0) c.fail("count", "the class is empty: count must be >= 1");
    if (std::llround(static_cast<double>(hc.count) * scale) < 1)
      c.fail("count", "the class is empty at population.scale = " + fmt(scale) + ": " +
                          std::to_string(hc.count) + " households scale to no simulated agent");
    hc.daily_kwh = c.number("daily_kwh", std::nullopt, Range::positive());
    hc.demand_shape = read_shape(c, "demand_shape", periods, std::nullopt);
    const bool prosumer = hc.kind == HouseholdKind::prosumer;
    const std::optional<double> required = prosumer ? std::nullopt : std::optional(0.0);
    hc.pv_kw = c.number("pv_kw", required, Range::at_least(0.0));
    hc.battery_kwh = c.number("battery_kwh", required, Range::at_least(0.0));
    hc.battery_kw = c.number("battery_kw", required, Range::at_least(0.0));
    for (const auto& [key, value] :
         {std::pair{"pv_kw", hc.pv_kw}, std::pair{"battery_kwh", hc.battery_kwh},
          std::pair{"battery_kw", hc.battery_kw}})
      if (!prosumer && value > 0.0)
        c.fail(key, "only prosumers have PV and batteries; set kind = \"prosumer\"");
    hc.eta_charge = c.number("eta_charge", prosumer ? 0.95 : 1.0, Range::above_up_to(0.0, 1.0));
    hc.eta_discharge =
        c.number("eta_discharge", prosumer ? 0.95 : 1.0, Range::above_up_to(0.0, 1.0));
    hc.initial_soc = c.number("initial_soc", 0.5, Range::between(0.0, 1.0));
    // Mean household withdrawal (MW) for the island check.
    bus_household_load[static_cast<std::size_t>(hc.bus)] +=
        static_cast<double>(hc.count) * hc.daily_kwh;
    h.classes.push_back(std::move(hc));
    c.finish();
  }
  for (std::size_t g = 0; g < h.groups.size(); ++g)
    if (!group_used[g])
      groups[g].fail("name", "income group '" + h.groups[g].name + "' has no household class");
  t.finish();
  return h;
}

// Connected components of the network graph; every one with load needs generation.
void check_islands(TableReader& network, const NetworkSpec& net, const NetworkLocations& where,
                   const std::vector<double>& household_load) {
  const std::size_t n = net.buses.size();
  const std::vector<int> component = bus_islands(net);
  const int count = n ? *std::max_element(component.begin(), component.end()) + 1 : 0;
  std::vector<bool> has_gen(static_cast<std::size_t>(count), false);
  for (const auto& g : net.generators)
    if (g.pmax_mw > 0)
      has_gen[static_cast<std::size_t>(component[static_cast<std::size_t>(g.bus)])] = true;
  for (int c = 0; c < count; ++c) {
    if (has_gen[static_cast<std::size_t>(c)]) continue;
    std::vector<std::string> members;
    int first_loaded = -1;
    for (std::size_t b = 0; b < n; ++b) {
      if (component[b] != c) continue;
      members.push_back(net.buses[b].name);
      const bool loaded = household_load[b] > 0 || std::any_of(net.buses[b].base_load_mw.begin(),
                                                               net.buses[b].base_load_mw.end(),
                                                               [](double x) { return x > 0; });
      if (loaded && first_loaded < 0) first_loaded = static_cast<int>(b);
    }
    if (first_loaded < 0) continue;
    throw InputError(where.bus[static_cast<std::size_t>(first_loaded)], network.path() + ".bus",
                     (members.size() == 1 ? "bus " + members[0] + " is an island"
                                          : "buses " + join(members) + " form an island") +
                         " with load and no generation; connect it with a line or add a generator");
  }
}

TariffSpec read_tariff(TableReader t, const NetworkSpec& net, const HouseholdSpec& h, int periods) {
  TariffSpec s;
  const std::size_t np = static_cast<std::size_t>(periods);
  s.per_bus = t.boolean("per_bus", false);
  s.import_bounds = read_bounds(t, "import_bounds", {0.0, 1000.0}, Range::any());
  if (s.per_bus) {
    const auto rows = t.number_rows("import_rates", periods);
    if (rows.size() != net.buses.size())
      t.fail("import_rates", "per_bus tariffs need one row of " + std::to_string(periods) +
                                 " rates per bus (" + std::to_string(net.buses.size()) +
                                 " rows), got " + std::to_string(rows.size()));
    for (const auto& r : rows) s.import_rates.insert(s.import_rates.end(), r.begin(), r.end());
  } else {
    s.import_rates =
        t.number_or_numbers("import_rates", std::vector<double>(np, 150.0), Range::any(), periods);
  }
  check_within(t, "import_rates", s.import_rates, s.import_bounds, "import_bounds");
  s.fixed_bounds = read_bounds(t, "fixed_bounds", {0.0, 10.0}, Range::any());
  s.fixed_charges = t.number_or_numbers("fixed_charges", std::vector<double>(h.groups.size(), 0.0),
                                        Range::any(), static_cast<int>(h.groups.size()));
  check_within(t, "fixed_charges", s.fixed_charges, s.fixed_bounds, "fixed_bounds");
  s.export_credit = t.choice<ExportCredit>("export", ExportCredit::net_billing,
                                           {{"net-metering", ExportCredit::net_metering},
                                            {"net-billing", ExportCredit::net_billing},
                                            {"fixed", ExportCredit::fixed_rate}});
  s.export_rate = t.number("export_rate", 0.0, Range::at_least(0.0));
  if (s.export_rate > 0.0 && s.export_credit != ExportCredit::fixed_rate)
    t.fail("export_rate", "only used with export = \"fixed\"");
  s.peak_bounds = read_bounds(t, "peak_bounds", {0.0, 5.0}, Range::at_least(0.0));
  s.peak_charge = t.number("peak_charge", 0.0, Range::at_least(0.0));
  check_within(t, "peak_charge", {s.peak_charge}, s.peak_bounds, "peak_bounds");
  s.peak_basis = t.choice<PeakBasis>(
      "peak_basis", PeakBasis::individual,
      {{"individual", PeakBasis::individual}, {"community", PeakBasis::community}});
  s.network_cost = t.number("network_cost", 0.0, Range::at_least(0.0));
  const auto learn =
      t.strings("learn", std::vector<std::string>{"import", "fixed"}, {"import", "fixed", "peak"});
  auto learns = [&](const char* part) {
    return std::find(learn.begin(), learn.end(), part) != learn.end();
  };
  s.learn_import = learns("import");
  s.learn_fixed = learns("fixed");
  s.learn_peak = learns("peak");
  s.parameterisation =
      t.choice<TariffParameterisation>("parameterisation", TariffParameterisation::full,
                                       {{"full", TariffParameterisation::full},
                                        {"peak-offpeak", TariffParameterisation::peak_offpeak}});
  for (auto p :
       t.integers("peak_periods", std::vector<std::int64_t>{}, Range::between(0, periods - 1)))
    s.peak_periods.push_back(static_cast<int>(p));
  if (s.parameterisation == TariffParameterisation::peak_offpeak && s.peak_periods.empty())
    t.fail("peak_periods", "the peak-offpeak parameterisation needs the peak periods");
  t.finish();
  return s;
}

FollowerSpec read_followers(TableReader t) {
  FollowerSpec f;
  f.learner = t.choice<FollowerLearnerKind>("learner", FollowerLearnerKind::soft_q,
                                            {{"soft-q", FollowerLearnerKind::soft_q},
                                             {"optimizer", FollowerLearnerKind::optimizer},
                                             {"ppo", FollowerLearnerKind::ppo}});
  f.update_every_days =
      static_cast<int>(t.integer("update_every_days", 1, Range::between(1, 100000)));
  f.soc_bins = static_cast<int>(t.integer("soc_bins", 21, Range::between(2, 10001)));
  f.discount = t.number("discount", 0.98, Range::between(0.0, 0.9999));
  f.temperature = t.number("temperature", 0.05, Range::positive());
  f.damping = t.number("damping", 0.3, Range::above_up_to(0.0, 1.0));
  f.epsilon_net = t.number("epsilon_net", 0.0, Range::between(0.0, 0.5));
  f.policy_tolerance = t.number("policy_tolerance", 1e-3, Range::positive());
  f.meanfield_tolerance = t.number("meanfield_tolerance", 1e-3, Range::positive());
  f.max_iterations = static_cast<int>(t.integer("max_iterations", 100, Range::between(1, 1000000)));
  f.degradation_cost = t.number("degradation_cost", 0.02, Range::at_least(0.0));
  f.prior_count = t.number("prior_count", 1.0, Range::positive());
  f.flexible_share = t.number("flexible_share", 0.0, Range::between(0.0, 1.0));
  f.ppo_hidden = static_cast<int>(t.integer("ppo_hidden", 32, Range::between(1, 4096)));
  f.ppo_learning_rate = t.number("ppo_learning_rate", 3e-3, Range::positive());
  f.ppo_clip = t.number("ppo_clip", 0.2, Range::above_up_to(0.0, 1.0));
  f.ppo_epochs = static_cast<int>(t.integer("ppo_epochs", 16, Range::between(1, 1000)));
  t.finish();
  return f;
}

LeaderSpec read_leader(TableReader t, int periods) {
  LeaderSpec l;
  l.learner = t.choice<LeaderLearnerKind>("learner", LeaderLearnerKind::fixed,
                                          {{"fixed", LeaderLearnerKind::fixed},
                                           {"softmax-net", LeaderLearnerKind::softmax_net},
                                           {"zo", LeaderLearnerKind::zo},
                                           {"zo-surrogate", LeaderLearnerKind::zo_surrogate},
                                           {"ppo", LeaderLearnerKind::ppo}});
  l.update_every_days =
      static_cast<int>(t.integer("update_every_days", 5, Range::between(1, 100000)));
  l.max_interactions =
      static_cast<int>(t.integer("max_interactions", 100, Range::between(1, 10000000)));
  l.inequality = t.choice<InequalityMeasure>("inequality", InequalityMeasure::gap,
                                             {{"gap", InequalityMeasure::gap},
                                              {"variance", InequalityMeasure::variance},
                                              {"gini", InequalityMeasure::gini}});
  l.weight_inequality = t.number("weight_inequality", 1.0, Range::at_least(0.0));
  l.weight_cost = t.number("weight_cost", 0.0, Range::at_least(0.0));
  l.weight_volatility = t.number("weight_volatility", 0.0, Range::at_least(0.0));
  l.weight_peak = t.number("weight_peak", 0.0, Range::at_least(0.0));
  l.weight_tracking = t.number("weight_tracking", 0.0, Range::at_least(0.0));
  l.target_profile = t.numbers("target_profile", std::vector<double>{}, Range::any());
  if (!l.target_profile.empty() && static_cast<int>(l.target_profile.size()) != periods)
    t.fail("target_profile", "expected " + std::to_string(periods) +
                                 " values (one per period), got " +
                                 std::to_string(l.target_profile.size()));
  if (l.weight_tracking > 0 && l.target_profile.empty())
    t.fail("weight_tracking", "tracking needs leader.target_profile");
  l.penalty = t.number("penalty", 1000.0, Range::at_least(0.0));
  l.softmax_temperature = t.number("softmax_temperature", 0.01, Range::positive());
  l.grid_points = static_cast<int>(t.integer("grid_points", 5, Range::between(2, 1000)));
  l.directions = static_cast<int>(t.integer("directions", 4, Range::between(1, 10000)));
  l.smoothing = t.number("smoothing", 0.05, Range::above_up_to(0.0, 1.0));
  l.step = t.number("step", 0.1, Range::positive());
  l.step_decay = t.number("step_decay", 0.0, Range::at_least(0.0));
  l.t_max = static_cast<int>(t.integer("t_max", 10, Range::between(1, 100000)));
  l.trust_radius = t.number("trust_radius", 0.1, Range::above_up_to(0.0, 1.0));
  l.trust_radius_max = t.number("trust_radius_max", 0.5, Range::above_up_to(0.0, 1.0));
  l.trust_radius_min = t.number("trust_radius_min", 1e-4, Range::positive());
  if (l.trust_radius_min > l.trust_radius || l.trust_radius > l.trust_radius_max)
    t.fail("trust_radius", "needs trust_radius_min <= trust_radius <= trust_radius_max");
  l.ppo_batch = static_cast<int>(t.integer("ppo_batch", 8, Range::between(1, 100000)));
  l.ppo_epochs = static_cast<int>(t.integer("ppo_epochs", 10, Range::between(1, 10000)));
  l.ppo_learning_rate = t.number("ppo_learning_rate", 0.02, Range::positive());
  l.ppo_clip = t.number("ppo_clip", 0.2, Range::above_up_to(0.0, 1.0));
  l.ppo_sigma = t.number("ppo_sigma", 0.1, Range::above_up_to(0.0, 1.0));
  t.finish();
  return l;
}

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides, const std::string& base_dir) {
  toml::table doc;
  try {
    doc = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(location_of(e.source()), "",
                     "TOML syntax error: " + std::string(e.description()));
  }
  for (const auto& o : overrides) apply_override(doc, o);

  toml::table resolved;
  TableReader root(&doc, &resolved, "", SourceLocation{source_name, 1, 1});
  Scenario s;
  s.source = source_name;

  {
    TableReader t = root.table("scenario");
    s.name = t.string("name", file_stem(source_name));
    s.description = t.string("description", "");
    const auto seed = t.integer("seed", 1, Range::at_least(0));
    s.seed = static_cast<std::uint64_t>(seed);
    t.finish();
  }
  {
    TableReader t = root.table("time");
    s.time.days = static_cast<int>(t.integer("days", 100, Range::between(1, 10000000)));
    s.time.periods = static_cast<int>(t.integer("periods", 8, Range::between(1, 1440)));
    if (24 * 60 % s.time.periods != 0) t.fail("periods", "must divide a day into whole minutes");
    t.finish();
  }
  const int periods = s.time.periods;
  {
    TableReader t = root.table("population");
    s.population.scale = t.number("scale", 1.0, Range::positive());
    t.finish();
  }
  NetworkLocations where;
  TableReader network_table = root.table("network");
  s.network = read_network(network_table, periods, base_dir, where);
  std::vector<double> household_load(s.network.buses.size(), 0.0);
  s.households = read_households(root.table("households"), s.network, periods, s.population.scale,
                                 household_load);
  check_islands(network_table, s.network, where, household_load);
  s.tariff = read_tariff(root.table("tariff"), s.network, s.households, periods);
  s.followers = read_followers(root.table("followers"));
  s.leader = read_leader(root.table("leader"), periods);
  {
    TableReader t = root.table("output");
    s.output.path = t.string("path", "");
    s.output.sample_agents =
        static_cast<int>(t.integer("sample_agents", 16, Range::between(0, 1000000)));
    s.output.dump_state = t.boolean("dump_state", false);
    s.output.write_every_days =
        static_cast<int>(t.integer("write_every_days", 10, Range::between(1, 100000)));
    t.finish();
  }
  {
    TableReader t = root.table("checkpoint");
    s.checkpoint.every_days =
        static_cast<int>(t.integer("every_days", 10, Range::between(0, 10000000)));
    t.finish();
  }
  root.finish();

  s.resolved_toml = "# Resolved mfgrid scenario " + s.name + " (from " + source_name +
                    "): every setting, defaults filled in.\n" + config_detail::to_toml(resolved);
  return s;
}

Scenario load_scenario(const std::string& path_or_name, const std::vector<std::string>& overrides) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path_or_name, ec)) {
    std::ifstream in(path_or_name, std::ios::binary);
    if (!in) throw IoError(path_or_name, "cannot open scenario file");
    std::ostringstream text;
    text << in.rdbuf();
    const fs::path parent = fs::path(path_or_name).parent_path();
    return parse_scenario(text.str(), path_or_name, overrides,
                          parent.empty() ? "." : parent.string());
  }
  if (auto embedded = find_embedded_scenario(path_or_name))
    return parse_scenario(embedded->text, embedded->name, overrides, ".");
  std::vector<std::string> names;
  for (const auto& e : embedded_scenarios()) names.push_back(e.name);
  if (fs::exists(path_or_name, ec)) throw IoError(path_or_name, "not a regular file");
  throw IoError(path_or_name, "no such scenario file, and no embedded scenario of that name" +
                                  did_you_mean(path_or_name, names) + " (embedded: " + join(names) +
                                  ")");
}

}  // namespace mfgrid
