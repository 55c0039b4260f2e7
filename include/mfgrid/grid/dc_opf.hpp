// DC optimal power flow: the wholesale market of docs/model.md §2, cleared with COIN-OR CLP.
//
//   min Σ_g C_g(p_g)·f_g(t) + VoLL·Σ_b shed_b + spill_cost·Σ_b spill_b
//   s.t. Σ_{g at b} p_g + shed_b − spill_b − demand_b = Σ_{l out of b} flow_l − Σ_{l into b} flow_l
//        flow_l = baseMVA·(θ_from − θ_to − shift_l)/x_l,  |flow_l| ≤ limit_l,  Pmin ≤ p ≤ Pmax,
//        0 ≤ shed_b ≤ max(demand_b, 0),  θ = 0 at one bus per island (the reference bus in its
//        own).
//
// The LMP of bus b is the dual of its balance row, in $/MWh. Generator costs are convex
// piecewise-linear (one column per segment). Surplus energy (household exports beyond what the
// grid can absorb) is spilled at `spill_cost`, which is the floor of every LMP, so every period is
// feasible whatever the households do.
//
// The model is built once; each clearing changes only the demand (and, when the period or the day
// changes, the cost profile) and re-solves with the dual simplex from the previous optimal basis.
// The result is a deterministic function of (basis, inputs): the basis can be saved and restored so
// a restarted run clears exactly as an uninterrupted one.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "mfgrid/config/network_spec.hpp"
#include "mfgrid/grid/market_clearing.hpp"

namespace mfgrid {

class DcOpf {
 public:
  // Where each clearing's dual simplex starts: from the previous clearing's optimal basis (a warm
  // start, what `mfgrid opf` does period after period), or every time from the network's basis
  // (see reset_basis), which makes a clearing a function of its inputs alone, so that any rank
  // can clear any period and get the same bits (the simulation). From the network's basis
  // ACTIVSg2000 clears in about the time of a warm start (bench/README.md); where an optimum is
  // degenerate the two may settle on different optimal dispatches, at the same prices.
  enum class Start { previous_basis, network_basis };
  explicit DcOpf(const NetworkSpec& network, Start start = Start::previous_basis);
  ~DcOpf();
  DcOpf(DcOpf&&) noexcept;
  DcOpf& operator=(DcOpf&&) noexcept;
  DcOpf(const DcOpf&) = delete;
  DcOpf& operator=(const DcOpf&) = delete;

  // Clears one period. `demand_mw` is every bus's total withdrawal (base load plus households'
  // net withdrawal; negative for net injection). The returned reference stays valid until the
  // next call. Throws mfgrid::Error if the solver fails.
  const MarketClearing& clear(int period, std::span<const double> demand_mw);

  // Clears with the network's own base load of `period` (its one-day profile).
  const MarketClearing& clear_base_load(int period);

  // The generators' cost multipliers from now on, period-major (periods × generators): a day of
  // their cost series, or the leader's window mean. Until set, each generator's one-day
  // cost_profile.
  void set_cost_factors(std::span<const double> factor_per_period_and_generator);
  // The multipliers of day `day` of the run where a generator has a cost series; nothing to do
  // without one.
  void set_day(int day);

  const NetworkSpec& network() const noexcept;

  // The simplex basis (one status byte per column and row), for checkpoints.
  std::vector<unsigned char> basis() const;
  void set_basis(std::span<const unsigned char> basis);
  // Forget the basis: the next clearing starts cold, from the network's basis (every free angle
  // and flow basic, one spill per island; dc_opf.cpp), as the first clearing of a new DcOpf does.
  void reset_basis();

  int columns() const noexcept;
  int rows() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mfgrid
