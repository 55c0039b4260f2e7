#!/usr/bin/python3
"""The run file's I/O per day on 1 rank and on more, the slowest rank's, from the runs' own timings.

    scripts/io_under_load.py [--scenario ieee3-equity] [--ranks 1,2,4] [--days 100]
                             [--repeat 3] [--mfgrid BUILD/mfgrid] [--workdir DIR]

Each rank count runs `mpiexec -n P --bind-to none mfgrid run SCENARIO --threads 1 -o FILE`
--repeat times (more ranks than cores oversubscribe them: 4 ranks on a 2-core machine is the
loaded case). A run's I/O is the io phase of /perf/seconds summed over its days, of its slowest
rank; the figure is the median over the repeats, per day, and its ratio to the first rank count's.
Every run file is compared with the first one's (scripts/compare_runs.py): the output is the same
whatever the ranks. Prints a table; exit status 0, 1 when a run fails or a file differs.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import h5py

HERE = os.path.dirname(os.path.realpath(__file__))


def io_seconds(path):
    """The slowest rank's io seconds summed over the run's days."""
    with h5py.File(path, "r") as f:
        seconds = f["perf/seconds"][...]  # day × rank × phase
        phases = [p.strip() for p in f["phase"].attrs["labels"].split(",")]
        days = seconds.shape[0]
    return float(seconds[:, :, phases.index("io")].sum(axis=0).max()), days


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="ieee3-equity")
    parser.add_argument("--ranks", default="1,2,4")
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mfgrid", default=os.path.join(HERE, os.pardir, "build", "release",
                                                         "mfgrid"))
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    ranks = [int(r) for r in args.ranks.split(",")]
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    work = args.workdir or tempfile.mkdtemp(prefix="io_under_load.")
    os.makedirs(work, exist_ok=True)
    first_file = None
    rows = []
    for p in ranks:
        per_day = []
        for k in range(args.repeat):
            out = os.path.join(work, f"io-r{p}-{k}.h5")
            command = ["mpiexec", "-n", str(p), "--bind-to", "none", args.mfgrid, "run",
                       args.scenario, "--days", str(args.days), "--threads", "1", "--quiet",
                       "--force", "-o", out]
            run = subprocess.run(command, env=env, capture_output=True, text=True)
            if run.returncode != 0:
                sys.stderr.write(run.stdout + run.stderr)
                print(f"io_under_load: {' '.join(command)} exited {run.returncode}",
                      file=sys.stderr)
                return 1
            seconds, days = io_seconds(out)
            per_day.append(seconds / days)
            if first_file is None:
                first_file = out
            else:
                same = subprocess.run([sys.executable, os.path.join(HERE, "compare_runs.py"),
                                       first_file, out], capture_output=True, text=True)
                if same.returncode != 0:
                    sys.stderr.write(same.stdout + same.stderr)
                    print(f"io_under_load: {out} differs from {first_file}", file=sys.stderr)
                    return 1
        rows.append((p, statistics.median(per_day), per_day))
    base = rows[0][1]
    print(f"{args.scenario}, {args.days} days, io of the slowest rank per day (median of "
          f"{args.repeat}); files identical")
    print(f"{'ranks':>5} {'io ms/day':>10} {'ratio':>6}  runs (ms/day)")
    for p, median, per_day in rows:
        runs = " ".join(f"{1e3 * x:.2f}" for x in per_day)
        print(f"{p:>5} {1e3 * median:>10.2f} {median / base:>6.2f}  {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
