#include "mfgrid/leader/random_search_leader.hpp"

#include <algorithm>

namespace mfgrid {

namespace {
// The learner streams of coordinate i are random_search_stream + i (zo, zo-surrogate and ppo use
// 1, 2 and 3).
constexpr std::uint32_t random_search_stream = 0x52530000u;
}  // namespace

RandomSearchLeader::RandomSearchLeader(const LeaderSpec& spec, std::vector<double> initial,
                                       std::uint64_t seed)
    : LeaderLearner(spec, std::move(initial), seed), radius_(number("radius")) {}

std::vector<double> RandomSearchLeader::on_propose() {
  // The first interaction observes the initial tariff, so "best so far" starts from a real J.
  if (interactions() == 0) return best_theta();
  std::vector<double> theta = best_theta();
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double lo = std::max(0.0, theta[i] - radius_), hi = std::min(1.0, theta[i] + radius_);
    const double u = uniform(random_search_stream + static_cast<std::uint32_t>(i),
                             static_cast<std::uint32_t>(interactions()));
    theta[i] = lo + u * (hi - lo);
  }
  return theta;
}

}  // namespace mfgrid

MFGRID_LEARNER_REGISTRATION(leader, random_search) {
  using namespace mfgrid;
  register_leader_learner(
      {.name = "random-search",
       .doc = "tariffs drawn uniformly around the best seen: the baseline a learner must beat",
       .parameters = {{"radius", ParameterType::number, 1.0, 0.0, 1.0, true,
                       "half-width of the sampling box around the best tariff, relative to each "
                       "parameter's range (1: the whole box)"}}},
      [](const LeaderSpec& spec, const TariffParameters& parameters, const ObjectiveModel&,
         std::uint64_t seed) -> std::unique_ptr<LeaderLearner> {
        return std::make_unique<RandomSearchLeader>(spec, parameters.initial(), seed);
      });
}
