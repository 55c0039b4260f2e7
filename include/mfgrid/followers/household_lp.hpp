// A household's exact daily best response as a linear programme (the `optimizer` followers and
// the exploitability check), solved with CLP.
//
// Per period t: charge c_t and discharge d_t (kWh at the connection, ≤ power·Δ), state of charge
// s_t after the period (0 ≤ s_t ≤ E, s_t = s_{t−1} + η_c c_t − d_t/η_d, s_{−1} = L the level the
// day starts at), flexible demand f_t (0 ≤ f_t ≤ 3·φ·D_t, Σ f_t = φ·Σ D_t: the flexible share φ
// of the day's demand moves but keeps its energy), import m_t and export x_t with
// m_t − x_t = (1−φ)D_t − PV_t + c_t − d_t + f_t, and the peak import p ≥ m_t/Δ (kW).
//   min Σ_t (import price_t·m_t − export credit_t·x_t)/1000 + wear·(c_t + d_t) + peak charge·p
//       + Σ_t w₂·(c_t² + d_t²) + κ·(f_t − φ·D_t)²
// The quadratic terms (battery wear that grows with the rate of charge and discharge, discomfort
// that grows with the load moved from its habitual hour) make the cost strictly convex in what the
// household does (c, d, f), so its response to a tariff is one schedule, not a face of optima;
// with them the day is a QP, solved by CLP's quadratic primal simplex (an exact KKT point, not an
// interior approximation). With w₂ = κ = 0 it is the LP, solved by the dual simplex.
// How the day begins and ends is the SocRule: from a given level to at least (or exactly) a given
// level, or a free cycle — L is a decision variable and s_{T−1} = L: the best day a household
// that lives the same day over and over can choose, independent of where it stands.
// The model is built once; a solve changes bounds, right-hand sides and prices, and starts from a
// basis the caller chooses, so the answer never depends on what was solved before.
#pragma once

#include <memory>
#include <span>
#include <vector>

namespace mfgrid {

enum class SocRule {
  end_at_least,  // start at initial_soc_kwh, end at or above final_soc_kwh (< 0: the start)
  end_exactly,   // start at initial_soc_kwh, end exactly at final_soc_kwh (< 0: the start)
  free_cycle,    // start and end at one level the household chooses (initial_soc_kwh unused)
};

struct HouseholdDay {
  std::span<const float> demand_kwh;  // per period
  std::span<const float> pv_kwh;      // per period
  double initial_soc_kwh = 0;
  double capacity_kwh = 0;
  double power_kw = 0;
  double eta_charge = 1;
  double eta_discharge = 1;
  double flexible_share = 0;
  double final_soc_kwh = -1;  // < 0: the initial state of charge
  SocRule rule = SocRule::end_at_least;
};

struct HouseholdPrices {
  std::span<const double> import_price;  // $/MWh per period
  std::span<const double> export_price;  // $/MWh per period
  double degradation_cost = 0;           // $/kWh moved
  double peak_charge = 0;                // $/kW-day
  // The strictly convex part (both > 0 make the day's response unique; 0 keeps the LP):
  double wear_quadratic = 0;  // $/kWh² per period, on the energy charged and on that discharged
  double discomfort = 0;      // $/kWh² per period, on the flexible demand moved from its hour
};

struct HouseholdPlan {
  std::vector<double> charge, discharge, flexible, imports, exports, soc;  // per period, kWh
  double start_soc_kwh = 0;  // the level the day starts at (chosen, for a free cycle)
  double peak_kw = 0;
  double cost = 0;  // $ for the day (energy + wear + peak)
};

class HouseholdLp {
 public:
  HouseholdLp(int periods, double period_hours);
  ~HouseholdLp();
  HouseholdLp(HouseholdLp&&) noexcept;
  HouseholdLp& operator=(HouseholdLp&&) noexcept;

  // Where a solve starts: the status of every column and row and, for a QP (whose simplex also
  // starts from the values of the variables between their bounds), the columns' values.
  struct WarmStart {
    std::vector<unsigned char> status;
    std::vector<double> columns;
  };

  // Solves from `start` (empty: the all-slack basis at the bounds). Throws mfgrid::Error if CLP
  // fails.
  const HouseholdPlan& solve(const HouseholdDay& day, const HouseholdPrices& prices,
                             const WarmStart& start = {});
  // Solves from the solution of the previous solve (a warm start that depends on that solve
  // alone, not on anything before it).
  const HouseholdPlan& resolve(const HouseholdDay& day, const HouseholdPrices& prices);
  // The previous solve's solution, as a start for another.
  WarmStart warm_start() const;
  int iterations() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mfgrid
