#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs the Debian packages mfgrid needs (only
# those missing), configures and builds with CMake, then does what was asked.
#
#   scripts/bootstrap.sh run [mfgrid run options…]   build, then run the default scenario
#   scripts/bootstrap.sh test [ctest options…]        build, then run the whole test suite: the
#                                                     release build's, then the `asan` build's
#                                                     (clang, AddressSanitizer with leaks,
#                                                     UndefinedBehaviorSanitizer), then half
#                                                     a minute of fuzzing per input reader
#   scripts/bootstrap.sh deps | build                 only install / only install and build
#
# Environment: MFGRID_PRESET (default release), MFGRID_JOBS (default: number of cores),
# MFGRID_SANITIZERS=0 (test: skip the asan build, its suite and the fuzzing),
# MFGRID_FUZZ_SECONDS (test: seconds of fuzzing per target, default 30; 0 skips it).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-build}
shift || true
preset=${MFGRID_PRESET:-release}
jobs=${MFGRID_JOBS:-$(nproc)}

# Everything the build, the tests, the benchmarks and the analysis scripts use, from Debian.
packages=(
  build-essential cmake git pkg-config ca-certificates
  clang llvm libomp-14-dev libclang-rt-14-dev
  openmpi-bin libopenmpi-dev
  libhdf5-openmpi-dev hdf5-tools zlib1g-dev
  coinor-libclp-dev librandom123-dev libtomlplusplus-dev libcli11-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  slurm-wlm munge libpmix2
  python3 python3-dev pybind11-dev python3-numpy python3-scipy python3-cvxopt python3-h5py python3-matplotlib python3-xarray python3-h5netcdf python3-netcdf4
  python3-pip python3-venv netcdf-bin
)

install_missing() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "bootstrap: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

# build [PRESET]: configure and build one of CMakePresets.json's presets (default $preset).
build() {
  local p=${1:-$preset}
  (cd "$root" && cmake --preset "$p" && cmake --build --preset "$p" -j "$jobs")
}

# suite PRESET [ctest options…]: that build's tests, with its test preset's environment (asan:
# the sanitizers' options and leak suppressions).
suite() {
  local p=$1
  shift
  (cd "$root" && ctest --preset "$p" -j "$jobs" "$@")
}

# The sanitizer build (`asan` preset: clang, -O1) and its suite under AddressSanitizer (leaks are
# errors; the third-party ones are suppressed in tests/sanitizers/lsan.supp) and
# UndefinedBehaviorSanitizer (stops at the first error). Every test but three labels:
#  - `study` (the studies' findings: the equity study's 5 seeds, the DSM study's zo against
#    zo-surrogate with the exact household QPs over 2 200 simulated days) takes about 2 minutes
#    in the release suite just run and far longer under ASan, most of it in the households' QPs:
#    CLP allocates work arrays of 170 and 330 kB for every one it solves, and ASan maps and unmaps
#    each. Their code runs here in shorter tests (cli.run.optimizer: the same scenario and
#    followers; the zo and zo-surrogate leader tests; the determinism tests).
#  - `slurm` (a cluster of slurmctld and slurmd here, seven jobs, a 400-day run requeued) tests
#    the job scripts and SLURM's handling of them; under ASan its serial chain of runs outlasts
#    its 7 minutes. The mfgrid code those jobs run is the code of the `io` and `cli` tests
#    (signals, checkpoints, resume, locks, `run --continue`), which run here.
#  - `bench`: the preset does not build the benchmarks (timing programs over the same code).
# Its MPI tests run at 2 ranks, not at 1, 2 and 3 (MFGRID_TEST_RANKS, tests/CMakeLists.txt), and
# only the library's readers carry the fuzzers' coverage instrumentation (tests/fuzz): with both
# as in the release build the whole of CI took 36 minutes.
sanitizers() {
  build asan
  suite asan --label-exclude '^(study|slurm)$' "$@"
}

# Fuzzing, after the sanitizer suite, in the same build: the asan preset is clang's and has
# MFGRID_FUZZ=ON (the library instrumented with -fsanitize=fuzzer-no-link, the libFuzzer programs
# built), so no second full build. Each target fuzzes for MFGRID_FUZZ_SECONDS (default 30) on a
# copy of its corpus; a finding fails the test (tests/fuzz/README.md). Its place in CI's budget
# (30 minutes on 2 cores): about 2.5 minutes (60 s per target took CI to 30 min 43 s). Longer
# campaigns: MFGRID_FUZZ_SECONDS=600 or run_fuzzers.sh directly.
fuzz() {
  local seconds=${MFGRID_FUZZ_SECONDS:-30}
  ((seconds > 0)) || return 0
  "$root/tests/fuzz/run_fuzzers.sh" "$root/build/asan" "$seconds"
}

# Open MPI refuses to start as root unless told; CI runs as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

case $action in
  deps) install_missing ;;
  build) install_missing; build ;;
  run)
    install_missing; build
    # With no arguments: the embedded default scenario, its results in runs/ieee3-equity.h5
    # (replaced by each demo run; `mfgrid run` itself never overwrites without --force).
    if (($# == 0)); then
      mkdir -p "$root/runs"
      set -- -o "$root/runs/ieee3-equity.h5" --force
    fi
    exec "$root/build/$preset/mfgrid" run "$@"
    ;;
  test)
    install_missing; build
    suite "$preset" "$@"
    if [[ $preset != asan && ${MFGRID_SANITIZERS:-1} != 0 ]]; then
      sanitizers "$@"
      fuzz
    fi
    ;;
  *) echo "usage: scripts/bootstrap.sh run|test|deps|build" >&2; exit 2 ;;
esac
