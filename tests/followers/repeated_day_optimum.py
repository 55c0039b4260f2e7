"""The `optimizer` followers on a repeated deterministic day play the exact best response.

    repeated_day_optimum.py MFGRID SCENARIO WORKDIR

Runs SCENARIO (tests/data/repeated_day.toml: one class, no noise, a fixed tariff) through the real
binary, then builds the household's day as an LP here, from the scenario's numbers alone, and
solves it with SciPy's HiGHS (not CLP): the free-level cyclic day (the battery starts and ends at
one level, which the household chooses). From day 1 on, every recorded day must cost what that LP
says, to 1e-6 relative: the class's bill (outcome/class_bill) plus the battery wear its recorded
state of charge implies. Day 0 starts from initial_soc and may cost more. The same LP with the
level pinned at initial_soc (what the followers did before) is printed beside it.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import h5py
import numpy as np
from scipy.optimize import linprog


def day_lp(s, pinned_level=None):
    """Minimum cost ($/day) of one household's day: energy at the tariff plus battery wear."""
    c = s["households"]["class"][0]
    T = s["time"]["periods"]
    hours = 24.0 / T
    shape = np.array(c["demand_shape"], float)
    demand = c["daily_kwh"] * shape / shape.sum()
    pv = c["pv_kw"] * np.array(s["households"]["solar_profile"], float) * hours
    phi = s["followers"].get("flexible_share", 0.0)
    wear = s["followers"].get("degradation_cost", 0.0)
    imp = np.array(s["tariff"]["import_rates"], float) / 1000.0  # $/kWh
    exp = np.full(T, s["tariff"]["export_rate"] / 1000.0)
    E, P = c["battery_kwh"], c["battery_kw"] * hours
    eta_c, eta_d = c["eta_charge"], c["eta_discharge"]
    # Variables: c_t, d_t, s_t, f_t, m_t, x_t (t = 0..T-1), then L (the level at midnight).
    n = 6 * T + 1
    idx = lambda k, t: 6 * t + k
    L = 6 * T
    cost = np.zeros(n)
    for t in range(T):
        cost[idx(0, t)] = wear
        cost[idx(1, t)] = wear
        cost[idx(4, t)] = imp[t]
        cost[idx(5, t)] = -exp[t]
    A, b = [], []
    for t in range(T):
        row = np.zeros(n)  # m - x - c + d - f = (1 - phi) D - PV
        row[idx(4, t)], row[idx(5, t)], row[idx(0, t)], row[idx(1, t)], row[idx(3, t)] = (
            1, -1, -1, 1, -1)
        A.append(row)
        b.append((1 - phi) * demand[t] - pv[t])
        row = np.zeros(n)  # s_t = s_{t-1} + eta_c c_t - d_t / eta_d, s_{-1} = L
        row[idx(2, t)] = 1
        row[idx(2, t - 1) if t > 0 else L] = -1
        row[idx(0, t)], row[idx(1, t)] = -eta_c, 1 / eta_d
        A.append(row)
        b.append(0.0)
    row = np.zeros(n)  # the flexible share keeps its energy
    for t in range(T):
        row[idx(3, t)] = 1
    A.append(row)
    b.append(phi * demand.sum())
    row = np.zeros(n)  # the day ends where it began
    row[idx(2, T - 1)], row[L] = 1, -1
    A.append(row)
    b.append(0.0)
    bounds = []
    for t in range(T):
        bounds += [(0, P), (0, P), (0, E), (0, 3 * phi * demand[t]), (0, None), (0, None)]
    bounds.append((0, E) if pinned_level is None else (pinned_level, pinned_level))
    r = linprog(cost, A_eq=np.array(A), b_eq=np.array(b), bounds=bounds, method="highs")
    assert r.status == 0, r.message
    return r.fun, r.x[L]


def main():
    mfgrid, scenario, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    out = work / "repeated_day.h5"
    subprocess.run([mfgrid, "run", scenario, "-o", str(out), "--force", "--quiet"], check=True)
    with h5py.File(out, "r") as f:
        s = tomllib.loads(f.attrs["scenario"].decode() if isinstance(f.attrs["scenario"], bytes)
                          else f.attrs["scenario"])
        bill = f["outcome/class_bill"][:, 0]
        soc = f["agents/soc"][()].astype(float)  # [day, period, agent], after each period
    c = s["households"]["class"][0]
    wear = s["followers"].get("degradation_cost", 0.0)
    eta_c, eta_d = c["eta_charge"], c["eta_discharge"]
    optimum, level = day_lp(s)
    pinned, _ = day_lp(s, pinned_level=c["initial_soc"] * c["battery_kwh"])
    print(f"free-level cyclic LP (HiGHS): {optimum:.6f} $/day at a level of {level:.4f} kWh; "
          f"pinned at initial_soc: {pinned:.6f} $/day")
    days = bill.shape[0]
    worst = 0.0
    for d in range(1, days):
        start = soc[d - 1, -1, 0]
        delta = np.diff(np.concatenate([[start], soc[d, :, 0]]))
        moved = np.where(delta > 0, delta / eta_c, -delta * eta_d).sum()
        recorded = bill[d] + wear * moved
        rel = abs(recorded - optimum) / abs(optimum)
        worst = max(worst, rel)
        print(f"day {d}: recorded {recorded:.6f} $ (bill {bill[d]:.6f} + wear), "
              f"relative gap {rel:.2e}")
    print(f"day 0 (from initial_soc): bill {bill[0]:.6f} $")
    if worst > 1e-6:
        sys.exit(f"FAIL: a recorded day is {worst:.2e} (relative) from the cyclic optimum")
    print("ok: every day from day 1 on costs the free-level cyclic optimum to 1e-6")


if __name__ == "__main__":
    main()
