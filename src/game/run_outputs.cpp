#include "mfgrid/game/run_outputs.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "mfgrid/core/timer.hpp"
#include "mfgrid/leader/leader_objective.hpp"

namespace mfgrid {

namespace {

constexpr double micro = 1e-6;  // micro-kWh → kWh

template <class T>
void append_bytes(std::vector<unsigned char>& bytes, std::span<const T> values) {
  const auto* first = reinterpret_cast<const unsigned char*>(values.data());
  bytes.insert(bytes.end(), first, first + values.size_bytes());
}

using Sim = Simulation;
using Day = DayOutcome;
using Row = RowBuffer;
constexpr ValueType f64 = ValueType::f64, f32 = ValueType::f32, i64 = ValueType::i64;

// Agents by state-of-charge bin (or battery action) of every period and class, [period][class][k]
// over the widest class (narrower classes padded with zeros).
std::vector<std::int64_t> histogram(const Sim& sim, bool soc) {
  const StatisticsLayout& layout = sim.statistics_layout();
  const DayStatistics& stats = sim.statistics();
  const int periods = sim.scenario().time.periods, classes = sim.layout().classes();
  const int width = soc ? sim.model().soc_bins : sim.model().actions();
  std::vector<std::int64_t> counts(static_cast<std::size_t>(periods) * classes * width, 0);
  for (int t = 0; t < periods; ++t)
    for (int c = 0; c < classes; ++c) {
      const std::size_t row = static_cast<std::size_t>(t) * classes + c;
      const int n = soc ? layout.bins(c) : layout.actions(c);
      for (int k = 0; k < n; ++k)
        counts[row * width + k] = soc ? stats.state_count(c, t, k) : stats.action_count(c, t, k);
    }
  return counts;
}

// The sampled agents this rank simulates: the end-of-period state of charge or the period's net
// withdrawal, in kWh, at [period][sample].
void sampled_agents(const Sim& sim, PointBuffer& points, bool soc) {
  const auto& ids = sim.sample_ids();
  const int periods = sim.scenario().time.periods;
  for (std::size_t j = 0; j < ids.size(); ++j) {
    if (sim.population().local_index(ids[j]) < 0) continue;
    for (int t = 0; t < periods; ++t) {
      const int sample = static_cast<int>(j);
      const std::int64_t v =
          soc ? sim.statistics().sample_soc(sample, t) : sim.statistics().sample_net(sample, t);
      points.put(static_cast<std::uint64_t>(t), j, static_cast<double>(v) * micro);
    }
  }
}

const FollowerUpdate& follower(const Day& d) { return *d.follower_update; }
const LeaderUpdate& leader(const Day& d) { return *d.leader_update; }
const LeaderEvaluation& evaluation(const Day& d) { return d.leader_update->evaluation; }

const std::vector<SeriesSpec> series_table = {
    {"market/lmp",
     {"day", "period", "bus"},
     f64,
     "$/MWh",
     "locational marginal price",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.lmp.values()); }},
    {"market/net_load",
     {"day", "period", "bus"},
     f64,
     "MW",
     "net withdrawal at the bus: base load plus households",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.demand_mw.values()); }},
    {"market/household_load",
     {"day", "period", "bus"},
     f64,
     "MW",
     "households' net withdrawal (imports minus exports)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.household_mw.values()); }},
    {"market/dispatch",
     {"day", "period", "generator"},
     f64,
     "MW",
     "generator dispatch",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.dispatch_mw.values()); }},
    {"market/flow",
     {"day", "period", "line"},
     f64,
     "MW",
     "line flow, from → to",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.flow_mw.values()); }},
    {"market/shed",
     {"day", "period", "bus"},
     f64,
     "MW",
     "load shed at the value of lost load",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.shed_mw.values()); }},
    {"market/spill",
     {"day", "period", "bus"},
     f64,
     "MW",
     "surplus injection spilled",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.spill_mw.values()); }},
    {"market/solar_factor",
     {"day", "bus"},
     f32,
     "1",
     "the day's solar factor (weather)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.weather); }},
    {"market/load_factor",
     {"day", "bus"},
     f64,
     "1",
     "the day's factor of the exogenous base load (weather and season)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.load_factor); }},
    {"tariff/theta",
     {"day", "param"},
     f64,
     "mixed: each parameter's is in /param's member_units",
     "tariff parameters in force that day, real units",
     SeriesSource::whole_row,
     [](const Sim& s, const Day& d, Row& r) { r.put(s.tariff_parameters().real_values(d.theta)); }},
    {"tariff/import_rate",
     {"day", "period", "bus"},
     f64,
     "$/MWh",
     "import rate in force that day",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.tariff.import_rate.values()); }},
    {"tariff/fixed_charge",
     {"day", "group"},
     f64,
     "$/day",
     "fixed charge per household",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.tariff.fixed_charge); }},
    {"tariff/peak_charge",
     {"day"},
     f64,
     "$/kW-day",
     "peak (capacity) charge",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.tariff.peak_charge); }},
    {"tariff/export_rate",
     {"day"},
     f64,
     "$/MWh",
     "fixed export rate (when crediting is fixed)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.tariff.export_rate); }},
    {"outcome/bill",
     {"day", "group"},
     f64,
     "$/day",
     "mean bill per household of the group",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.bills.group_bill); }},
    {"outcome/class_bill",
     {"day", "class"},
     f64,
     "$/day",
     "mean bill per household of the class",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.bills.class_bill); }},
    {"outcome/eei",
     {"day", "group"},
     f64,
     "1",
     "energy expenditure incidence: annual energy bill / income",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.bills.group_eei); }},
    {"outcome/burden_p10",
     {"day", "group"},
     f64,
     "1",
     "10th percentile of the group's households' energy burden to date (bill since day 0, "
     "annualised, over income; at 0.0001 resolution)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.burden.p10); }},
    {"outcome/burden_p50",
     {"day", "group"},
     f64,
     "1",
     "median energy burden to date of the group's households (at 0.0001 resolution)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.burden.p50); }},
    {"outcome/burden_p90",
     {"day", "group"},
     f64,
     "1",
     "90th percentile of the group's households' energy burden to date (at 0.0001 resolution)",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.burden.p90); }},
    {"outcome/high_burden_share",
     {"day", "group"},
     f64,
     "1",
     "share of the group's households whose energy burden to date is 6 % of income or more",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.burden.share_above); }},
    {"outcome/inequality",
     {"day"},
     f64,
     "1",
     "inequality of EEI across groups (the leader's measure)",
     SeriesSource::whole_row,
     [](const Sim& s, const Day& d, Row& r) {
       r.put(inequality(s.scenario().leader.inequality, d.bills.group_eei,
                        group_weights(s.scenario())));
     }},
    {"outcome/revenue",
     {"day"},
     f64,
     "$/day",
     "utility revenue from all bills",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.bills.revenue); }},
    {"outcome/energy_purchase",
     {"day"},
     f64,
     "$/day",
     "utility's purchase of the households' net energy at LMP",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.bills.energy_purchase); }},
    {"outcome/revenue_adequacy",
     {"day"},
     f64,
     "$/day",
     "revenue minus energy purchase minus network cost",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.bills.revenue_adequacy); }},
    {"outcome/cost",
     {"day"},
     f64,
     "$/day",
     "wholesale cost: generation, shedding, spill",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(d.wholesale_cost); }},
    {"outcome/congested_periods",
     {"day"},
     i64,
     "1",
     "periods with a line at its limit",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(std::int64_t{d.congested_periods}); }},
    {"meanfield/soc_hist",
     {"day", "period", "class", "soc_bin"},
     i64,
     "agents",
     "agents by state-of-charge bin at the start of the period",
     SeriesSource::whole_row,
     [](const Sim& s, const Day&, Row& r) { r.put(histogram(s, true)); }},
    {"meanfield/action_hist",
     {"day", "period", "class", "action"},
     i64,
     "agents",
     "agents by battery action in the period",
     SeriesSource::whole_row,
     [](const Sim& s, const Day&, Row& r) { r.put(histogram(s, false)); }},
    {"agents/soc",
     {"day", "period", "agent_sample"},
     f64,
     "kWh",
     "sampled agents' state of charge at the end of the period",
     SeriesSource::own_points,
     nullptr,
     [](const Sim& s, const Day&, PointBuffer& p) { sampled_agents(s, p, true); }},
    {"agents/net",
     {"day", "period", "agent_sample"},
     f64,
     "kWh",
     "sampled agents' net withdrawal in the period",
     SeriesSource::own_points,
     nullptr,
     [](const Sim& s, const Day&, PointBuffer& p) { sampled_agents(s, p, false); }},
    {"perf/seconds",
     {"day", "rank", "phase"},
     f64,
     "s",
     "wall-clock seconds per phase and rank",
     SeriesSource::io_timing},
    {"perf/peak_memory",
     {"day", "rank"},
     f64,
     "MiB",
     "peak resident memory of the rank so far",
     SeriesSource::io_timing},
    {"followers/policy",
     {"iteration", "class", "period", "soc_bin", "action"},
     f64,
     "1",
     "followers' policy π(action | soc_bin, period) after the update",
     SeriesSource::whole_row,
     [](const Sim& s, const Day&, Row& r) { r.put(s.policy().all()); }},
    {"followers/policy_residual",
     {"iteration"},
     f64,
     "1",
     "‖Δπ‖₁ of the update",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(follower(d).policy_residual); }},
    {"followers/meanfield_residual",
     {"iteration"},
     f64,
     "1",
     "‖Δμ‖₁ of the update",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(follower(d).meanfield_residual); }},
    {"followers/fixed_point_iteration",
     {"iteration"},
     i64,
     "1",
     "iteration of the fixed point since the tariff last changed",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(std::int64_t{follower(d).iteration}); }},
    {"followers/day",
     {"iteration"},
     i64,
     "day",
     "the day after which the followers learned",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(std::int64_t{follower(d).day}); }},
    {"followers/converged",
     {"iteration"},
     i64,
     "1",
     "both residuals below tolerance",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(std::int64_t{follower(d).converged ? 1 : 0}); }},
    {"followers/exploitability",
     {"iteration", "class"},
     f64,
     "$/member-day",
     "what a member saves by deviating to its best response",
     SeriesSource::whole_row,
     [](const Sim& s, const Day& d, Row& r) {
       std::vector<double> exploit = follower(d).exploitability;
       exploit.resize(static_cast<std::size_t>(s.layout().classes()), 0.0);
       r.put(exploit);
     }},
    {"leader/objective",
     {"interaction"},
     f64,
     "1",
     "leader objective J of the posted tariff",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).objective); }},
    {"leader/theta",
     {"interaction", "param"},
     f64,
     "mixed: each parameter's is in /param's member_units",
     "the tariff evaluated, real units",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(leader(d).theta_real); }},
    {"leader/next_theta",
     {"interaction", "param"},
     f64,
     "mixed: each parameter's is in /param's member_units",
     "the tariff posted next, real units",
     SeriesSource::whole_row,
     [](const Sim& s, const Day& d, Row& r) {
       r.put(s.tariff_parameters().real_values(leader(d).next_theta));
     }},
    {"leader/eei",
     {"interaction", "group"},
     f64,
     "1",
     "EEI per group of the window's response",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).bills.group_eei); }},
    {"leader/bill",
     {"interaction", "group"},
     f64,
     "$/day",
     "mean bill per household",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).bills.group_bill); }},
    {"leader/inequality",
     {"interaction"},
     f64,
     "1",
     "inequality of EEI across groups",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).inequality); }},
    {"leader/revenue_adequacy",
     {"interaction"},
     f64,
     "$/day",
     "revenue adequacy",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).bills.revenue_adequacy); }},
    {"leader/cost",
     {"interaction"},
     f64,
     "$/day",
     "wholesale cost",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).wholesale_cost); }},
    {"leader/peak",
     {"interaction"},
     f64,
     "MW",
     "peak household net withdrawal",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(evaluation(d).peak_mw); }},
    {"leader/day",
     {"interaction"},
     i64,
     "day",
     "last day of the interaction's window",
     SeriesSource::whole_row,
     [](const Sim&, const Day& d, Row& r) { r.put(std::int64_t{leader(d).day}); }},
};

template <class Names>
std::vector<std::string> names_of(const Names& items) {
  std::vector<std::string> names;
  names.reserve(items.size());
  for (const auto& item : items) names.push_back(item.name);
  return names;
}

std::uint64_t count(std::size_t n) { return static_cast<std::uint64_t>(n); }

// A period's start after midnight, in hours.
double period_start_hours(const Sim& s, int period) {
  return period * s.scenario().time.period_hours();
}

const std::vector<DimensionSpec> dimension_table = {
    {"period", "period of the day",
     [](const Sim& s, int) { return count(static_cast<std::size_t>(s.scenario().time.periods)); },
     [](const Sim& s) {  // its start, "HH:MM" (periods divide the day into whole minutes)
       std::vector<std::string> starts;
       for (int t = 0; t < s.scenario().time.periods; ++t) {
         const int minutes = static_cast<int>(std::lround(period_start_hours(s, t) * 60.0));
         char text[16];
         std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
         starts.emplace_back(text);
       }
       return starts;
     }},
    {"bus", "bus", [](const Sim& s, int) { return count(s.scenario().network.buses.size()); },
     [](const Sim& s) { return names_of(s.scenario().network.buses); }},
    {"line", "line", [](const Sim& s, int) { return count(s.scenario().network.lines.size()); },
     [](const Sim& s) { return names_of(s.scenario().network.lines); }},
    {"generator", "generator",
     [](const Sim& s, int) { return count(s.scenario().network.generators.size()); },
     [](const Sim& s) { return names_of(s.scenario().network.generators); }},
    {"class", "household class",
     [](const Sim& s, int) { return count(s.scenario().households.classes.size()); },
     [](const Sim& s) { return names_of(s.scenario().households.classes); }},
    {"group", "income group",
     [](const Sim& s, int) { return count(s.scenario().households.groups.size()); },
     [](const Sim& s) { return names_of(s.scenario().households.groups); }},
    {"soc_bin", "state-of-charge bin",
     [](const Sim& s, int) { return count(static_cast<std::size_t>(s.model().soc_bins)); }},
    {"action", "battery action level",
     [](const Sim& s, int) { return count(static_cast<std::size_t>(s.model().actions())); }},
    {"param", "tariff parameter",
     [](const Sim& s, int) {
       return count(static_cast<std::size_t>(s.tariff_parameters().dimension()));
     },
     [](const Sim& s) { return s.tariff_parameters().names(); }, false,
     [](const Sim& s) { return s.tariff_parameters().units(); }},
    {"agent_sample", "sampled agent",
     [](const Sim& s, int) { return count(s.sample_ids().size()); }},
    {"rank", "MPI rank",
     [](const Sim&, int ranks) { return count(static_cast<std::size_t>(ranks)); }, nullptr, true},
    {"phase", "phase of a simulated day", [](const Sim&, int) { return count(phase_names.size()); },
     [](const Sim&) { return std::vector<std::string>(phase_names.begin(), phase_names.end()); }},
};

const std::vector<CoordinateSpec> coordinate_table = {
    // Units of time: CF readers (xarray) decode it as a duration, so that time + period_start is
    // each period's date and time.
    {"period_start", "period", "hours", "start of the period after midnight",
     [](const Sim& s) {
       std::vector<double> hours;
       hours.reserve(static_cast<std::size_t>(s.scenario().time.periods));
       for (int t = 0; t < s.scenario().time.periods; ++t)
         hours.push_back(period_start_hours(s, t));
       return hours;
     }},
};

}  // namespace

void RowBuffer::check(ValueType type) const {
  if (type != type_) throw std::logic_error("a run output's value has the wrong type");
}
void RowBuffer::put(std::span<const double> values) {
  check(ValueType::f64);
  append_bytes(bytes_, values);
}
void RowBuffer::put(std::span<const float> values) {
  check(ValueType::f32);
  append_bytes(bytes_, values);
}
void RowBuffer::put(std::span<const std::int64_t> values) {
  check(ValueType::i64);
  append_bytes(bytes_, values);
}

void PointBuffer::put(std::uint64_t i, std::uint64_t j, double value) {
  coords_.insert(coords_.end(), {row_, i, j});
  append_bytes(bytes_, std::span<const double>(&value, 1));
}

SeriesRows rows_along(std::string_view growing_dimension) {
  if (growing_dimension == "day") return SeriesRows::day;
  if (growing_dimension == "iteration") return SeriesRows::iteration;
  if (growing_dimension == "interaction") return SeriesRows::interaction;
  throw std::logic_error("'" + std::string(growing_dimension) + "' is not a growing dimension");
}

SeriesRows SeriesSpec::rows() const { return rows_along(dims.front()); }

std::vector<SeriesSpec> run_series(const Simulation& sim) {
  std::vector<SeriesSpec> series = series_table;
  const auto diagnostics = sim.leader().diagnostic_specs();
  for (std::size_t k = 0; k < diagnostics.size(); ++k)
    series.push_back(
        {std::string("leader/") + diagnostics[k].name,
         {"interaction"},
         f64,
         diagnostics[k].units,
         diagnostics[k].long_name,
         SeriesSource::whole_row,
         [k](const Sim&, const Day& d, Row& r) { r.put(leader(d).diagnostics.at(k)); }});
  // The simulated day as a CF time (its start): readers see dates, not day numbers.
  series.push_back({"time",
                    {"day"},
                    i64,
                    "days since " + sim.scenario().time.start_date.iso() + " 00:00:00",
                    "time",
                    SeriesSource::whole_row,
                    [](const Sim&, const Day& d, Row& r) { r.put(std::int64_t{d.day}); },
                    {},
                    true});
  return series;
}
std::span<const DimensionSpec> run_dimensions() { return dimension_table; }
std::span<const CoordinateSpec> run_coordinates() { return coordinate_table; }

const DimensionSpec* find_dimension(std::string_view name) {
  for (const DimensionSpec& d : dimension_table)
    if (name == d.name) return &d;
  return nullptr;
}

bool dimension_grows(std::string_view name) {
  const DimensionSpec* d = find_dimension(name);
  return d != nullptr && d->grows;
}

bool day_adds_row(const DayOutcome& day, SeriesRows rows) {
  switch (rows) {
    case SeriesRows::day:
      return true;
    case SeriesRows::iteration:
      return day.follower_update.has_value();
    case SeriesRows::interaction:
      return day.leader_update.has_value();
  }
  return false;
}

std::int64_t growing_scale_value(const DayOutcome& day, SeriesRows rows, std::int64_t rows_so_far) {
  switch (rows) {
    case SeriesRows::day:
      return day.day;
    case SeriesRows::iteration:
      return rows_so_far;
    case SeriesRows::interaction:
      return day.leader_update->interaction;
  }
  return 0;
}

}  // namespace mfgrid
