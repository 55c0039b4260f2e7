#!/usr/bin/env bash
# check_install.sh BUILD_DIR CONSUMER_SRC WORK_DIR CC CXX: installs the build into a fresh prefix
# and builds a downstream project against it with find_package(mfgrid), with the build's compilers.
set -euo pipefail
build=$1 consumer=$2 work=$3 cc=$4 cxx=$5
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
test -x "$work/prefix/bin/mfgrid"
"$work/prefix/bin/mfgrid" --version
