#!/usr/bin/python3
"""The equity study's runs over the seasons: annual and per-quarter figures of each configuration,
mean ± s.d. over seeds, from an equity study's run files (scripts/equity_study.py).

usage: /usr/bin/python3 scripts/equity_seasons.py STUDY_DIR [--names flat,zo-surrogate,…]
           [--figure OUT.png]

Per configuration: the EEI per group and its gap over the whole run (the annual EEI: 365 × the
mean daily bill over income, i.e. the mean of the daily EEI), the revenue adequacy per quarter of
the run (days 0-90, 91-181, …; $/day), the last day's import rates (the mean of the off-peak and of
the peak periods, tariff.peak_periods) and fixed
charges, and — where the run file has them (format 3) — the last day's distribution of the
households' energy burden to date per group (10th / 50th / 90th percentiles and the share at 6 %
or more). `--figure` draws the EEI gap and the revenue adequacy through the run (mean over seeds,
weekly means) for each configuration.
"""

import argparse
import glob
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from mfgrid import open_run  # noqa: E402


def measure(path):
    with open_run(path) as run:
        out = run["outcome"]
        eei = out.eei.mean("day", skipna=False)
        days = out.sizes["day"]
        quarters = [out.revenue_adequacy.isel(day=slice(q * days // 4, (q + 1) * days // 4))
                    .mean(skipna=False).item() for q in range(4)]
        tariff = run["tariff"]
        rate = tariff.import_rate.isel(day=-1, bus=0).values
        peak = np.zeros(len(rate), dtype=bool)
        peak[run.scenario["tariff"].get("peak_periods", [])] = True
        m = {"groups": list(out.group.values), "eei": eei.values, "gap": float(np.ptp(eei.values)),
             "adequacy_quarters": quarters,
             "adequacy_year": float(out.revenue_adequacy.mean(skipna=False)),
             "rates": [float(rate[~peak].mean()), float(rate[peak].mean()) if peak.any()
                       else float("nan")],
             "fixed": tariff.fixed_charge.isel(day=-1).values,
             "start": str(out.time.values[0])[:10], "days": days}
        gap = out.eei.max("group") - out.eei.min("group")
        m["series"] = {"time": out.time.values, "gap": gap.values,
                       "adequacy": out.revenue_adequacy.values}
        if "burden_p50" in out:
            m["burden"] = np.array([out[k].isel(day=-1).values for k in
                                    ("burden_p10", "burden_p50", "burden_p90",
                                     "high_burden_share")])
    return m


def figure(runs, names, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    week = 7
    for n in names:
        series = runs[n]
        time = series[0]["series"]["time"]
        for ax, key in zip(axes, ("gap", "adequacy")):
            v = np.mean([r["series"][key] for r in series], axis=0)
            weekly = np.convolve(v, np.ones(week) / week, mode="valid")
            ax.plot(time[week - 1:], weekly, label=n)
    axes[0].set_ylabel("EEI gap (max − min over groups)")
    axes[1].set_ylabel("revenue adequacy ($/day)")
    axes[1].axhline(0, color="k", linewidth=0.5)
    axes[0].legend(fontsize=8)
    axes[1].set_xlabel("date (weekly means; mean over seeds)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def fmt(values, digits):
    v = np.asarray(values, dtype=float)
    m, s = v.mean(axis=0), v.std(axis=0, ddof=1) if len(v) > 1 else np.zeros(v.shape[1:])
    if m.ndim == 0:
        return f"{m:.{digits}f} ± {s:.{digits}f}"
    return ", ".join(f"{a:.{digits}f} ± {b:.{digits}f}" for a, b in zip(m, s))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("study")
    p.add_argument("--names", help="comma-separated configurations (default: all, in file order)")
    p.add_argument("--figure", help="draw the EEI gap and revenue adequacy through the run here")
    a = p.parse_args()
    runs = {}
    for path in sorted(glob.glob(os.path.join(a.study, "runs", "*-seed*.h5"))):
        name = re.sub(r"-seed\d+\.h5$", "", os.path.basename(path))
        runs.setdefault(name, []).append(measure(path))
    names = a.names.split(",") if a.names else list(runs)
    first = runs[names[0]][0]
    print(f"{a.study}: {first['days']} days from {first['start']}; groups "
          f"{', '.join(first['groups'])}; mean ± s.d. over {len(runs[names[0]])} seeds\n")
    print("| run | EEI over the run | EEI gap | revenue adequacy by quarter $/day | over the run "
          "| last day's rates off-peak, peak $/MWh | fixed charges $/day |")
    print("|---|---|---|---|---|---|---|")
    for n in names:
        r = runs[n]
        print(f"| {n} | {fmt([x['eei'] for x in r], 4)} | {fmt([x['gap'] for x in r], 4)} | "
              f"{fmt([x['adequacy_quarters'] for x in r], 0)} | "
              f"{fmt([x['adequacy_year'] for x in r], 0)} | {fmt([x['rates'] for x in r], 1)} | "
              f"{fmt([x['fixed'] for x in r], 3)} |")
    if "burden" in first:
        print("\nLast day's energy burden to date per group (" + ", ".join(first["groups"]) +
              "): 10th / 50th / 90th percentile, share at 6 % or more\n")
        print("| run | p10 | p50 | p90 | share ≥ 6 % |")
        print("|---|---|---|---|---|")
        for n in names:
            b = np.array([x["burden"] for x in runs[n]])  # [seed, figure, group]
            print(f"| {n} | " + " | ".join(fmt(b[:, k, :], 4 if k < 3 else 3) for k in range(4))
                  + " |")


    if a.figure:
        figure(runs, names, a.figure)


if __name__ == "__main__":
    main()
