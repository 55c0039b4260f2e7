#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX COMMAND [ARGS…]: runs the command and fails unless it exits with
# EXIT_CODE and its combined output matches the extended regular expression REGEX (matched
# against the whole output: `.` crosses lines, `^` is the start of the output).
set -u
want=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
got=$?
status=0
if [[ $got -ne $want ]]; then
  echo "FAIL: exit code $got, expected $want"
  status=1
fi
if ! grep -Ezq -- "$pattern" <<<"$out"; then
  echo "FAIL: output does not match: $pattern"
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "--- command: $*"
  echo "--- output:"
  echo "$out" | head -n 60
fi
exit $status
