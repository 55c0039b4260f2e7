// How the simulated agents are numbered and split, identically known on every rank.
//
// Global ids are class-major: class 0's agents are 0 … n0−1, class 1's follow, and so on. The ids
// are cut into contiguous ranges of equal cost across ranks (and, inside a rank, across threads),
// a prosumer counting for its dearer day: a rank or thread then holds whole runs of classes, so on
// a grid of thousands of classes it touches a few of them — their statistics, tiles and policy
// rows — rather than a sliver of every one, and its day costs the same as its neighbours'.
#pragma once

#include <cstdint>
#include <vector>

#include "mfgrid/config/scenario.hpp"
#include "mfgrid/parallel/decomposition.hpp"

namespace mfgrid {

// One class's agents held by a rank (or a thread): global ids [global_begin, global_begin+size)
// stored from local index local_begin.
struct ClassBlock {
  int cls = 0;
  std::int64_t global_begin = 0;
  std::int64_t local_begin = 0;
  std::int64_t size = 0;
  std::int64_t cost = 1;      // of one of its agents' days, relative to others (agent_cost)
  std::int64_t overhead = 0;  // of the block itself, in the same units (class_overhead)
};

class PopulationLayout {
 public:
  explicit PopulationLayout(const Scenario& scenario);

  int classes() const { return static_cast<int>(simulated_.size()); }
  std::int64_t total() const { return total_; }
  std::int64_t simulated(int cls) const { return simulated_[static_cast<std::size_t>(cls)]; }
  std::int64_t first_id(int cls) const { return first_id_[static_cast<std::size_t>(cls)]; }
  // Real households represented by one simulated agent of the class.
  double weight(int cls) const { return weight_[static_cast<std::size_t>(cls)]; }
  int class_of(std::int64_t global_id) const;

  // The blocks of rank `part` of `parts` (non-empty, in id order), with local indices packed
  // class after class.
  std::vector<ClassBlock> rank_blocks(int part, int parts) const;

  // `count` agent ids spread evenly over the population (for trajectories kept in the output).
  std::vector<std::int64_t> sample_ids(int count) const;

 private:
  std::vector<std::int64_t> simulated_;
  std::vector<std::int64_t> first_id_;
  std::vector<double> weight_;
  std::vector<std::int64_t> cost_;  // agent_cost of each class
  std::int64_t total_ = 0;
};

// The relative cost of an agent's day (rollout and bill): a prosumer's day is about 2.5 times a
// consumer's (bench/README.md, BM_Rollout* and BM_Bill*). Only the balance depends on it, never a
// result.
constexpr std::int64_t agent_cost(HouseholdKind kind) {
  return kind == HouseholdKind::prosumer ? 5 : 2;
}
// What a class costs a day whatever its agents, in the same units (one is ~22 ns on the machine of
// bench/README.md): its tiles' set-up per period, its policy rows and statistics brought into
// cache — ~7 µs a class-day, measured on texas2000 at 10⁶ agents (6 746 classes of ~150 agents,
// where it is half the rollout). Only the balance depends on it.
inline constexpr std::int64_t class_overhead = 300;

// Part `part` of `parts` of `blocks` (in id order): the agents whose cost before them (each
// block's overhead counted before its first agent) falls in the part's equal share of the blocks'
// total cost, as non-empty blocks keeping their indices.
std::vector<ClassBlock> cost_share(const std::vector<ClassBlock>& blocks, int part, int parts);

// The part of a rank's blocks that thread `thread` of `threads` simulates.
inline std::vector<ClassBlock> thread_blocks(const std::vector<ClassBlock>& rank_blocks, int thread,
                                             int threads) {
  return cost_share(rank_blocks, thread, threads);
}

}  // namespace mfgrid
