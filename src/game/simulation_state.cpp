// Saving and restoring a simulation's state for checkpoints (the agents' states excepted).
#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>

#include "mfgrid/core/error.hpp"
#include "mfgrid/core/state_arrays.hpp"
#include "mfgrid/game/simulation.hpp"

namespace mfgrid {

namespace {

// A leader update's scalars, in this order.
constexpr std::array<const char*, 11> leader_scalars{"interaction",      "day",
                                                     "objective",        "inequality",
                                                     "revenue",          "energy_purchase",
                                                     "revenue_adequacy", "wholesale_cost",
                                                     "lmp_spread",       "peak_mw",
                                                     "tracking"};
// Checkpoints written before learners declared their diagnostics kept two more scalars after
// "day": trust_radius and policy_change, for every learner.
constexpr std::size_t old_layout_scalars = leader_scalars.size() + 2;

std::array<double*, leader_scalars.size()> scalar_fields(LeaderUpdate& u, double (&ints)[2]) {
  LeaderEvaluation& e = u.evaluation;
  return {&ints[0],
          &ints[1],
          &e.objective,
          &e.inequality,
          &e.bills.revenue,
          &e.bills.energy_purchase,
          &e.bills.revenue_adequacy,
          &e.wholesale_cost,
          &e.lmp_spread,
          &e.peak_mw,
          &e.tracking};
}

// The ragged arrays of a leader update.
std::array<std::vector<double>*, 8> vector_fields(LeaderUpdate& u) {
  return {&u.diagnostics,
          &u.theta,
          &u.theta_real,
          &u.next_theta,
          &u.evaluation.bills.group_bill,
          &u.evaluation.bills.group_eei,
          &u.evaluation.bills.class_bill,
          &u.evaluation.lmp};
}
constexpr std::array<const char*, 8> leader_vectors{"diagnostics", "theta",      "theta_real",
                                                    "next_theta",  "group_bill", "group_eei",
                                                    "class_bill",  "lmp"};

void save_leader_history(StateArchive& a, const std::vector<LeaderUpdate>& history) {
  std::vector<double> scalars;
  std::array<std::vector<std::vector<double>>, leader_vectors.size()> vectors;
  for (LeaderUpdate u : history) {
    double ints[2] = {static_cast<double>(u.interaction), static_cast<double>(u.day)};
    for (double* f : scalar_fields(u, ints)) scalars.push_back(*f);
    const auto fields = vector_fields(u);
    for (std::size_t k = 0; k < fields.size(); ++k) vectors[k].push_back(*fields[k]);
  }
  a.put("simulation/leader_history/scalars", std::move(scalars));
  for (std::size_t k = 0; k < leader_vectors.size(); ++k)
    put_ragged(a, std::string("simulation/leader_history/") + leader_vectors[k], vectors[k]);
}

std::vector<LeaderUpdate> load_leader_history(const StateArchive& a,
                                              std::span<const LearnerDiagnostic> diagnostics) {
  const std::string prefix = "simulation/leader_history/";
  const auto& stored = a.doubles(prefix + "scalars");
  // The old layout: every update had trust_radius and policy_change after "day", and there were
  // no diagnostics. They become the diagnostics of the learner that declares them.
  const bool old_layout = !a.has(prefix + "diagnostics/sizes");  // put_ragged's keys
  const std::size_t width = old_layout ? old_layout_scalars : leader_scalars.size();
  std::array<std::vector<std::vector<double>>, leader_vectors.size()> vectors;
  for (std::size_t k = old_layout ? 1 : 0; k < leader_vectors.size(); ++k)
    vectors[k] = get_ragged(a, prefix + leader_vectors[k]);
  const std::size_t n = stored.size() / width;
  if (stored.size() % width != 0 || vectors[1].size() != n)
    throw IoError("checkpoint", "the leader's history is inconsistent");
  if (old_layout)
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> values;
      for (const LearnerDiagnostic& d : diagnostics) {
        const std::string_view name = d.name;
        const double* row = stored.data() + i * width;
        values.push_back(name == "trust_radius" ? row[2] : name == "policy_change" ? row[3] : 0.0);
      }
      vectors[0].push_back(std::move(values));
    }
  std::vector<LeaderUpdate> history(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = stored.data() + i * width;
    double ints[2] = {0, 0};
    const auto fields = scalar_fields(history[i], ints);
    for (std::size_t k = 0; k < fields.size(); ++k)
      *fields[k] = old_layout && k >= 2 ? row[k + 2] : row[k];
    history[i].interaction = static_cast<int>(ints[0]);
    history[i].day = static_cast<int>(ints[1]);
    const auto vf = vector_fields(history[i]);
    for (std::size_t k = 0; k < vf.size(); ++k) {
      if (vectors[k].size() != n)
        throw IoError("checkpoint", "the leader's history is inconsistent");
      *vf[k] = vectors[k][i];
    }
  }
  return history;
}

template <class T>
void expect_size(const std::vector<T>& v, std::size_t n, const char* what) {
  if (v.size() != n)
    throw IoError("checkpoint", std::string(what) + " has " + std::to_string(v.size()) +
                                    " values where this scenario needs " + std::to_string(n));
}

// The posted import rates, [period][bus]. Checkpoints written before that layout kept them
// [bus][period] under another name; those still load.
constexpr const char* import_rate_key = "simulation/tariff/import_rate_period_bus";
constexpr const char* import_rate_bus_period_key = "simulation/tariff/import_rate";

void load_import_rates(const StateArchive& a, Table2<double>& rate) {
  const std::size_t cells = rate.values().size();
  if (a.has(import_rate_key)) {
    expect_size(a.doubles(import_rate_key), cells, "the import rates");
    rate.assign(a.doubles(import_rate_key));
    return;
  }
  const std::vector<double>& by_bus = a.doubles(import_rate_bus_period_key);
  expect_size(by_bus, cells, "the import rates");
  for (int p = 0; p < rate.rows(); ++p)
    for (int b = 0; b < rate.columns(); ++b)
      rate(p, b) = by_bus[static_cast<std::size_t>(b) * static_cast<std::size_t>(rate.rows()) +
                          static_cast<std::size_t>(p)];
}

}  // namespace

void Simulation::save(StateArchive& a) const {
  a.put_integer("simulation/day", day_);
  a.put("simulation/theta", theta_);
  a.put(import_rate_key, tariff_.import_rate.values());
  a.put("simulation/tariff/fixed_charge", tariff_.fixed_charge);
  a.put_scalar("simulation/tariff/export_rate", tariff_.export_rate);
  a.put_scalar("simulation/tariff/peak_charge", tariff_.peak_charge);
  a.put("simulation/price_forecast", price_forecast_.values());
  const std::vector<unsigned char> basis = market_.basis();
  a.put("simulation/market_basis", std::vector<std::uint8_t>(basis.begin(), basis.end()));
  std::vector<std::vector<double>> imports, exports, peaks;
  for (const ClassEnergy& e : window_) {
    imports.push_back(e.imports);
    exports.push_back(e.exports);
    peaks.push_back(e.peak_import);
  }
  put_ragged(a, "simulation/window/imports", imports);
  put_ragged(a, "simulation/window/exports", exports);
  put_ragged(a, "simulation/window/peak_import", peaks);
  save_leader_history(a, leader_history_);
  const auto probs = policy_.all();
  const auto thresholds = policy_.all_thresholds();
  a.put("policy/probabilities", std::vector<double>(probs.begin(), probs.end()));
  a.put("policy/thresholds", to_doubles(std::vector<float>(thresholds.begin(), thresholds.end())));
  followers_->save(a);
  leader_->save(a);
}

void Simulation::load(const StateArchive& a, std::span<const float> agent_soc_kwh) {
  if (agent_soc_kwh.size() != population_.soc_kwh.size())
    throw Error("loading a simulation: " + std::to_string(agent_soc_kwh.size()) +
                " agents' states of charge for the " + std::to_string(population_.soc_kwh.size()) +
                " agents of this rank");
  std::copy(agent_soc_kwh.begin(), agent_soc_kwh.end(), population_.soc_kwh.begin());
  day_ = static_cast<int>(a.integer("simulation/day"));
  const auto& theta = a.doubles("simulation/theta");
  expect_size(theta, theta_.size(), "the tariff parameters");
  theta_ = theta;
  load_import_rates(a, tariff_.import_rate);
  expect_size(a.doubles("simulation/tariff/fixed_charge"), tariff_.fixed_charge.size(),
              "the fixed charges");
  tariff_.fixed_charge = a.doubles("simulation/tariff/fixed_charge");
  tariff_.export_rate = a.scalar("simulation/tariff/export_rate");
  tariff_.peak_charge = a.scalar("simulation/tariff/peak_charge");
  expect_size(a.doubles("simulation/price_forecast"), price_forecast_.values().size(),
              "the price forecast");
  price_forecast_.assign(a.doubles("simulation/price_forecast"));
  const auto& basis = a.bytes("simulation/market_basis");
  expect_size(basis, market_.basis().size(), "the market basis");
  market_.set_basis(std::vector<unsigned char>(basis.begin(), basis.end()));
  const auto imports = get_ragged(a, "simulation/window/imports");
  const auto exports = get_ragged(a, "simulation/window/exports");
  const auto peaks = get_ragged(a, "simulation/window/peak_import");
  if (exports.size() != imports.size() || peaks.size() != imports.size())
    throw IoError("checkpoint", "the leader's window is inconsistent");
  window_.clear();
  for (std::size_t i = 0; i < imports.size(); ++i) {
    ClassEnergy e;
    e.classes = layout_.classes();
    e.periods = scenario_.time.periods;
    e.imports = imports[i];
    e.exports = exports[i];
    e.peak_import = peaks[i];
    window_.push_back(std::move(e));
  }
  leader_history_ = load_leader_history(a, leader_->diagnostic_specs());
  const auto& probs = a.doubles("policy/probabilities");
  const auto& thresholds = a.doubles("policy/thresholds");
  expect_size(probs, policy_.all().size(), "the policy");
  expect_size(thresholds, policy_.all_thresholds().size(), "the policy's thresholds");
  policy_.restore(probs, to_floats(thresholds));
  followers_->load(a);
  leader_->load(a);
}

}  // namespace mfgrid
