"""ieee3-equity under the flat tariff: prices that move, congestion that depends on the day.

Runs the flat-tariff baseline (leader.learner = fixed) for each seed and checks, from the run
file and the scenario's own numbers (the resolved scenario stored in the file):
  - the exogenous load is the scenario's base load times the day's factor, and the factors have
    the scenario's seasonal mean, day-to-day standard deviation and correlation between buses
    (recomputed here from load_sd, load_correlation, load_season, load_peak_day);
  - at every bus the mean day-to-day change of the LMP, |LMP(d, t) − LMP(d − 1, t)| over days and
    periods, is at least 5 % of the bus's mean LMP;
  - a line reaches its limit in more than one period of the day (over the run), and not every day;
  - no load is shed.

usage: equity_prices.py MFGRID WORKDIR [SEED …]   (seeds default 1 2 3 4 5)
"""

import os
import sys
import tomllib

import h5py
import numpy as np

from equity_runs import check, run_default


def main():
    mfgrid, workdir = sys.argv[1], sys.argv[2]
    seeds = [int(s) for s in sys.argv[3:]] or [1, 2, 3, 4, 5]
    os.makedirs(workdir, exist_ok=True)
    factors = []
    for seed in seeds:
        with h5py.File(run_default(mfgrid, workdir, seed, "fixed"), "r") as f:
            s = tomllib.loads(f.attrs["scenario"])
            net = s["network"]
            lmp = f["market/lmp"][:]
            days = lmp.shape[0]
            check(days == s["time"]["days"], f"seed {seed}: {days} days written")
            # Exogenous load = base × profile × factor of the day.
            base = np.array([b["base_load_mw"] for b in net["bus"]])
            profile = np.array(net["load_profile"])
            exo = f["market/net_load"][:] - f["market/household_load"][:]
            factor = f["market/load_factor"][:]
            expect = factor[:, None, :] * profile[None, :, None] * base[None, None, :]
            check(np.allclose(exo, expect, rtol=1e-12, atol=1e-9),
                  f"seed {seed}: exogenous load is not base × profile × load_factor")
            doy = (s["time"]["first_day_of_year"] - 1 + np.arange(days)) % 365 + 1
            season = 1 + net["load_season"] * np.cos(2 * np.pi * (doy - net["load_peak_day"]) / 365)
            factors.append(factor / season[:, None])
            # Prices that move.
            change = np.abs(np.diff(lmp, axis=0)).mean(axis=(0, 1))
            mean = lmp.mean(axis=(0, 1))
            ratio = change / mean
            print(f"seed {seed}: mean LMP {np.round(mean, 2)} $/MWh, mean day-to-day change "
                  f"{np.round(change, 3)} = {np.round(100 * ratio, 1)} %")
            check(np.all(ratio >= 0.05), f"seed {seed}: day-to-day LMP change below 5 % of the mean")
            # Congestion, from the flows and the scenario's limits.
            limit = np.array([l["limit_mw"] for l in net["line"]])
            flow = np.abs(f["market/flow"][:])
            limited = limit > 0
            at_limit = (flow[:, :, limited] >= limit[limited] * (1 - 1e-9)).any(axis=2)
            periods = np.flatnonzero(at_limit.any(axis=0))
            share = at_limit.mean(axis=0)
            print(f"seed {seed}: congested periods {periods.tolist()}, share of days "
                  f"{np.round(share[periods], 2).tolist()}")
            check(len(periods) > 1, f"seed {seed}: congestion in {len(periods)} period(s) only")
            check(np.all(share < 1), f"seed {seed}: a period is congested on every day")
            check(np.array_equal(at_limit.sum(axis=1), f["outcome/congested_periods"][:]),
                  f"seed {seed}: outcome/congested_periods disagrees with the flows")
            check(f["market/shed"][:].max() == 0, f"seed {seed}: load shed")
    # The load factors' statistics (all seeds together: 5 × 100 days × buses).
    z = (np.concatenate(factors) - 1) / net["load_sd"]
    sd = z.std()
    corr = np.corrcoef(z.T)[np.triu_indices(z.shape[1], 1)]
    print(f"load factors: mean {z.mean():.3f}, s.d. {sd:.3f} (of load_sd), correlation between "
          f"buses {np.round(corr, 3).tolist()} (load_correlation {net['load_correlation']})")
    n = z.size
    check(abs(z.mean()) < 5 / np.sqrt(n), "load factors: mean off 1 beyond sampling error")
    check(abs(sd - 1) < 5 / np.sqrt(2 * n), "load factors: s.d. off load_sd beyond sampling error")
    rows = z.shape[0]
    check(np.all(np.abs(corr - net["load_correlation"]) < 5 * (1 - net["load_correlation"] ** 2)
                 / np.sqrt(rows)), "load factors: correlation off load_correlation")
    print("ok")


if __name__ == "__main__":
    main()
