"""What the study scripts (equity_study.py, dsm_study.py) share: a study is a list of tasks, one
`mfgrid run` each, named and numbered in a fixed order; this module runs them (several at once),
hands one to a SLURM array task, and then leaves the measuring to the study's summary function.

A study script defines its tasks and its summary, then calls main():

    tasks(args) -> [Task]          every run of the study for the options given
    names(args) -> [str]           its configurations, in order
    summarise(args, tasks) -> str  reads the run files, writes OUT/summary.{json,md} and the
                                   figures, returns the tables (markdown)

Command line (every study script):
    STUDY.py [-o OUT] [--seeds 1,2,3] [--only NAME,…] [-j JOBS] [--threads T] [--force]
             [study options…] [-- extra mfgrid run options]
    STUDY.py --list …               the numbered tasks, one line each
    STUDY.py --task-args N …        task N's run file and `mfgrid run` arguments, NUL-separated
                                    (what jobs/study-array.sbatch runs, checkpointed and requeued)
    STUDY.py --summarise-only …     the tables and figures from the run files already there

An existing complete run file is kept and an interrupted one resumed (`mfgrid run --continue`);
`--force` makes every run again. Runs go to OUT/runs/NAME-seedS.h5.
"""

import argparse
import dataclasses
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The analysis package (figures, run-file reading) lives beside the scripts.
sys.path.insert(0, os.path.join(ROOT, "analysis"))


@dataclasses.dataclass
class Task:
    name: str  # the configuration, e.g. "zo-surrogate" or "zo-K4"
    seed: int
    path: str  # the run file
    args: list  # `mfgrid run` arguments (scenario first), without -o and the launch options


def parser(description, default_out):
    p = argparse.ArgumentParser(description=description,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--out", default=os.path.join(ROOT, "runs", default_out),
                   help="study directory: runs/ and the summary (default: %(default)s)")
    p.add_argument("--seeds", default="1,2,3,4,5", help="comma-separated seeds (%(default)s)")
    p.add_argument("--only", help="comma-separated configurations to run (default: all)")
    p.add_argument("--mfgrid", default=os.path.join(ROOT, "build", "release", "mfgrid"))
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="runs at once (default: the cores, %(default)s)")
    p.add_argument("--threads", type=int, default=1, help="threads per run (default 1)")
    p.add_argument("--force", action="store_true",
                   help="make every run again (default: keep complete runs, resume the others)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="list the numbered tasks and stop")
    mode.add_argument("--task-args", type=int, metavar="N",
                      help="print task N's run file and mfgrid run arguments, NUL-separated")
    mode.add_argument("--summarise-only", action="store_true",
                      help="summarise the run files already there, run nothing")
    return p


def parse(p, argv=None):
    """The options, and the extra `mfgrid run` options after `--`."""
    argv = sys.argv[1:] if argv is None else argv
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    a = p.parse_args(argv)
    try:
        a.seed_list = [int(s) for s in a.seeds.split(",") if s.strip()]
    except ValueError:
        p.error(f"--seeds: not a comma-separated list of integers: {a.seeds!r}")
    a.extra = extra
    return a


def select(p, a, tasks, names):
    """The tasks of the configurations --only names (all by default), in the study's order."""
    if not a.only:
        return tasks
    only = [n.strip() for n in a.only.split(",") if n.strip()]
    unknown = [n for n in only if n not in names]
    if unknown:
        p.error(f"--only: unknown configuration(s) {', '.join(unknown)}; known: {', '.join(names)}")
    return [t for t in tasks if t.name in only]


def run_path(out, name, seed):
    return os.path.join(out, "runs", f"{name}-seed{seed}.h5")


def run_one(a, task):
    """Runs (or completes, or keeps) one task's run file; returns (task, seconds)."""
    os.makedirs(os.path.dirname(task.path), exist_ok=True)
    cmd = [a.mfgrid, "run", *task.args, "-o", task.path, "--threads", str(a.threads),
           "--force" if a.force else "--continue", "--quiet", *a.extra]
    t0 = time.monotonic()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - t0
    if done.returncode != 0:
        raise SystemExit(f"{task.name}, seed {task.seed}: mfgrid exited {done.returncode}:\n"
                         f"  {' '.join(cmd)}\n{done.stderr.strip()}")
    return task, seconds


def main(description, default_out, add_options, make_tasks, names, summarise):
    """The command line of a study script (see the module's docstring)."""
    p = parser(description, default_out)
    add_options(p)
    a = parse(p)
    tasks = select(p, a, make_tasks(a), names(a))
    if a.list:
        for i, t in enumerate(tasks):
            print(f"{i}\t{t.name}\tseed {t.seed}\t{t.path}\tmfgrid run {' '.join(t.args)}")
        return
    if a.task_args is not None:
        if not 0 <= a.task_args < len(tasks):
            p.error(f"--task-args: no task {a.task_args} (the study has tasks 0-{len(tasks) - 1})")
        t = tasks[a.task_args]
        sys.stdout.write("\0".join([t.path, *t.args, *a.extra]) + "\0")
        return
    if not a.summarise_only:
        t0 = time.monotonic()
        print(f"{len(tasks)} runs, {a.jobs} at once, {a.threads} thread(s) each, in {a.out}",
              file=sys.stderr)
        with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            futures = [pool.submit(run_one, a, t) for t in tasks]
            for n, future in enumerate(as_completed(futures), 1):
                t, seconds = future.result()
                print(f"[{n}/{len(tasks)}] {t.name}, seed {t.seed}: {seconds:.1f} s "
                      f"({time.monotonic() - t0:.0f} s in all)", file=sys.stderr)
        print(f"runs done in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    missing = [t.path for t in tasks if not os.path.exists(t.path)]
    if missing:
        raise SystemExit(f"{len(missing)} run file(s) missing, e.g. {missing[0]}: run the study "
                         "first (without --summarise-only)")
    print(summarise(a, tasks))
