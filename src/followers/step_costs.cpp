#include "mfgrid/followers/step_costs.hpp"

#include "mfgrid/core/units.hpp"

namespace mfgrid {

std::vector<double> step_costs(const ClassMdp& mdp, const PostedTariff& tariff, int bus,
                               std::span<const double> lmp, double degradation_cost) {
  std::vector<double> cost(mdp.imports.size());
  for (int t = 0; t < mdp.periods; ++t) {
    const double import_price = tariff.import_price(bus, t);
    const double export_price = tariff.export_price(
        bus, t, lmp[static_cast<std::size_t>(t) * static_cast<std::size_t>(tariff.buses()) + bus]);
    for (int s = 0; s < mdp.bins; ++s)
      for (int a = 0; a < mdp.actions; ++a) {
        const std::size_t k = mdp.cell(t, s, a);
        cost[k] = units::cost_of_kwh(import_price, mdp.imports[k]) -
                  units::cost_of_kwh(export_price, mdp.exports[k]) +
                  degradation_cost * mdp.moved[k];
      }
  }
  return cost;
}

}  // namespace mfgrid
