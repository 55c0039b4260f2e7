#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs the Debian packages mfgrid needs (only
# those missing), configures and builds with CMake, then does what was asked.
#
#   scripts/bootstrap.sh run [mfgrid run options…]   build, then run the default scenario
#   scripts/bootstrap.sh test                         build, then run the whole test suite
#   scripts/bootstrap.sh deps | build                 only install / only install and build
#
# Environment: MFGRID_PRESET (default release), MFGRID_JOBS (default: number of cores).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action=${1:-build}
shift || true
preset=${MFGRID_PRESET:-release}
jobs=${MFGRID_JOBS:-$(nproc)}

# Everything the build, the tests, the benchmarks and the analysis scripts use, from Debian.
packages=(
  build-essential cmake git pkg-config ca-certificates
  openmpi-bin libopenmpi-dev
  libhdf5-openmpi-dev hdf5-tools
  coinor-libclp-dev librandom123-dev libtomlplusplus-dev libcli11-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  slurm-wlm munge libpmix2
  python3 python3-numpy python3-h5py python3-matplotlib python3-xarray python3-h5netcdf python3-netcdf4
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

build() {
  cmake --preset "$preset" -S "$root"
  cmake --build --preset "$preset" -j "$jobs"
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
    cd "$root/build/$preset"
    exec ctest --output-on-failure -j "$jobs" "$@"
    ;;
  *) echo "usage: scripts/bootstrap.sh run|test|deps|build" >&2; exit 2 ;;
esac
