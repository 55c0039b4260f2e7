"""ieee3-equity: what the default leader (zo-surrogate, soft-q followers) finds against the flat
tariff, per seed, from the run files alone:
  - the EEI gap (max − min over groups of the mean EEI of the last 20 days, recomputed here from
    /outcome/bill and the groups' incomes in the scenario) is below the flat tariff's;
  - the learned fixed charges rise with income (the last posted tariff);
  - revenue adequacy is met on average over the last 20 days;
  - the rates settle: the mean |Δ rate| from day to day is smaller in the last 20 days than in the
    first 20 after the warm-up;
  - the LMP volatility the tariff causes falls as the leader learns: with the flat tariff's run of
    the same seed as the control (the same weather: common random numbers), the mean day-to-day
    change |Δ(LMP − LMP_flat)| over the periods is smaller in the last 20 days than in the first
    20 after the warm-up, at every bus, on average over the seeds. (The LMPs' own day-to-day
    change is the weather's: the same for every tariff to three decimals, so it is no measure of
    what learning does. Per seed it falls at 13 of the 15 seed × bus pairs; docs/results.md.)

usage: equity_findings.py MFGRID WORKDIR [SEED …]   (seeds default 1 2 3 4 5)
"""

import os
import sys
import tomllib

import h5py
import numpy as np

from equity_runs import check, run_default


def eei_gap(f):
    s = tomllib.loads(f.attrs["scenario"])
    income = np.array([g["income"] for g in s["households"]["group"]])
    eei = f["outcome/bill"][-20:].mean(axis=0) * 365 / income
    check(np.allclose(eei, f["outcome/eei"][-20:].mean(axis=0), rtol=1e-9),
          "outcome/eei is not the annualised bill over income")
    return np.ptp(eei), income


def main():
    mfgrid, workdir = sys.argv[1], sys.argv[2]
    seeds = [int(s) for s in sys.argv[3:]] or [1, 2, 3, 4, 5]
    os.makedirs(workdir, exist_ok=True)
    reductions = []
    tariff_first, tariff_last = [], []
    for seed in seeds:
        with h5py.File(run_default(mfgrid, workdir, seed, "fixed"), "r") as flat, \
             h5py.File(run_default(mfgrid, workdir, seed, "zo-surrogate"), "r") as learned:
            base, income = eei_gap(flat)
            gap, _ = eei_gap(learned)
            reductions.append(1 - gap / base)
            fixed = learned["tariff/fixed_charge"][-1]
            order = np.argsort(income, kind="stable")
            adequacy = learned["outcome/revenue_adequacy"][-20:].mean()
            warmup = tomllib.loads(learned.attrs["scenario"])["leader"]["warmup_days"]
            rate = learned["tariff/import_rate"][:]
            change = np.abs(np.diff(rate, axis=0)).mean(axis=(1, 2))
            early, late = change[warmup:warmup + 20].mean(), change[-20:].mean()
            # The tariff's part of the LMPs' day-to-day change: the changes into days
            # warmup + 1 … warmup + 20, and into the last 20 days.
            excess = learned["market/lmp"][:] - flat["market/lmp"][:]
            step = np.abs(np.diff(excess, axis=0)).mean(axis=1)  # [day − 1, bus]
            tariff_first.append(step[warmup:warmup + 20].mean(axis=0))
            tariff_last.append(step[-20:].mean(axis=0))
            print(f"seed {seed}: EEI gap {gap:.4f} against the flat tariff's {base:.4f} "
                  f"({-100 * reductions[-1]:+.1f} %), fixed charges {np.round(fixed, 3).tolist()} "
                  f"$/day, revenue adequacy {adequacy:.0f} $/day, rate change {early:.2f} → "
                  f"{late:.2f} $/MWh/day")
            check(gap < base, f"seed {seed}: the learned tariff's EEI gap is not below the flat one")
            check(np.all(np.diff(fixed[order]) >= 0) and fixed[order][-1] > fixed[order][0],
                  f"seed {seed}: fixed charges do not rise with income")
            check(adequacy >= 0, f"seed {seed}: revenue shortfall over the last 20 days")
            check(late < early, f"seed {seed}: the rates do not settle")
    print(f"gap reduction {100 * np.mean(reductions):.1f} % ± {100 * np.std(reductions, ddof=1):.1f}"
          " (mean ± s.d. over seeds)" if len(reductions) > 1 else "")
    first, last = np.mean(tariff_first, axis=0), np.mean(tariff_last, axis=0)
    print(f"the tariff's part of the LMP change, mean over seeds, per bus: first 20 days after the "
          f"warm-up {np.round(first, 3).tolist()} → last 20 {np.round(last, 3).tolist()} $/MWh/day")
    check(np.all(last < first), "the LMP volatility the tariff causes does not fall at every bus")
    print("ok")


if __name__ == "__main__":
    main()
