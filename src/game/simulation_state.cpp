// The simulation's state for checkpoints (the agents' states excepted): one transfer() saves and
// restores it.
#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/state_transfer.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid {

namespace {

constexpr const char* leader_history_key = "simulation/leader_history";

// An evaluation's scalars, in their stored order after the update's interaction and day.
auto evaluation_scalars(LeaderEvaluation& e) {
  return std::tie(e.objective, e.inequality, e.bills.revenue, e.bills.energy_purchase,
                  e.bills.revenue_adequacy, e.wholesale_cost, e.lmp_spread, e.peak_mw, e.tracking);
}

// The arrays of a leader update, one ragged column each; `update` finds it in a record.
template <class Record, class Update>
void update_arrays(StateColumns<Record>& c, Update update) {
  c.column(
       "theta", [=](Record & r) -> auto& { return update(r).theta; })
      .column(
          "theta_real", [=](Record & r) -> auto& { return update(r).theta_real; })
      .column(
          "next_theta", [=](Record & r) -> auto& { return update(r).next_theta; })
      .column(
          "group_bill", [=](Record & r) -> auto& { return update(r).evaluation.bills.group_bill; })
      .column(
          "group_eei", [=](Record & r) -> auto& { return update(r).evaluation.bills.group_eei; })
      .column(
          "class_bill", [=](Record & r) -> auto& { return update(r).evaluation.bills.class_bill; })
      .column(
          "lmp", [=](Record & r) -> auto& { return update(r).evaluation.lmp; });
}

// Checkpoints written before learners declared their diagnostics kept two more scalars after
// "day", trust_radius and policy_change, for every learner, and no diagnostics array. They
// become the diagnostics of the learner that declares them. Such checkpoints are only read.
void load_old_leader_history(StateTransfer& t, std::vector<LeaderUpdate>& history,
                             std::span<const LearnerDiagnostic> diagnostics) {
  struct OldUpdate {
    LeaderUpdate update;
    double trust_radius = 0, policy_change = 0;
  };
  std::vector<OldUpdate> old;
  auto columns = t.columns(leader_history_key, old);
  columns.tuple<double>("scalars", [](OldUpdate& o) {
    return std::tuple_cat(
        std::tie(o.update.interaction, o.update.day, o.trust_radius, o.policy_change),
        evaluation_scalars(o.update.evaluation));
  });
  update_arrays(columns, [](OldUpdate& o) -> LeaderUpdate& { return o.update; });
  history.clear();
  for (OldUpdate& o : old) {
    for (const LearnerDiagnostic& d : diagnostics) {
      const std::string_view name = d.name;
      o.update.diagnostics.push_back(name == "trust_radius"    ? o.trust_radius
                                     : name == "policy_change" ? o.policy_change
                                                               : 0.0);
    }
    history.push_back(std::move(o.update));
  }
}

void transfer_leader_history(StateTransfer& t, std::vector<LeaderUpdate>& history,
                             std::span<const LearnerDiagnostic> diagnostics) {
  if (t.loading() && !t.has(std::string(leader_history_key) + "/diagnostics/sizes"))
    return load_old_leader_history(t, history, diagnostics);
  auto columns = t.columns(leader_history_key, history);
  columns.tuple<double>("scalars", [](LeaderUpdate& u) {
    return std::tuple_cat(std::tie(u.interaction, u.day), evaluation_scalars(u.evaluation));
  });
  columns.column("diagnostics", &LeaderUpdate::diagnostics);
  update_arrays(columns, [](LeaderUpdate& u) -> LeaderUpdate& { return u; });
}

// The posted import rates, [period][bus]. Checkpoints written before that layout kept them
// [bus][period] under another name; those are still read.
void transfer_import_rates(StateTransfer& t, Table2<double>& rate) {
  constexpr const char* key = "simulation/tariff/import_rate_period_bus";
  constexpr const char* old_bus_period_key = "simulation/tariff/import_rate";
  if (t.saving() || t.has(key)) return t.fixed(key, rate, "the import rates");
  const std::vector<double>& by_bus = t.archive().doubles(old_bus_period_key);
  StateTransfer::expect_size(by_bus.size(), rate.values().size(), "the import rates");
  for (int p = 0; p < rate.rows(); ++p)
    for (int b = 0; b < rate.columns(); ++b)
      rate(p, b) = by_bus[static_cast<std::size_t>(b) * static_cast<std::size_t>(rate.rows()) +
                          static_cast<std::size_t>(p)];
}

}  // namespace

void Simulation::transfer(StateTransfer& t) {
  t.value("simulation/day", day_);
  t.fixed("simulation/theta", theta_, "the tariff parameters");
  transfer_import_rates(t, tariff_.import_rate);
  t.fixed("simulation/tariff/fixed_charge", tariff_.fixed_charge, "the fixed charges");
  t.value("simulation/tariff/export_rate", tariff_.export_rate);
  t.value("simulation/tariff/peak_charge", tariff_.peak_charge);
  t.fixed("simulation/price_forecast", price_forecast_, "the price forecast");
  std::vector<std::uint8_t> basis = market_.basis();
  t.fixed("simulation/market_basis", basis, "the market basis");
  if (t.loading()) market_.set_basis(basis);
  t.columns("simulation/window", window_)
      .column("imports", &ClassEnergy::imports)
      .column("exports", &ClassEnergy::exports)
      .column("peak_import", &ClassEnergy::peak_import);
  for (ClassEnergy& e : window_) {  // the dimensions are the scenario's
    e.classes = layout_.classes();
    e.periods = scenario_.time.periods;
  }
  transfer_leader_history(t, leader_history_, leader_->diagnostic_specs());
  // The policy's probabilities and (float) thresholds, stored as doubles.
  const auto probabilities = policy_.all();
  const auto thresholds = policy_.all_thresholds();
  std::vector<double> stored_probabilities(probabilities.begin(), probabilities.end());
  std::vector<double> stored_thresholds(thresholds.begin(), thresholds.end());
  t.fixed("policy/probabilities", stored_probabilities, "the policy");
  t.fixed("policy/thresholds", stored_thresholds, "the policy's thresholds");
  if (t.loading())
    policy_.restore(stored_probabilities,
                    std::vector<float>(stored_thresholds.begin(), stored_thresholds.end()));
  followers_->transfer(t);
  leader_->transfer(t);
}

void Simulation::save(StateArchive& archive) const { save_state(*this, archive); }

Simulation::AgentState Simulation::agent_state() const {
  return {population_.soc_kwh, population_.bill_to_date};
}

void Simulation::load(const StateArchive& archive, const AgentState& agents) {
  const std::size_t n = population_.soc_kwh.size();
  if (agents.soc_kwh.size() != n || agents.bill_to_date.size() != n)
    throw Error("loading a simulation: " + std::to_string(agents.soc_kwh.size()) +
                " agents' states of charge and " + std::to_string(agents.bill_to_date.size()) +
                " bills for the " + std::to_string(n) + " agents of this rank");
  population_.soc_kwh = agents.soc_kwh;
  population_.bill_to_date = agents.bill_to_date;
  load_state(*this, archive);
  // The classes a program plays are not part of the state: loaded into a simulation that has
  // some (a snapshot restored from Python), they go on playing them.
  apply_class_policies();
}

}  // namespace mfgrid
