#include "mfgrid/agents/rollout.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "mfgrid/agents/battery.hpp"
#include "mfgrid/agents/household_energy.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/core/fast_math.hpp"
#include "mfgrid/core/fixed_point.hpp"
#include "mfgrid/core/units.hpp"
#include "mfgrid/parallel/threads.hpp"

// The kernel's loops are written so GCC vectorises them: every array is a separate restrict
// parameter of a small function (GCC trusts restrict only on parameters), the per-agent code has
// no branch the compiler cannot turn into selects, and the lanes are 32 bits wide throughout.
// Functions that hold a vectorised loop are not inlined: a call per tile and period costs nothing,
// and profiles then show the phases apart.

namespace mfgrid {

namespace {

using detail::TileBuffers;

struct DayContext {
  const HouseholdModel* model;
  const StatisticsLayout* layout;
  const PolicyTable* policy;
  const RandomStreams* streams;
  std::uint32_t day;
  std::span<const float> weather;
  const PlannedActions* plans;  // null: prosumers sample the policy
};

// Micro-kWh of a non-negative energy, in 32 bits so the agent loops run in 32-bit lanes.
inline std::int32_t micro32(float kwh) { return static_cast<std::int32_t>(kwh * 1e6f + 0.5f); }
constexpr float max_period_kwh = 2000.0f;  // below 2^31 micro-kWh

// Words [0, 4·blocks) of the day stream of agents first_id … first_id + n − 1, as rows of `tile`.
[[gnu::noinline]] void draw_words(std::uint32_t key0, std::uint32_t key1, std::uint32_t first_id,
                                  std::uint32_t day, int blocks, int n, int tile,
                                  std::uint32_t* __restrict words) {
  const r123::Philox4x32 philox;
  for (int b = 0; b < blocks; ++b) {
    const std::uint32_t word =
        RandomStreams::counter_word(StreamPurpose::agent_step, static_cast<std::uint32_t>(b));
    std::uint32_t* __restrict w0 = words + static_cast<std::size_t>(4 * b) * tile;
    std::uint32_t* __restrict w1 = w0 + tile;
    std::uint32_t* __restrict w2 = w1 + tile;
    std::uint32_t* __restrict w3 = w2 + tile;
    for (int j = 0; j < n; ++j) {
      const r123::Philox4x32::ctr_type ctr = {
          {first_id + static_cast<std::uint32_t>(j), day, word, 0u}};
      const r123::Philox4x32::key_type key = {{key0, key1}};
      const auto r = philox(ctr, key);
      w0[j] = r[0];
      w1[j] = r[1];
      w2[j] = r[2];
      w3[j] = r[3];
    }
  }
}

int blocks_for(int words) { return (words + 3) / 4; }

// How a prosumer chooses its battery level in a period: the rules the one period kernel below is
// instantiated with. A rule holds only scalars and small local copies; the arrays it reads are
// the kernel's restrict parameters (GCC trusts restrict only on parameters), passed to it per
// agent. `levels` are the battery levels' values, K + 1 of them.

// Samples the policy: the action is the number of the bin's thresholds the uniform draw reaches;
// the thresholds increase, so the level follows by selection. K (= actions − 1) is a compile-time
// constant so the draw unrolls into compares and selects.
template <int K>
struct SampledLevel {
  float level_of[K + 1];
  explicit SampledLevel(const float* levels) {
    for (int a = 0; a <= K; ++a) level_of[a] = levels[a];
  }
  static float demand(float demand, const float* /*shift*/, int /*j*/) { return demand; }
  void choose(std::uint32_t word, const float* __restrict thresholds, int bin, float /*full*/,
              const float* /*plan*/, int /*j*/, int& action, float& level) const {
    const float u = uniform_open01(word);
    action = 0;
    level = level_of[0];
    for (int a = 0; a < K; ++a) {
      const bool reached = u >= thresholds[bin * K + a];
      action += reached ? 1 : 0;
      level = reached ? level_of[a + 1] : level;
    }
  }
};

// Follows a per-agent plan (the optimizer followers): the planned battery energy, as a level of
// the battery's power, goes through the same physics, and the planned demand shift is added. The
// action recorded for the statistics is the battery level nearest to what was done; K as above,
// so that search unrolls too and the loop vectorises.
template <int K>
struct PlannedLevel {
  float level_of[K + 1];
  explicit PlannedLevel(const float* levels) {
    for (int a = 0; a <= K; ++a) level_of[a] = levels[a];
  }
  static float demand(float demand, const float* __restrict shift, int j) {
    const float shifted = demand + shift[j];
    return shifted > 0.0f ? shifted : 0.0f;
  }
  void choose(std::uint32_t /*word*/, const float* /*thresholds*/, int /*bin*/, float full,
              const float* __restrict plan, int j, int& action, float& level) const {
    level = full > 0.0f ? plan[j] / full : 0.0f;
    level = level > 1.0f ? 1.0f : (level < -1.0f ? -1.0f : level);
    action = 0;
    float best = 3.0f;
    for (int a = 0; a <= K; ++a) {
      const float d = level_of[a] > level ? level_of[a] - level : level - level_of[a];
      action = d < best ? a : action;
      best = d < best ? d : best;
    }
  }
};

// One period of a tile of prosumers under an action rule: demand and PV, the battery level the
// rule chooses, the battery's physics, the records. `w_action` and `thresholds` are the sampled
// rule's (the day's action draws, the policy's thresholds of (class, period)); `battery_plan`
// and `shift_plan` the planned rule's (the period's plans of the tile's agents).
template <class Rule>
[[gnu::noinline]] void prosumer_period(
    EnergyInputs energy_in, BatteryEfficiency eta_in, float hours, int bins, int n,
    const std::uint32_t* __restrict w_demand, const std::uint32_t* __restrict w_pv,
    const std::uint32_t* __restrict w_action, const float* __restrict thresholds,
    const float* __restrict battery_plan, const float* __restrict shift_plan, float* __restrict soc,
    const float* __restrict pv_kw, const float* __restrict capacity,
    const float* __restrict inv_capacity, const float* __restrict power,
    const float* __restrict demand_factor, const float* __restrict levels,
    std::int32_t* __restrict bin_out, std::int32_t* __restrict action_out,
    std::int32_t* __restrict energy_out, std::int32_t* __restrict export_out,
    std::int32_t* __restrict moved_out, float* __restrict soc_out) {
  const EnergyInputs e = energy_in;
  const BatteryEfficiency eta = eta_in;
  const Rule rule(levels);
  for (int j = 0; j < n; ++j) {
    float demand, pv;
    demand_and_pv(e, w_demand[j], w_pv[j], demand_factor[j], pv_kw[j], demand, pv);
    demand = Rule::demand(demand, shift_plan, j);
    float s = soc[j];
    const int bin = soc_bin(s, inv_capacity[j], bins);
    int action;
    float level;
    rule.choose(w_action[j], thresholds, bin, power[j] * hours, battery_plan, j, action, level);
    float charge, discharge;
    battery_step(level, power[j], hours, capacity[j], eta, s, charge, discharge);
    soc[j] = s;

    const float net = demand - pv + charge - discharge;
    bin_out[j] = bin;
    action_out[j] = action;
    energy_out[j] = micro32(net >= 0.0f ? net : -net);
    export_out[j] = net < 0.0f ? 1 : 0;
    moved_out[j] = micro32(charge + discharge);
    soc_out[j] = s;
  }
}

using ProsumerPeriod = decltype(&prosumer_period<SampledLevel<1>>);

// The kernels of a rule for K = 1 … max_k (2 to 9 battery levels), K = actions − 1.
constexpr int max_k = 8;
template <template <int> class Rule, int... K>
constexpr std::array<ProsumerPeriod, sizeof...(K)> kernels(std::integer_sequence<int, K...>) {
  return {&prosumer_period<Rule<K + 1>>...};
}

template <template <int> class Rule>
ProsumerPeriod kernel_of(int k) {
  static constexpr auto table = kernels<Rule>(std::make_integer_sequence<int, max_k>{});
  if (k < 1 || k > max_k) throw Error("the rollout kernel supports 2 to 9 battery levels");
  return table[static_cast<std::size_t>(k - 1)];
}

// The kernel for a model's number of battery levels, sampling the policy or following plans.
ProsumerPeriod prosumer_period_for(int actions, bool planned) {
  return planned ? kernel_of<PlannedLevel>(actions - 1) : kernel_of<SampledLevel>(actions - 1);
}

[[gnu::noinline]] void state_bins(int n, const float* __restrict soc,
                                  const float* __restrict inv_capacity, int bins,
                                  std::int32_t* __restrict out) {
  for (int j = 0; j < n; ++j) out[j] = soc_bin(soc[j], inv_capacity[j], bins);
}

[[gnu::noinline]] void inverse_capacities(int n, const float* __restrict capacity,
                                          float* __restrict out) {
  for (int j = 0; j < n; ++j) out[j] = inverse_capacity(capacity[j]);
}

[[gnu::noinline]] void update_peaks(int n, const std::int32_t* __restrict energy,
                                    const std::int32_t* __restrict exported,
                                    std::int32_t* __restrict peak) {
  for (int j = 0; j < n; ++j) {
    const std::int32_t imported = exported[j] ? 0 : energy[j];
    peak[j] = imported > peak[j] ? imported : peak[j];
  }
}

std::int64_t sum_peaks(int n, const std::int32_t* peak) {
  std::int64_t s = 0;
  for (int j = 0; j < n; ++j) s += peak[j];
  return s;
}

// The day of a tile of prosumers: the day's words, then each period vectorised, from the states
// of charge in `soc` (the tile's, updated to the day's end), into the tile's records.
void prosumer_physics(const DayContext& ctx, const ClassModel& cls, int cls_index,
                      std::int64_t first_local, std::uint32_t first_id, int n,
                      const Population& pop, float* soc, TileBuffers& tb, int tile) {
  const HouseholdModel& m = *ctx.model;
  const auto at = static_cast<std::size_t>(first_local);
  const auto row = [tile](int r) {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(tile);
  };
  draw_words(ctx.streams->key()[0], ctx.streams->key()[1], first_id, ctx.day,
             blocks_for(prosumer_words_per_period * m.periods), n, tile, tb.words.data());
  const float* capacity = pop.capacity_kwh.data() + at;
  inverse_capacities(n, capacity, tb.inv_capacity.data());  // one division per agent and day

  const ProsumerPeriod period_kernel = prosumer_period_for(m.actions(), ctx.plans != nullptr);
  const BatteryEfficiency eta = BatteryEfficiency::of(cls.eta_charge, cls.eta_discharge);
  const float weather = ctx.weather[static_cast<std::size_t>(cls.bus)];
  for (int t = 0; t < m.periods; ++t) {
    const EnergyInputs e = energy_inputs(m, cls, weather, t);
    const std::uint32_t* w = tb.words.data() + row(prosumer_words_per_period * t);
    const float* battery_plan = nullptr;
    const float* shift_plan = nullptr;
    const float* thresholds = nullptr;
    if (ctx.plans) {
      battery_plan = ctx.plans->battery_kwh.row(t).data() + at;
      shift_plan = ctx.plans->load_shift_kwh.row(t).data() + at;
    } else {
      thresholds = ctx.policy->thresholds(cls_index, t);
    }
    period_kernel(e, eta, m.period_hours, m.soc_bins, n, w, w + tile,
                  w + 2 * static_cast<std::size_t>(tile), thresholds, battery_plan, shift_plan, soc,
                  pop.pv_kw.data() + at, capacity, tb.inv_capacity.data(), pop.power_kw.data() + at,
                  pop.demand_factor.data() + at, m.levels.data(), tb.bin.data() + row(t),
                  tb.action.data() + row(t), tb.energy.data() + row(t), tb.exports.data() + row(t),
                  tb.moved.data() + row(t), tb.soc.data() + row(t));
  }
}

// Where a tile counts: the statistics of run_day's output or of a thread's own copy, as pointers
// taken before the threads start (DayStatistics' write accessors forget its support, which no two
// threads may do at once).
struct StatisticsSink {
  std::int64_t* transitions;
  std::int64_t* energy;
  std::int64_t* peak;
  std::int64_t* samples;
  static StatisticsSink of(DayStatistics& s) {
    return {s.transitions(), s.energy(), s.peak(), s.samples()};
  }
};

// A tile of prosumers: the day (above), then the records scattered into the histograms period by
// period (so one period's cells stay in cache).
void prosumer_tile(const DayContext& ctx, const ClassModel& cls, int cls_index,
                   std::int64_t first_local, std::uint32_t first_id, int n, Population& pop,
                   TileBuffers& tb, int tile, const StatisticsSink& stats) {
  const HouseholdModel& m = *ctx.model;
  const StatisticsLayout& layout = *ctx.layout;
  const auto at = static_cast<std::size_t>(first_local);
  const auto row = [tile](int r) {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(tile);
  };
  prosumer_physics(ctx, cls, cls_index, first_local, first_id, n, pop, pop.soc_kwh.data() + at, tb,
                   tile);
  state_bins(n, pop.soc_kwh.data() + at, tb.inv_capacity.data(), m.soc_bins,
             tb.bin.data() + row(m.periods));

  // Scatter: per period, the cells of one (class, period) block.
  const int bins = layout.bins(cls_index), actions = layout.actions(cls_index);
  const std::size_t base = layout.cell(cls_index, 0, 0, 0);
  std::int64_t* __restrict transitions = stats.transitions + layout.transition(cls_index, base, 0);
  std::int64_t* __restrict energy = stats.energy + 3 * base;
  std::int32_t* peak = tb.peak.data();
  std::fill(peak, peak + n, 0);
  for (int t = 0; t < m.periods; ++t) {
    const std::int32_t* bin = tb.bin.data() + row(t);
    const std::int32_t* next_bin = tb.bin.data() + row(t + 1);
    const std::int32_t* action = tb.action.data() + row(t);
    const std::int32_t* e = tb.energy.data() + row(t);
    const std::int32_t* exported = tb.exports.data() + row(t);
    const std::int32_t* moved = tb.moved.data() + row(t);
    const std::size_t period_base = static_cast<std::size_t>(t) * bins * actions;
    for (int j = 0; j < n; ++j) {
      const std::size_t cell = period_base + static_cast<std::size_t>(bin[j] * actions + action[j]);
      transitions[cell * bins + static_cast<std::size_t>(next_bin[j])] += 1;
      energy[3 * cell + static_cast<std::size_t>(exported[j])] += e[j];
      energy[3 * cell + 2] += moved[j];
    }
    update_peaks(n, e, exported, peak);
  }
  stats.peak[cls_index] += sum_peaks(n, peak);
}

// One period of a tile of consumers: no battery, no decision.
[[gnu::noinline]] void consumer_period(EnergyInputs energy_in, int n,
                                       const std::uint32_t* __restrict w_demand,
                                       const std::uint32_t* __restrict w_pv,
                                       const float* __restrict demand_factor,
                                       const float* __restrict pv_kw,
                                       std::int32_t* __restrict energy_out,
                                       std::int32_t* __restrict export_out) {
  const EnergyInputs e = energy_in;
  for (int j = 0; j < n; ++j) {
    float demand, pv;
    demand_and_pv(e, w_demand[j], w_pv[j], demand_factor[j], pv_kw[j], demand, pv);
    const float net = demand - pv;
    energy_out[j] = micro32(net >= 0.0f ? net : -net);
    export_out[j] = net < 0.0f ? 1 : 0;
  }
}

// The day of a tile of consumers into the tile's records.
void consumer_physics(const DayContext& ctx, const ClassModel& cls, std::int64_t first_local,
                      std::uint32_t first_id, int n, const Population& pop, TileBuffers& tb,
                      int tile) {
  const HouseholdModel& m = *ctx.model;
  const auto at = static_cast<std::size_t>(first_local);
  const auto row = [tile](int r) {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(tile);
  };
  draw_words(ctx.streams->key()[0], ctx.streams->key()[1], first_id, ctx.day,
             blocks_for(consumer_words_per_period * m.periods), n, tile, tb.words.data());
  const float weather = ctx.weather[static_cast<std::size_t>(cls.bus)];
  for (int t = 0; t < m.periods; ++t) {
    const EnergyInputs e = energy_inputs(m, cls, weather, t);
    const std::uint32_t* w = tb.words.data() + row(consumer_words_per_period * t);
    consumer_period(e, n, w, w + tile, pop.demand_factor.data() + at, pop.pv_kw.data() + at,
                    tb.energy.data() + row(t), tb.exports.data() + row(t));
  }
}

// Consumers' statistics are sums: no scatter.
void consumer_tile(const DayContext& ctx, const ClassModel& cls, int cls_index,
                   std::int64_t first_local, std::uint32_t first_id, int n, const Population& pop,
                   TileBuffers& tb, int tile, const StatisticsSink& stats) {
  const HouseholdModel& m = *ctx.model;
  const StatisticsLayout& layout = *ctx.layout;
  const auto row = [tile](int r) {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(tile);
  };
  consumer_physics(ctx, cls, first_local, first_id, n, pop, tb, tile);
  std::int32_t* peak = tb.peak.data();
  std::fill(peak, peak + n, 0);
  for (int t = 0; t < m.periods; ++t) {
    const std::int32_t* energy = tb.energy.data() + row(t);
    const std::int32_t* exported = tb.exports.data() + row(t);
    std::int64_t in = 0, out = 0;
    for (int j = 0; j < n; ++j) {
      in += exported[j] ? 0 : energy[j];
      out += exported[j] ? energy[j] : 0;
    }
    update_peaks(n, energy, exported, peak);
    const std::size_t cell = layout.cell(cls_index, t, 0, 0);
    stats.transitions[layout.transition(cls_index, cell, 0)] += n;
    stats.energy[3 * cell] += in;
    stats.energy[3 * cell + 1] += out;
  }
  stats.peak[cls_index] += sum_peaks(n, peak);
}

// One period of a tile's bills: the import at its price or the export at its credit ($ per
// micro-kWh), and the peak import so far.
[[gnu::noinline]] void bill_period(int n, const std::int32_t* __restrict energy,
                                   const std::int32_t* __restrict exported, double import_price,
                                   double export_price, double* __restrict bill,
                                   std::int32_t* __restrict peak) {
  for (int j = 0; j < n; ++j) {
    const auto e = static_cast<double>(energy[j]);
    bill[j] += exported[j] ? -export_price * e : import_price * e;
    const std::int32_t imported = exported[j] ? 0 : energy[j];
    peak[j] = imported > peak[j] ? imported : peak[j];
  }
}

// The day's bill of each agent of a tile from its records (each period's import at its price or
// export at its credit, the agent's own peak import at the peak charge, the fixed charge), added
// to the agent's bill to date; its burden to date counted in `out`. Per agent alone: the same bits
// on any rank and thread.
void bill_tile(const BillingPrices& prices, int cls, double hours, int periods, int n,
               TileBuffers& tb, int tile, float* __restrict bill_to_date, double burden_per_dollar,
               BurdenDistribution& out) {
  const auto c = static_cast<std::size_t>(cls);
  const auto row = [tile](int r) {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(tile);
  };
  constexpr double dollars_per_micro_kwh_per_price = 1e-9;  // $/MWh × micro-kWh → $
  double* bill = tb.day_bill.data();
  std::int32_t* peak = tb.peak.data();
  std::fill(bill, bill + n, prices.fixed[c]);
  std::fill(peak, peak + n, 0);
  for (int t = 0; t < periods; ++t) {
    const std::size_t p = c * static_cast<std::size_t>(periods) + static_cast<std::size_t>(t);
    bill_period(n, tb.energy.data() + row(t), tb.exports.data() + row(t),
                prices.import_price[p] * dollars_per_micro_kwh_per_price,
                prices.export_price[p] * dollars_per_micro_kwh_per_price, bill, peak);
  }
  const double per_peak_micro_kwh = prices.peak_charge[c] * 1e-6 / hours;
  const int group = prices.group[c];
  for (int j = 0; j < n; ++j) {
    const double day = bill[j] + per_peak_micro_kwh * static_cast<double>(peak[j]);
    bill_to_date[j] = static_cast<float>(static_cast<double>(bill_to_date[j]) + day);
    out.add(group, static_cast<double>(bill_to_date[j]) * burden_per_dollar);
  }
}

// Copies the records of sampled agents in the tile [first_id, first_id + n).
void record_samples(const std::vector<std::int64_t>& samples, bool prosumer, std::int64_t first_id,
                    int n, int periods, const TileBuffers& tb, int tile,
                    const StatisticsSink& stats) {
  auto it = std::lower_bound(samples.begin(), samples.end(), first_id);
  for (; it != samples.end() && *it < first_id + n; ++it) {
    const auto s = static_cast<std::size_t>(it - samples.begin());
    const auto j = static_cast<std::size_t>(*it - first_id);
    std::int64_t* out = stats.samples + s * static_cast<std::size_t>(periods) * 2;
    for (int t = 0; t < periods; ++t) {
      const std::size_t at = static_cast<std::size_t>(t) * tile + j;
      const auto k = 2 * static_cast<std::size_t>(t);
      out[k] = prosumer ? micro32(tb.soc[at]) : 0;
      out[k + 1] = tb.exports[at] ? -tb.energy[at] : tb.energy[at];
    }
  }
}

}  // namespace

Rollout::Rollout(const HouseholdModel& model, const StatisticsLayout& layout,
                 std::vector<std::int64_t> sample_ids, int threads)
    : model_(&model),
      layout_(&layout),
      samples_(std::move(sample_ids)),
      threads_(std::max(1, threads)) {
  std::sort(samples_.begin(), samples_.end());
  prosumer_period_for(model.actions(),
                      false);  // rejects unsupported action counts now, not mid-run
  for (std::size_t c = 0; c < model.classes.size(); ++c) {
    // The most a household of the class could move in a period, at 6 standard deviations of noise.
    const ClassModel& cls = model.classes[c];
    const float spread = 1.0f + model.parameter_spread;
    const float solar = model.largest_solar(), demand = model.largest_demand_kwh(cls);
    const float bound =
        spread * (demand * (1 + 6 * model.demand_noise) +
                  cls.pv_kw * solar * (model.weather_mean + 6 * model.weather_sd) *
                      (1 + model.solar_season) * (1 + 6 * model.pv_noise) * model.period_hours +
                  2 * cls.battery_kw * model.period_hours + cls.battery_kwh);
    if (!(bound < max_period_kwh))
      throw Error("household class " + std::to_string(c) + " could exchange " +
                  std::to_string(bound) +
                  " kWh in one period; the rollout kernel supports households of up to " +
                  std::to_string(max_period_kwh) +
                  " kWh per period (model larger sites as several households)");
  }
  // Tiles of up to 256 agents, fewer for long days, so a tile's records stay in L1/L2.
  tile_ = std::clamp(16384 / std::max(1, model.periods), 16, 256);
  const auto t = static_cast<std::size_t>(model.periods), w = static_cast<std::size_t>(tile_);
  const auto words =
      4 * static_cast<std::size_t>(blocks_for(prosumer_words_per_period * model.periods));
  int groups = 0;
  for (const ClassModel& cls : model.classes) groups = std::max(groups, cls.group + 1);
  for (int k = 0; k < threads_; ++k) {
    // Thread 0 counts into run_day's `out` itself: the statistics are dense over every class's
    // cells (197 MB for texas2000's 4 286 classes), so a private copy for it would cost that much
    // memory, its page faults at start and a clear and an add every day.
    if (k > 0) thread_stats_.emplace_back(layout);
    TileBuffers tb;
    tb.words.resize(words * w);
    tb.bin.resize((t + 1) * w);
    tb.action.resize(t * w);
    tb.energy.resize(t * w);
    tb.exports.resize(t * w);
    tb.moved.resize(t * w);
    tb.peak.resize(w);
    tb.soc.resize(t * w);
    tb.inv_capacity.resize(w);
    tb.replay_soc.resize(w);
    tb.day_bill.resize(w);
    tiles_.push_back(std::move(tb));
    thread_burden_.emplace_back(static_cast<int>(groups));
  }
}

void Rollout::run_day(Population& population, const PolicyTable& policy,
                      const RandomStreams& streams, int day, std::span<const float> weather,
                      DayStatistics& out, const PlannedActions* plans) {
  if (plans && (plans->agents() != population.size() || plans->periods() != model_->periods))
    throw Error("rollout: the plans do not cover the population");
  const DayContext ctx{model_,  layout_, &policy, &streams, static_cast<std::uint32_t>(day),
                       weather, plans};
  // Each thread holds a contiguous run of classes, cut inside a class where it meets its
  // neighbours'. Thread 0, and any thread for a class no other thread holds, counts straight into
  // `out` (the classes' cells are disjoint); a class shared with another thread is counted into
  // the thread's own copy, then moved into `out` (and zeroed there) class by class: integer sums,
  // the same bits whichever thread counts what.
  std::vector<std::vector<ClassBlock>> blocks(static_cast<std::size_t>(threads_));
  for (int t = 0; t < threads_; ++t)
    blocks[static_cast<std::size_t>(t)] = thread_blocks(population.blocks(), t, threads_);
  const auto shared = [&](int part, int cls) {
    for (int t = 0; t < threads_; ++t) {
      if (t == part) continue;
      const std::vector<ClassBlock>& b = blocks[static_cast<std::size_t>(t)];
      if (!b.empty() && b.front().cls <= cls && cls <= b.back().cls) return true;
    }
    return false;
  };
  out.clear();
  const StatisticsSink to_out = StatisticsSink::of(out);
  std::vector<StatisticsSink> to_own;
  to_own.reserve(thread_stats_.size());
  for (DayStatistics& s : thread_stats_) to_own.push_back(StatisticsSink::of(s));
  // Should OpenMP start fewer threads than asked, a thread takes the parts of the missing ones.
  run_on_threads(threads_, [&](int thread, int threads) {
    TileBuffers& tb = tiles_[static_cast<std::size_t>(thread)];
    for (int part = thread; part < threads_; part += threads) {
      for (const ClassBlock& block : blocks[static_cast<std::size_t>(part)]) {
        const StatisticsSink& stats = part == 0 || !shared(part, block.cls)
                                          ? to_out
                                          : to_own[static_cast<std::size_t>(part - 1)];
        const ClassModel& cls = model_->classes[static_cast<std::size_t>(block.cls)];
        for (std::int64_t at = 0; at < block.size; at += tile_) {
          const int n = static_cast<int>(std::min<std::int64_t>(tile_, block.size - at));
          const std::int64_t local = block.local_begin + at;
          const std::int64_t id = block.global_begin + at;
          if (cls.prosumer)
            prosumer_tile(ctx, cls, block.cls, local, static_cast<std::uint32_t>(id), n, population,
                          tb, tile_, stats);
          else
            consumer_tile(ctx, cls, block.cls, local, static_cast<std::uint32_t>(id), n, population,
                          tb, tile_, stats);
          if (!samples_.empty())
            record_samples(samples_, cls.prosumer, id, n, model_->periods, tb, tile_, stats);
        }
      }
    }
  });
  for (int t = 1; t < threads_; ++t)
    for (const ClassBlock& block : blocks[static_cast<std::size_t>(t)])
      if (shared(t, block.cls))
        out.take(thread_stats_[static_cast<std::size_t>(t - 1)],
                 layout_->ranges_of_classes(block.cls, block.cls + 1));
}

void Rollout::bill_day(Population& population, const PolicyTable& policy,
                       const RandomStreams& streams, int day, std::span<const float> weather,
                       const PlannedActions* plans, const BillingPrices& prices,
                       BurdenDistribution& out) {
  const DayContext ctx{model_,  layout_, &policy, &streams, static_cast<std::uint32_t>(day),
                       weather, plans};
  const double hours = model_->period_hours;
  run_on_threads(threads_, [&](int thread, int threads) {
    BurdenDistribution& burden = thread_burden_[static_cast<std::size_t>(thread)];
    TileBuffers& tb = tiles_[static_cast<std::size_t>(thread)];
    burden.clear();
    for (const ClassBlock& block : thread_blocks(population.blocks(), thread, threads)) {
      const ClassModel& cls = model_->classes[static_cast<std::size_t>(block.cls)];
      // A bill to date over the days so far, annualised, over the income.
      const double burden_per_dollar =
          prices.burden_per_dollar[static_cast<std::size_t>(block.cls)] / (day + 1);
      for (std::int64_t at = 0; at < block.size; at += tile_) {
        const int n = static_cast<int>(std::min<std::int64_t>(tile_, block.size - at));
        const auto local = static_cast<std::size_t>(block.local_begin + at);
        const auto id = static_cast<std::uint32_t>(block.global_begin + at);
        if (cls.prosumer) {
          // The day again from its start: the same draws, policy and physics as run_day.
          std::copy_n(population.soc_at_day_start.data() + local, n, tb.replay_soc.data());
          prosumer_physics(ctx, cls, block.cls, block.local_begin + at, id, n, population,
                           tb.replay_soc.data(), tb, tile_);
        } else {
          consumer_physics(ctx, cls, block.local_begin + at, id, n, population, tb, tile_);
        }
        bill_tile(prices, block.cls, hours, model_->periods, n, tb, tile_,
                  population.bill_to_date.data() + local, burden_per_dollar, burden);
      }
    }
  });
  out.clear();
  for (const BurdenDistribution& b : thread_burden_) out.add(b);
}

}  // namespace mfgrid
