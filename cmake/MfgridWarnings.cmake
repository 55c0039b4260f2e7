# Compiler options shared by every mfgrid target of this build. They stay in the build: the
# library links them as $<BUILD_INTERFACE:…>, so a program that links the installed mfgrid::mfgrid
# keeps its own warnings, -march and floating-point contraction.
add_library(mfgrid_options INTERFACE)
target_compile_options(mfgrid_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  # Bit-identical results need the same arithmetic in vector and scalar code paths: no fused
  # multiply-add contraction, no fast-math reassociation.
  -ffp-contract=off -fno-fast-math
  # errno and floating-point exception flags are never read; without these GCC cannot vectorise
  # sqrt, rounding and conditional conversions in the agent loops. Results are unchanged.
  -fno-math-errno -fno-trapping-math
  # GCC 12 reports false -Wrestrict positives inside std::string (GCC bug 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(MFGRID_NATIVE)
  target_compile_options(mfgrid_options INTERFACE $<$<CONFIG:Release,RelWithDebInfo>:-march=native>)
endif()
# The `asan` preset (clang, -O1): AddressSanitizer with LeakSanitizer, and
# UndefinedBehaviorSanitizer stopping at the first error. The test preset's environment sets the
# runtime options and the suppressions of third-party leaks (tests/sanitizers/lsan.supp).
# The sanitizers' link flags are the one thing a program linking a sanitized libmfgrid.a needs too
# (their runtime): mfgrid_sanitizer_link is exported with the library.
add_library(mfgrid_sanitizer_link INTERFACE)
if(MFGRID_SANITIZE)
  target_compile_options(mfgrid_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(mfgrid_sanitizer_link INTERFACE -fsanitize=address,undefined)
  # Every program (and libmfgrid.a) gets MPI_Init/MPI_Finalize wrappers for LeakSanitizer,
  # so that Open MPI's leaks can be named; see the file. Not installed.
  target_sources(mfgrid_options INTERFACE
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/cmake/sanitizers/mpi_leak_check.c>)
endif()
