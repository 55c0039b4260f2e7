// The tariff a scenario validates with is the tariff its leader posts. The fixed leader posted the
// peak-offpeak fit of a three-level time-of-use tariff from its second update on ([133.33 ×6,
// 300, 300] for [100, 100, 150 ×4, 300, 300]); now it posts the scenario's tariff exactly, and a
// learning leader whose parameterisation cannot represent the scenario's tariff is refused at
// validation, where the loader's rule and TariffParameters agree.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mfgrid/agents/billing.hpp"
#include "mfgrid/agents/tariff.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/leader/fixed_leader.hpp"
#include "mfgrid/leader/tariff_parameters.hpp"

namespace mfgrid {
namespace {

const std::string three_levels = "tariff.import_rates=[100,100,150,150,150,150,300,300]";

void expect_same_tariff(const PostedTariff& got, const PostedTariff& want, double tol) {
  ASSERT_EQ(got.periods(), want.periods());
  ASSERT_EQ(got.buses(), want.buses());
  for (int t = 0; t < want.periods(); ++t)
    for (int b = 0; b < want.buses(); ++b)
      EXPECT_NEAR(got.import_price(b, t), want.import_price(b, t), tol)
          << "import rate of period " << t << " at bus " << b;
  ASSERT_EQ(got.fixed_charge.size(), want.fixed_charge.size());
  for (std::size_t g = 0; g < want.fixed_charge.size(); ++g)
    EXPECT_NEAR(got.fixed_charge[g], want.fixed_charge[g], tol) << "fixed charge " << g;
  EXPECT_NEAR(got.peak_charge, want.peak_charge, tol);
}

// θ a hair away from the initial one: what the parameterisation itself maps there.
std::vector<double> near(std::vector<double> theta) {
  for (double& x : theta) x = std::nextafter(x, 0.5);
  return theta;
}

TEST(InitialTariff, TheFixedLeaderPostsTheScenariosTariffOnEveryUpdate) {
  const Scenario s = load_scenario("ieee3-equity", {"leader.learner=fixed", three_levels});
  ASSERT_EQ(s.tariff.parameterisation, TariffParameterisation::peak_offpeak);
  const TariffParameters parameters(s);
  const PostedTariff want = PostedTariff::from_scenario(s);
  FixedLeader leader(s.leader, parameters.initial());
  for (int update = 0; update < 10; ++update) {
    const std::vector<double> theta = leader.propose();
    const PostedTariff got = parameters.tariff(theta);
    EXPECT_EQ(got.import_rate, want.import_rate) << "update " << update;
    EXPECT_EQ(got.fixed_charge, want.fixed_charge) << "update " << update;
    leader.observe({theta, 1.0 / (1 + update), ClassEnergy{}});
  }
  // The parameterisation cannot represent this tariff: that is why a learning leader is refused.
  EXPECT_NE(parameters.tariff(near(parameters.initial())).import_rate, want.import_rate);
}

TEST(InitialTariff, ALearningLeaderNeedsAParameterisationThatRepresentsTheTariff) {
  auto error_of = [](const std::vector<std::string>& overrides) {
    try {
      load_scenario("ieee3-equity", overrides);
    } catch (const InputError& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return InputError({}, "", "");
  };
  const InputError rates = error_of({three_levels});  // the default leader learns (zo-surrogate)
  EXPECT_EQ(rates.where().file, "--set " + three_levels);
  EXPECT_EQ(rates.key(), "tariff.import_rates");
  EXPECT_NE(rates.reason().find("cannot represent these rates"), std::string::npos) << rates.what();
  // Fixed charges must be a level and a slope in income (incomes 15, 25, 45, 65 k$).
  const InputError charges = error_of({"tariff.fixed_charges=[0.1, 0.5, 0.2, 0.3]"});
  EXPECT_EQ(charges.key(), "tariff.fixed_charges");
  EXPECT_NE(charges.reason().find("level and a slope in income"), std::string::npos)
      << charges.what();
  // Both are fine with the full parameterisation, or when learned parts leave them alone.
  EXPECT_NO_THROW(load_scenario("ieee3-equity", {three_levels, "tariff.parameterisation=full"}));
  EXPECT_NO_THROW(load_scenario("ieee3-equity", {three_levels, "tariff.learn=[\"fixed\"]"}));
}

TEST(InitialTariff, AcceptedLearningScenariosAreRepresentedByTheirParameterisation) {
  // ieee3-equity's own flat tariff, an affine fixed charge (0.5 + 0.3·(income/mean − 1)), a
  // two-level time of use, and dsm-community (full parameterisation, peak charge).
  for (const auto& [name, overrides] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"ieee3-equity", {}},
           {"ieee3-equity", {"tariff.fixed_charges=[0.32, 0.4, 0.56, 0.72]"}},
           {"ieee3-equity", {"tariff.import_rates=[100,100,100,100,100,100,300,300]"}},
           {"dsm-community", {}}}) {
    const Scenario s = load_scenario(name, overrides);
    ASSERT_NE(s.leader.learner, "fixed");
    const TariffParameters parameters(s);
    const PostedTariff want = PostedTariff::from_scenario(s);
    expect_same_tariff(parameters.tariff(parameters.initial()), want, 0.0);
    expect_same_tariff(parameters.tariff(near(parameters.initial())), want, 1e-6);
  }
}

// Per-bus rates are written bus by bus in the scenario; the posted tariff holds them by period and
// bus, as the LMPs are: every rate lands at its own (period, bus), through the parameterisation
// too.
TEST(InitialTariff, PerBusRatesArePostedAtTheirPeriodAndBus) {
  const Scenario s = load_scenario(
      "ieee3-equity",
      {"leader.learner=fixed", "tariff.per_bus=true", "tariff.parameterisation=full",
       "tariff.import_rates=[[101,102,103,104,105,106,107,108],[111,112,113,114,115,116,117,118],"
       "[121,122,123,124,125,126,127,128]]"});
  const PostedTariff posted = PostedTariff::from_scenario(s);
  ASSERT_EQ(posted.periods(), 8);
  ASSERT_EQ(posted.buses(), 3);
  for (int b = 0; b < 3; ++b)
    for (int t = 0; t < 8; ++t) {
      EXPECT_EQ(posted.import_price(b, t), 101 + 10 * b + t) << "bus " << b << ", period " << t;
      EXPECT_EQ(posted.import_rate.row(t)[static_cast<std::size_t>(b)], 101 + 10 * b + t);
    }
  const TariffParameters parameters(s);
  expect_same_tariff(parameters.tariff(near(parameters.initial())), posted, 1e-6);
}

// θ is read coordinate by coordinate: one of the wrong length is refused, not read past its end.
TEST(InitialTariff, ThetaWithoutOneValuePerParameterIsRefused) {
  const TariffParameters parameters(load_scenario("ieee3-equity", {}));
  std::vector<double> theta = parameters.initial();
  ASSERT_GT(theta.size(), 1U);
  EXPECT_EQ(parameters.real_values(theta).size(), theta.size());
  theta.pop_back();
  for (const auto& wrong : {theta, std::vector<double>(parameters.initial().size() + 1, 0.5)}) {
    EXPECT_THROW(static_cast<void>(parameters.real_values(wrong)), Error);
    EXPECT_THROW(static_cast<void>(parameters.tariff(wrong)), Error);
  }
}

}  // namespace
}  // namespace mfgrid
