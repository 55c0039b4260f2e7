// A scenario: everything a run needs, resolved and validated (see scenarios/*.toml for the file
// format and docs/model.md §2–§5 for the model). Values are plain data; the modules that simulate
// them read what they need.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mfgrid/config/calendar_date.hpp"
#include "mfgrid/config/daily_series.hpp"
#include "mfgrid/config/learner_catalogue.hpp"
#include "mfgrid/config/network_spec.hpp"

namespace mfgrid {

struct TimeSpec {
  int days = 100;
  int periods = 8;            // periods per day
  int first_day_of_year = 1;  // day 0 of the run as a day of the year (1 … 365): the seasons
  CalendarDate start_date;    // day 0 of the run (its day of the year is first_day_of_year)
  double period_hours() const { return 24.0 / periods; }
};

enum class HouseholdKind { consumer, prosumer };

struct IncomeGroup {
  std::string name;
  double income = 0.0;  // $/year
};

struct HouseholdClass {
  std::string name;
  int bus = 0;    // bus index
  int group = 0;  // income-group index
  HouseholdKind kind = HouseholdKind::consumer;
  std::int64_t count = 0;            // real households (before population.scale)
  double daily_kwh = 0.0;            // mean daily demand
  std::vector<double> demand_shape;  // share of the daily demand in each period (sums to 1)
  // A measured series instead (shares of the mean day's demand: their daily sums average 1, so
  // daily_kwh stays the mean and the days keep their seasons); demand_shape is then its mean day.
  DailySeries demand_series;
  // Prosumers only (zero for consumers).
  double pv_kw = 0.0;
  double battery_kwh = 0.0;
  double battery_kw = 0.0;
  double eta_charge = 1.0;
  double eta_discharge = 1.0;
  double initial_soc = 0.5;  // fraction of capacity at the start of day 0
};

struct HouseholdSpec {
  std::vector<IncomeGroup> groups;
  std::vector<HouseholdClass> classes;
  std::vector<double> solar_profile;  // PV capacity factor per period (mean over the period)
  DailySeries solar_series;       // a measured series instead; solar_profile is then its mean day
  double weather_mean = 1.0;      // daily solar factor per bus: mean …
  double weather_sd = 0.2;        // … and standard deviation (truncated at 0)
  double solar_season = 0.0;      // seasonal amplitude of the solar factor (relative) …
  int solar_peak_day = 172;       // … peaking on this day of the year
  double demand_noise = 0.1;      // relative s.d. of an agent's demand in a period
  double pv_noise = 0.05;         // relative s.d. of an agent's PV output in a period
  double parameter_spread = 0.2;  // agents draw PV and battery sizes uniformly in ±spread
  std::vector<double> battery_levels;  // actions: fractions of battery power (< 0: discharge)
};

struct PopulationSpec {
  double scale = 1.0;  // simulated agents per real household
};

struct Bounds {
  double lo = 0.0;
  double hi = 0.0;
};

enum class ExportCredit { net_metering, net_billing, fixed_rate };
enum class PeakBasis { individual, community };
enum class TariffParameterisation { full, peak_offpeak };

struct TariffSpec {
  bool per_bus = false;
  // $/MWh; per_bus ? [bus][period] flattened bus-major : [period]
  std::vector<double> import_rates;
  Bounds import_bounds{0.0, 1000.0};
  std::vector<double> fixed_charges;  // $/day, one per income group
  Bounds fixed_bounds{0.0, 10.0};
  ExportCredit export_credit = ExportCredit::net_billing;
  double export_rate = 0.0;  // $/MWh when export_credit is fixed_rate
  double peak_charge = 0.0;  // $/kW-day on the peak import
  Bounds peak_bounds{0.0, 5.0};
  PeakBasis peak_basis = PeakBasis::individual;
  double network_cost = 0.0;  // $/day the utility must recover beyond its energy purchases
  // Which parts of θ the leader learns.
  bool learn_import = true;
  bool learn_fixed = true;
  bool learn_peak = false;
  TariffParameterisation parameterisation = TariffParameterisation::full;
  std::vector<int> peak_periods;  // periods priced at the peak level (peak_offpeak)
};

// The followers' side: the shared keys of [followers]; a learner's own keys are in
// [followers.<learner>] (its parameter specification: config/learner_catalogue.hpp).
struct FollowerSpec {
  std::string learner = "soft-q";
  LearnerParameters parameters;  // the learner's own, resolved
  int update_every_days = 1;     // K_F
  int soc_bins = 21;             // state-of-charge discretisation of the aggregators' MDP
  double discount = 0.98;        // γ per period
  double temperature = 0.01;     // τ, $: entropy weight; the policy is softmax(Q/τ)
  double damping = 0.3;          // β
  int damping_horizon = 20;      // H: from the H-th update at one tariff on, β_m = β·H/(m + 1)
  double policy_tolerance = 1e-3;
  double meanfield_tolerance = 1e-3;
  int max_iterations = 100;
  double degradation_cost = 0.02;  // $/kWh of battery energy moved
  double prior_count = 1.0;        // pseudo-visits for unvisited state-action pairs
};

enum class InequalityMeasure { gap, variance, gini };

// The leader's side: the shared keys of [leader]; a learner's own keys are in [leader.<learner>].
struct LeaderSpec {
  std::string learner = "fixed";
  LearnerParameters parameters;  // the learner's own, resolved
  int update_every_days = 5;     // K_L
  int max_interactions = 100;
  // Days before the first interaction's window: the followers settle under the initial tariff
  // from their cold start (uniform policies, initial SoC) so the first J is not the transient's.
  int warmup_days = 0;
  InequalityMeasure inequality = InequalityMeasure::gap;
  double weight_inequality = 1.0;
  double weight_cost = 0.0;            // per $ of daily wholesale cost
  double weight_volatility = 0.0;      // per $/MWh of LMP standard deviation
  double weight_peak = 0.0;            // per MW of the households' peak net load
  double weight_tracking = 0.0;        // per MW² of deviation from target_profile
  std::vector<double> target_profile;  // MW per period (empty = no tracking)
  double penalty = 1000.0;             // ρ: per $ of daily revenue shortfall
};

struct OutputSpec {
  std::string path;  // the run file; empty: none unless `mfgrid run -o` names one
  int sample_agents = 16;
  bool dump_state = false;
  // Days are kept in memory and appended in batches of this many (and before every checkpoint):
  // one write per dataset per batch instead of per day.
  int write_every_days = 10;
  // Whether a completed run's file keeps its final checkpoint (the state a resume or an
  // inspection reads). Without it the file is rewritten without /checkpoint once the run is
  // complete, its space reclaimed; an interrupted run keeps its checkpoint either way.
  bool keep_checkpoint = true;
};

struct CheckpointSpec {
  int every_days = 10;  // 0 = only at the end and on signals
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  TimeSpec time;
  NetworkSpec network;
  HouseholdSpec households;
  PopulationSpec population;
  TariffSpec tariff;
  FollowerSpec followers;
  LeaderSpec leader;
  OutputSpec output;
  CheckpointSpec checkpoint;

  std::string source;  // the file (or embedded name) it was read from
  std::string
      resolved_toml;  // every setting, defaults filled in: re-reading it gives this scenario
  // What the reader accepted but a user should change (deprecated keys), one line each with its
  // location; the programs print them.
  std::vector<std::string> notices;
};

}  // namespace mfgrid
