// Aggregators that play the soft best response (docs/model.md §4.4): after every K_F days,
// each prosumer class's soft-optimal policy on its empirical MDP, priced at the posted tariff and
// the smoothed LMPs, damped: π ← (1 − β)·π + β·π_BR.
#pragma once

#include <vector>

#include "mfgrid/followers/mean_field_followers.hpp"
#include "mfgrid/followers/soft_q_best_response.hpp"

namespace mfgrid {

class SoftQFollowers : public MeanFieldFollowers {
 public:
  SoftQFollowers(const Scenario& scenario, const HouseholdModel& model,
                 const StatisticsLayout& layout, int threads = 1);

  std::string_view name() const override { return "soft-q"; }

 protected:
  Response respond(int cls, const ClassMdp& mdp, std::span<const double> cost,
                   std::span<const double> policy, std::span<const double> mean_field) override;
  void transfer_responses(StateTransfer& t) override;
  void save_class_response(int cls, std::vector<double>& out) const override;
  void load_class_response(int cls, std::span<const double> in) override;

 private:
  SoftQBestResponse solver_;
  std::vector<std::vector<double>> values_;  // warm starts per class
};

}  // namespace mfgrid
