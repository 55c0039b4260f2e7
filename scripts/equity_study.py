#!/usr/bin/env python3
"""The equity study of ieee3-equity in one command: every leader against the flat tariff, over
seeds, summarised as mean ± s.d. over the seeds.

Runs (one run file each, under OUT/runs/; an existing complete file is kept, an interrupted one
resumed: `mfgrid run --continue`):
  flat                  leader.learner = fixed (the baseline)
  zo-surrogate          the default leader, soft-q followers
  softmax-net, ppo, zo  the other leaders, soft-q followers
  zo-surrogate+ppo      zo-surrogate with ppo followers (the poster's learner)

Writes OUT/summary.json (every number per run) and OUT/summary.md (the tables), and prints the
tables. Figures of merit, all from the run files:
  - EEI per group and the EEI gap (max − min): mean over the last 20 days;
  - the learned fixed charge per group: the last day's;
  - the rates: the mean day-to-day change of the import rates, first 20 days after the warm-up and
    last 20 days ($/MWh/day), and the last day's rate per period;
  - LMP volatility per bus: mean |LMP(d, t) − LMP(d − 1, t)| / mean LMP over the first and the last
    20 days;
  - revenue adequacy: mean over the last 20 days ($/day).

usage: /usr/bin/python3 scripts/equity_study.py [-o OUT] [--seeds 1,2,3,4,5] [--mfgrid PATH]
                                                [--only NAME,…] [--force]
                                                [-- extra mfgrid run options]
"""

import argparse
import json
import os
import subprocess
import sys
import tomllib

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAST = 20  # days in the "last" and "first" windows

CONFIGS = {
    "flat": ["leader.learner=fixed"],
    "zo-surrogate": ["leader.learner=zo-surrogate"],
    "softmax-net": ["leader.learner=softmax-net"],
    "ppo": ["leader.learner=ppo"],
    "zo": ["leader.learner=zo"],
    "zo-surrogate+ppo": ["leader.learner=zo-surrogate", "followers.learner=ppo"],
}


def run(mfgrid, path, seed, settings, extra, force):
    cmd = [mfgrid, "run", "ieee3-equity", "--seed", str(seed), "-o", path,
           "--force" if force else "--continue", "--quiet"]
    for s in settings:
        cmd += ["--set", s]
    subprocess.run(cmd + extra, check=True, stdout=subprocess.DEVNULL)


def volatility(lmp):
    return np.abs(np.diff(lmp, axis=0)).mean(axis=(0, 1)) / lmp.mean(axis=(0, 1))


def measure(path):
    with h5py.File(path, "r") as f:
        s = tomllib.loads(f.attrs["scenario"])
        warmup = s["leader"].get("warmup_days", 0)
        eei = f["outcome/eei"][-LAST:].mean(axis=0)
        lmp = f["market/lmp"][:]
        rate = f["tariff/import_rate"][:]
        change = np.abs(np.diff(rate, axis=0)).mean(axis=(1, 2))
        return {
            "groups": [g["name"] for g in s["households"]["group"]],
            "buses": [b["name"] for b in s["network"]["bus"]],
            "eei": eei.tolist(),
            "eei_gap": float(np.ptp(eei)),
            "fixed_charge": f["tariff/fixed_charge"][-1].tolist(),
            "rate_change_first": float(change[warmup:warmup + LAST].mean()),
            "rate_change_last": float(change[-LAST:].mean()),
            "rate_last_day": rate[-1, :, 0].tolist(),
            "lmp_volatility_first": volatility(lmp[:LAST]).tolist(),
            "lmp_volatility_last": volatility(lmp[-LAST:]).tolist(),
            "revenue_adequacy": float(f["outcome/revenue_adequacy"][-LAST:].mean()),
        }


def pm(values, digits=4):
    v = np.asarray(values, dtype=float)
    sd = v.std(axis=0, ddof=1) if len(v) > 1 else np.zeros(v.shape[1:])
    m = v.mean(axis=0)
    if m.ndim == 0:
        return f"{m:.{digits}f} ± {sd:.{digits}f}"
    return ", ".join(f"{a:.{digits}f} ± {b:.{digits}f}" for a, b in zip(m, sd))


def tables(results, seeds):
    names = [n for n in CONFIGS if n in results]
    first = results[names[0]][0]
    groups, buses = first["groups"], first["buses"]
    flat = results.get("flat")
    out = [f"Seeds {', '.join(map(str, seeds))}; mean ± s.d. over the seeds; EEI and revenue "
           f"adequacy over the last {LAST} days.", ""]
    out += ["| run | EEI gap | vs flat | EEI (" + ", ".join(groups) + ") | fixed charge $/day (" +
            ", ".join(groups) + ") | revenue adequacy $/day |", "|---|---|---|---|---|---|"]
    for n in names:
        r = results[n]
        vs = "—"
        if flat and n != "flat":
            vs = pm([100 * (x["eei_gap"] / b["eei_gap"] - 1) for x, b in zip(r, flat)], 1) + " %"
        out.append(f"| {n} | {pm([x['eei_gap'] for x in r])} | {vs} | {pm([x['eei'] for x in r])} | "
                   f"{pm([x['fixed_charge'] for x in r], 3)} | "
                   f"{pm([x['revenue_adequacy'] for x in r], 0)} |")
    out += ["", "| run | rate change, first → last 20 days ($/MWh/day) | LMP volatility first 20 d ("
            + ", ".join(buses) + ") | last 20 d |", "|---|---|---|---|"]
    for n in names:
        r = results[n]
        out.append(f"| {n} | {pm([x['rate_change_first'] for x in r], 2)} → "
                   f"{pm([x['rate_change_last'] for x in r], 2)} | "
                   f"{pm([x['lmp_volatility_first'] for x in r], 3)} | "
                   f"{pm([x['lmp_volatility_last'] for x in r], 3)} |")
    return "\n".join(out) + "\n"


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("-o", "--out", default=os.path.join(ROOT, "runs", "equity-study"))
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--mfgrid", default=os.path.join(ROOT, "build", "release", "mfgrid"))
    p.add_argument("--only", default=",".join(CONFIGS), help="runs to make (default: all)")
    p.add_argument("--force", action="store_true", help="make every run again (default: keep "
                   "complete run files, resume interrupted ones)")
    a = p.parse_args(argv)
    seeds = [int(s) for s in a.seeds.split(",")]
    only = a.only.split(",")
    unknown = [n for n in only if n not in CONFIGS]
    if unknown:
        p.error(f"unknown run(s) {', '.join(unknown)}; known: {', '.join(CONFIGS)}")
    os.makedirs(os.path.join(a.out, "runs"), exist_ok=True)
    results = {}
    for n in only:
        results[n] = []
        for seed in seeds:
            path = os.path.join(a.out, "runs", f"{n}-seed{seed}.h5")
            print(f"{n}, seed {seed}: {path}", file=sys.stderr)
            run(a.mfgrid, path, seed, CONFIGS[n], extra, a.force)
            results[n].append(measure(path))
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump({"seeds": seeds, "extra": extra, "runs": results}, f, indent=1)
    text = tables(results, seeds)
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
