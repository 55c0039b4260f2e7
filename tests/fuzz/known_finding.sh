#!/usr/bin/env bash
# known_finding.sh TARGET LOG: prints the NAME of the open finding (known/signatures.tsv) whose
# signature the first sanitizer or libFuzzer report in LOG has, and exits 0; exits 1 if none.
# (An allocation's stack starts in the sanitizer's malloc interceptor: it is left out as the
# runtime's.)
set -euo pipefail
target=$1 log=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The first six frames of the first report ("FUNCTION MODULE"): runtime, libFuzzer, libc left out.
frames=$(awk '
  /==[0-9]+==ERROR: |ERROR: libFuzzer: / { on = 1; next }
  on && /^ *#[0-9]+ 0x/ {
    fn = "?"; mod = "?"
    if (match($0, / in [^ ]+/)) fn = substr($0, RSTART + 4, RLENGTH - 4)
    if (match($0, /\([^()]*\+0x[0-9a-f]+\)/)) mod = substr($0, RSTART + 1, RLENGTH - 2)
    else if (match($0, / \/[^ ]+:[0-9]+/)) mod = "source"
    if (fn ~ /^(__sanitizer|__asan|__lsan|__ubsan|__interceptor|___interceptor|fuzzer::|__memcpy|memcpy|memmove|memset|strlen|__libc|__GI_|raise|abort|gsignal|__pthread|pthread_kill|__restore_rt|_start|LLVMFuzzerTestOneInput|main|malloc|calloc|realloc|operator)/) next
    if (mod ~ /(libc\.so|libpthread|libstdc\+\+|linux-vdso)/) next
    print fn, mod; n++
    if (n == 6) exit
  }
  on && n > 0 && !/^ *#[0-9]+ / { exit }
' "$log")
[[ -n $frames ]] || exit 1
# The first report's kind: its ERROR line ("libFuzzer: out-of-memory", "AddressSanitizer: SEGV …").
kind=$(grep -m1 -E '==[0-9]+==( )?ERROR: |ERROR: libFuzzer: ' "$log" || true)
first_module=$(head -1 <<< "$frames" | cut -d' ' -f2)
[[ $first_module == *libhdf5* ]] || exit 1
while IFS=$'\t' read -r t name ere report; do
  [[ -z $t || $t == \#* || $t != "$target" ]] && continue
  [[ -z ${report:-} ]] || grep -qE -- "$report" <<< "$kind" || continue
  if cut -d' ' -f1 <<< "$frames" | grep -qE "$ere"; then
    echo "$name"
    exit 0
  fi
done < "$here/known/signatures.tsv"
exit 1
