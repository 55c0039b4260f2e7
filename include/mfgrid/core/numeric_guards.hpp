// Checks of what the simulation carries from one day to the next: every number finite,
// probabilities and mean fields that sum to one, states within their bounds.
//
// A learner that diverges (a NaN in a policy, an infinite tariff) would otherwise run on, write
// nonsense into the run file and checkpoint it. The simulation checks the day's outcome, the
// policy, the posted tariff and every agent's state once a day, before the day is handed on to
// be written; debug builds also check each learner's result as it is produced. A failed check
// throws NumericError naming the day and the quantity.
#pragma once

#include <span>
#include <string>

namespace mfgrid {

// Every learner's update is checked where it happens in debug builds; release builds rely on
// the daily check.
#ifdef NDEBUG
inline constexpr bool check_every_update = false;
#else
inline constexpr bool check_every_update = true;
#endif

// Throws NumericError("day D: WHAT: element I is X") for the first non-finite value.
void require_finite(std::span<const double> values, int day, const std::string& what);
// Each element within [lo, hi] (and finite).
void require_within(std::span<const double> values, double lo, double hi, int day,
                    const std::string& what);
// A probability distribution: entries in [0, 1] summing to one within `tolerance`; `where` says
// which one ("class 0, period 3, bin 5"). `is_distribution` is the test alone, for a caller that
// checks many and builds `where` only for a bad one.
bool is_distribution(std::span<const double> p, double tolerance);
void require_distribution(std::span<const double> p, double tolerance, int day,
                          const std::string& what, const std::string& where);

}  // namespace mfgrid
