// Market clearing (DC-OPF on CLP): one warm-started clearing of the 3-bus default network and
// of synthetic 118- and 300-bus networks, against a cold start (a new model every time).
#include <benchmark/benchmark.h>

#include <random>

#include "mfgrid/agents/expected_load.hpp"
#include "mfgrid/config/matpower.hpp"
#include "mfgrid/config/scenario_loader.hpp"
#include "mfgrid/grid/dc_opf.hpp"
#include "mfgrid/grid/synthetic_network.hpp"

namespace {

using mfgrid::DcOpf;
using mfgrid::NetworkSpec;

// Demands of a day's periods with ±10 % noise, so every clearing changes the right-hand side as
// a day of household behaviour does.
std::vector<std::vector<double>> demand_stream(const NetworkSpec& net,
                                               const std::vector<std::vector<double>>& base,
                                               int count) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  std::vector<std::vector<double>> out;
  for (int k = 0; k < count; ++k) {
    std::vector<double> d = base[static_cast<std::size_t>(k % net.periods)];
    for (double& x : d) x *= noise(rng);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::vector<double>> base_demand(const NetworkSpec& net) {
  std::vector<std::vector<double>> base;
  for (int t = 0; t < net.periods; ++t) {
    std::vector<double> d;
    for (const auto& b : net.buses) d.push_back(b.base_load_mw[static_cast<std::size_t>(t)]);
    base.push_back(std::move(d));
  }
  return base;
}

NetworkSpec network_for(int buses) {
  if (buses == 3) return mfgrid::load_scenario("ieee3-equity").network;
  return mfgrid::make_synthetic_network(buses, 8, 1);
}

std::vector<std::vector<double>> demands_for(const NetworkSpec& net, int buses) {
  auto base = base_demand(net);
  if (buses == 3) {  // the default scenario's households make the evening peak congest
    const auto s = mfgrid::load_scenario("ieee3-equity");
    for (int t = 0; t < net.periods; ++t) {
      const auto h = mfgrid::expected_household_load_mw(s, t);
      for (std::size_t b = 0; b < h.size(); ++b) base[static_cast<std::size_t>(t)][b] += h[b];
    }
  }
  return demand_stream(net, base, 4096);
}

// A MATPOWER case of the repository's data/matpower/ over 8 periods: its loads × a day's profile.
NetworkSpec case_network(const std::string& file) {
  NetworkSpec net =
      mfgrid::read_matpower(std::string(MFGRID_DATA_DIR) + "/matpower/" + file).network;
  static constexpr double profile[8] = {0.60, 0.55, 0.75, 0.85, 0.85, 0.90, 1.00, 0.80};
  net.periods = 8;
  for (auto& b : net.buses) {
    const double peak = b.base_load_mw[0];
    b.base_load_mw.clear();
    for (double f : profile) b.base_load_mw.push_back(peak * f);
  }
  return net;
}

// Clears period after period, each clearing starting as `start` says; counts the pivots.
void clear_in_turn(benchmark::State& state, const NetworkSpec& net,
                   const std::vector<std::vector<double>>& demands, DcOpf::Start start) {
  DcOpf opf(net, start);
  opf.clear(0, demands[0]);
  std::size_t k = 1;
  long iterations = 0;
  for (auto _ : state) {
    const auto& r = opf.clear(static_cast<int>(k % 8), demands[k % demands.size()]);
    iterations += r.iterations;
    benchmark::DoNotOptimize(r.lmp.data());
    ++k;
  }
  state.counters["clearings/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["pivots"] =
      static_cast<double>(iterations) / static_cast<double>(state.iterations());
  state.counters["buses"] = static_cast<double>(net.buses.size());
}

void BM_ClearWarm(benchmark::State& state) {
  const int buses = static_cast<int>(state.range(0));
  const NetworkSpec net = network_for(buses);
  clear_in_turn(state, net, demands_for(net, buses), DcOpf::Start::previous_basis);
}
BENCHMARK(BM_ClearWarm)->Arg(3)->Arg(118)->Arg(300)->Unit(benchmark::kMicrosecond);

// A new model every time, built and cleared once.
void clear_cold(benchmark::State& state, const NetworkSpec& net,
                const std::vector<std::vector<double>>& demands) {
  std::size_t k = 0;
  for (auto _ : state) {
    DcOpf opf(net);
    const auto& r = opf.clear(static_cast<int>(k % 8), demands[k % demands.size()]);
    benchmark::DoNotOptimize(r.lmp.data());
    ++k;
  }
  state.counters["clearings/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ClearCold(benchmark::State& state) {
  const int buses = static_cast<int>(state.range(0));
  const NetworkSpec net = network_for(buses);
  clear_cold(state, net, demands_for(net, buses));
}
BENCHMARK(BM_ClearCold)->Arg(3)->Arg(118)->Arg(300)->Unit(benchmark::kMicrosecond);

// The real cases: clearings period after period, each from the previous period's basis (warm, as
// `mfgrid opf`) or from the network's (as the simulation), and a cold one (the model built too).
void BM_ClearCaseWarm(benchmark::State& state, const std::string& file) {
  const NetworkSpec net = case_network(file);
  clear_in_turn(state, net, demand_stream(net, base_demand(net), 256),
                DcOpf::Start::previous_basis);
}
void BM_ClearCaseFromNetworkBasis(benchmark::State& state, const std::string& file) {
  const NetworkSpec net = case_network(file);
  clear_in_turn(state, net, demand_stream(net, base_demand(net), 256), DcOpf::Start::network_basis);
}
BENCHMARK_CAPTURE(BM_ClearCaseFromNetworkBasis, ACTIVSg2000, std::string("case_ACTIVSg2000.m"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClearCaseWarm, case118, std::string("case118.m"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClearCaseWarm, ACTIVSg2000, std::string("case_ACTIVSg2000.m"))
    ->Unit(benchmark::kMillisecond);

void BM_ClearCaseCold(benchmark::State& state, const std::string& file) {
  const NetworkSpec net = case_network(file);
  clear_cold(state, net, demand_stream(net, base_demand(net), 256));
}
BENCHMARK_CAPTURE(BM_ClearCaseCold, case118, std::string("case118.m"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClearCaseCold, ACTIVSg2000, std::string("case_ACTIVSg2000.m"))
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
