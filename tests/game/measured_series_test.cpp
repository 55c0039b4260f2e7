// Measured series: day d of the run reads day d of the series, in what the households do (the
// rollout kernel's demand) and in what every model of them reads (HouseholdModel's profiles), and
// in the market: the exogenous load it clears and the generators' costs, on the day and in the
// leader's evaluation of its window.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/test_scenarios.hpp"
#include "config/scenario_test_text.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/game/simulation.hpp"
#include "mfgrid/leader/leader_objective.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"
#include "mfgrid/parallel/communicator.hpp"

namespace mfgrid {
namespace {

TEST(MeasuredSeries, HouseholdsFollowTheirDayOfTheSeries) {
  // Consumers c1 (10 kWh a day) with shares 0.6 of it on day 0 and 1.4 on day 1, and a sun that
  // halves; no noise and no spread of the agents' parameters, so every household's demand is its
  // class's.
  const std::vector<std::vector<double>> shares{{0.1, 0.1, 0.2, 0.2}, {0.2, 0.3, 0.4, 0.5}};
  const std::vector<std::vector<double>> sun{{0.0, 0.4, 0.5, 0.0}, {0.0, 0.2, 0.25, 0.0}};
  std::string text = testing::small_with("demand_shape = [0.2, 0.2, 0.3, 0.3]",
                                         "demand_shape = [[0.1, 0.1, 0.2, 0.2], "
                                         "[0.2, 0.3, 0.4, 0.5]]");
  const std::string at = "solar_profile = [0.0, 0.4, 0.5, 0.0]";
  text.replace(text.find(at), at.size(),
               "solar_profile = [[0.0, 0.4, 0.5, 0.0], [0.0, 0.2, 0.25, 0.0]]");
  const Scenario s =
      parse_scenario(text, "s.toml",
                     {"time.days=2", "households.demand_noise=0", "households.pv_noise=0",
                      "households.weather_sd=0", "households.parameter_spread=0"},
                     MFGRID_TEST_DATA);
  Simulation sim(s, Communicator::self(), 1);
  for (int d = 0; d < 2; ++d) {
    const DayOutcome& out = sim.step();
    for (int t = 0; t < 4; ++t) {
      const auto i = static_cast<std::size_t>(t);
      const auto di = static_cast<std::size_t>(d);
      EXPECT_NEAR(out.energy.import_kwh(0, t), 10.0 * shares[di][i], 1e-5)
          << "day " << d << ", period " << t;
      EXPECT_EQ(out.energy.export_kwh(0, t), 0.0);
      EXPECT_EQ(sim.model().solar[i], static_cast<float>(sun[di][i]));
      EXPECT_EQ(sim.model().classes[0].demand_kwh[i], static_cast<float>(10.0 * shares[di][i]));
    }
  }
  try {
    sim.step();
    ADD_FAILURE() << "a day past the series' end was simulated";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("day 2 lies past the end of the scenario's measured "
                                         "series (2 days"),
              std::string::npos)
        << e.what();
  }
}

// The network's series: load_profile scales bus b1's peak of 1 MW day by day, bus b2 has its own
// series in MW, the generator's costs change by period and day. The market clears each day's load
// (what the demand holds beyond the households' net withdrawal), and with the line far from its
// limit and no shedding every LMP is the generator's marginal cost that day, 30 $/MWh × the day's
// factor. The leader's J of a window of both days clears their mean load at their mean costs.
TEST(MeasuredSeries, TheMarketClearsEachDaysLoadAtEachDaysCosts) {
  const std::vector<std::vector<double>> profile{{0.8, 1.0, 1.2, 1.0}, {1.6, 2.0, 2.4, 2.0}};
  const std::vector<std::vector<double>> b2{{0.5, 0.6, 0.7, 0.6}, {0.1, 0.2, 0.1, 0.2}};
  const std::vector<std::vector<double>> cost{{1.0, 1.0, 1.0, 1.0}, {2.0, 1.0, 0.5, 1.5}};
  std::string text =
      testing::small_with("load_profile = [0.8, 1.0, 1.2, 1.0]",
                          "load_profile = [[0.8, 1.0, 1.2, 1.0], [1.6, 2.0, 2.4, 2.0]]");
  const auto replace = [&](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  replace("base_load_mw = [0.5, 0.6, 0.7, 0.6]",
          "base_load_mw = [[0.5, 0.6, 0.7, 0.6], [0.1, 0.2, 0.1, 0.2]]");
  replace("cost_per_mwh = 30.0",
          "cost_per_mwh = 30.0\ncost_profile = [[1.0, 1.0, 1.0, 1.0], [2.0, 1.0, 0.5, 1.5]]");
  const Scenario s = parse_scenario(
      text, "s.toml", {"time.days=2", "leader.warmup_days=0", "leader.update_every_days=2"},
      MFGRID_TEST_DATA);
  // The one-day profiles are the series' mean days.
  EXPECT_DOUBLE_EQ(s.network.buses[0].base_load_mw[2], 1.8);
  EXPECT_DOUBLE_EQ(s.network.buses[1].base_load_mw[1], 0.4);
  EXPECT_DOUBLE_EQ(s.network.generators[0].cost_profile[0], 1.5);
  // The resolved scenario reads back to the same series without the scenario's text.
  const Scenario again = parse_scenario(s.resolved_toml, "r.toml", {}, "/nonexistent");
  EXPECT_EQ(again.network.load_profile_series.values, s.network.load_profile_series.values);
  EXPECT_EQ(again.network.buses[1].base_load_series.values,
            s.network.buses[1].base_load_series.values);
  EXPECT_EQ(again.network.generators[0].cost_series.values,
            s.network.generators[0].cost_series.values);

  Simulation sim(s, Communicator::self(), 1);
  std::vector<DayOutcome> days;
  for (int d = 0; d < 2; ++d) {
    days.push_back(sim.step());
    const DayOutcome& out = days.back();
    const auto di = static_cast<std::size_t>(d);
    for (int t = 0; t < 4; ++t) {
      const auto i = static_cast<std::size_t>(t);
      EXPECT_NEAR(out.demand_mw(t, 0) - out.household_mw(t, 0), 1.0 * profile[di][i], 1e-12)
          << "day " << d << ", period " << t;
      EXPECT_NEAR(out.demand_mw(t, 1) - out.household_mw(t, 1), b2[di][i], 1e-12)
          << "day " << d << ", period " << t;
      for (int b = 0; b < 2; ++b) {
        EXPECT_EQ(out.shed_mw(t, b), 0.0);
        EXPECT_NEAR(out.lmp(t, b), 30.0 * cost[di][i], 1e-9) << "day " << d << ", period " << t;
      }
    }
  }
  ASSERT_EQ(sim.leader_history().size(), 1u);
  const TariffParameters parameters(s);
  LeaderObjective objective(s, parameters);
  std::vector<double> exogenous, factors;  // periods × buses, periods × generators
  for (std::size_t t = 0; t < 4; ++t) {
    exogenous.push_back(1.0 * profile[0][t] / 2 + 1.0 * profile[1][t] / 2);
    exogenous.push_back(b2[0][t] / 2 + b2[1][t] / 2);
    factors.push_back(cost[0][t] / 2 + cost[1][t] / 2);
  }
  objective.set_exogenous_load(exogenous);
  objective.set_cost_factors(factors);
  const LeaderUpdate& u = sim.leader_history()[0];
  const std::vector<ClassEnergy> window{days[0].energy, days[1].energy};
  const LeaderEvaluation expected = objective.evaluate(u.theta, ClassEnergy::mean(window));
  EXPECT_DOUBLE_EQ(u.evaluation.objective, expected.objective);
  EXPECT_DOUBLE_EQ(u.evaluation.wholesale_cost, expected.wholesale_cost);
  for (std::size_t k = 0; k < expected.lmp.size(); ++k)
    EXPECT_NEAR(expected.lmp[k], 30.0 * factors[k / 2], 1e-9);

  // The run may not outlast the network's series.
  try {
    sim.step();
    ADD_FAILURE() << "a day past the series' end was simulated";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("day 2 lies past the end of the network's measured "
                                         "series (2 days"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace mfgrid
