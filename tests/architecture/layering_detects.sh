#!/usr/bin/env bash
# check_layering.py finds what it is for: in a small tree with the README's layering line, an
# include upward, one sideways and the leader reaching the followers are each reported with the
# file and line, and a module the line does not place is refused.
set -euo pipefail
check=(/usr/bin/python3 "$1")
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/include/mfgrid/{core,grid,agents,followers,leader} "$tree"/src/{leader,meanfield}
printf '# x\n\n## Architecture\n\nModules; dependencies point\none way: core ← grid, agents ← meanfield ← followers, leader.\n' >"$tree/README.md"
printf '#include "mfgrid/core/a.hpp"\n#include "mfgrid/leader/l.hpp"\n' >"$tree/include/mfgrid/core/a.hpp"
printf '#include "mfgrid/agents/p.hpp"\n' >"$tree/include/mfgrid/grid/g.hpp"
printf '// fine\n#include "mfgrid/core/a.hpp"\n' >"$tree/include/mfgrid/agents/p.hpp"
printf '#include "meanfield/m.hpp"\n' >"$tree/include/mfgrid/followers/f.hpp"
printf '#include "mfgrid/meanfield/distribution.hpp"\n#include "mfgrid/followers/f.hpp"\n#include "meanfield/model.hpp"\n' \
  >"$tree/src/leader/l.cpp"
printf '#include "mfgrid/agents/p.hpp"\n' >"$tree/src/meanfield/m.cpp"
rc=0; out=$("${check[@]}" "$tree") || rc=$?
echo "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
((rc == 1)) || fail "exit $rc with violations (expected 1)"
grep -q '^include/mfgrid/core/a.hpp:2: .*core includes leader, a module above it' <<<"$out" || fail "upward include"
grep -q '^include/mfgrid/grid/g.hpp:1: .*grid includes agents, a module beside it' <<<"$out" || fail "sideways include"
grep -q '^src/leader/l.cpp:2: .*leader includes followers, a module beside it' <<<"$out" ||
  fail "the followers beside the leader"
grep -q '^src/leader/l.cpp:3: .*the leader module may not see meanfield' <<<"$out" || fail "isolation"
! grep -Eq '^(src/leader/l.cpp:1|include/mfgrid/agents/p.hpp|include/mfgrid/followers/f.hpp|src/meanfield/m.cpp):' \
  <<<"$out" || fail "a permitted include reported"
grep -q ': 4 violation(s)$' <<<"$out" || fail "count"
mkdir -p "$tree/src/extra" && echo '// x' >"$tree/src/extra/e.cpp"
rc=0; out=$("${check[@]}" "$tree") || rc=$?
((rc == 1)) && grep -q "does not place: extra" <<<"$out" || fail "an unplaced module: exit $rc: $out"
echo "layering check: upward, sideways and isolation violations found, unplaced module refused"
