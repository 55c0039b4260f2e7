#!/usr/bin/python3
"""Weak and strong scaling sweeps of mfgrid over rank counts, one CSV row per run.

For every configuration (mode, ranks, threads, repeat) it runs

  LAUNCHER -n RANKS MFGRID run SCENARIO --days D --threads T --set population.scale=S \\
      [--set ...] -o FILE --force --quiet            (with OMP_NUM_THREADS=T)

then reads FILE and appends a row to the CSV: ranks, threads, agents, the slowest rank's time
per phase (rollout, reduce, market, learn, io; summed over the days), compute time (all but io),
agent-steps per second (by the phases' total and by the launcher's wall clock), peak memory per
rank. population.scale multiplies the scenario's household counts, so S = agents / (agents at
scale 1). Weak scaling keeps the agents per rank constant, strong scaling the total.

A sweep can be resumed: rows already in the CSV are kept and their configurations skipped. On
SIGUSR1 or SIGTERM (a SLURM job about to end) the running step gets the signal too, its output is
discarded, and the runner exits with status 75 so that the job can be requeued; run it again
with the same options to measure what is missing. Exit status 0 when done, 1 when a run fails,
2 on bad input.
"""

import argparse
import csv
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The shared reading code lies in analysis/ of the same checkout.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), os.pardir,
                                "analysis"))

from mfgrid_analysis import RunFileError, open_run  # noqa: E402
from mfgrid_analysis import scaling  # noqa: E402
from mfgrid_analysis.cli import UsageError, int_list, positive_int  # noqa: E402

PROG = "scaling.py"
EXIT_FAILED = 1
EXIT_CHECKPOINTED = 75  # what the batch scripts in jobs/ requeue on


def default_threads():
    """OMP_NUM_THREADS when it is a single positive number, else 1."""
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def parse_args():
    p = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]) + """

examples:
  scripts/scaling.py --mfgrid build/release/mfgrid --mode both --ranks 1,2,4 \\
      --agents-per-rank 100000 --days 5 --csv scaling.csv
  scripts/scaling.py --mode strong --ranks 1,2,4,8 --agents 1000000 --threads 4 \\
      --launcher "srun --mpi=pmix" --csv strong.csv --set leader.learner=fixed""",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mfgrid", metavar="PATH", help="the mfgrid binary (default: $MFGRID, "
                   "else build/release/mfgrid of this checkout, else mfgrid on PATH)")
    p.add_argument("--mode", choices=["weak", "strong", "both"], default="both",
                   help="weak (agents per rank constant), strong (agents constant) or both "
                        "(default)")
    p.add_argument("--ranks", type=int_list, default=[1], metavar="1,2,...",
                   help="rank counts (default 1)")
    p.add_argument("--threads", type=int_list, metavar="T[,T...]",
                   default=[default_threads()],
                   help="OpenMP threads per rank (default: OMP_NUM_THREADS, else 1)")
    p.add_argument("--agents-per-rank", type=int_list, metavar="N[,N...]",
                   help="weak scaling: agents per rank, one series each (default: --agents / "
                        "the largest rank count, else the scenario's own count)")
    p.add_argument("--agents", type=int_list, metavar="N[,N...]",
                   help="strong scaling: total agents, one series each (default: "
                        "--agents-per-rank x the largest rank count)")
    p.add_argument("--days", type=positive_int, default=5, help="simulated days (default 5)")
    p.add_argument("--scenario", default="ieee3-equity",
                   help="scenario file or embedded name (default ieee3-equity)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="a setting passed on to mfgrid run (repeatable)")
    p.add_argument("--csv", required=True, metavar="OUT.csv",
                   help="the CSV to write (rows already there are kept and not measured again)")
    p.add_argument("--launcher", default="mpiexec --bind-to none",
                   help='MPI launcher, "-n RANKS" is appended (default "mpiexec --bind-to none"; '
                        'on SLURM "srun --mpi=pmix"; "" runs mfgrid directly, one rank)')
    p.add_argument("--workdir", metavar="DIR",
                   help="keep the run files here (default: a temporary directory, removed)")
    p.add_argument("--repeat", type=positive_int, default=1,
                   help="runs per configuration; the analysis takes the fastest (default 1)")
    return p.parse_args()


def find_mfgrid(path):
    """The mfgrid binary: --mfgrid, $MFGRID, this checkout's build, or PATH."""
    here = os.path.dirname(os.path.realpath(__file__))
    candidates = [path] if path else [os.environ.get("MFGRID"),
                                      os.path.join(here, os.pardir, "build", "release", "mfgrid"),
                                      shutil.which("mfgrid")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    if path:
        raise UsageError(f"{path}: no such executable")
    raise UsageError("no mfgrid binary found: pass --mfgrid PATH or set MFGRID")


def base_agents(mfgrid, scenario, settings):
    """The scenario's agent count at population.scale = 1, from `mfgrid validate`."""
    cmd = [mfgrid, "validate", scenario] + [f"--set={s}" for s in settings]
    done = subprocess.run(cmd, capture_output=True, text=True)
    match = re.search(r"(\d+) households", done.stdout)
    if done.returncode != 0 or not match:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise UsageError(f"{shlex.join(cmd)} failed: " + (message[-1] if message else
                                                          f"exit status {done.returncode}"))
    return int(match.group(1))


def plan(args):
    """The configurations to measure: dicts of mode, ranks, threads, agents_requested, repeat."""
    if any(s.split("=", 1)[0].strip() == "population.scale" for s in args.set):
        raise UsageError("population.scale is set by the runner: use --agents or "
                         "--agents-per-rank instead")
    largest = max(args.ranks)
    per_rank = args.agents_per_rank or [n // largest for n in args.agents]
    totals = args.agents or [n * largest for n in per_rank]
    modes = ["weak", "strong"] if args.mode == "both" else [args.mode]
    configs = []
    for mode in modes:
        for size in (per_rank if mode == "weak" else totals):
            for threads in args.threads:
                for ranks in args.ranks:
                    for repeat in range(args.repeat):
                        agents = size * ranks if mode == "weak" else size
                        configs.append({"mode": mode, "scenario": args.scenario, "ranks": ranks,
                                        "threads": threads, "agents_requested": agents,
                                        "days": args.days, "repeat": repeat})
    return configs


class Steps:
    """The running step and the signals received; forwards SIGUSR1/SIGTERM/SIGINT to the step."""

    def __init__(self):
        self.child = None
        self.signal = None
        for sig in (signal.SIGUSR1, signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame):
        self.signal = signum
        if self.child and self.child.poll() is None:
            try:
                self.child.send_signal(signum)
            except ProcessLookupError:
                pass

    def run(self, cmd, env, log):
        """Runs cmd with output into the file `log`; returns (exit status, wall seconds)."""
        with open(log, "w") as out:
            start = time.monotonic()
            self.child = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
            status = self.child.wait()
            wall = time.monotonic() - start
        self.child = None
        return status, wall


def environment(threads, launcher):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    if launcher and os.path.basename(launcher[0]) in ("mpiexec", "mpirun", "orterun"):
        env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"  # more ranks than cores is allowed
        if os.geteuid() == 0:
            env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    return env


def existing_rows(path):
    """Rows already in the CSV (a resumed sweep); none if the file does not exist yet."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        header = next(csv.reader(f), None)
    if header is None:
        return []
    if header != scaling.COLUMNS:
        raise UsageError(f"{path}: exists with other columns than this runner writes; "
                         "choose another --csv")
    return scaling.read_csv(path)


def append_row(path, row):
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=scaling.COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()})


def measure(steps, args, mfgrid, launcher, config, base, workdir):
    """Runs one configuration; returns its CSV row, or None if the step was stopped."""
    c = config
    stem = (f"{c['mode']}-r{c['ranks']}-t{c['threads']}-a{c['agents_requested']}"
            f"-d{c['days']}-{c['repeat']}")
    out = os.path.join(workdir, stem + ".h5")
    scale = c["agents_requested"] / base
    cmd = (launcher + (["-n", str(c["ranks"])] if launcher else []) +
           [mfgrid, "run", args.scenario, "--days", str(c["days"]), "--threads",
            str(c["threads"]), "--set", f"population.scale={scale:.9g}"] +
           [a for s in args.set for a in ("--set", s)] + ["-o", out, "--force", "--quiet"])
    log = os.path.join(workdir, stem + ".log")
    status, wall = steps.run(cmd, environment(c["threads"], launcher), log)
    if steps.signal is not None:
        for path in (out, out + ".partial"):
            if os.path.exists(path):
                os.remove(path)
        return None
    if status != 0:
        with open(log, errors="replace") as f:
            tail = f.read().strip().splitlines()[-15:]
        print(f"{PROG}: run failed with exit status {status}: {shlex.join(cmd)}\n  " +
              "\n  ".join(tail), file=sys.stderr)
        sys.exit(EXIT_FAILED)
    with open_run(out) as run:
        row = dict(c, **scaling.perf_summary(run))
    steps_done = row["agents"] * row["periods"] * row["days"]
    row.update(wall_s=wall, agent_steps_per_s_wall=steps_done / wall,
               file=out if args.workdir else "")
    return row


def describe(c, base):
    return (f"{c['mode']}: {c['ranks']} rank{'s' if c['ranks'] > 1 else ''} x {c['threads']} "
            f"thread{'s' if c['threads'] > 1 else ''}, {c['agents_requested']} agents "
            f"(scale {c['agents_requested'] / base:.4g}), {c['days']} days, "
            f"repeat {c['repeat'] + 1}")


def main():
    args = parse_args()
    mfgrid = find_mfgrid(args.mfgrid)
    launcher = shlex.split(args.launcher)
    if not launcher and max(args.ranks) > 1:
        raise UsageError("without a launcher only --ranks 1 can run")
    base = base_agents(mfgrid, args.scenario, args.set)
    if args.agents is None and args.agents_per_rank is None:
        args.agents_per_rank = [base]
    configs = plan(args)
    done = {scaling.config_key(r) for r in existing_rows(args.csv)}
    todo = [c for c in configs if scaling.config_key(c) not in done]
    print(f"{PROG}: {len(configs)} runs of {args.scenario} ({base} agents at scale 1), "
          f"{len(configs) - len(todo)} already in {args.csv}", flush=True)
    if os.path.dirname(args.csv):
        os.makedirs(os.path.dirname(args.csv), exist_ok=True)
    workdir = args.workdir or tempfile.mkdtemp(prefix="mfgrid-scaling-")
    os.makedirs(workdir, exist_ok=True)
    steps = Steps()
    try:
        for n, config in enumerate(todo, 1):
            if steps.signal is not None:
                break
            print(f"[{n}/{len(todo)}] {describe(config, base)} ...", end=" ", flush=True)
            row = measure(steps, args, mfgrid, launcher, config, base, workdir)
            if row is None:
                break
            append_row(args.csv, row)
            print(f"{row['agents']} agents, compute {row['compute_s']:.3g} s, total "
                  f"{row['total_s']:.3g} s, wall {row['wall_s']:.3g} s, "
                  f"{row['agent_steps_per_s']:.3g} agent-steps/s", flush=True)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    if steps.signal is not None:
        print(f"\n{PROG}: stopped by signal {signal.Signals(steps.signal).name}; the rows measured "
              f"so far are in {args.csv}: run again to measure the rest", file=sys.stderr)
        return EXIT_CHECKPOINTED
    print(f"{PROG}: wrote {args.csv}\n")
    print(scaling.report(scaling.read_csv(args.csv)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (UsageError, RunFileError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        sys.exit(2)
