#include "mfgrid/meanfield/empirical_model.hpp"

#include "mfgrid/agents/battery.hpp"
#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/core/set_bits.hpp"

namespace mfgrid {

EmpiricalModel::EmpiricalModel(const StatisticsLayout& layout)
    : layout_(&layout), totals_(layout) {}

void EmpiricalModel::add(const DayStatistics& day) {
  auto dst = totals_.raw();
  const auto src = day.raw();
  const std::size_t end = layout_->samples_begin();
  if (day.support().empty()) {
    for (std::size_t i = 0; i < end; ++i) dst[i] += src[i];
  } else {  // a large grid's day after the sparse sum: the non-zeros alone
    for_each_set_bit(day.support(), [&](std::size_t i) {
      if (i < end) dst[i] += src[i];
    });
  }
  ++days_;
}

ClassMdp build_class_mdp(const EmpiricalModel& model, const HouseholdModel& m, int cls,
                         double prior) {
  const StatisticsLayout& layout = model.layout();
  const DayStatistics& data = model.totals();
  const ClassModel& c = m.classes[static_cast<std::size_t>(cls)];
  ClassMdp mdp;
  mdp.periods = layout.periods();
  mdp.bins = layout.bins(cls);
  mdp.actions = layout.actions(cls);
  const std::size_t cells = static_cast<std::size_t>(mdp.periods) * mdp.bins * mdp.actions;
  mdp.transition.assign(cells * mdp.bins, 0.0);
  mdp.imports.assign(cells, 0.0);
  mdp.exports.assign(cells, 0.0);
  mdp.moved.assign(cells, 0.0);
  mdp.visits.assign(cells, 0);
  const BatteryEfficiency eta = BatteryEfficiency::of(c.eta_charge, c.eta_discharge);
  const float inv_capacity = inverse_capacity(c.battery_kwh);
  for (int t = 0; t < mdp.periods; ++t) {
    const float demand = c.demand_kwh[static_cast<std::size_t>(t)];
    const float pv =
        c.pv_kw * m.solar[static_cast<std::size_t>(t)] * m.weather_mean * m.period_hours;
    for (int s = 0; s < mdp.bins; ++s) {
      for (int a = 0; a < mdp.actions; ++a) {
        // The mean household from the middle of bin s.
        float soc = mdp.bins > 1
                        ? c.battery_kwh * static_cast<float>(s) / static_cast<float>(mdp.bins - 1)
                        : 0.0f;
        float charge = 0, discharge = 0;
        if (c.prosumer)
          battery_step(m.levels[static_cast<std::size_t>(a)], c.battery_kw, m.period_hours,
                       c.battery_kwh, eta, soc, charge, discharge);
        const double net = static_cast<double>(demand) - pv + charge - discharge;
        const int next = c.prosumer ? soc_bin(soc, inv_capacity, mdp.bins) : 0;

        const std::size_t k = mdp.cell(t, s, a);
        const std::int64_t n = data.visits(cls, t, s, a);
        const double weight = static_cast<double>(n) + prior;
        mdp.visits[k] = n;
        mdp.imports[k] =
            (from_micro_kwh(data.imports(cls, t, s, a)) + prior * std::max(net, 0.0)) / weight;
        mdp.exports[k] =
            (from_micro_kwh(data.exports(cls, t, s, a)) + prior * std::max(-net, 0.0)) / weight;
        mdp.moved[k] =
            (from_micro_kwh(data.moved(cls, t, s, a)) + prior * (charge + discharge)) / weight;
        double* row = mdp.transition.data() + k * static_cast<std::size_t>(mdp.bins);
        for (int next_bin = 0; next_bin < mdp.bins; ++next_bin)
          row[next_bin] = (static_cast<double>(data.transitions(cls, t, s, a, next_bin)) +
                           (next_bin == next ? prior : 0.0)) /
                          weight;
      }
    }
  }
  return mdp;
}

}  // namespace mfgrid
