// Follower learning costs: one soft best response (soft policy iteration on a class's MDP) for 21
// and 101 state-of-charge bins × 8 periods × 5 actions, and the optimizer followers' household LPs
// (LPs solved per second, per core and on 2 threads).
#include <benchmark/benchmark.h>

#include <random>

#include "mfgrid/agents/weather.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/followers/household_lp.hpp"
#include "mfgrid/followers/optimizer_followers.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"
#include "mfgrid/followers/step_costs.hpp"

namespace {

using namespace mfgrid;

void BM_SoftQBestResponse(benchmark::State& state) {
  const int bins = static_cast<int>(state.range(0));
  const bool warm = state.range(1) != 0;
  const Scenario s = load_scenario("ieee3-equity", {"followers.soc_bins=" + std::to_string(bins)});
  const HouseholdModel model = HouseholdModel::from_scenario(s);
  const StatisticsLayout layout(model, 0);
  const EmpiricalModel empty(layout);
  const int cls = 3;  // prosumers-low
  const ClassMdp mdp = build_class_mdp(empty, model, cls, 1.0);
  const PostedTariff tariff = PostedTariff::from_scenario(s);
  const std::vector<double> lmp(static_cast<std::size_t>(s.time.periods) * s.network.buses.size(),
                                30.0);
  const std::vector<double> cost = step_costs(mdp, tariff, model.classes[cls].bus, lmp, 0.02);
  const SoftQBestResponse solver(s.followers.discount, s.followers.temperature);
  // Warm: from the values of yesterday's problem, whose prices were 2 % lower (in a run the
  // prices and the model drift between updates; the values of the same problem would be exact).
  std::vector<double> values;
  if (warm) {
    std::vector<double> yesterday(cost);
    for (double& c : yesterday) c *= 0.98;
    values = solver.solve(mdp, yesterday).value;
  }
  int iterations = 0;
  for (auto _ : state) {
    const SoftQSolution sol = solver.solve(mdp, cost, values);
    iterations = sol.iterations;
    benchmark::DoNotOptimize(sol.policy.data());
  }
  state.counters["bins"] = bins;
  state.counters["iterations"] = iterations;
  state.counters["cells"] = static_cast<double>(cost.size());
}
BENCHMARK(BM_SoftQBestResponse)
    ->ArgNames({"bins", "warm"})
    ->Args({21, 0})
    ->Args({21, 1})
    ->Args({101, 0})
    ->Args({101, 1})
    ->Unit(benchmark::kMillisecond);

// Household LPs of the dsm-community scenario's prosumers (flexible load, peak charge), each from
// the class's canonical basis as the optimizer followers solve them.
void BM_HouseholdLp(benchmark::State& state) {
  const Scenario s = load_scenario("dsm-community");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0.8f, 1.2f);
  const HouseholdClass& c = s.households.classes[0];
  const int T = s.time.periods;
  std::vector<std::vector<float>> demands, pvs;
  for (int k = 0; k < 256; ++k) {
    std::vector<float> d, p;
    for (int t = 0; t < T; ++t) {
      d.push_back(static_cast<float>(c.daily_kwh * c.demand_shape[static_cast<std::size_t>(t)]) *
                  u(rng));
      p.push_back(static_cast<float>(
                      c.pv_kw * s.households.solar_profile[static_cast<std::size_t>(t)] * 3.0) *
                  u(rng));
    }
    demands.push_back(d);
    pvs.push_back(p);
  }
  const PostedTariff tariff = PostedTariff::from_scenario(s);
  std::vector<double> import_price, export_price(static_cast<std::size_t>(T), s.tariff.export_rate);
  for (int t = 0; t < T; ++t) import_price.push_back(tariff.import_price(0, t));
  // Argument 0: the LP (no quadratic terms); 1: the default strictly convex QP.
  const bool quadratic = state.range(0) != 0;
  const HouseholdPrices prices{import_price,
                               export_price,
                               s.followers.degradation_cost,
                               s.tariff.peak_charge,
                               quadratic ? s.followers.parameters.number("wear_quadratic") : 0.0,
                               quadratic ? s.followers.parameters.number("discomfort") : 0.0};
  HouseholdLp lp(T, s.time.period_hours());
  lp.solve(
      {demands[0], pvs[0], 5.0, c.battery_kwh, c.battery_kw, c.eta_charge, c.eta_discharge, 0.2},
      prices);
  const HouseholdLp::WarmStart canonical = lp.warm_start();
  std::size_t k = 0;
  for (auto _ : state) {
    const auto& plan = lp.solve({demands[k % 256], pvs[k % 256], 5.0, c.battery_kwh, c.battery_kw,
                                 c.eta_charge, c.eta_discharge, 0.2},
                                prices, canonical);
    benchmark::DoNotOptimize(plan.cost);
    ++k;
  }
  state.counters["LPs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HouseholdLp)->ArgName("quadratic")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// A whole day of planning: every prosumer of the dsm-community scenario scaled to 20 000, on 1 and
// 2 threads.
void BM_OptimizerPlanDay(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const Scenario s = load_scenario("dsm-community", {"population.scale=100"});
  const HouseholdModel model = HouseholdModel::from_scenario(s);
  const PopulationLayout layout(s);
  const RandomStreams streams(s.seed);
  const Population population(model, layout, streams, 0, 1);
  const PostedTariff tariff = PostedTariff::from_scenario(s);
  const std::vector<float> weather = WeatherModel(s).day(streams, 0).solar;
  const std::vector<double> forecast(static_cast<std::size_t>(s.time.periods), 40.0);
  OptimizerFollowers followers(s, model, threads);
  PlannedActions plans;
  int day = 0;
  for (auto _ : state)
    followers.plan_day({day++, population, streams, weather, tariff, forecast}, plans);
  state.counters["LPs/s"] = benchmark::Counter(
      static_cast<double>(layout.total() * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["LPs/s/thread"] =
      benchmark::Counter(static_cast<double>(layout.total() * state.iterations()) / threads,
                         benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}
BENCHMARK(BM_OptimizerPlanDay)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
