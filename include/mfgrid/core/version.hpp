// Program version and the git revision it was built from (recorded in every run file).
#pragma once

#include <string_view>

namespace mfgrid {
std::string_view version() noexcept;
std::string_view git_revision() noexcept;
}  // namespace mfgrid
