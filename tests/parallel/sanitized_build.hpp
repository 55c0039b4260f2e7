// Whether this test program is built with AddressSanitizer. Under the sanitizers (whose job is
// memory errors on every code path, not scale) the larger runs are made smaller, so that the asan
// suite stays within CI's time; the release suite keeps them whole.
#pragma once

namespace mfgrid::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
inline constexpr bool sanitized = __has_feature(address_sanitizer);
#else
inline constexpr bool sanitized = false;
#endif

}  // namespace mfgrid::testing
