#include "mfgrid/agents/rollout.hpp"

#include <algorithm>

#include "mfgrid/agents/battery.hpp"
#include "mfgrid/core/fast_math.hpp"
#include "mfgrid/core/error.hpp"
#include "mfgrid/parallel/threads.hpp"

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
};

// Micro-kWh of a non-negative energy, in 32 bits so the agent loops run in 32-bit lanes.
inline std::int32_t micro32(float kwh) { return static_cast<std::int32_t>(kwh * 1e6f + 0.5f); }
constexpr float max_period_kwh = 2000.0f;  // below 2^31 micro-kWh

// Per-period constants of a prosumer tile.
struct PeriodInputs {
  std::uint32_t first_id, day, counter_word, key0, key1;
  float demand_mean, pv_energy, hours, eta_charge, eta_discharge, sd_demand, sd_pv;
  int bins;
};

// One period of a tile of prosumers. Every array is a separate restrict parameter: GCC only
// trusts restrict on parameters, and without it the loop would not vectorise.
template <int K>
void prosumer_period(const PeriodInputs& in, int n, float* __restrict soc, const float* __restrict pv_kw,
                     const float* __restrict capacity, const float* __restrict power,
                     const float* __restrict demand_factor, const float* __restrict levels,
                     const float* __restrict thresholds, std::int32_t* __restrict bin_out,
                     std::int32_t* __restrict action_out, std::int32_t* __restrict energy_out,
                     std::int32_t* __restrict export_out, std::int32_t* __restrict moved_out,
                     float* __restrict soc_out) {
  const r123::Philox4x32 philox;
  const std::uint32_t first_id = in.first_id, day = in.day, word = in.counter_word, k0 = in.key0, k1 = in.key1;
  const float demand_mean = in.demand_mean, pv_energy = in.pv_energy, hours = in.hours;
  const float eta_c = in.eta_charge, eta_d = in.eta_discharge, sd_demand = in.sd_demand, sd_pv = in.sd_pv;
  const int bins = in.bins;
  for (int j = 0; j < n; ++j) {
    const r123::Philox4x32::ctr_type ctr = {{first_id + static_cast<std::uint32_t>(j), day, word, 0u}};
    const r123::Philox4x32::key_type key = {{k0, k1}};
    const auto w = philox(ctr, key);
    float z_demand, z_pv;
    fast_math::normal_pair(uniform_open01(w[0]), uniform_open01(w[1]), z_demand, z_pv);
    const float u_action = uniform_open01(w[2]);
    const float noise_d = 1.0f + sd_demand * z_demand;
    const float noise_pv = 1.0f + sd_pv * z_pv;
    const float demand = demand_factor[j] * demand_mean * (noise_d > 0.0f ? noise_d : 0.0f);
    const float pv = pv_kw[j] * pv_energy * (noise_pv > 0.0f ? noise_pv : 0.0f);

    float s = soc[j];
    const int bin = soc_bin(s, capacity[j], bins);
    int action = 0;
    for (int a = 0; a < K; ++a) action += u_action >= thresholds[bin * K + a] ? 1 : 0;
    float charge, discharge;
    battery_step(levels[action], power[j], hours, capacity[j], eta_c, eta_d, s, charge, discharge);
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

// Vectorised pass over a tile of prosumers of one class: all periods, records into `tb`.
// K (= actions − 1) is a compile-time constant so the action draw unrolls into branch-free
// compares.
template <int K>
void prosumer_tile(const DayContext& ctx, const ClassModel& cls, int cls_index, std::int64_t first_local,
                   std::uint32_t first_id, int n, Population& pop, TileBuffers& tb, int tile) {
  const HouseholdModel& m = *ctx.model;
  const auto at = static_cast<std::size_t>(first_local);
  PeriodInputs in{first_id, ctx.day, 0, ctx.streams->key()[0], ctx.streams->key()[1], 0, 0,
                  m.period_hours, cls.eta_charge, cls.eta_discharge, m.demand_noise, m.pv_noise, m.soc_bins};
  const float weather = ctx.weather[static_cast<std::size_t>(cls.bus)];
  for (int t = 0; t < m.periods; ++t) {
    const auto row = static_cast<std::size_t>(t) * static_cast<std::size_t>(tile);
    in.counter_word = (static_cast<std::uint32_t>(StreamPurpose::agent_step) << 16) | static_cast<std::uint32_t>(t);
    in.demand_mean = cls.demand_kwh[static_cast<std::size_t>(t)];
    in.pv_energy = m.solar[static_cast<std::size_t>(t)] * weather * m.period_hours;
    prosumer_period<K>(in, n, pop.soc_kwh.data() + at, pop.pv_kw.data() + at, pop.capacity_kwh.data() + at,
                       pop.power_kw.data() + at, pop.demand_factor.data() + at, m.levels.data(),
                       ctx.policy->thresholds(cls_index, t), tb.bin.data() + row, tb.action.data() + row,
                       tb.energy.data() + row, tb.exports.data() + row, tb.moved.data() + row, tb.soc.data() + row);
  }
  const float* soc = pop.soc_kwh.data() + at;
  const float* capacity = pop.capacity_kwh.data() + at;
  std::int32_t* last_bin = tb.bin.data() + static_cast<std::size_t>(m.periods) * static_cast<std::size_t>(tile);
  for (int j = 0; j < n; ++j) last_bin[j] = soc_bin(soc[j], capacity[j], m.soc_bins);
}

void prosumer_tile_for(int thresholds, const DayContext& ctx, const ClassModel& cls, int cls_index,
                       std::int64_t first_local, std::uint32_t first_id, int n, Population& pop, TileBuffers& tb,
                       int tile) {
  switch (thresholds) {
    case 1: return prosumer_tile<1>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 2: return prosumer_tile<2>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 3: return prosumer_tile<3>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 4: return prosumer_tile<4>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 5: return prosumer_tile<5>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 6: return prosumer_tile<6>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 7: return prosumer_tile<7>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    case 8: return prosumer_tile<8>(ctx, cls, cls_index, first_local, first_id, n, pop, tb, tile);
    default: throw Error("the rollout kernel supports 2 to 9 battery levels");
  }
}

// Scalar pass: scatters a prosumer tile's records into the histograms.
void prosumer_accumulate(const DayContext& ctx, int cls_index, int n, const TileBuffers& tb, int tile,
                         DayStatistics& stats) {
  const StatisticsLayout& layout = *ctx.layout;
  const int periods = layout.periods(), bins = layout.bins(cls_index), actions = layout.actions(cls_index);
  const std::size_t base = layout.cell(cls_index, 0, 0, 0);
  const std::size_t transition_base = layout.transition(cls_index, base, 0);
  std::int64_t* __restrict transitions = stats.transitions() + transition_base;
  std::int64_t* __restrict energy = stats.energy() + 2 * base;
  std::int64_t* __restrict moved = stats.moved() + base;
  std::int64_t peak_sum = 0;
  for (int j = 0; j < n; ++j) {
    std::int64_t peak = 0;
    for (int t = 0; t < periods; ++t) {
      const std::size_t at = static_cast<std::size_t>(t) * tile + j;
      const std::size_t cell =
          (static_cast<std::size_t>(t) * bins + tb.bin[at]) * actions + static_cast<std::size_t>(tb.action[at]);
      transitions[cell * bins + tb.bin[at + tile]] += 1;
      energy[2 * cell + tb.exports[at]] += tb.energy[at];
      moved[cell] += tb.moved[at];
      const std::int64_t imported = tb.exports[at] ? 0 : std::int64_t{tb.energy[at]};
      peak = imported > peak ? imported : peak;
    }
    peak_sum += peak;
  }
  stats.peak()[cls_index] += peak_sum;
}

// Consumers: no battery, no decision; their statistics reduce to sums, done in one pass.
void consumer_tile(const DayContext& ctx, const ClassModel& cls, int cls_index, std::int64_t first_local,
                   std::uint32_t first_id, int n, const Population& pop, TileBuffers& tb, int tile,
                   DayStatistics& stats) {
  const HouseholdModel& m = *ctx.model;
  const StatisticsLayout& layout = *ctx.layout;
  const float sd_demand = m.demand_noise, sd_pv = m.pv_noise, hours = m.period_hours;
  const float weather = ctx.weather[static_cast<std::size_t>(cls.bus)];
  const float* __restrict demand_factor = pop.demand_factor.data() + first_local;
  const float* __restrict pv_kw = pop.pv_kw.data() + first_local;
  const r123::Philox4x32::key_type key = ctx.streams->key();
  const r123::Philox4x32 philox;
  const std::uint32_t step = static_cast<std::uint32_t>(StreamPurpose::agent_step) << 16;
  std::int32_t* __restrict peak = tb.peak.data();
  std::fill(peak, peak + n, 0);
  for (int t = 0; t < m.periods; ++t) {
    const float demand_mean = cls.demand_kwh[static_cast<std::size_t>(t)];
    const float pv_energy = m.solar[static_cast<std::size_t>(t)] * weather * hours;
    std::int32_t* __restrict energy_out = tb.energy.data() + static_cast<std::size_t>(t) * tile;
    std::int32_t* __restrict export_out = tb.exports.data() + static_cast<std::size_t>(t) * tile;
    for (int j = 0; j < n; ++j) {
      const r123::Philox4x32::ctr_type ctr = {{first_id + static_cast<std::uint32_t>(j), ctx.day,
                                               step | static_cast<std::uint32_t>(t), 0u}};
      const auto w = philox(ctr, key);
      float z_demand, z_pv;
      fast_math::normal_pair(uniform_open01(w[0]), uniform_open01(w[1]), z_demand, z_pv);
      const float noise_d = 1.0f + sd_demand * z_demand;
      const float noise_pv = 1.0f + sd_pv * z_pv;
      const float demand = demand_factor[j] * demand_mean * (noise_d > 0.0f ? noise_d : 0.0f);
      const float pv = pv_kw[j] * pv_energy * (noise_pv > 0.0f ? noise_pv : 0.0f);
      const float net = demand - pv;
      energy_out[j] = micro32(net >= 0.0f ? net : -net);
      export_out[j] = net < 0.0f ? 1 : 0;
    }
    // Sums in a second, integer-only pass (mixing 32- and 64-bit lanes would stop vectorisation).
    std::int64_t imported = 0, exported = 0;
    for (int j = 0; j < n; ++j) {
      const std::int32_t e = energy_out[j];
      const bool is_export = export_out[j] != 0;
      imported += is_export ? 0 : e;
      exported += is_export ? e : 0;
      peak[j] = (!is_export && e > peak[j]) ? e : peak[j];
    }
    const std::size_t cell = layout.cell(cls_index, t, 0, 0);
    stats.transitions()[layout.transition(cls_index, cell, 0)] += n;
    stats.energy()[2 * cell] += imported;
    stats.energy()[2 * cell + 1] += exported;
  }
  std::int64_t peak_sum = 0;
  for (int j = 0; j < n; ++j) peak_sum += peak[j];
  stats.peak()[cls_index] += peak_sum;
}

// Copies the records of sampled agents in the tile [first_id, first_id + n).
void record_samples(const std::vector<std::int64_t>& samples, bool prosumer, std::int64_t first_id, int n,
                    int periods, const TileBuffers& tb, int tile, DayStatistics& stats) {
  auto it = std::lower_bound(samples.begin(), samples.end(), first_id);
  for (; it != samples.end() && *it < first_id + n; ++it) {
    const auto s = static_cast<std::size_t>(it - samples.begin());
    const auto j = static_cast<std::size_t>(*it - first_id);
    std::int64_t* out = stats.samples() + s * static_cast<std::size_t>(periods) * 2;
    for (int t = 0; t < periods; ++t) {
      const std::size_t at = static_cast<std::size_t>(t) * tile + j;
      out[2 * t] = prosumer ? micro32(tb.soc[at]) : 0;
      out[2 * t + 1] = tb.exports[at] ? -tb.energy[at] : tb.energy[at];
    }
  }
}

}  // namespace

Rollout::Rollout(const HouseholdModel& model, const StatisticsLayout& layout, std::vector<std::int64_t> sample_ids,
                 int threads)
    : model_(&model), layout_(&layout), samples_(std::move(sample_ids)), threads_(std::max(1, threads)) {
  std::sort(samples_.begin(), samples_.end());
  for (std::size_t c = 0; c < model.classes.size(); ++c) {
    // The most a household of the class could move in a period, at 6 standard deviations of noise.
    const ClassModel& cls = model.classes[c];
    const float spread = 1.0f + model.parameter_spread;
    float solar = 0, demand = 0;
    for (float f : model.solar) solar = std::max(solar, f);
    for (float d : cls.demand_kwh) demand = std::max(demand, d);
    const float bound = spread * (demand * (1 + 6 * model.demand_noise) +
                                  cls.pv_kw * solar * (model.weather_mean + 6 * model.weather_sd) *
                                      (1 + 6 * model.pv_noise) * model.period_hours +
                                  2 * cls.battery_kw * model.period_hours + cls.battery_kwh);
    if (!(bound < max_period_kwh))
      throw Error("household class " + std::to_string(c) + " could exchange " + std::to_string(bound) +
                  " kWh in one period; the rollout kernel supports households of up to " +
                  std::to_string(max_period_kwh) + " kWh per period (model larger sites as several households)");
  }
  // Tiles of up to 256 agents, fewer for long days, so a tile's records stay in L1/L2.
  tile_ = std::clamp(16384 / std::max(1, model.periods), 16, 256);
  const auto t = static_cast<std::size_t>(model.periods), w = static_cast<std::size_t>(tile_);
  for (int k = 0; k < threads_; ++k) {
    thread_stats_.emplace_back(layout);
    TileBuffers tb;
    tb.bin.resize((t + 1) * w);
    tb.action.resize(t * w);
    tb.energy.resize(t * w);
    tb.exports.resize(t * w);
    tb.moved.resize(t * w);
    tb.peak.resize(w);
    tb.soc.resize(t * w);
    tiles_.push_back(std::move(tb));
  }
}

void Rollout::run_day(Population& population, const PolicyTable& policy, const RandomStreams& streams, int day,
                      std::span<const float> weather, DayStatistics& out) {
  const DayContext ctx{model_, layout_, &policy, &streams, static_cast<std::uint32_t>(day), weather};
  run_on_threads(threads_, [&](int thread, int threads) {
    DayStatistics& stats = thread_stats_[static_cast<std::size_t>(thread)];
    TileBuffers& tb = tiles_[static_cast<std::size_t>(thread)];
    stats.clear();
    for (const ClassBlock& block : thread_blocks(population.blocks(), thread, threads)) {
      const ClassModel& cls = model_->classes[static_cast<std::size_t>(block.cls)];
      for (std::int64_t at = 0; at < block.size; at += tile_) {
        const int n = static_cast<int>(std::min<std::int64_t>(tile_, block.size - at));
        const std::int64_t local = block.local_begin + at;
        const std::int64_t id = block.global_begin + at;
        if (cls.prosumer) {
          prosumer_tile_for(model_->actions() - 1, ctx, cls, block.cls, local, static_cast<std::uint32_t>(id), n,
                            population, tb, tile_);
          prosumer_accumulate(ctx, block.cls, n, tb, tile_, stats);
        } else {
          consumer_tile(ctx, cls, block.cls, local, static_cast<std::uint32_t>(id), n, population, tb, tile_, stats);
        }
        if (!samples_.empty()) record_samples(samples_, cls.prosumer, id, n, model_->periods, tb, tile_, stats);
      }
    }
  });
  out.clear();
  for (const DayStatistics& s : thread_stats_) out.add(s);
}

}  // namespace mfgrid
