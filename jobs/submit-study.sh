#!/bin/bash
# Submits a whole study to SLURM: one array task per run (jobs/study-array.sbatch), then its
# summary (jobs/study-summary.sbatch) once every run has succeeded. Prints both job ids.
#
#   jobs/submit-study.sh equity|dsm [sbatch options for the runs…]
#
# Environment: STUDY_DIR (default runs/STUDY-study under the current directory), STUDY_ARGS (the
# study script's options, e.g. "--seeds 1,2 --scale 1000"), MAX_RUNNING (array tasks at once,
# default all), and everything jobs/study-array.sbatch reads (MFGRID, MFGRID_ROOT, …).
# Example: the equity study at population ×1 000, 8 ranks × 2 threads a run, 10 runs at a time:
#   STUDY_ARGS="--scale 1000" MAX_RUNNING=10 jobs/submit-study.sh equity -n 8 -c 2 -t 1:00:00
set -euo pipefail

study=${1:?usage: jobs/submit-study.sh equity|dsm [sbatch options…]}
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MFGRID_ROOT=${MFGRID_ROOT:-$(dirname "$here")}
export STUDY=$study STUDY_DIR=${STUDY_DIR:-$PWD/runs/$study-study}
# shellcheck source-path=SCRIPTDIR source=lib/launch.sh
source "$here/lib/launch.sh"
mfgrid_study_script
count=$("$MFGRID_PYTHON" "$MFGRID_STUDY_SCRIPT" --list -o "$STUDY_DIR" "${MFGRID_STUDY_ARGS[@]}" |
  wc -l)
((count > 0)) || { mfgrid_log "the study has no runs"; exit 2; }
array=$(sbatch --parsable --export=ALL --array="0-$((count - 1))${MAX_RUNNING:+%$MAX_RUNNING}" \
  "$@" "$here/study-array.sbatch" | cut -d';' -f1)
summary=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" \
  "$here/study-summary.sbatch" | cut -d';' -f1)
mfgrid_log "study $study: $count runs in array job $array, summary in job $summary," \
  "into $STUDY_DIR"
echo "$array $summary"
