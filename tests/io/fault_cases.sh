#!/usr/bin/env bash
# Faults a run must survive without losing a completed day or a second writer damaging its file,
# through the real binary and real mpiexec.
#   fault_cases.sh CASE RANKS MFGRID SOURCE_DIR
# CASE: in_use | simultaneous | stale_lock | killed_writing | kill_rank | disk_full | bit_flip |
#       not_regular | numeric | shedding
# RANKS: ranks of the runs under test (1 or 2). Exit 77 (skipped): a case that needs what this
# machine does not allow (mounting a tmpfs), outside CI only.
set -euo pipefail
case_name=$1 ranks=$2 mfgrid=$3 src=$4
compare=(/usr/bin/python3 "$src/scripts/compare_runs.py")
work=$(mktemp -d)
mounted=
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [[ -z $mounted ]] || umount "$mounted" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

fail() { echo "FAIL ($case_name, $ranks rank(s)): $*" >&2; exit 1; }
# mfgrid under mpiexec (an array, not a function: `$!` of a background launch must be mpiexec).
launch=(mpiexec -n "$ranks" --bind-to none "$mfgrid")
# … for runs that may well fail at once (a resume of a damaged file, two runs started together):
# after a rank exits non-zero, mpiexec waits 2 s (odls_base_sigkill_timeout, 1 s, twice) before
# it ends the job; these runs have nothing to save in that time.
launch_may_fail=(mpiexec -n "$ranks" --bind-to none --mca odls_base_sigkill_timeout 0 "$mfgrid")
# expect CODE PATTERN ARGS…: `mfgrid ARGS…` exits CODE with PATTERN in its output.
expect() {
  local code=$1 pattern=$2 rc=0
  shift 2
  "$mfgrid" "$@" >out.txt 2>&1 || rc=$?
  [[ $rc -eq $code ]] && grep -Eq -- "$pattern" out.txt ||
    { cat out.txt >&2; fail "mfgrid $* exited $rc (expected $code and /$pattern/)"; }
}

# A run started with MFGRID_TEST_FAULT=stop@DAY stops itself (SIGSTOP, every rank) once day DAY
# is done: the cases act on a run at a known day however fast the machine is. A stopped run keeps
# its lock and takes signals when continued.
# wait_stopped PATTERN: until every rank of the run (by a pattern of its command line) has stopped.
wait_stopped() {
  local pid n stopped
  for _ in $(seq 2400); do
    n=0 stopped=0
    for pid in $(ranks_of "$1"); do
      n=$((n + 1))
      [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == T ]] && stopped=$((stopped + 1))
    done
    ((n == ranks && stopped == n)) && return 0
    sleep 0.05
  done
  fail "the run ($1) did not stop at its day"
}
# release PATTERN: continue the run's processes.
release() { pkill -CONT -f -- "$1"; }
# ranks_of PATTERN: the pids of a run's ranks (not mpiexec's).
ranks_of() {
  local pid
  for pid in $(pgrep -f -- "$1"); do
    grep -qz '^OMPI_COMM_WORLD_RANK=' "/proc/$pid/environ" 2>/dev/null && echo "$pid"
  done
}
# wait_gone PATTERN: until no rank of the run is left. mpiexec may be reaped before its SIGKILLed
# ranks have finished exiting (a large sanitized process takes a while to unmap), and a rank's
# lock is released only when it has.
wait_gone() {
  for _ in $(seq 600); do
    [[ -z $(ranks_of "$1") ]] && return 0
    sleep 0.05
  done
  fail "the ranks of the run ($1) outlived SIGKILL by 30 s"
}
# stop_after_day LOG PID PATTERN: a run started with stop@DAY, once stopped there: SIGUSR1 to
# every rank, continued: each takes it at once, checkpoints after DAY and exits 75.
stop_after_day() {
  wait_stopped "$3"
  kill -USR1 $(ranks_of "$3")
  release "$3"
  local rc=0
  wait "$2" || rc=$?
  [[ $rc -eq 75 ]] || { cat "$1" >&2; fail "SIGUSR1 at the stop: exit $rc"; }
}

# The default scenario learning (followers and leader), checkpoints every 20 days, batches of 10.
settings=(--set checkpoint.every_days=20 --set output.write_every_days=10 --threads 1)
# Runs that are stopped after day 33 at the latest: 60 days, 40 under the sanitizers
# (MFGRID_TEST_SANITIZED, set by the build; their job is memory errors, not length).
days=60
[[ ${MFGRID_TEST_SANITIZED:-0} == 1 ]] && days=40

case $case_name in
  in_use)
    # While a run writes live.h5, nothing else may touch it; it finishes intact.
    "${launch[@]}" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    MFGRID_TEST_FAULT=stop@12 "${launch[@]}" run --days "$days" -o $work/live.h5 "${settings[@]}" \
      >live.log 2>&1 &
    writer=$!
    wait_stopped "-o $work/live.h5"  # stopped, not killed: it keeps its lock while the others try
    expect 2 "live.h5: in use by host .*pid" run --days 3 -o $work/live.h5
    echo "observed: $(grep -m1 "in use by" out.txt)"
    expect 2 "live.h5: in use by host .*pid" run --days 3 -o $work/live.h5 --force
    expect 2 "live.h5: in use by host .*pid" run --days "$days" -o $work/live.h5 "${settings[@]}" --continue
    expect 2 "live.h5: in use by host .*pid" resume live.h5
    expect 2 "live.h5: in use by host .*pid" resume live.h5.partial
    expect 0 "running \(in use by host .*pid" info live.h5
    # Between batches rank 0 has closed the file: any HDF5 reader opens it (days 0-9 written).
    /usr/bin/python3 -c "import h5py, sys; print(h5py.File(sys.argv[1], 'r').attrs['days_done'])" \
      live.h5.partial >h5py.txt 2>&1 || { cat h5py.txt >&2; fail "h5py cannot read the running file"; }
    grep -qx 10 h5py.txt || { cat h5py.txt >&2; fail "h5py read days_done $(cat h5py.txt), not 10"; }
    expect 2 "in use by .*verify it once that run has ended" info --verify live.h5
    release "-o $work/live.h5"
    rc=0; wait "$writer" || rc=$?
    [[ $rc -eq 0 ]] || { cat live.log >&2; fail "the first run failed ($rc)"; }
    [[ ! -e live.h5.lock ]] || fail "the lock outlived the run"
    "${compare[@]}" ref.h5 live.h5
    ;;
  simultaneous)
    # Two runs started together on the same output, six times: one writes it, the other refuses;
    # the file is always whole.
    for trial in 1 2 3 4 5 6; do
      rm -f same.h5 same.h5.partial
      "${launch_may_fail[@]}" run --days 3 -o $work/same.h5 "${settings[@]}" --quiet >a.log 2>&1 &
      a=$!
      "${launch_may_fail[@]}" run --days 3 -o $work/same.h5 "${settings[@]}" --quiet >b.log 2>&1 &
      b=$!
      ra=0 rb=0
      wait "$a" || ra=$?
      wait "$b" || rb=$?
      if [[ $ra -eq 0 && $rb -eq 2 ]]; then loser=b.log
      elif [[ $ra -eq 2 && $rb -eq 0 ]]; then loser=a.log
      else cat a.log b.log >&2; fail "trial $trial: exits $ra and $rb (expected 0 and 2)"; fi
      grep -Eq "in use by|exists already|exists: an interrupted run" "$loser" ||
        { cat "$loser" >&2; fail "trial $trial: the refused run does not say why"; }
      "$mfgrid" info --verify same.h5 | grep -q "3 of 3 done, complete" ||
        fail "trial $trial: the file is not whole"
    done
    ;;
  stale_lock)
    # A run killed outright leaves its lock file; the holder is gone, so resume takes it over and
    # continues bit-identically.
    "${launch[@]}" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    MFGRID_TEST_FAULT=stop@33 "${launch[@]}" run --days "$days" -o $work/cut.h5 "${settings[@]}" \
      >cut.log 2>&1 &
    writer=$!
    wait_stopped "-o $work/cut.h5"
    pkill -KILL -f -- "-o $work/cut.h5" || true
    wait "$writer" || true
    wait_gone "-o $work/cut.h5"
    [[ -e cut.h5.lock ]] || fail "the killed run left no lock file"
    expect 0 "stale lock: cut.h5.lock was left by host .*which is gone" info cut.h5
    "${launch[@]}" resume cut.h5 --threads 1 --quiet >resume.log 2>&1 ||
      { cat resume.log >&2; fail "resume after SIGKILL failed"; }
    grep -q "took over the stale lock" resume.log || fail "no note of the lock taken over"
    "${compare[@]}" ref.h5 cut.h5
    ;;
  killed_writing)
    # The run SIGKILLed while rank 0 writes the batch of days 30-39 with the file open: HDF5 left
    # its "open for write" flag set in the file, which h5py refuses; mfgrid reads the file
    # (its checksums say what is intact) and resume continues bit-identically.
    "${launch[@]}" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    MFGRID_TEST_FAULT=stop-writing@33 "${launch[@]}" run --days "$days" -o $work/cut.h5 \
      "${settings[@]}" >cut.log 2>&1 &
    job=$!
    writer=
    for _ in $(seq 2400); do
      for pid in $(ranks_of "-o $work/cut.h5"); do
        grep -qz '^OMPI_COMM_WORLD_RANK=0$' "/proc/$pid/environ" &&
          [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == T ]] && writer=$pid
      done
      [[ -n $writer ]] && break
      sleep 0.05
    done
    [[ -n $writer ]] || { cat cut.log >&2; fail "rank 0 did not stop in its write"; }
    pkill -KILL -f -- "-o $work/cut.h5" || true
    wait "$job" || true
    wait_gone "-o $work/cut.h5"
    /usr/bin/python3 -c "import h5py, sys; h5py.File(sys.argv[1], 'r')" cut.h5.partial \
      >h5py.txt 2>&1 && fail "h5py opened the file: it was not left open for write"
    grep -q "already open for write" h5py.txt || { cat h5py.txt >&2; fail "h5py: another error"; }
    expect 0 "interrupted \(checkpoint after day 19" info cut.h5
    "${launch[@]}" resume cut.h5 --threads 1 --quiet >resume.log 2>&1 ||
      { cat resume.log >&2; fail "resume after a kill mid-write failed"; }
    "${compare[@]}" ref.h5 cut.h5
    ;;
  kill_rank)
    # One rank of a 2-rank run SIGKILLed after day 33 (a batch of days 20-29 was written after the
    # checkpoint of day 19): the job ends within 30 s, the file keeps days 0-29, and resume —
    # on 2 ranks and on 1 — continues bit-identically.
    [[ $ranks -ge 2 ]] || fail "kill_rank needs 2 ranks"
    "${launch[@]}" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    MFGRID_TEST_FAULT=stop@33 "${launch[@]}" run --days "$days" -o $work/cut.h5 "${settings[@]}" \
      >cut.log 2>&1 &
    job=$!
    wait_stopped "-o $work/cut.h5"
    victim=
    for pid in $(ranks_of "-o $work/cut.h5"); do
      grep -qz '^OMPI_COMM_WORLD_RANK=1$' "/proc/$pid/environ" && victim=$pid
    done
    [[ -n $victim ]] || fail "no rank 1 to kill"
    kill -KILL "$victim"
    release "-o $work/cut.h5"
    t0=$SECONDS
    rc=0; wait "$job" || rc=$?
    ((SECONDS - t0 <= 30)) || fail "the job took $((SECONDS - t0)) s to end after the kill"
    [[ $rc -ne 0 ]] || fail "the job ended with 0 after a rank was killed"
    grep -Eiq "signal 9|killed" cut.log || { cat cut.log >&2; fail "no message naming the kill"; }
    echo "observed: the job ended $((SECONDS - t0)) s after the kill, exit $rc:" \
      "$(grep -Eim1 "signal 9|killed" cut.log)"
    expect 0 "days: 30 of $days done, interrupted \(checkpoint after day 19" info cut.h5
    cp cut.h5.partial one.h5.partial
    "${launch[@]}" resume cut.h5 --threads 1 --quiet >resume.log 2>&1 ||
      { cat resume.log >&2; fail "resume on 2 ranks failed"; }
    "${compare[@]}" ref.h5 cut.h5
    "$mfgrid" resume one.h5 --threads 1 --quiet >resume1.log 2>&1 ||
      { cat resume1.log >&2; fail "resume on 1 rank failed"; }
    "${compare[@]}" ref.h5 one.h5
    ;;
  disk_full)
    # The output's file system fills up: a clear error naming the path and what survives, the
    # last checkpoint intact, and the first resume once there is room completes bit-identically.
    mkdir disk
    # 5 MB: the run of 60 days at scale 30 writes its first checkpoint (after day 19), and finds no
    # room for the second (up to 2.9 MiB, after day 39).
    if ! mount -t tmpfs -o size=5m tmpfs disk 2>/dev/null; then
      [[ ${CI:-} == true ]] && fail "cannot mount a tmpfs (required under CI)"
      echo "skipped: cannot mount a tmpfs here"
      exit 77
    fi
    mounted=$work/disk
    big=(--set population.scale=30)
    "${launch[@]}" run --days 60 -o ref.h5 "${settings[@]}" "${big[@]}" --quiet >/dev/null
    rc=0; "${launch[@]}" run --days 60 -o disk/full.h5 "${settings[@]}" "${big[@]}" --quiet \
      >full.log 2>&1 || rc=$?
    [[ $rc -eq 1 ]] || { cat full.log >&2; fail "exit $rc on a full disk (expected 1)"; }
    grep -q "disk/full.h5.partial: no space left on device" full.log &&
      grep -q "checkpoint after day" full.log && grep -q "mfgrid resume .*disk/full.h5" full.log ||
      { cat full.log >&2; fail "the message does not say no space, what survives, how to resume"; }
    echo "observed: exit 1: $(grep -m1 "no space left" full.log)"
    expect 0 "interrupted \(checkpoint after day" info disk/full.h5
    mount -o remount,size=64m "$mounted"
    "${launch[@]}" resume disk/full.h5 --threads 1 --quiet >resume.log 2>&1 ||
      { cat resume.log >&2; fail "the first resume after freeing space failed"; }
    "${compare[@]}" ref.h5 disk/full.h5
    ;;
  bit_flip)
    # A flipped bit in what the checkpoint keeps: resume refuses, naming the dataset, and leaves the
    # file as it was (never marked complete).
    MFGRID_TEST_FAULT=stop@24 "${launch[@]}" run --days 40 -o $work/cut.h5 "${settings[@]}" \
      >cut.log 2>&1 &
    stop_after_day cut.log $! "-o $work/cut.h5"
    /usr/bin/python3 - <<'EOF'
import h5py
with h5py.File("cut.h5.partial", "r") as f:
    at = f["followers/policy"].id.get_chunk_info(0).byte_offset + 40
with open("cut.h5.partial", "r+b") as f:
    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x08]))
EOF
    cp cut.h5.partial before.partial
    rc=0; "${launch_may_fail[@]}" resume cut.h5 --threads 1 >resume.log 2>&1 || rc=$?
    [[ $rc -eq 2 ]] && grep -q "cannot resume: 'followers/policy' is damaged" resume.log ||
      { cat resume.log >&2; fail "resume of a damaged file: exit $rc"; }
    [[ ! -e cut.h5 ]] || fail "a damaged run was completed"
    cmp -s before.partial cut.h5.partial || fail "the refused resume changed the file"
    # Random flips: each resume either refuses (exit 2, naming the file) or completes a file that
    # verifies and equals the uninterrupted run (the flip fell in space nothing reads).
    "${launch[@]}" run --days 40 -o ref.h5 "${settings[@]}" --quiet >/dev/null
    mv cut.h5.partial damaged.partial
    MFGRID_TEST_FAULT=stop@24 "${launch[@]}" run --days 40 -o $work/cut.h5 "${settings[@]}" \
      >cut.log 2>&1 &
    stop_after_day cut.log $! "-o $work/cut.h5"
    mv cut.h5.partial good.partial
    size=$(stat -c %s good.partial)
    refused=0 completed=0
    for i in $(seq 1 $((12 / ranks))); do
      pos=$(( (i * 7919 * 131 + 17) % size ))
      rm -f flip.h5 flip.h5.partial
      cp good.partial flip.h5.partial
      /usr/bin/python3 -c "
import sys
with open('flip.h5.partial', 'r+b') as f:
    f.seek($pos); b = f.read(1); f.seek($pos); f.write(bytes([b[0] ^ 0x20]))"
      rc=0; "${launch_may_fail[@]}" resume flip.h5 --threads 1 --quiet >flip.log 2>&1 || rc=$?
      case $rc in
        2) grep -q "flip.h5" flip.log || { cat flip.log >&2; fail "flip at $pos: no path"; }
           refused=$((refused + 1)) ;;
        0) "$mfgrid" info --verify flip.h5 >/dev/null ||
             fail "flip at $pos: resumed into a file that does not verify"
           "${compare[@]}" ref.h5 flip.h5 >/dev/null ||
             fail "flip at $pos: resumed into different results"
           completed=$((completed + 1)) ;;
        *) cat flip.log >&2; fail "flip at $pos: exit $rc (crash?)" ;;
      esac
    done
    echo "random flips in an interrupted run: $refused refused, $completed harmless and completed"
    ;;
  not_regular)
    # Outputs that are not regular files are refused at once, before any day, even with --force.
    mkdir adir
    expect 2 "adir: is a directory, not a regular file" run --days 30 -o adir
    ! grep -q "^ *0 " out.txt || fail "simulated before refusing a directory"
    mknod dev c 1 3
    expect 2 "dev: is a character device" run --days 2 -o dev --force
    [[ -c dev ]] || fail "the device node was replaced"
    echo "precious" >victim
    ln -s victim link.h5.partial
    expect 2 "link.h5.partial: is a symbolic link" run --days 2 -o link.h5 --force
    [[ $(cat victim) == precious && -L link.h5.partial ]] || fail "followed the symlinked .partial"
    expect 2 "link.h5.partial: is a symbolic link" resume link.h5
    ;;
  numeric)
    # A learner producing NaN (forced by the test hook): the run stops naming the day and the
    # quantity; the day is not written, the days before it are.
    rc=0
    MFGRID_TEST_FAULT=followers-nan@12 "${launch[@]}" run --days 30 -o nan.h5 "${settings[@]}" \
      --set output.write_every_days=5 --quiet >nan.log 2>&1 || rc=$?
    [[ $rc -eq 1 ]] && grep -q "after day 12: followers/policy: class 0, period 0, bin 0" nan.log ||
      { cat nan.log >&2; fail "NaN policy: exit $rc"; }
    /usr/bin/python3 - <<'EOF'
import h5py, numpy as np
with h5py.File("nan.h5.partial", "r") as f:
    assert f.attrs["days_done"] == 12, f.attrs["days_done"]
    assert f["day"].shape[0] == 12 and f["market/lmp"].shape[0] == 12
    for name in ("followers/policy", "tariff/theta", "market/lmp"):
        assert np.isfinite(f[name][()]).all(), name
EOF
    rc=0
    MFGRID_TEST_FAULT=leader-inf@11 "${launch[@]}" run --days 30 -o inf.h5 "${settings[@]}" --quiet \
      >inf.log 2>&1 || rc=$?
    [[ $rc -eq 1 ]] && grep -Eq "after day 11: (tariff/theta|leader/next_theta).*element 0 is inf" inf.log ||
      { cat inf.log >&2; fail "infinite tariff: exit $rc"; }
    ;;
  shedding)
    # More load than generation and lines can serve: the run goes on, shedding at the value of
    # lost load, and says so.
    rc=0
    "${launch[@]}" run --days 3 -o shed.h5 --set 'network.bus[2].base_load_mw=120' --quiet \
      >shed.log 2>&1 || rc=$?
    [[ $rc -eq 0 ]] || { cat shed.log >&2; fail "exit $rc"; }
    grep -q "warning: day 0: the market could not serve all demand and shed" shed.log &&
      grep -q "load was shed on 3 of 3 days" shed.log || { cat shed.log >&2; fail "no warning"; }
    /usr/bin/python3 - <<'EOF'
import h5py
with h5py.File("shed.h5", "r") as f:
    voll = 10000.0
    assert f["market/shed"][()].max() > 0
    assert abs(f["market/lmp"][()].max() - voll) < 1e-6, f["market/lmp"][()].max()
EOF
    ;;
  *) fail "unknown case" ;;
esac
echo "ok: $case_name at $ranks rank(s)"
