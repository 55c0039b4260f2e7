// The limits of the inputs mfgrid accepts, where a larger value would break something downstream:
// one place for the readers that enforce them (scenario loader, cost curves, MATPOWER reader) and
// for the code that relies on them (the DC-OPF checks what it hands to CLP against the same
// numbers). Every limit is far beyond any real system, so only mistakes reach it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mfgrid::limits {

// $/MWh: the largest magnitude of any cost the market LP sees (a generator segment's marginal cost
// times its cost profile, the value of lost load, the spill cost) and of any tariff rate. CLP
// aborts on objective coefficients of 1e25 and more, and long before that its tolerances (1e-7,
// relative to the largest coefficients) stop resolving the differences between real prices
// (1–10^4 $/MWh). 1e9 $/MWh (a million dollars per kWh) is five orders of magnitude above the
// highest price caps of real markets and keeps costs × MW (< 1e15 $/h) exact to the cent.
inline constexpr double max_cost_per_mwh = 1e9;

// $/day (fixed charges) and $/kW-day (peak charges): the largest tariff charges. Bills, and the
// leader's inequality measures built from them (a variance squares them), stay far inside double
// range.
inline constexpr double max_charge_per_day = 1e6;
// $/day: the largest network cost the tariff must recover.
inline constexpr double max_network_cost_per_day = 1e12;

// MW: the largest magnitude of any power in a network (a bus's load, a generator's limits, a
// line's rating). The largest interconnections are about 10^6 MW in total.
inline constexpr double max_power_mw = 1e6;

// Per-unit reactance: |x| between these. Smaller reactances turn baseMVA/x into matrix entries
// the simplex cannot pivot on reliably; a zero-impedance tie is better modelled by merging buses.
inline constexpr double min_reactance_pu = 1e-6;
inline constexpr double max_reactance_pu = 1e3;

// MVA: the system base.
inline constexpr double min_base_mva = 1.0;
inline constexpr double max_base_mva = 1e6;

// kWh a household may exchange in one period: the rollout kernel holds per-period energies in
// micro-kWh in 32 bits (2^31 micro-kWh = 2 147 kWh), see src/agents/rollout.cpp.
inline constexpr double max_household_period_kwh = 2000.0;

// Simulated agents in total: agent ids are the first 32-bit word of a Philox counter.
inline constexpr std::int64_t max_agents = 4294967295;  // 2^32 − 1

// Bytes per simulated agent: the seven float arrays of Population (state of charge, PV, battery
// capacity and power, demand factor, the state of charge at the day's start and the bill to date;
// src/agents/population.cpp); 4 more while a checkpoint is
// written (measured: the peak resident size grows from 20 to 24 bytes per agent with a run file,
// at 2·10^8 agents; HDF5 stages the state of charge); and, for followers that plan every household
// (the optimizer), two floats per agent and period (PlannedActions).
inline constexpr std::int64_t population_bytes_per_agent = 7 * std::int64_t{4};
inline constexpr std::int64_t checkpoint_bytes_per_agent = 4;
inline constexpr std::int64_t plan_bytes_per_agent_period = 2 * std::int64_t{4};

// Households in one class (before population.scale): more than live on Earth.
inline constexpr std::int64_t max_class_households = 10'000'000'000;

// Text inputs (scenario files, MATPOWER cases): the largest file read. Scenarios are kilobytes and
// even continent-sized MATPOWER cases tens of MiB; a device or a mistaken path is refused before
// it is read.
inline constexpr std::size_t max_text_file_bytes = std::size_t{256} << 20;

// Nesting of tables, dotted keys, arrays and inline tables in a TOML text. A scenario needs 4;
// deeper texts would overflow the stack in the TOML parser.
inline constexpr int max_toml_nesting = 64;

}  // namespace mfgrid::limits
