#!/usr/bin/env bash
# check_install.sh BUILD_DIR CONSUMER_SRC WORK_DIR CC CXX: installs the build into a fresh prefix
# and builds a downstream project against it with find_package(mfgrid), with the build's compilers.
set -euo pipefail
build=$1 consumer=$2 work=$3 cc=$4 cxx=$5
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$work/build" >/dev/null
# The consumer compiles with its own flags: none of mfgrid's warnings, tuning or FP settings.
if grep -Eo -- '-march=native|-ffp-contract=off|-Wconversion|-Wshadow' \
  "$work/build/compile_commands.json"; then
  echo "FAIL: mfgrid::mfgrid pushed its build flags onto the consumer" >&2
  exit 1
fi
"$work/build/consumer"
test -x "$work/prefix/bin/mfgrid"
"$work/prefix/bin/mfgrid" --version
# The installed program finds the installed Python package (PREFIX/share/mfgrid/python).
(cd "$work" && "$work/prefix/bin/mfgrid" run --days 2 -o installed.h5 --quiet >/dev/null &&
  MFGRID_PYTHON=/usr/bin/python3 "$work/prefix/bin/mfgrid" export installed.h5 --format csv \
    -o exported | grep -q "wrote exported/outcome.csv")
test -f "$work/prefix/share/mfgrid/python/mfgrid/export.py"
