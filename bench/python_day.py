#!/usr/bin/python3
"""A day of 10^6 agents stepped from Python against the same day in C++ (bench_day's BM_Day),
side by side in one run.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_day.py \
        --bench-day build/release/bench/bench_day [--agents 1000000] [--threads 1] [--repeat 3]

BM_Day (Google Benchmark) builds ieee3-equity scaled to --agents, steps one warm-up day, then
times 20 days of Simulation::step. The Python side does the same through mfgrid.Simulation:
the same scenario and threads, one warm-up day, then 20 calls of sim.step() (each one call into
the library's day loop, without the GIL), timed with time.perf_counter; and again with the day's
arrays read after every step (sim.day_outcome(), as a notebook watching the run does). Repeats
alternate the three so that all see the same machine; the table gives each repeat's ms per day and
the median ratios.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

import mfgrid

DAYS = 20


def python_day(agents, threads, read_outcome):
    scenario = mfgrid.load_scenario("ieee3-equity", {"population.scale": agents / 10800.0})
    with mfgrid.Simulation(scenario, threads=threads) as sim:
        sim.step()  # warm-up: first touch of every page, as BM_Day
        start = time.perf_counter()
        for _ in range(DAYS):
            sim.step()
            if read_outcome:
                sim.day_outcome()
        return 1e3 * (time.perf_counter() - start) / DAYS


def cpp_day(bench_day, agents, threads):
    name = f"BM_Day/agents:{agents}/threads:{threads}/iterations:{DAYS}/real_time"
    r = subprocess.run([bench_day, f"--benchmark_filter=^{name}$", "--benchmark_format=json"],
                       capture_output=True, text=True, check=True)
    runs = json.loads(r.stdout)["benchmarks"]
    if not runs:
        sys.exit(f"bench_day has no benchmark {name}")
    return runs[0]["real_time"]  # ms per iteration (a day)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench-day", required=True, help="build/release/bench/bench_day")
    p.add_argument("--agents", type=int, default=1000000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    ratios, read_ratios = [], []
    print(f"ieee3-equity, {args.agents} agents, {args.threads} thread(s), ms per day over {DAYS} "
          "days after one warm-up day")
    print("| repeat | C++ (BM_Day) | Python step() | / C++ | Python step() + day_outcome() "
          "| / C++ |")
    print("|---:|---:|---:|---:|---:|---:|")
    for k in range(args.repeat):
        cpp = cpp_day(args.bench_day, args.agents, args.threads)
        py = python_day(args.agents, args.threads, False)
        read = python_day(args.agents, args.threads, True)
        ratios.append(py / cpp)
        read_ratios.append(read / cpp)
        print(f"| {k + 1} | {cpp:.2f} | {py:.2f} | {py / cpp:.3f} | {read:.2f} | {read / cpp:.3f} |")
    print(f"median ratio {statistics.median(ratios):.3f}; with day_outcome() "
          f"{statistics.median(read_ratios):.3f}")


if __name__ == "__main__":
    main()
