#!/usr/bin/env bash
# The state dump's throughput against the disk's sequential write speed, both flushed to disk.
#   bench/disk_speed.sh BUILD_DIR [DIR] [RANKS]
# DIR (default: a new directory under the build directory) must be on the disk to measure.
set -euo pipefail
build=$1 dir=${2:-$1/disk-speed} ranks=${3:-2}
mkdir -p "$dir"
trap 'rm -f "$dir/dd.bin"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "disk: dd of 2 GB with fdatasync into $dir"
for i in 1 2 3; do
  dd if=/dev/zero of="$dir/dd.bin" bs=1M count=2000 conv=fdatasync 2>&1 | tail -1
done
echo "state dump: $ranks ranks"
MFGRID_BENCH_DIR=$dir mpiexec -n "$ranks" --bind-to none "$build/bench/bench_run_file" \
  --benchmark_counters_tabular=true
