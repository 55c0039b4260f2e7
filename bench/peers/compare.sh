#!/usr/bin/env bash
# Runs mfgrid's rollout kernel and the NumPy peer on the same problem (10^6 prosumers, uniform
# policy, statistics included) on one core and prints both rates and their ratio.
#   bench/peers/compare.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
agents=${AGENTS:-1000000}
mfgrid_rate=$("$build/bench/bench_rollout" --benchmark_filter="BM_RolloutProsumers/agents:${agents}/threads:1/" \
  --benchmark_format=json 2>/dev/null |
  /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["benchmarks"][0]["agent-steps/s"])')
numpy_line=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/rollout_numpy.py" --agents "$agents" --days 3)
numpy_rate=$(grep -o '[0-9.e+]* agent-steps/s' <<<"$numpy_line" | cut -d' ' -f1)
/usr/bin/python3 - "$mfgrid_rate" "$numpy_rate" <<'PY'
import sys
m, n = float(sys.argv[1]), float(sys.argv[2])
print(f"mfgrid (C++, 1 thread): {m:.4g} agent-steps/s")
print(f"NumPy peer (1 core):    {n:.4g} agent-steps/s")
print(f"ratio: {m / n:.1f}x")
PY
