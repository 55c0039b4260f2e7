#include "mfgrid/game/test_fault.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace mfgrid {

TestFault TestFault::from_environment() {
  TestFault f;
  const char* env = std::getenv("MFGRID_TEST_FAULT");
  if (env == nullptr || *env == '\0') return f;
  const std::string text(env);
  const auto at = text.find('@');
  const std::string kind = text.substr(0, at);
  char* end = nullptr;
  const long day = at == std::string::npos ? -1 : std::strtol(text.c_str() + at + 1, &end, 10);
  if (kind == "followers-nan") f.kind = Kind::followers_nan;
  if (kind == "leader-inf") f.kind = Kind::leader_inf;
  if (kind == "stop") f.kind = Kind::stop;
  if (kind == "stop-writing") f.kind = Kind::stop_writing;
  if (f.kind == Kind::none || day < 0 || (end != nullptr && *end != '\0')) {
    std::fprintf(stderr,
                 "mfgrid: warning: ignoring MFGRID_TEST_FAULT=%s (expected "
                 "followers-nan@DAY, leader-inf@DAY, stop@DAY or stop-writing@DAY)\n",
                 env);
    return {};
  }
  f.day = static_cast<int>(day);
  return f;
}

}  // namespace mfgrid
