// "Did you mean" suggestions for misspelt keys and values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfgrid::config_detail {

// Levenshtein distance (insertions, deletions, substitutions, and adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

}  // namespace mfgrid::config_detail
