"""The study scripts' command line (scripts/study_runner.py, equity_study.py, dsm_study.py): the
numbered runs that jobs/study-array.sbatch hands to array tasks, their errors, and a tiny DSM
study made and summarised with the real binary.

usage: study_commands.py MFGRID WORKDIR
"""

import os
import subprocess
import sys

from equity_runs import check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = "/usr/bin/python3"


def script(name, *args):
    return subprocess.run([PY, os.path.join(ROOT, "scripts", name), *args], capture_output=True,
                          text=True)


def main():
    mfgrid, workdir = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    tiny = ["--seeds", "1,2", "--directions", "1", "--t-max", "5", "--zo-budget", "12",
            "--surrogate-budget", "12"]

    # --list numbers the runs; --task-args N gives run N's file and arguments, NUL-separated.
    listing = script("dsm_study.py", "-o", workdir, *tiny, "--list")
    check(listing.returncode == 0, f"--list failed: {listing.stderr}")
    rows = [r.split("\t") for r in listing.stdout.splitlines()]
    check([r[0] for r in rows] == ["0", "1", "2", "3"], f"--list numbers {listing.stdout!r}")
    check([r[1] for r in rows] == ["zo-K1", "zo-K1", "zo-surrogate-K1-tmax5",
                                   "zo-surrogate-K1-tmax5"], f"--list names {listing.stdout!r}")
    for i, row in enumerate(rows):
        task = script("dsm_study.py", "-o", workdir, *tiny, "--task-args", str(i), "--",
                      "--set", "output.sample_agents=2")
        fields = task.stdout.split("\0")
        check(task.returncode == 0 and fields[-1] == "", f"--task-args {i}: {task.stderr}")
        check(fields[0] == row[3] and fields[0].endswith(f"seed{i % 2 + 1}.h5"),
              f"--task-args {i}: run file {fields[0]} (--list says {row[3]})")
        check(" ".join(fields[1:-1]) == row[4][len("mfgrid run "):] +
              " --set output.sample_agents=2", f"--task-args {i}: arguments {fields[1:-1]}")

    # Mistakes: a clear message and exit 2, nothing run.
    for args, expected in (
            (["--only", "zo-K9"], "unknown configuration(s) zo-K9"),
            (["--task-args", "4"], "no task 4 (the study has tasks 0-3)"),
            (["--seeds", "1,x"], "not a comma-separated list of integers"),
    ):
        bad = script("dsm_study.py", "-o", workdir, *tiny, *args)
        check(bad.returncode == 2 and expected in bad.stderr,
              f"{args}: exit {bad.returncode}, {bad.stderr!r}")
    missing = script("dsm_study.py", "-o", os.path.join(workdir, "empty"), *tiny,
                     "--summarise-only")
    check(missing.returncode == 1 and "run file(s) missing" in missing.stderr,
          f"--summarise-only without runs: exit {missing.returncode}, {missing.stderr!r}")

    # The tiny study, made and summarised with the real binary; a second call keeps the runs.
    study = os.path.join(workdir, "dsm")
    made = script("dsm_study.py", "-o", study, "--mfgrid", mfgrid, "--force", *tiny)
    check(made.returncode == 0, f"the study failed: {made.stderr}")
    for row in ("| zo-K1 | 1 | — | 12 |", "| zo-surrogate-K1-tmax5 | 1 | 5 | 12 |"):
        check(row in made.stdout, f"no row {row!r} in the tables:\n{made.stdout}")
    for f in ("summary.md", "summary.json", "own-j.json", "figures/dsm_accuracy.png",
              "figures/dsm_tariffs.png"):
        check(os.path.getsize(os.path.join(study, f)) > 0, f"the study wrote no {f}")
    before = os.path.getmtime(os.path.join(study, "runs", "zo-K1-seed1.h5"))
    again = script("dsm_study.py", "-o", study, "--mfgrid", mfgrid, *tiny)
    check(again.returncode == 0 and again.stdout == made.stdout,
          "the study made again does not give the same tables")
    check(os.path.getmtime(os.path.join(study, "runs", "zo-K1-seed1.h5")) == before,
          "a complete run file was made again without --force")
    print("ok")


if __name__ == "__main__":
    main()
