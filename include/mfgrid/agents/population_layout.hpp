// How the simulated agents are numbered and split, identically known on every rank.
//
// Global ids are class-major: class 0's agents are 0 … n0−1, class 1's follow, and so on. Each
// class is split into balanced contiguous blocks across ranks (and, inside a rank, across
// threads), so every rank and thread gets an even share of every class and therefore of the
// work, whatever the mix of cheap consumers and dearer prosumers.
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

  // The blocks of rank `part` of `parts`, with local indices packed class after class.
  std::vector<ClassBlock> rank_blocks(int part, int parts) const;

  // `count` agent ids spread evenly over the population (for trajectories kept in the output).
  std::vector<std::int64_t> sample_ids(int count) const;

 private:
  std::vector<std::int64_t> simulated_;
  std::vector<std::int64_t> first_id_;
  std::vector<double> weight_;
  std::int64_t total_ = 0;
};

// The part of a rank's blocks that thread `thread` of `threads` simulates.
std::vector<ClassBlock> thread_blocks(const std::vector<ClassBlock>& rank_blocks, int thread,
                                      int threads);

}  // namespace mfgrid
