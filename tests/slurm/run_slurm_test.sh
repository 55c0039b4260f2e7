#!/usr/bin/env bash
# Integration test of the batch scripts in jobs/ on a real (one-node) SLURM cluster.
#
#   bash tests/slurm/run_slurm_test.sh MFGRID_BINARY SOURCE_DIR
#
# Boots munged, slurmctld and slurmd in a temporary directory (tests/slurm/cluster.sh), then
# submits the jobs/ scripts as a user would, every run on 2 ranks launched by `srun --mpi=pmix`:
#   reference  jobs/study.sbatch, a run left alone;
#   requeued   the same run, sent USR1 once started (`scancel --signal=USR1 --batch`, what
#              `--signal=B:USR1@60` sends before the time limit): it must checkpoint, requeue
#              itself, resume and end with the very results of the reference run;
#   seeds      jobs/seeds.sbatch as a 2-task array: seeds 1 and 2, outputs named by seed;
#   again      jobs/study.sbatch once more on the reference's output: nothing left to do;
#   study      jobs/submit-study.sh: a two-run dsm study as an array, then its summary.
# Then checks job states, logs and the HDF5 outputs, and stops the cluster whatever happened.
#
# Needs root and the Debian packages slurm-wlm, munge, openmpi-bin and python3-h5py. Where they
# are missing the test is skipped (exit 77), except under CI=true where that is a failure.
# MFGRID_SLURM_KEEP=1 keeps the temporary directory (logs, outputs) for a look afterwards.
set -euo pipefail

bin=${1:?usage: run_slurm_test.sh MFGRID_BINARY SOURCE_DIR}
root=$(cd "${2:?usage: run_slurm_test.sh MFGRID_BINARY SOURCE_DIR}" && pwd)
here=$root/tests/slurm
# shellcheck source-path=SCRIPTDIR source=cluster.sh
source "$here/cluster.sh"

# The runs: the requeued one must last long enough to be signalled while it runs (it is signalled
# once its first batch of days is on disk and its duplicate has been refused, some 5 s in, and
# must then last several seconds more: 400 days, 5.5 s since the run file's io got faster, once
# ended within a second of the signal); the seed runs are short.
long_days=1000
long_args=(--set population.scale=0.05 --set followers.soc_bins=81 --quiet)
short_days=12
short_args=(--set population.scale=0.05 --quiet)
ranks=2
timeout_s=${MFGRID_SLURM_TIMEOUT:-420}  # for all the jobs together

log() { printf '[slurm.jobs %s] %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

skip_or_fail() {
  if [[ ${CI:-} == true ]]; then fail "$* (required under CI)"; fi
  log "SKIP: $*"
  exit 77
}

# Nothing from a SLURM job this test might itself run in, or from the user's defaults for sbatch
# and srun (account, partition…), may reach the test cluster.
while read -r var; do
  unset "$var"
done < <(compgen -e | grep -E '^(SLURM|SBATCH|SRUN|SALLOC|SQUEUE|SINFO|SCONTROL)_' || true)

[[ $(id -u) -eq 0 ]] || skip_or_fail "needs root (slurmd runs the jobs)"
for tool in munged slurmctld slurmd sbatch srun scontrol squeue scancel sinfo mpirun; do
  command -v "$tool" >/dev/null ||
    skip_or_fail "$tool not installed (Debian packages slurm-wlm, munge, openmpi-bin)"
done
py=/usr/bin/python3
"$py" -c 'import h5py' 2>/dev/null || skip_or_fail "no h5py for $py (python3-h5py)"
help=$("$bin" run --help) || fail "$bin run --help failed"
grep -qE -- '(^|[[:space:]])-o[, ]' <<<"$help" || fail "$bin run has no -o option"

# The outputs of two runs are compared with the project's script.
compare=$root/scripts/compare_runs.py

# Everything lives in one temporary directory (short: the munge socket path has a length limit).
work=$(mktemp -d /tmp/mfgrid-slurm.XXXXXX)
chmod 711 "$work"  # munged wants its socket reachable by everyone
cluster=$work/cluster
status=1
cleanup() {
  slurm_cluster_down "$cluster" || true
  if ((status != 0)); then
    local f
    for f in "$work"/*.out; do
      [[ -f $f ]] && { echo "=== $f"; cat "$f"; }
    done
    for f in "$cluster"/log/*.log; do
      [[ -f $f ]] && { echo "=== last lines of $f"; tail -n 30 "$f"; }
    done
  fi >&2
  if [[ ${MFGRID_SLURM_KEEP:-0} == 1 ]]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the binary: the build tree may be rebuilt while the jobs run.
out=$work/out
mkdir -p "$work/bin" "$out"
cp "$bin" "$work/bin/mfgrid"

t0=$SECONDS
slurm_cluster_up "$cluster"  # exports SLURM_CONF

# submit VARS SBATCH-ARGS…: submits a job of 2 ranks of 1 CPU with the environment variables
# VARS (comma-separated) besides MFGRID; its log goes to $work under the script's own name
# (%x-%j.out). The scripts find the checkout themselves, from the path they were submitted by.
submit() {
  local vars=$1
  shift
  sbatch --parsable --chdir="$work" --ntasks="$ranks" --cpus-per-task=1 --time=10 \
    --export="ALL,MFGRID=$work/bin/mfgrid,$vars" "$@" | cut -d';' -f1
}

# job_field JOB FIELD: the field of every record of the job (one line per array task).
job_field() {
  scontrol -o show job "$1" 2>/dev/null | grep -oE "(^| )$2=[^ ]*" | cut -d= -f2- || true
}

# wait_for_jobs JOB…: until every record of every job has ended (or the test's time is up).
wait_for_jobs() {
  local job state ended
  while :; do
    ended=1
    for job in "$@"; do
      for state in $(job_field "$job" JobState); do
        case $state in
          COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | \
            DEADLINE | PREEMPTED) ;;
          *) ended=0 ;;
        esac
      done
    done
    ((ended)) && return 0
    ((SECONDS - t0 < timeout_s)) || { squeue >&2; fail "jobs $* not done after ${timeout_s} s"; }
    sleep 1
  done
}

# 1. The run to interrupt: wait until mfgrid has started (its first line is printed once it
# takes signals), then send it the pre-timeout signal.
study=$root/jobs/study.sbatch
requeued=$(submit "DAYS=$long_days,OUT=$out/requeued.h5" "$study" "${long_args[@]}")
log "submitted the run to requeue: job $requeued"
req_log=$work/mfgrid-study-$requeued.out
until grep -q '^mfgrid run:' "$req_log" 2>/dev/null; do
  [[ $(job_field "$requeued" JobState) =~ ^(PENDING|RUNNING|CONFIGURING)$ ]] ||
    fail "job $requeued is $(job_field "$requeued" JobState) before mfgrid started"
  ((SECONDS - t0 < timeout_s)) || fail "job $requeued did not start"
  sleep 0.2
done
# Into the run: once its first batch of days is on disk.
until "$bin" info "$out/requeued.h5" 2>/dev/null | grep -qE 'days: [1-9][0-9]* of'; do
  ((SECONDS - t0 < timeout_s)) || fail "job $requeued wrote no day"
  sleep 0.2
done
if [[ -e $out/requeued.h5 ]]; then
  fail "job $requeued finished before it could be signalled: make it longer"
fi
# A second submission of the same job while the first runs (the partition lets both run) must
# refuse and leave the file alone; the first is signalled only once the duplicate has ended.
duplicate=$(submit "DAYS=$long_days,OUT=$out/requeued.h5" "$study" "${long_args[@]}")
log "submitted a duplicate of job $requeued: job $duplicate"
wait_for_jobs "$duplicate"
[[ $(job_field "$requeued" JobState) == RUNNING && ! -e $out/requeued.h5 ]] ||
  fail "job $requeued was no longer running when its duplicate ended: make it longer"
log "sending USR1 to the batch shell of job $requeued"
scancel --signal=USR1 --batch "$requeued"

# 2. Meanwhile the others queue up behind it (one after another: shared cores would only slow
# them down).
after=--dependency=afterany:$requeued
reference=$(submit "DAYS=$long_days,OUT=$out/reference.h5" "$after" "$study" "${long_args[@]}")
seeds=$(submit "DAYS=$short_days,OUTDIR=$out/seeds" "$after" --array=1-2 \
  "$root/jobs/seeds.sbatch" "${short_args[@]}")
again=$(submit "DAYS=$long_days,OUT=$out/reference.h5" --dependency=afterok:"$reference" \
  "$study" "${long_args[@]}")
# … and one asking for another scenario on the finished output must refuse, not call it done.
other=$(submit "DAYS=$short_days,OUT=$out/reference.h5" --dependency=afterok:"$reference" \
  "$study" "${long_args[@]}" --set leader.learner=fixed)
log "submitted reference $reference, seed array $seeds, repeat $again, another scenario $other"
# A study as a job array and its summary after it (jobs/submit-study.sh): a dsm study of two
# short runs, zo and zo-surrogate.
study_args="--seeds 1 --directions 1 --t-max 5 --zo-budget 12 --surrogate-budget 12"
read -r study_array study_summary < <(cd "$work" && STUDY_DIR=$out/dsm-study \
  STUDY_ARGS=$study_args MFGRID=$work/bin/mfgrid bash "$root/jobs/submit-study.sh" dsm \
  --chdir="$work" --ntasks="$ranks" --cpus-per-task=1 --time=10 "$after")
[[ -n ${study_summary:-} ]] || fail "jobs/submit-study.sh did not submit the study"
log "submitted the dsm study: array $study_array, summary $study_summary"

# 3. The interrupted job requeues itself. SLURM holds a requeued job back for about two minutes
# (BeginTime); the test releases it at once (what an administrator can do with scontrol).
until [[ $(job_field "$requeued" Restarts) -ge 1 &&
  $(job_field "$requeued" JobState) != RUNNING ]]; do
  [[ $(job_field "$requeued" JobState) =~ ^(COMPLETED|FAILED|CANCELLED|TIMEOUT)$ ]] &&
    fail "job $requeued ended ($(job_field "$requeued" JobState)) without being requeued"
  ((SECONDS - t0 < timeout_s)) || fail "job $requeued was not requeued"
  sleep 0.5
done
log "job $requeued requeued ($(job_field "$requeued" JobState)); releasing it"
# Not within the second of the requeue: slurmd revokes the killed job's credentials by time, to
# the second, and a job started again in that second is killed as "Job credential revoked".
sleep 2
if [[ $(job_field "$requeued" JobState) == PENDING ]]; then
  scontrol update JobId="$requeued" StartTime=now
fi

wait_for_jobs "$requeued" "$reference" "$seeds" "$again" "$duplicate" "$other" "$study_array" \
  "$study_summary"
log "all jobs ended after $((SECONDS - t0)) s"

# 4. Checks. Every job (and array task) completed with exit code 0.
for job in "$requeued" "$reference" "$seeds" "$again" "$study_array" "$study_summary"; do
  while read -r id state code; do
    [[ $state == COMPLETED && $code == 0:0 ]] || fail "job $id: $state, exit code $code"
  done < <(paste -d' ' <(job_field "$job" JobId) <(job_field "$job" JobState) \
    <(job_field "$job" ExitCode))
done

# The interrupted job: checkpointed on the signal, requeued once, resumed, finished.
[[ $(job_field "$requeued" Restarts) -ge 1 ]] || fail "job $requeued was never restarted"
for pattern in "got SIGUSR1: passing it on" "Exited with exit code 75" "requeueing job $requeued" \
  "resuming $out/requeued.h5" "done: $out/requeued.h5"; do
  grep -qF "$pattern" "$req_log" || fail "job $requeued: no '$pattern' in its log"
done
grep -q "nothing to do" "$work/mfgrid-study-$again.out" ||
  fail "job $again: ran again on a finished output"
# The duplicate found the file in use and left it alone; the other scenario was refused with
# what differs.
for job in "$duplicate" "$other"; do
  [[ $(job_field "$job" JobState) == FAILED && $(job_field "$job" ExitCode) == 2:0 ]] ||
    fail "job $job: $(job_field "$job" JobState), exit code $(job_field "$job" ExitCode)" \
      "(expected FAILED with 2)"
done
grep -q "in use by host .*SLURM job $requeued" "$work/mfgrid-study-$duplicate.out" ||
  fail "job $duplicate: no 'in use by … SLURM job $requeued' in its log"
grep -q "holds a run of another scenario" "$work/mfgrid-study-$other.out" &&
  grep -q "leader.learner: 'fixed' (requested), 'zo-surrogate' (in the file)" \
    "$work/mfgrid-study-$other.out" || fail "job $other: the difference is not reported"

# The outputs: complete, named as documented, no .partial left over.
leftover=$(find "$out" -name '*.partial')
[[ -z $leftover ]] || fail "unfinished outputs: $leftover"
"$py" "$here/check_run.py" "$out/reference.h5" "$long_days" 1 "$ranks" || fail "reference output"
"$py" "$here/check_run.py" "$out/requeued.h5" "$long_days" 1 "$ranks" || fail "requeued output"
for seed in 1 2; do
  "$py" "$here/check_run.py" "$out/seeds/ieee3-equity-seed$seed.h5" "$short_days" "$seed" "$ranks" ||
    fail "seed $seed output"
done
# Different seeds give different runs; a resumed run gives the very results of an uninterrupted
# one.
if "$py" "$compare" "$out/seeds/ieee3-equity-seed1.h5" "$out/seeds/ieee3-equity-seed2.h5" \
  >/dev/null 2>&1; then
  fail "seeds 1 and 2 gave identical outputs"
fi
"$py" "$compare" "$out/reference.h5" "$out/requeued.h5" ||
  fail "the requeued run differs from the uninterrupted one"

# The study: both runs and the summary's tables and figures; a run of the array is the very run
# the study's local command makes.
for row in "| zo-K1 | 1 | — | 12 |" "| zo-surrogate-K1-tmax5 | 1 | 5 | 12 |"; do
  grep -qF -- "$row" "$out/dsm-study/summary.md" || fail "the study's summary has no row '$row'"
done
for fig in dsm_accuracy dsm_tariffs; do
  [[ -s $out/dsm-study/figures/$fig.png ]] || fail "the study's summary drew no $fig.png"
done
read -r -a study_opts <<<"$study_args"
"$py" "$root/scripts/dsm_study.py" -o "$work/dsm-local" --mfgrid "$bin" --only zo-K1 \
  "${study_opts[@]}" >/dev/null 2>&1 || fail "scripts/dsm_study.py failed locally"
"$py" "$compare" "$out/dsm-study/runs/zo-K1-seed1.h5" "$work/dsm-local/runs/zo-K1-seed1.h5" ||
  fail "the study array's run differs from the local command's"

status=0
log "PASS in $((SECONDS - t0)) s"
