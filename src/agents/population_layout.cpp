#include "mfgrid/agents/population_layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

PopulationLayout::PopulationLayout(const Scenario& s) {
  for (const auto& c : s.households.classes) {
    const auto n =
        static_cast<std::int64_t>(std::llround(static_cast<double>(c.count) * s.population.scale));
    if (n < 1) throw Error("class " + c.name + " has no simulated agent");
    first_id_.push_back(total_);
    simulated_.push_back(n);
    weight_.push_back(static_cast<double>(c.count) / static_cast<double>(n));
    cost_.push_back(agent_cost(c.kind));
    total_ += n;
  }
  // Agent ids are the first word of a 4×32-bit Philox counter.
  if (total_ > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max()))
    throw Error("population of " + std::to_string(total_) +
                " simulated agents exceeds the 2^32 agent ids of the random streams; lower "
                "population.scale");
}

int PopulationLayout::class_of(std::int64_t global_id) const {
  const auto it = std::upper_bound(first_id_.begin(), first_id_.end(), global_id);
  return static_cast<int>(it - first_id_.begin()) - 1;
}

std::vector<ClassBlock> PopulationLayout::rank_blocks(int part, int parts) const {
  std::vector<ClassBlock> all;
  all.reserve(static_cast<std::size_t>(classes()));
  for (int c = 0; c < classes(); ++c)
    all.push_back({c, first_id(c), first_id(c), simulated(c), cost_[static_cast<std::size_t>(c)],
                   class_overhead});
  std::vector<ClassBlock> blocks = cost_share(all, part, parts);
  std::int64_t local = 0;  // packed from 0 on this rank
  for (ClassBlock& b : blocks) {
    b.local_begin = local;
    local += b.size;
  }
  return blocks;
}

std::vector<std::int64_t> PopulationLayout::sample_ids(int count) const {
  std::vector<std::int64_t> ids;
  if (count <= 0) return ids;
  const auto n = static_cast<std::int64_t>(std::min<std::int64_t>(count, total_));
  for (std::int64_t j = 0; j < n; ++j) ids.push_back((2 * j + 1) * total_ / (2 * n));
  return ids;
}

std::vector<ClassBlock> cost_share(const std::vector<ClassBlock>& blocks, int part, int parts) {
  std::int64_t total = 0;
  for (const ClassBlock& b : blocks) total += b.overhead + b.cost * b.size;
  const IndexRange share = balanced_block(total, parts, part);
  // Agent k of a block starts at cost before + k·cost (`before` including the block's overhead);
  // it is in the share when that start is in [share.begin, share.end): k from
  // ⌈(share.begin − before)/cost⌉ to ⌈(share.end − before)/cost⌉.
  const auto first_at_or_after = [](std::int64_t cost_from, std::int64_t before,
                                    const ClassBlock& b) {
    const std::int64_t d = cost_from - before;
    const std::int64_t k = d <= 0 ? 0 : (d + b.cost - 1) / b.cost;
    return std::min(k, b.size);
  };
  std::vector<ClassBlock> out;
  std::int64_t before = 0;
  for (const ClassBlock& b : blocks) {
    before += b.overhead;
    const std::int64_t k0 = first_at_or_after(share.begin, before, b);
    const std::int64_t k1 = first_at_or_after(share.end, before, b);
    if (k1 > k0)
      out.push_back({b.cls, b.global_begin + k0, b.local_begin + k0, k1 - k0, b.cost, b.overhead});
    before += b.cost * b.size;
  }
  return out;
}

}  // namespace mfgrid
