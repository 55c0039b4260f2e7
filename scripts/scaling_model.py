#!/usr/bin/python3
"""Predicted parallel efficiency of mfgrid at rank counts beyond the machine, from two runs.

    scripts/scaling_model.py ONE_RANK.h5 TWO_RANKS.h5 [--agents 1e8,1e9] [--ranks 64,1024,16384]

The two run files hold the same scenario and population, one on 1 rank and one on 2 (threads per
rank alike). From their /perf/seconds (the slowest rank's seconds per phase, per day) the model
takes a day's cost on P ranks holding N agents in all (seconds):

    T(P, N) = r N / P (1 + i)                         rollout: the agents are split
            + R(P)                                    Allreduce of the day's statistics
            + M0 + M1 ceil(periods / P) / periods     market: period t cleared by rank t mod P
            + L0 + L1 ceil(C / P) / C                 learn: C prosumer classes dealt to the ranks
            [+ IO0 + IO1 / P]                         the run file: rank 0's writes, and the
                                                      large rows' compression, shared by the ranks

r is the 1-rank run's rollout seconds per agent-day, i (0 on one rank) the imbalance of the split
at 2 ranks: the slowest rank's rollout over r N / 2, less 1, taken to stay the same at any P
(agents are dealt by an estimate of their cost, whose error is relative); M0 + M1 and L0 + L1 are its market and learn
seconds per day, split into the replicated part (M0, L0) and the dealt part (M1, L1) by the
2-rank run (where the dealt part takes ceil(periods/2)/periods and ceil(C/2)/C of its 1-rank time).
The statistics' sum (Communicator::sum_sparse) is two ring Allreduces, an OR of one bit per value
and a sum of the Z values some rank counted, plus this rank's passes over memory:
R(P) = R_local(P) + 4 ceil(log2 P) alpha + 2 (S / 64 + 8 Z) beta (P - 1) / P, with S and Z (the
non-zeros of the run's statistics summed over its days, an upper bound of a day's) from the
checkpoint's copy (followers/model/totals), on links of latency alpha = 2 us and inverse bandwidth
beta = 0.1 ns/B (10 GB/s; --alpha, --beta), taken from a cluster rather than measured here. The
local passes are memory-bound: a rank reads its own classes' values (S / P bytes, its share of the
statistics), and makes four passes over the bitmap (S / 64 bytes: clear, OR, count, two walks)
and three over the Z packed values (24 Z bytes), so R_local(P) = rho (S / P + S / 16 + 24 Z),
rho fitted to the 2-rank run's reduce less the network terms. That reduce is the one of the rank
that waited least in it (the smallest over the ranks): the others' also holds their wait for the
slowest rollout, which the imbalance i counts. Strong efficiency
E(P) = T(1, N) / (P T(P, N)); weak, T(1, n) / T(P, n P).

IO0 and IO1 are split from the two runs' io like the market's and learn's parts.
Bounds: what stays on every rank (M0, L0, the statistics' Allreduce, IO0) against the rollout's
share r N / P. Exit status 0, 2 on bad input.
"""

import argparse
import math
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), os.pardir,
                                "analysis"))

from mfgrid_analysis import RunFileError, open_run  # noqa: E402
from mfgrid_analysis.cli import UsageError, int_list  # noqa: E402

PROG = "scaling_model.py"
PHASES = ("rollout", "reduce", "market", "learn", "io")


def number_list(text):
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}")
    if not values or any(v <= 0 or not math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"numbers must be positive: {text!r}")
    return values


def parse_args():
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("one", metavar="ONE_RANK.h5", help="the run on 1 rank")
    p.add_argument("two", metavar="TWO_RANKS.h5", help="the same run on 2 ranks")
    p.add_argument("--agents", type=number_list, default=[1e8, 1e9], metavar="N[,N...]",
                   help="total agents of the strong-scaling predictions (default 1e8,1e9)")
    p.add_argument("--per-rank", type=number_list, default=[1e6], metavar="n[,n...]",
                   help="agents per rank of the weak-scaling predictions (default 1e6)")
    p.add_argument("--ranks", type=int_list, default=[2, 64, 1024, 16384], metavar="P[,P...]",
                   help="rank counts (default 2,64,1024,16384)")
    p.add_argument("--alpha", type=float, default=2e-6, help="link latency, s (default 2e-6)")
    p.add_argument("--beta", type=float, default=1e-10,
                   help="inverse link bandwidth, s per byte (default 1e-10: 10 GB/s)")
    return p.parse_args()


class Run:
    """What the model reads from one run file."""

    def __init__(self, path):
        run = open_run(path)
        self.path = path
        self.ranks = int(run.attrs.get("ranks", 1))
        self.threads = int(run.attrs.get("threads", 1))
        self.agents = int(run.attrs["agents"])
        self.scenario = run.attrs.get("scenario_name", "")
        seconds = run.variable("perf/seconds")  # [day, rank, phase]
        self.days = seconds.sizes["day"]
        total = seconds.sum("day", skipna=False)
        slowest = total.max("rank", skipna=False)
        self.per_day = {ph: slowest.sel(phase=ph).item() / self.days for ph in PHASES}
        # The reduce of the rank that waited least for the others (see the docstring).
        self.least_waiting_reduce = total.sel(phase="reduce").min("rank").item() / self.days
        self.periods = run.variable("market/lmp").sizes["period"]
        self.dealt_classes = prosumer_classes(run)
        with h5py.File(path, "r") as f:
            totals = f.get("checkpoint/state/followers/model/totals")
            self.statistics_bytes = None if totals is None else totals.size * totals.dtype.itemsize
            self.nonzeros = None if totals is None else int(np.count_nonzero(totals[...]))


def prosumer_classes(run):
    """Classes whose best responses are dealt: those of a prosumer template (NAME or NAME@BUS)."""
    kinds = {c["name"]: c.get("kind") for c in run.scenario["households"]["class"]}
    names = [str(n) for n in run["outcome"].coords["class"].values]
    return sum(1 for n in names if kinds.get(n.split("@")[0]) == "prosumer")


class Model:
    def __init__(self, one, two, alpha, beta):
        self.r = one.per_day["rollout"] / one.agents
        self.imbalance = max(0.0, two.per_day["rollout"] / (self.r * two.agents / 2) - 1)
        self.periods, self.classes = one.periods, max(1, one.dealt_classes)
        share = lambda n: math.ceil(n / 2) / n  # the dealt part's share at 2 ranks
        self.market = split(one.per_day["market"], two.per_day["market"], share(self.periods))
        self.learn = split(one.per_day["learn"], two.per_day["learn"], share(self.classes))
        self.io = split(one.per_day["io"], two.per_day["io"], 0.5)
        self.bytes, self.nonzeros = one.statistics_bytes, one.nonzeros
        self.alpha, self.beta = alpha, beta
        self.measured_reduce = two.least_waiting_reduce
        local_two = max(0.0, self.measured_reduce - self.network(2)) if self.bytes else 0.0
        self.rho = local_two / self.local_bytes(2) if self.bytes else 0.0

    def network(self, p):
        sent = self.bytes / 64 + 8 * self.nonzeros
        return 4 * math.ceil(math.log2(p)) * self.alpha + 2 * sent * self.beta * (p - 1) / p

    def local_bytes(self, p):
        return self.bytes / p + self.bytes / 16 + 24 * self.nonzeros

    def local(self, p):
        return self.rho * self.local_bytes(p)

    def reduce(self, p):
        if p == 1:
            return 0.0
        if self.bytes is None:  # no statistics size known: the 2-rank measurement, per level
            return self.measured_reduce * math.ceil(math.log2(p))
        return self.local(p) + self.network(p)

    def day(self, p, n, io=False):
        m0, m1 = self.market
        l0, l1 = self.learn
        rollout = self.r * n / p * (1 + (self.imbalance if p > 1 else 0.0))
        return (rollout + self.reduce(p) + m0 + m1 * math.ceil(self.periods / p) /
                self.periods + l0 + l1 * math.ceil(self.classes / p) / self.classes +
                (self.io[0] + self.io[1] / p if io else 0.0))

    def strong(self, p, n, io=False):
        return self.day(1, n, io) / (p * self.day(p, n, io))

    def weak(self, p, n, io=False):
        return self.day(1, n, io) / self.day(p, n * p, io)


def split(one, two, share):
    """(replicated, dealt) seconds from a phase's 1-rank and 2-rank times."""
    dealt = (one - two) / (1 - share) if share < 1 else 0.0
    dealt = min(max(dealt, 0.0), one)
    return one - dealt, dealt


def report(one, two, model, args):
    ms = lambda s: f"{1e3 * s:.3g} ms"
    lines = [f"{one.scenario}: {one.agents} agents, {one.periods} periods, {model.classes} "
             f"prosumer classes, {one.threads} thread(s) per rank; {one.days} and {two.days} days",
             f"  rollout r = {1e9 * model.r:.6g} ns per agent-day (on one rank), imbalance "
             f"i = {model.imbalance:.3f} (at 2 ranks)",
             f"  market  M0 = {ms(model.market[0])} replicated, M1 = {ms(model.market[1])} dealt",
             f"  learn   L0 = {ms(model.learn[0])} replicated, L1 = {ms(model.learn[1])} dealt",
             f"  io      IO0 = {ms(model.io[0])} on rank 0, IO1 = {ms(model.io[1])} shared "
             f"by the ranks, a day",
             "  statistics S = " + (f"{model.bytes / 1e6:.6g} MB, Z = {model.nonzeros} non-zeros"
                                      if model.bytes else "unknown") +
             f"; reduce at 2 ranks {ms(model.measured_reduce)} (shared memory, the rank that "
             f"waited least): R_local = {ms(model.local(2))} at 2 ranks, "
             f"{ms(model.local(1024))} at 1024; network at 1024 ranks {ms(model.network(1024))}",
             f"  at 2 ranks: model {ms(model.day(2, one.agents))}, measured "
             f"{ms(sum(two.per_day[p] for p in PHASES[:4]))} a day (without io)", ""]
    header = (["P"] + [f"strong N={n:.0e}" for n in args.agents] +
              [f"strong N={n:.0e} with io" for n in args.agents] +
              [f"weak n={n:.0e}" for n in args.per_rank])
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---:" for _ in header) + "|")
    for p in args.ranks:
        cells = ([f"{model.strong(p, n):.3f}" for n in args.agents] +
                 [f"{model.strong(p, n, io=True):.3f}" for n in args.agents] +
                 [f"{model.weak(p, n):.3f}" for n in args.per_rank])
        lines.append(f"| {p} | " + " | ".join(cells) + " |")
    if any(model.weak(p, n) > 1.0 for p in args.ranks for n in args.per_rank):
        lines += ["", "Weak efficiency above 1: the classes' updates (L1) and the market's periods "
                  "(M1) do not grow with the agents, and P ranks share them."]
    return "\n".join(lines)


def main():
    args = parse_args()
    try:
        one, two = Run(args.one), Run(args.two)
        if one.ranks != 1 or two.ranks != 2:
            raise UsageError(f"need a 1-rank and a 2-rank run, got {one.ranks} ({one.path}) and "
                             f"{two.ranks} ({two.path})")
        if (one.scenario, one.agents, one.threads) != (two.scenario, two.agents, two.threads):
            raise UsageError("the two runs differ in scenario, agents or threads per rank")
        print(report(one, two, Model(one, two, args.alpha, args.beta), args))
    except (UsageError, RunFileError) as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
