#!/usr/bin/python3
"""Short runs of every scenario the tests use with every learner, to prove a refactor changes no bit.

    reference_runs.py OUT_DIR [--mfgrid BIN] [--compare BEFORE_DIR] [-j N]

Runs each case of the matrix below (the embedded scenarios and the test scenarios, each follower
learner with each leader learner, two ranks, two threads) into OUT_DIR/CASE.h5. With
--compare, each file is then compared with BEFORE_DIR/CASE.h5 by compare_runs.py (datasets,
their attributes, the final checkpoint) and the differences are listed. Typical use:

    git stash; cmake --build build/release; reference_runs.py /tmp/before   # the commit you start on
    git stash pop; cmake --build build/release; reference_runs.py /tmp/after --compare /tmp/before

Exit status 0 when every run succeeded (and, with --compare, every file is identical), 1 if not.
"""
import argparse
import concurrent.futures
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLLOWERS = ["soft-q", "optimizer", "ppo"]
LEADERS = ["fixed", "softmax-net", "zo", "zo-surrogate", "ppo"]
# Short enough for the whole matrix to take a minute or two, long enough for every learner to
# update several times (leader windows of 2 days after 2 days of warm-up).
SHORT = ["--days", "14", "--set", "leader.update_every_days=2", "--set", "leader.warmup_days=2",
         "--set", "checkpoint.every_days=5", "--set", "output.write_every_days=3"]


def cases():
    """(name, ranks, mfgrid arguments) of every run."""
    out = []
    for scenario in ["ieee3-equity", "dsm-community"]:
        for follower in FOLLOWERS:
            for leader in LEADERS:
                size = ["--set", "population.scale=0.05"] if follower == "optimizer" else []
                if scenario == "dsm-community" and follower == "optimizer":
                    size = ["--set", "population.scale=0.02"]
                if scenario == "dsm-community" and leader == "softmax-net":
                    size += ["--set", "leader.softmax-net.grid_points=3"]  # 3^9 candidates, not 9^9
                out.append((f"{scenario}-{follower}-{leader}", 1,
                            [scenario, *SHORT, *size, "--set", f"followers.learner={follower}",
                             "--set", f"leader.learner={leader}"]))
    for name in ["small", "repeated_day", "repeated_day_actions"]:
        out.append((f"test-{name}", 1, [str(ROOT / "tests/data" / f"{name}.toml"), "--days", "10"]))
    # The default scenario on two ranks and two threads (the decomposition's paths).
    out.append(("ieee3-equity-2ranks", 2, ["ieee3-equity", *SHORT]))
    out.append(("ieee3-equity-2threads", 1, ["ieee3-equity", *SHORT, "--threads", "2"]))
    return out


def run(case, out_dir, mfgrid):
    name, ranks, args = case
    path = out_dir / f"{name}.h5"
    command = [mfgrid, "run", *args, "-o", str(path), "--force", "--quiet"]
    if "--threads" not in args:
        command += ["--threads", "1"]
    if ranks > 1:
        command = ["mpiexec", "-n", str(ranks), "--bind-to", "none", *command]
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return name, f"exit {done.returncode}: {done.stderr.strip()[-400:]}"
    return name, None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir", type=pathlib.Path)
    p.add_argument("--mfgrid", default=str(ROOT / "build/release/mfgrid"))
    p.add_argument("--compare", type=pathlib.Path, metavar="BEFORE_DIR")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args()
    if not os.access(args.mfgrid, os.X_OK):
        sys.exit(f"reference_runs: {args.mfgrid}: not an executable (build it first or --mfgrid)")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, error in pool.map(lambda c: run(c, args.out_dir, args.mfgrid), cases()):
            if error:
                failures.append(f"{name}: {error}")
    for line in failures:
        print(line)
    print(f"{len(cases())} runs in {args.out_dir}: {len(failures)} failed")
    if args.compare is None:
        return 1 if failures else 0
    differ = []
    for name, _, _ in cases():
        a, b = args.compare / f"{name}.h5", args.out_dir / f"{name}.h5"
        done = subprocess.run(["/usr/bin/python3", str(ROOT / "scripts/compare_runs.py"), str(a),
                               str(b)], capture_output=True, text=True)
        if done.returncode != 0:
            differ.append(f"{name}:\n  " + "\n  ".join(done.stdout.strip().splitlines()[-8:]))
    for block in differ:
        print(block)
    print(f"{len(cases())} files compared with {args.compare}: "
          + ("identical" if not differ else f"{len(differ)} differ"))
    return 1 if failures or differ else 0


if __name__ == "__main__":
    sys.exit(main())
