#!/usr/bin/env bash
# Runs every libFuzzer target for a while on a copy of its seed corpus and regression inputs;
# fails on any finding (crash, sanitizer report, leak, timeout, out-of-memory) other than the
# open findings of known/signatures.tsv, after which a target's fuzzing goes on (README.md).
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS] [TARGET…]
#
# BUILD_DIR: a build configured with MFGRID_FUZZ=ON (clang) and built, or the directory holding
# its mfgrid_fuzz_* programs. SECONDS per target, default 60. TARGETs default to all. Prints,
# per target, the executions, executions per second, coverage (cov: edges, ft: features) and
# the result; exits 1 on a finding, 2 on a usage error.
# Environment: FUZZ_ARTIFACTS (default BUILD_DIR/fuzz-artifacts/DATE-TIME) receives every
# libFuzzer log and the input of each finding; FUZZ_TIMEOUT (s per input, default 10),
# FUZZ_RSS_MB (default 2048), FUZZ_FLAGS (more libFuzzer flags); ASAN_OPTIONS, LSAN_OPTIONS and
# UBSAN_OPTIONS are passed on (defaults below).
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR [SECONDS] [TARGET…]" >&2; exit 2; }
(($# >= 1)) || usage
build=$1 seconds=${2:-60}
shift $(($# >= 2 ? 2 : 1))
[[ $seconds =~ ^[0-9]+$ ]] || usage
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
targets=("$@")
((${#targets[@]})) || targets=(scenario overrides matpower run_file)

bin_dir=
for d in "$build" "$build/tests/fuzz"; do
  [[ -x $d/mfgrid_fuzz_${targets[0]} ]] && bin_dir=$(cd "$d" && pwd) && break
done
if [[ -z $bin_dir ]]; then
  echo "error: no mfgrid_fuzz_${targets[0]} in $build or $build/tests/fuzz; build it with" >&2
  echo "  CC=clang CXX=clang++ cmake -S $(cd "$here/../.." && pwd) -B $build \\" >&2
  echo "    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMFGRID_SANITIZE=ON -DMFGRID_FUZZ=ON \\" >&2
  echo "    -DMFGRID_BUILD_BENCHMARKS=OFF && cmake --build $build --target mfgrid_fuzzers" >&2
  exit 2
fi
artifacts=${FUZZ_ARTIFACTS:-$build/fuzz-artifacts/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The run-file target writes its inputs to files under TMPDIR.
export TMPDIR=$work
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

dict_of() {
  case $1 in
    scenario | overrides) echo "$here/dict/scenario.dict" ;;
    matpower) echo "$here/dict/matpower.dict" ;;
    run_file) echo "$here/dict/run_file.dict" ;;
  esac
}

failed=()
printf '%-10s %12s %10s %8s %8s %s\n' target executions exec/s cov ft result > "$work/table"
for t in "${targets[@]}"; do
  fuzzer=$bin_dir/mfgrid_fuzz_$t
  [[ -x $fuzzer ]] || { echo "error: $fuzzer is missing" >&2; exit 2; }
  corpus=$work/corpus-$t
  mkdir -p "$corpus"
  # The committed corpus and regressions are seeds only: libFuzzer writes to the copy.
  for seeds in "$here/corpus/$t" "$here/regressions/$t"; do
    [[ -d $seeds ]] && cp -R "$seeds/." "$corpus/"
  done
  while read -r target pattern; do
    [[ $target == "$t" ]] || continue
    for seed in "$here"/../../$pattern; do  # unquoted: the pattern is a glob
      [[ -f $seed ]] && cp "$seed" "$corpus/$(basename "$(dirname "$seed")")_$(basename "$seed")"
    done
  done < <(grep -v '^#' "$here/shared_seeds.txt")
  flags=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1)
  dict=$(dict_of "$t")
  [[ -f $dict ]] && flags+=(-dict="$dict")
  # HDF5 (built without frame pointers) hides the frames that tell its own leaks from ours from
  # the fast unwinder libFuzzer's per-input leak check needs: run_file's leaks are checked
  # afterwards, on every input the run added, with the slow unwinder and lsan.supp. Not at the
  # fuzzing process's exit either: by then it holds HDF5's leaks of every damaged file it read.
  run_asan_options=$ASAN_OPTIONS
  if [[ $t == run_file ]]; then
    flags+=(-detect_leaks=0)
    run_asan_options+=:detect_leaks=0
  fi
  read -r -a more <<< "${FUZZ_FLAGS:-}"
  flags+=("${more[@]}")
  echo "== $t: $fuzzer ${flags[*]} CORPUS ($(find "$corpus" -type f | wc -l) seeds), ${seconds} s"
  # An open finding (known/signatures.tsv) ends a libFuzzer run but not the fuzzing: it starts
  # again on the grown corpus until the time is up. Any other finding ends it.
  deadline=$((SECONDS + seconds)) execs=0 run=0 result=ok known=()
  while :; do
    left=$((deadline - SECONDS))
    ((left > 0)) || break
    run=$((run + 1))
    log=$artifacts/$t-run$run.log
    rc=0
    (cd "$work" && ASAN_OPTIONS=$run_asan_options "$fuzzer" "${flags[@]}" -max_total_time="$left" \
      -artifact_prefix="$artifacts/$t-run$run-" "$corpus") > "$log" 2>&1 || rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    execs=$((execs + ${n:-0}))
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
    [[ -n $last ]] && last_progress=$last
    ((rc == 0)) && break
    if name=$("$here/known_finding.sh" "$t" "$log") && ((run < 100)); then
      known+=("$name")
      for a in "$artifacts/$t-run$run-"*; do
        [[ -e $a ]] && mv "$a" "$artifacts/$t-known-$name-${a#"$artifacts/$t-"}"
      done
      echo "   run $run: open finding $name (known/signatures.tsv); fuzzing on"
      continue
    fi
    result="FINDING (exit $rc)"
    echo "-- $t failed (exit $rc); the end of $log:"
    tail -n 60 "$log"
    for a in "$artifacts/$t-run$run-"*; do
      [[ -e $a ]] && echo "   input: $a"
    done
    break
  done
  if [[ $result == ok && $t == run_file ]]; then
    new_inputs=$(find "$corpus" -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}')
    if [[ -n $new_inputs ]]; then
      echo "   leak check of the $(wc -l <<< "$new_inputs") inputs this run added"
      rc=0
      # shellcheck disable=SC2086
      ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30 \
        LSAN_OPTIONS=suppressions=$here/lsan.supp \
        "$bin_dir/mfgrid_fuzz_${t}_replay" $new_inputs > "$artifacts/$t-leaks.log" 2>&1 || rc=$?
      if ((rc != 0)); then
        result="FINDING (leak check, exit $rc)"
        mkdir -p "$artifacts/$t-leak-check-inputs"
        # shellcheck disable=SC2086
        cp $new_inputs "$artifacts/$t-leak-check-inputs/"
        echo "-- $t: leak check failed; the end of $artifacts/$t-leaks.log (inputs in"
        echo "   $artifacts/$t-leak-check-inputs/):"
        tail -n 60 "$artifacts/$t-leaks.log"
      fi
    fi
  fi
  [[ $result == ok ]] || failed+=("$t")
  ((${#known[@]})) && result+=" ($(printf '%s\n' "${known[@]}" | sort | uniq -c |
    awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}') open, restarted)"
  speed=$((execs / (seconds > 0 ? seconds : 1)))
  cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<< "${last_progress:-}")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "${last_progress:-}")
  printf '%-10s %12s %10s %8s %8s %s\n' "$t" "$execs" "$speed" "${cov:-?}" "${ft:-?}" \
    "$result" >> "$work/table"
  last_progress=
done
echo
cat "$work/table"
if ((${#failed[@]})); then
  echo "findings in: ${failed[*]} (inputs and logs in $artifacts)" >&2
  exit 1
fi
