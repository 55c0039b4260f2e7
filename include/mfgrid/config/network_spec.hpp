// Description of a transmission network as read from a scenario file or a MATPOWER case:
// buses with exogenous base load, lines with reactances and limits, generators with convex
// piecewise-linear costs. The grid module compiles it into the market-clearing model.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mfgrid/config/daily_series.hpp"

namespace mfgrid {

struct BusSpec {
  std::string name;
  // Exogenous load, one value per period (MW): the bus's day, or the mean day of its series.
  std::vector<double> base_load_mw;
  // A measured load that changes from day to day, in MW (base_load_mw read from a file of many
  // days); empty otherwise.
  DailySeries base_load_series;
  // For a bus given as a peak scaled by network.load_profile (a single base_load_mw, or a MATPOWER
  // bus), that peak: a load_profile series scales it day by day. nullopt for a bus whose periods
  // are given.
  std::optional<double> profile_peak_mw;
};

struct LineSpec {
  std::string name;
  int from = 0;               // bus index
  int to = 0;                 // bus index
  double reactance_pu = 0.0;  // series reactance x on the system base (tap ratio folded in)
  double limit_mw = 0.0;      // thermal limit; 0 means unlimited
  double shift_deg = 0.0;  // phase-shifter angle (MATPOWER SHIFT); flow = (θf − θt − shift)/x
};

// One linear piece of a generator's convex cost curve.
struct CostSegment {
  double width_mw = 0.0;
  double marginal_cost = 0.0;  // $/MWh
};

struct GeneratorSpec {
  std::string name;
  int bus = 0;
  double pmin_mw = 0.0;
  double pmax_mw = 0.0;
  double cost_at_pmin = 0.0;          // $/h when producing pmin (includes any constant term)
  std::vector<CostSegment> segments;  // increasing marginal costs; widths sum to pmax − pmin
  // Optional per-period multiplier of every cost (for example a day-ahead price profile of an
  // upstream market); empty means 1 in every period. With a series, its mean day.
  std::vector<double> cost_profile;
  // The multipliers day by day (cost_profile read from a file of many days); empty otherwise.
  DailySeries cost_series;

  double cost_factor(int period) const {
    return cost_profile.empty() ? 1.0 : cost_profile[static_cast<std::size_t>(period)];
  }
  // Period `period` of day `day` of the run: the series' day where there is one.
  double cost_factor(int day, int period) const {
    return cost_series.empty() ? cost_factor(period)
                               : cost_series.day(day)[static_cast<std::size_t>(period)];
  }
};

struct NetworkSpec {
  double base_mva = 100.0;
  double voll = 10000.0;    // value of lost load, $/MWh: the price of shedding
  double spill_cost = 0.0;  // $/MWh for surplus energy that cannot be absorbed (the LMP floor)
  int reference_bus = 0;    // bus index whose voltage angle is 0
  int periods = 1;          // length of every per-period vector
  // The day's exogenous load at every bus is base_load_mw × max(0, 1 + load_sd·z) × (1 +
  // load_season·cos(2π(day of year − load_peak_day)/365)), z a daily standard normal per bus,
  // correlated load_correlation between buses (agents/weather.hpp).
  double load_sd = 0.0;
  double load_correlation = 0.0;
  double load_season = 0.0;
  int load_peak_day = 200;
  // network.load_profile of many days (each day's factors), which scales every bus with a
  // profile_peak_mw day by day; empty otherwise.
  DailySeries load_profile_series;
  std::vector<BusSpec> buses;
  std::vector<LineSpec> lines;
  std::vector<GeneratorSpec> generators;

  int bus_index(const std::string& name) const;  // -1 when absent
  // Whether any exogenous load or generator cost changes from day to day (measured series).
  bool has_load_series() const;
  bool has_cost_series() const;
  // The days of the shortest of those series (day d of the run reads their day d); 0 without one.
  int series_days() const;
  // Bus `bus`'s exogenous load in `period` of day `day` of the run, before the weather (MW): its
  // series' day, its peak × the load_profile series' day, or its one-day base_load_mw.
  double base_load_mw(int bus, int day, int period) const {
    const BusSpec& b = buses[static_cast<std::size_t>(bus)];
    const auto t = static_cast<std::size_t>(period);
    if (!b.base_load_series.empty()) return b.base_load_series.day(day)[t];
    if (!load_profile_series.empty() && b.profile_peak_mw)
      return *b.profile_peak_mw * load_profile_series.day(day)[t];
    return b.base_load_mw[t];
  }
};

// Island of every bus (0, 1, … in order of each island's first bus), joined by lines.
std::vector<int> bus_islands(const NetworkSpec& network);

// An island with load and no generation: no market clearing can serve it but by shedding.
struct UnsuppliedIsland {
  int bus = 0;         // the island's first bus with load (where a caller locates the error)
  std::string reason;  // "bus b2 is an island with load and no generation; …"
};

// The first island whose buses have load (base load in any period, or `extra_load` per bus, for
// example households; empty means none) and no generator with pmax > 0; nullopt when every
// loaded island has generation. The scenario loader and `mfgrid opf CASE.m` both ask this.
std::optional<UnsuppliedIsland> find_unsupplied_island(const NetworkSpec& network,
                                                       std::span<const double> extra_load = {});

}  // namespace mfgrid
