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
  std::vector<ClassBlock> blocks;
  std::int64_t local = 0;
  for (int c = 0; c < classes(); ++c) {
    const IndexRange r = balanced_block(simulated(c), parts, part);
    blocks.push_back({c, first_id(c) + r.begin, local, r.size()});
    local += r.size();
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

std::vector<ClassBlock> thread_blocks(const std::vector<ClassBlock>& rank_blocks, int thread,
                                      int threads) {
  std::vector<ClassBlock> blocks;
  for (const ClassBlock& b : rank_blocks) {
    const IndexRange r = balanced_block(b.size, threads, thread);
    blocks.push_back({b.cls, b.global_begin + r.begin, b.local_begin + r.begin, r.size()});
  }
  return blocks;
}

}  // namespace mfgrid
