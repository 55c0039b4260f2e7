// Measured series: day d of the run reads day d of the series, in what the households do (the
// rollout kernel's demand) and in what every model of them reads (HouseholdModel's profiles).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agents/test_scenarios.hpp"
#include "config/scenario_test_text.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/game/simulation.hpp"
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

}  // namespace
}  // namespace mfgrid
