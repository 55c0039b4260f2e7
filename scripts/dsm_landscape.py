#!/usr/bin/python3
"""The leader's objective J of dsm-community between two tariffs, evaluated independently of any
leader learner: each point is a run of the scenario under that fixed tariff (leader.learner =
fixed), and J is the objective of its last day (the households' batteries then live their
cycle: the response to a tariff does not depend on the days before it).

Why: in the DSM study zo and zo-surrogate end at different tariffs. If J has a ridge on the
segment between them, zo (local, two-point gradient estimates at a shrinking δ) stopped at a
local minimum, and the surrogate's trust region stepped over the ridge.

Reads the final (best) tariffs of two configurations of a DSM study for one seed, evaluates J at
POINTS points of the segment from the first to the second (s = 0 … 1), and along the parameter in
which they differ most (normalised), from the first tariff's value to the second's and beyond
(for an import rate, with the households' load in its period).
Writes OUT/landscape-seedS.json and a figure OUT/figures/dsm_landscape-seedS.png; prints a table.

usage: /usr/bin/python3 scripts/dsm_landscape.py STUDY_DIR [--seed 1] [--from zo-K4]
           [--to zo-surrogate-K4-tmax10] [--points 21] [--days 3] [--mfgrid PATH] [-o OUT]
"""

import argparse
import json
import os
import sys

import numpy as np

import study_runner
from fixed_tariff import objective, outcome
from mfgrid_analysis import figures
from mfgrid_analysis.dsm_study import read

SCENARIO = "dsm-community"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("study", metavar="STUDY_DIR")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--from", dest="first", default="zo-K4")
    p.add_argument("--to", dest="second", default="zo-surrogate-K4-tmax10")
    p.add_argument("--points", type=int, default=21)
    p.add_argument("--days", type=int, default=3)
    p.add_argument("--mfgrid", default=os.path.join(study_runner.ROOT, "build", "release",
                                                    "mfgrid"))
    p.add_argument("-o", "--out", help="output directory (default: the study's)")
    a = p.parse_args()
    out = a.out or a.study
    ends = []
    for name in (a.first, a.second):
        path = study_runner.run_path(a.study, name, a.seed)
        if not os.path.exists(path):
            sys.exit(f"{path}: no such run (run scripts/dsm_study.py first)")
        d = read(path)
        k = int(np.argmin(d["objective"]))
        ends.append({"name": name, "theta": d["theta"][k], "normalised": d["normalised"][k],
                     "j": float(d["objective"][k])})
    params = d["params"]
    a_theta, b_theta = ends[0]["theta"], ends[1]["theta"]
    axis = int(np.argmax(np.abs(ends[1]["normalised"] - ends[0]["normalised"])))
    s = np.linspace(0, 1, a.points)
    # Along the axis: from the first tariff's value past the second's by half the distance.
    t = np.linspace(0, 1.5, int(1.5 * (a.points - 1)) + 1)
    def j(theta):
        return objective(a.mfgrid, SCENARIO, a.seed, params, theta, a.days)

    segment = [j(a_theta + x * (b_theta - a_theta)) for x in s]
    # Along the axis, also the households' load in the axis's period (an import rate's).
    along, load = [], []
    period = int(params[axis][len("import_t"):]) if params[axis].startswith("import_t") else None
    for x in t:
        theta = a_theta.copy()
        theta[axis] = a_theta[axis] + x * (b_theta[axis] - a_theta[axis])
        value, households = outcome(a.mfgrid, SCENARIO, a.seed, params, theta, a.days)
        along.append(value)
        load.append(float(households[period]) if period is not None else float("nan"))
    result = {"seed": a.seed, "from": ends[0]["name"], "to": ends[1]["name"], "params": params,
              "theta_from": a_theta.tolist(), "theta_to": b_theta.tolist(),
              "j_from_observed": ends[0]["j"], "j_to_observed": ends[1]["j"],
              "segment_s": s.tolist(), "segment_j": segment, "axis": params[axis],
              "axis_values": (a_theta[axis] + t * (b_theta[axis] - a_theta[axis])).tolist(),
              "axis_j": along, "axis_period_load_mw": load}
    # A ridge: somewhere between the ends J rises above both of its neighbours' minima.
    seg = np.array(segment)
    result["segment_max_rise"] = float(max(seg[i] - seg[:i + 1].min() for i in range(len(seg))))
    os.makedirs(os.path.join(out, "figures"), exist_ok=True)
    with open(os.path.join(out, f"landscape-seed{a.seed}.json"), "w") as f:
        json.dump(result, f, indent=1)
    fig, axes = figures.new(1, 2, width=11)
    ax = axes[0][0]
    ax.plot(s, segment, marker="o", ms=3)
    ax.set_xlabel(f"s: (1 − s)·θ[{ends[0]['name']}] + s·θ[{ends[1]['name']}]")
    ax.set_ylabel("J (fixed-tariff run)")
    ax.set_title(f"J on the segment between the final tariffs (seed {a.seed})", fontsize="medium")
    ax = axes[0][1]
    ax.plot(result["axis_values"], along, marker="o", ms=3)
    for e, c in zip(ends, ("k", "tab:orange")):
        ax.axvline(e["theta"][axis], color=c, lw=0.8, ls=":", label=e["name"])
    ax.set_xlabel(f"{params[axis]} (the others at {ends[0]['name']}'s)")
    ax.set_title(f"J along {params[axis]}", fontsize="medium")
    ax.legend(fontsize="small")
    figures.save(fig, os.path.join(out, "figures"), f"dsm_landscape-seed{a.seed}", [])
    print(f"seed {a.seed}: {ends[0]['name']} J = {ends[0]['j']:.6f} (observed), "
          f"{ends[1]['name']} J = {ends[1]['j']:.6f}; differ most in {params[axis]}: "
          f"{a_theta[axis]:.4g} vs {b_theta[axis]:.4g}")
    print("segment s: " + " ".join(f"{x:.2f}" for x in s))
    print("J:         " + " ".join(f"{x:.5f}" for x in segment))
    print(f"along {params[axis]}: " + " ".join(f"{v:.1f}:{j:.5f}" for v, j in
                                                zip(result["axis_values"], along)))
    if period is not None:
        print(f"the households' load in period {period} (MW) along it: " +
              " ".join(f"{v:.1f}:{x:.4f}" for v, x in zip(result["axis_values"], load)))
    print(f"largest rise on the segment above its running minimum: "
          f"{result['segment_max_rise']:.2e}")


if __name__ == "__main__":
    main()
