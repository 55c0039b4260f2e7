// What every fuzz target does with an exception: the errors the API documents are expected
// results; anything else escaping the API is a finding, reported with its type and aborted on
// (libFuzzer then saves the input).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <typeinfo>

namespace mfgrid::fuzz {

[[noreturn]] inline void finding(const char* what, const char* detail) {
  std::fprintf(stderr, "FINDING: %s: %s\n", what, detail);
  std::abort();
}

// Runs `body`; exceptions of the types `Expected...` are swallowed, every other one is a finding.
template <class... Expected, class Body>
void expect_only(Body&& body) {
  try {
    try {
      body();
    } catch (const std::exception& e) {
      if ((... || (dynamic_cast<const Expected*>(&e) != nullptr))) return;
      std::fprintf(stderr, "FINDING: unexpected exception %s: %s\n", typeid(e).name(), e.what());
      std::abort();
    }
  } catch (...) {
    finding("unexpected exception", "not derived from std::exception");
  }
}

}  // namespace mfgrid::fuzz
