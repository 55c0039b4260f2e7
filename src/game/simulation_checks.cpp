// The simulation's daily numeric check (numeric_guards.hpp).
#include <cmath>
#include <cstdio>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/numeric_guards.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/parallel/collective_step.hpp"

namespace mfgrid {

namespace {

std::span<const double> one(const double& v) { return {&v, 1}; }

}  // namespace

void Simulation::check_day(const DayOutcome& out) const {
  const int d = out.day;
  require_finite(out.lmp.values(), d, "market/lmp");
  require_finite(out.demand_mw.values(), d, "market/net_load");
  require_finite(out.household_mw.values(), d, "market/household_load");
  require_finite(out.dispatch_mw.values(), d, "market/dispatch");
  require_finite(out.flow_mw.values(), d, "market/flow");
  require_finite(out.shed_mw.values(), d, "market/shed");
  require_finite(out.spill_mw.values(), d, "market/spill");
  require_finite(one(out.wholesale_cost), d, "outcome/cost");
  const DayBills& b = out.bills;
  require_finite(b.group_bill, d, "outcome/bill");
  require_finite(b.class_bill, d, "outcome/class_bill");
  require_finite(b.group_eei, d, "outcome/eei");
  require_finite(one(b.revenue), d, "outcome/revenue");
  require_finite(one(b.energy_purchase), d, "outcome/energy_purchase");
  require_finite(one(b.revenue_adequacy), d, "outcome/revenue_adequacy");
  require_within(theta_, 0.0, 1.0, d, "tariff/theta (normalised, as posted)");
  require_finite(tariff_.import_rate.values(), d, "tariff/import_rate");
  require_finite(tariff_.fixed_charge, d, "tariff/fixed_charge");
  if (const auto& u = out.follower_update) {
    require_finite(one(u->policy_residual), d, "followers/policy_residual");
    require_finite(one(u->meanfield_residual), d, "followers/meanfield_residual");
    require_finite(u->exploitability, d, "followers/exploitability");
  }
  if (const auto& u = out.leader_update) {
    require_finite(one(u->evaluation.objective), d, "leader/objective");
    require_within(u->next_theta, 0.0, 1.0, d, "leader/next_theta (normalised)");
  }
  // The policy's rows and the mean field: in every period each class's agents are spread over its
  // bins, all of them. Every rank holds the same table and sums: class c is checked by rank c mod
  // P (a large grid's are hundreds of MB), and all ranks stop if one finds a bad one.
  collectively(comm_, [&] {
    if (!followers_->plans_actions())
      require_policy(policy_, d, "followers/policy", comm_.rank(), comm_.size());
    for (int c = comm_.rank(); c < layout_.classes(); c += comm_.size())
      for (int t = 0; t < model_.periods; ++t) {
        std::int64_t n = 0;
        for (int bin = 0; bin < stats_layout_.bins(c); ++bin) n += stats_.state_count(c, t, bin);
        if (n != layout_.simulated(c))
          throw NumericError("numeric check failed after day " + std::to_string(d) +
                             ": meanfield/soc_hist: class " + std::to_string(c) + ", period " +
                             std::to_string(t) + " counts " + std::to_string(n) + " agents of " +
                             std::to_string(layout_.simulated(c)));
      }
  });
  // Every agent's state, on the rank that holds it: all ranks stop if one finds a bad one.
  collectively(comm_, [&] {
    const Population& p = population_;
    for (const ClassBlock& block : p.blocks())
      for (std::int64_t i = 0; i < block.size; ++i) {
        const auto k = static_cast<std::size_t>(block.local_begin + i);
        const float soc = p.soc_kwh[k], capacity = p.capacity_kwh[k];
        // The kernel clamps in float: allow its rounding, nothing more.
        if (!(soc >= 0.0f && soc <= capacity * (1.0f + 1e-6f) + 1e-6f)) {
          char buf[96];
          std::snprintf(buf, sizeof buf, "holds %.9g kWh, outside [0, %.9g]", soc, capacity);
          throw NumericError("numeric check failed after day " + std::to_string(d) +
                             ": agents' state of charge: agent " +
                             std::to_string(block.global_begin + i) + " " + buf);
        }
      }
  });
}

}  // namespace mfgrid
