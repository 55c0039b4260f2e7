# shellcheck shell=bash
# What the batch scripts in jobs/ share: finding the binary, choosing the launcher, passing
# signals on to the running step, and the run / resume / requeue cycle. Sourced, never run.
#
# Environment read here (every variable is optional):
#   MFGRID            the mfgrid binary (default: $MFGRID_ROOT/build/release/mfgrid, else `mfgrid`
#                     on PATH)
#   OUTDIR            where outputs go (default: runs/ under the directory sbatch was called from)
#   MFGRID_LAUNCHER   the launcher command with its options, word-split, used as it is (default:
#                     `srun --mpi=pmix` inside a SLURM job when srun exists, else
#                     `mpirun --bind-to none -n N`)
#   NTASKS            ranks for the mpirun fallback outside SLURM (default: SLURM_NTASKS, else 1)
#   MFGRID_MAX_RESTARTS  requeue at most this many times (default 20)
#
# Exit codes of mfgrid this relies on: 0 done, 1 runtime/IO error, 2 bad input (also: the output
# holds another scenario, or another job is writing it), 75 stopped by a signal after writing a
# checkpoint into OUT.h5.partial (`mfgrid run … -o OUT.h5 --continue` resumes it).

MFGRID_EXIT_CHECKPOINTED=75

# Messages go to the job's log with a recognisable prefix.
mfgrid_log() { printf 'mfgrid-job: %s\n' "$*" >&2; }

# mfgrid_init: checks the binary, sets OUTDIR, the threads, the launcher and the signal handlers.
# Call once, before anything else.
mfgrid_init() {
  if [[ -z ${MFGRID:-} ]]; then
    if [[ -x $MFGRID_ROOT/build/release/mfgrid ]]; then
      MFGRID=$MFGRID_ROOT/build/release/mfgrid
    else
      MFGRID=$(command -v mfgrid || true)
    fi
  fi
  if [[ -z $MFGRID || ! -x $MFGRID ]]; then
    mfgrid_log "no mfgrid binary (set MFGRID, or build $MFGRID_ROOT/build/release/mfgrid)"
    exit 2
  fi

  OUTDIR=${OUTDIR:-${SLURM_SUBMIT_DIR:-$PWD}/runs}

  # One OpenMP thread per CPU that SLURM gave each task (-c/--cpus-per-task; 1 when not given).
  # Outside SLURM, OMP_NUM_THREADS is left as it is (mfgrid then uses cores / ranks).
  if [[ -n ${SLURM_CPUS_PER_TASK:-} ]]; then
    export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK
  elif [[ -n ${SLURM_JOB_ID:-} ]]; then
    export OMP_NUM_THREADS=1
  fi

  _mfgrid_choose_launcher

  # USR1 is the pre-timeout signal (#SBATCH --signal=B:USR1@60, or `scancel --signal=USR1
  # --batch`): pass it on to the step, which checkpoints and exits 75, then requeue. TERM means
  # the job is being cancelled or has run out of time: pass it on too, but do not requeue.
  _mfgrid_step_pid=
  _mfgrid_got_usr1=0
  _mfgrid_got_term=0
  trap '_mfgrid_on_signal USR1' USR1
  trap '_mfgrid_on_signal TERM' TERM

  local job=${SLURM_JOB_ID:-none}${SLURM_ARRAY_TASK_ID:+ (array task $SLURM_ARRAY_TASK_ID)}
  local launch=("${MFGRID_LAUNCH[@]}" "${MFGRID_NP[@]}" "$MFGRID")
  mfgrid_log "$(date '+%F %T') job $job, restart ${SLURM_RESTART_COUNT:-0}," \
    "on $(hostname -s 2>/dev/null || hostname): ${launch[*]}," \
    "OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}"
}

# Sets MFGRID_LAUNCH (an array): srun inside a SLURM job, mpirun elsewhere; and MFGRID_NP, the
# rank-count option mfgrid_launch adds (srun takes it from the allocation).
_mfgrid_choose_launcher() {
  MFGRID_NP=()
  if [[ -n ${MFGRID_LAUNCHER:-} ]]; then
    read -r -a MFGRID_LAUNCH <<<"$MFGRID_LAUNCHER"
  elif [[ -n ${SLURM_JOB_ID:-} ]] && command -v srun >/dev/null; then
    # srun takes the task count from the allocation; since SLURM 22.05 it no longer inherits
    # --cpus-per-task from sbatch, so it is passed on explicitly.
    MFGRID_LAUNCH=(srun --mpi=pmix ${SLURM_CPUS_PER_TASK:+--cpus-per-task="$SLURM_CPUS_PER_TASK"})
  else
    # Open MPI: ranks unbound so that each rank's OpenMP threads can spread; root needs consent.
    MFGRID_LAUNCH=(mpirun --bind-to none)
    MFGRID_NP=(-n "${NTASKS:-${SLURM_NTASKS:-1}}")
    if [[ $(id -u) -eq 0 ]]; then
      export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    fi
  fi
}

# Signal handler: remembers the signal and passes it on to the running step (srun and mpirun
# forward it to every rank).
_mfgrid_on_signal() {
  local sig=$1
  if [[ $sig == USR1 ]]; then _mfgrid_got_usr1=1; else _mfgrid_got_term=1; fi
  if [[ -n $_mfgrid_step_pid ]]; then
    mfgrid_log "$(date '+%F %T') got SIG$sig: passing it on to the step (pid $_mfgrid_step_pid)"
    kill -s "$sig" "$_mfgrid_step_pid" 2>/dev/null || true
  else
    mfgrid_log "$(date '+%F %T') got SIG$sig between steps"
  fi
}

# mfgrid_step CMD…: runs CMD in the background (so that the shell can take signals while it
# runs), waits for it and returns its exit code; 143 without running it after a SIGTERM.
mfgrid_step() {
  local rc
  if ((_mfgrid_got_term)); then
    mfgrid_log "not starting $1: the job is being stopped"
    return 143
  fi
  "$@" &
  _mfgrid_step_pid=$!
  while :; do
    rc=0
    wait "$_mfgrid_step_pid" || rc=$?
    # A trapped signal interrupts `wait` with 128+n while the step still runs: wait again.
    if ((rc > 128)) && kill -0 "$_mfgrid_step_pid" 2>/dev/null; then
      continue
    fi
    break
  done
  _mfgrid_step_pid=
  return "$rc"
}

# mfgrid_launch ARGS…: runs `mfgrid ARGS…` on every rank of the job; returns its exit code.
mfgrid_launch() {
  mfgrid_step "${MFGRID_LAUNCH[@]}" "${MFGRID_NP[@]}" "$MFGRID" "$@"
}

# mfgrid_requeue: puts this job back into the queue to continue from its checkpoint, then exits.
# Outside SLURM, or when the job may not requeue, exits 75 instead: run the script again to resume.
mfgrid_requeue() {
  local restarts=${SLURM_RESTART_COUNT:-0} max=${MFGRID_MAX_RESTARTS:-20}
  if [[ -z ${SLURM_JOB_ID:-} ]]; then
    mfgrid_log "stopped at a checkpoint; run this script again to resume"
    exit "$MFGRID_EXIT_CHECKPOINTED"
  fi
  if ((_mfgrid_got_term)); then
    mfgrid_log "stopped at a checkpoint after SIGTERM (cancelled or out of time): not requeued;" \
      "submit again to resume"
    exit "$MFGRID_EXIT_CHECKPOINTED"
  fi
  if ((restarts >= max)); then
    mfgrid_log "stopped at a checkpoint; already requeued $restarts times" \
      "(MFGRID_MAX_RESTARTS): not again"
    exit "$MFGRID_EXIT_CHECKPOINTED"
  fi
  mfgrid_log "$(date '+%F %T') requeueing job $SLURM_JOB_ID to resume from the checkpoint"
  if ! scontrol requeue "$SLURM_JOB_ID"; then
    mfgrid_log "scontrol requeue failed (was the job submitted with --requeue?);" \
      "submit again to resume"
    exit "$MFGRID_EXIT_CHECKPOINTED"
  fi
  exit 0
}

# mfgrid_run_or_resume OUT RUN-ARGS…: brings OUT to completion and exits, through
# `mfgrid run RUN-ARGS… -o OUT --continue`, which (under OUT's lock) does nothing when OUT holds
# this very run complete, resumes OUT.partial when it holds this run's checkpoint, starts it
# otherwise — and refuses (exit 2) when either file holds another scenario (listing what
# differs) or another job is writing it (naming that job).
# Exit 75 of mfgrid (checkpointed after a signal) requeues the job; any other failure is the job's.
mfgrid_run_or_resume() {
  local out=$1 rc=0
  shift
  mkdir -p "$(dirname "$out")"
  if ((_mfgrid_got_usr1)); then
    # The pre-timeout signal came before the step started: leave it to the next attempt.
    mfgrid_requeue
  fi
  if [[ -e $out ]]; then
    mfgrid_log "$out exists: checking that it holds this run"
  elif [[ -e $out.partial ]]; then
    mfgrid_log "resuming $out from the checkpoint in $out.partial, if it holds this run"
  else
    mfgrid_log "starting $out"
  fi
  mfgrid_launch run "$@" -o "$out" --continue || rc=$?
  case $rc in
    0) mfgrid_log "$(date '+%F %T') done: $out" ;;
    "$MFGRID_EXIT_CHECKPOINTED") mfgrid_requeue ;;
    *)
      if ((_mfgrid_got_usr1 && rc > 128)); then
        # Killed by the signal before mfgrid could take it (during start-up, before any day):
        # the next attempt resumes OUT.partial's checkpoint, or starts again when it has none.
        mfgrid_log "the step died on the signal during start-up (exit $rc); trying again"
        mfgrid_requeue
      fi
      mfgrid_log "mfgrid failed with exit code $rc"
      ;;
  esac
  exit "$rc"
}

# mfgrid_scenario_stem SCENARIO: the name outputs are named by (file name without .toml).
mfgrid_scenario_stem() {
  local s=${1##*/}
  printf '%s\n' "${s%.toml}"
}

# mfgrid_study_script: the study named by STUDY (equity, dsm: scripts/STUDY_study.py) and its
# options. Sets MFGRID_PYTHON (Debian's python3, which has h5py and matplotlib),
# MFGRID_STUDY_SCRIPT, STUDY_DIR (default: $OUTDIR/STUDY-study) and MFGRID_STUDY_ARGS (STUDY_ARGS,
# word-split).
mfgrid_study_script() {
  MFGRID_PYTHON=${MFGRID_PYTHON:-/usr/bin/python3}
  : "${STUDY:?set STUDY to the study to run (equity or dsm)}"
  MFGRID_STUDY_SCRIPT=$MFGRID_ROOT/scripts/${STUDY}_study.py
  if [[ ! -f $MFGRID_STUDY_SCRIPT ]]; then
    mfgrid_log "no study '$STUDY' (no $MFGRID_STUDY_SCRIPT): STUDY is equity or dsm"
    exit 2
  fi
  STUDY_DIR=${STUDY_DIR:-$OUTDIR/$STUDY-study}
  read -r -a MFGRID_STUDY_ARGS <<<"${STUDY_ARGS:-}"
}

# mfgrid_study_task TASK [extra mfgrid run options…]: sets MFGRID_TASK_RUN to the run file and
# the `mfgrid run` arguments of the study's run number TASK, as the study script lists them (so an
# array makes exactly the runs of the local command), for mfgrid_run_or_resume.
mfgrid_study_task() {
  local task=$1 listing
  shift
  mfgrid_study_script
  listing=$(mktemp)
  if ! "$MFGRID_PYTHON" "$MFGRID_STUDY_SCRIPT" --task-args "$task" -o "$STUDY_DIR" \
    "${MFGRID_STUDY_ARGS[@]}" -- "$@" >"$listing"; then
    rm -f "$listing"
    mfgrid_log "study $STUDY has no run $task (see: $MFGRID_STUDY_SCRIPT --list)"
    exit 2
  fi
  mapfile -d '' -t MFGRID_TASK_RUN <"$listing"
  rm -f "$listing"
  mfgrid_log "study $STUDY, run $task: ${MFGRID_TASK_RUN[*]}"
}
