#include "mfgrid/followers/household_lp.hpp"

#include <ClpQuadraticObjective.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <algorithm>
#include <string>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/heap.hpp"
#include "mfgrid/core/units.hpp"

namespace mfgrid {

namespace {
// CLP perturbs a degenerate problem with numbers from a generator that lives in the model and
// runs on from solve to solve: without a fixed seed before each solve, a household's plan would
// depend on how many households the same model solved before it (which differs by thread and
// rank), and so would the run.
constexpr int clp_seed = 1234567;
}  // namespace

struct HouseholdLp::Impl {
  int T;
  double hours;
  ClpSimplex lp;
  HouseholdPlan plan;
  // The quadratic part, loaded the first time a day has one: a diagonal Hessian on c, d and f of
  // every period whose values each solve sets in place. While it is loaded the model is a QP.
  bool quadratic = false;
  double cost_offset = 0;  // Σ κ(φD_t)², the constant of the discomfort term
  // Columns: per period [c, d, s, f, m, x], then p, then L (the level the day starts at). Rows:
  // per period [balance, soc], then Σ f, then per period peak, then the day's end (s_{T−1} − L).
  static constexpr int per_period = 6;
  int col(int t, int k) const { return t * per_period + k; }
  int col_peak() const { return T * per_period; }
  int col_start() const { return T * per_period + 1; }
  int row_balance(int t) const { return 2 * t; }
  int row_soc(int t) const { return 2 * t + 1; }
  int row_flex() const { return 2 * T; }
  int row_peak(int t) const { return 2 * T + 1 + t; }
  int row_end() const { return 3 * T + 1; }

  Impl(int periods, double period_hours) : T(periods), hours(period_hours) {
    // Every solve allocates and frees CLP's work arrays: keep that memory in the process.
    keep_freed_heap_memory();
    const int n_col = T * per_period + 2, n_row = 3 * T + 2;
    CoinPackedMatrix a(true, 0, 0);
    a.setDimensions(n_row, 0);
    std::vector<double> lo(static_cast<std::size_t>(n_col), 0.0),
        hi(static_cast<std::size_t>(n_col), COIN_DBL_MAX),
        obj(static_cast<std::size_t>(n_col), 0.0), row_lo(static_cast<std::size_t>(n_row), 0.0),
        row_hi(static_cast<std::size_t>(n_row), 0.0);
    for (int t = 0; t < T; ++t) {
      // balance: m − x − c + d − f = fixed demand − PV (set per solve)
      // soc:     s_t − s_{t−1} − η_c c + d/η_d = 0 (s_{−1} is L)
      const int rb = row_balance(t), rs = row_soc(t), rp = row_peak(t);
      auto append = [&](std::vector<int> rows, std::vector<double> vals) {
        a.appendCol(static_cast<int>(rows.size()), rows.data(), vals.data());
      };
      append({rb, rs}, {-1.0, -1.0});  // c (η set per solve)
      append({rb, rs}, {1.0, 1.0});    // d (1/η set per solve)
      if (t + 1 < T)
        append({rs, row_soc(t + 1)}, {1.0, -1.0});
      else
        append({rs, row_end()}, {1.0, 1.0});  // s
      append({rb, row_flex()}, {-1.0, 1.0});  // f
      append({rb, rp}, {1.0, 1.0});           // m
      append({rb}, {-1.0});                   // x
      row_hi[static_cast<std::size_t>(rp)] = 0.0;
      row_lo[static_cast<std::size_t>(rp)] = -COIN_DBL_MAX;
    }
    std::vector<int> peak_rows;
    std::vector<double> peak_vals;
    for (int t = 0; t < T; ++t) {
      peak_rows.push_back(row_peak(t));
      peak_vals.push_back(-hours);  // m_t − Δ·p ≤ 0
    }
    a.appendCol(T, peak_rows.data(), peak_vals.data());
    const int start_rows[] = {row_soc(0), row_end()};
    const double start_vals[] = {-1.0, -1.0};
    a.appendCol(2, start_rows, start_vals);  // L
    lp.setLogLevel(0);
    lp.loadProblem(a, lo.data(), hi.data(), obj.data(), row_lo.data(), row_hi.data());
    for (auto* v :
         {&plan.charge, &plan.discharge, &plan.flexible, &plan.imports, &plan.exports, &plan.soc})
      v->assign(static_cast<std::size_t>(T), 0.0);
  }

  void set_up(const HouseholdDay& day, const HouseholdPrices& prices) {
    if (static_cast<int>(day.demand_kwh.size()) != T || static_cast<int>(day.pv_kwh.size()) != T)
      throw Error("household LP: expected " + std::to_string(T) + " periods");
    const double step = day.power_kw * hours, phi = day.flexible_share;
    double flexible_total = 0;
    for (int t = 0; t < T; ++t) flexible_total += phi * day.demand_kwh[static_cast<std::size_t>(t)];
    for (int t = 0; t < T; ++t) {
      const auto i = static_cast<std::size_t>(t);
      const double demand = day.demand_kwh[i], pv = day.pv_kwh[i];
      lp.setRowBounds(row_balance(t), (1.0 - phi) * demand - pv, (1.0 - phi) * demand - pv);
      lp.setRowBounds(row_soc(t), 0.0, 0.0);
      lp.modifyCoefficient(row_soc(t), col(t, 0), -day.eta_charge);
      lp.modifyCoefficient(row_soc(t), col(t, 1), 1.0 / day.eta_discharge);
      lp.setColumnBounds(col(t, 0), 0.0, step);
      lp.setColumnBounds(col(t, 1), 0.0, step);
      lp.setColumnBounds(col(t, 2), 0.0, day.capacity_kwh);
      lp.setColumnBounds(col(t, 3), 0.0, 3.0 * phi * demand);
      // Imports and exports are bounded by what the house can physically draw or give, which
      // also keeps the LP bounded when an export credit exceeds the import price.
      lp.setColumnBounds(col(t, 4), 0.0, demand * (1.0 + 2.0 * phi) + step);
      lp.setColumnBounds(col(t, 5), 0.0, pv + step);
      lp.setObjectiveCoefficient(col(t, 0), prices.degradation_cost);
      lp.setObjectiveCoefficient(col(t, 1), prices.degradation_cost);
      lp.setObjectiveCoefficient(col(t, 4), prices.import_price[i] / units::kwh_per_mwh);
      lp.setObjectiveCoefficient(col(t, 5), -prices.export_price[i] / units::kwh_per_mwh);
    }
    lp.setRowBounds(row_flex(), flexible_total, flexible_total);
    lp.setObjectiveCoefficient(col_peak(), prices.peak_charge);
    set_quadratic(day, prices);
    if (day.rule == SocRule::free_cycle) {
      lp.setColumnBounds(col_start(), 0.0, day.capacity_kwh);
      lp.setRowBounds(row_end(), 0.0, 0.0);
    } else {
      const double start = day.initial_soc_kwh;
      const double end =
          std::min(day.final_soc_kwh >= 0 ? day.final_soc_kwh : start, day.capacity_kwh);
      lp.setColumnBounds(col_start(), start, start);
      lp.setRowBounds(row_end(), end - start,
                      day.rule == SocRule::end_exactly ? end - start : COIN_DBL_MAX);
    }
  }

  // κ(f_t − φD_t)² = κf_t² − 2κφD_t·f_t + κ(φD_t)²: the Hessian 2κ, a linear term added to
  // f's coefficient (which is 0 otherwise) and a constant; w₂c_t² and w₂d_t²: the Hessian 2w₂.
  void set_quadratic(const HouseholdDay& day, const HouseholdPrices& prices) {
    const double w2 = prices.wear_quadratic, kappa = prices.discomfort;
    cost_offset = 0;
    if (!quadratic && w2 == 0 && kappa == 0) return;
    if (!quadratic) load_hessian();
    CoinPackedMatrix* h =
        dynamic_cast<ClpQuadraticObjective*>(lp.objectiveAsObject())->quadraticObjective();
    double* value = h->getMutableElements();
    const CoinBigIndex* start = h->getVectorStarts();
    for (int t = 0; t < T; ++t) {
      const double shifted = day.flexible_share * day.demand_kwh[static_cast<std::size_t>(t)];
      value[start[col(t, 0)]] = 2 * w2;
      value[start[col(t, 1)]] = 2 * w2;
      value[start[col(t, 3)]] = 2 * kappa;
      lp.setObjectiveCoefficient(col(t, 3), -2 * kappa * shifted);
      cost_offset += kappa * shifted * shifted;
    }
  }

  void load_hessian() {
    const int n_col = lp.numberColumns();
    std::vector<CoinBigIndex> start(static_cast<std::size_t>(n_col) + 1, 0);
    std::vector<int> row;
    for (int j = 0; j < n_col; ++j) {
      const int k = j % per_period;
      if (j < T * per_period && (k == 0 || k == 1 || k == 3)) row.push_back(j);
      start[static_cast<std::size_t>(j) + 1] = static_cast<CoinBigIndex>(row.size());
    }
    const std::vector<double> value(row.size(), 0.0);
    lp.loadQuadraticObjective(n_col, start.data(), row.data(), value.data());
    // A reduced gradient below the dual tolerance counts as zero, which leaves the variables with
    // a curvature of 2κ or 2w₂ up to tolerance/curvature from their optimum: CLP's default 1e-7
    // would allow micro-kWh errors, so the QP runs with 1e-10.
    lp.setDualTolerance(1e-10);
    lp.setPrimalTolerance(1e-10);
    quadratic = true;
  }

  // The LP by the dual simplex, the QP by the quadratic primal one (the dual does not take a
  // quadratic objective); a failed LP is tried once more by the primal from the all-slack basis.
  const HouseholdPlan& optimise() {
    lp.setRandomSeed(clp_seed);
    if (quadratic)
      lp.primal(0);
    else
      lp.dual(0);
    if (lp.status() != 0) {
      lp.allSlackBasis(true);
      lp.setRandomSeed(clp_seed);
      lp.primal(0);
      if (lp.status() != 0)
        throw Error(std::string(quadratic ? "household QP" : "household LP") + ": CLP status " +
                    std::to_string(lp.status()) + " (" + std::to_string(lp.secondaryStatus()) +
                    ")");
    }
    return read_plan();
  }

  const HouseholdPlan& read_plan() {
    const double* x = lp.primalColumnSolution();
    for (int t = 0; t < T; ++t) {
      const auto i = static_cast<std::size_t>(t);
      plan.charge[i] = x[col(t, 0)];
      plan.discharge[i] = x[col(t, 1)];
      plan.soc[i] = x[col(t, 2)];
      plan.flexible[i] = x[col(t, 3)];
      plan.imports[i] = x[col(t, 4)];
      plan.exports[i] = x[col(t, 5)];
    }
    plan.peak_kw = x[col_peak()];
    plan.start_soc_kwh = x[col_start()];
    plan.cost = lp.objectiveValue() + cost_offset;
    return plan;
  }
};

HouseholdLp::HouseholdLp(int periods, double period_hours)
    : impl_(std::make_unique<Impl>(periods, period_hours)) {}
HouseholdLp::~HouseholdLp() = default;
HouseholdLp::HouseholdLp(HouseholdLp&&) noexcept = default;
HouseholdLp& HouseholdLp::operator=(HouseholdLp&&) noexcept = default;

const HouseholdPlan& HouseholdLp::solve(const HouseholdDay& day, const HouseholdPrices& prices,
                                        const WarmStart& start) {
  impl_->set_up(day, prices);
  ClpSimplex& lp = impl_->lp;
  if (start.status.empty()) {
    lp.allSlackBasis(true);
  } else {
    const auto columns = static_cast<std::size_t>(lp.numberColumns());
    if (start.status.size() != columns + static_cast<std::size_t>(lp.numberRows()) ||
        start.columns.size() != columns)
      throw Error("household LP: a warm start of another shape");
    lp.copyinStatus(start.status.data());
    // The QP simplex would otherwise begin from whatever the previous solve left.
    std::copy(start.columns.begin(), start.columns.end(), lp.primalColumnSolution());
  }
  return impl_->optimise();
}

const HouseholdPlan& HouseholdLp::resolve(const HouseholdDay& day, const HouseholdPrices& prices) {
  impl_->set_up(day, prices);
  return impl_->optimise();
}

HouseholdLp::WarmStart HouseholdLp::warm_start() const {
  const ClpSimplex& lp = impl_->lp;
  const int n = lp.numberColumns() + lp.numberRows();
  const unsigned char* s = lp.statusArray();
  const double* x = lp.primalColumnSolution();
  WarmStart w;
  w.status = s ? std::vector<unsigned char>(s, s + n)
               : std::vector<unsigned char>(static_cast<std::size_t>(n), 0);
  w.columns.assign(x, x + lp.numberColumns());
  return w;
}

int HouseholdLp::iterations() const { return impl_->lp.numberIterations(); }

}  // namespace mfgrid
