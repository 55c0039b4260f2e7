#!/usr/bin/python3
"""The energy burden's distribution in the run file against every household's bill computed here.

usage: burden_distribution_check.py MFGRID WORKDIR

Runs ieee3-equity for 12 days (the leader posts a new tariff after day 8) recording the trajectory
of every agent (output.sample_agents = all of them). From those trajectories, the day's LMPs and
tariff rows and the scenario's incomes alone, it bills every household for every day (imports at
the import rate, exports at the bus LMP: net billing, plus the group's fixed charge), accumulates
each one's bill, and computes the burden to date (bill / days · 365 / income) per income group:
its 10th, 50th and 90th percentiles and the share at 6 % or more. The file's figures, from the
reduction over every agent at 0.0001 resolution, must agree within one bin.
"""

import math
import os
import subprocess
import sys
import tomllib

import h5py
import numpy as np

WIDTH = 1e-4  # the distribution's bin (include/mfgrid/agents/burden_distribution.hpp)


def main():
    mfgrid, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "burden.h5")
    days = 12
    subprocess.run([mfgrid, "run", "ieee3-equity", "--days", str(days), "-o", out, "--force",
                    "--quiet", "--set", "output.sample_agents=10800"], check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(out, "r") as f:
        scenario = tomllib.loads(f.attrs["scenario"])
        assert scenario["tariff"]["export"] == "net-billing"
        assert scenario["tariff"].get("peak_charge", 0) == 0
        net = f["agents/net"][...]  # [day, period, agent] kWh, + import, − export
        ids = f["agents/ids"][...]
        lmp = f["market/lmp"][...]  # [day, period, bus]
        rate = f["tariff/import_rate"][...]  # [day, period, bus]
        fixed = f["tariff/fixed_charge"][...]  # [day, group]
        bus_names = [s.decode() if isinstance(s, bytes) else s for s in f["bus"][...]]
        group_names = [s.decode() if isinstance(s, bytes) else s for s in f["group"][...]]
        figures = {k: f["outcome/" + k][...] for k in
                   ("burden_p10", "burden_p50", "burden_p90", "high_burden_share")}
    classes = scenario["households"]["class"]
    incomes = {g["name"]: g["income"] for g in scenario["households"]["group"]}
    assert len(ids) == sum(c["count"] for c in classes) and np.all(ids == np.arange(len(ids)))
    # Global ids run through the classes in the scenario's order (population.scale = 1).
    bus = np.concatenate([[bus_names.index(c["bus"])] * c["count"] for c in classes])
    group = np.concatenate([[group_names.index(c["group"])] * c["count"] for c in classes])
    income = np.array([incomes[group_names[g]] for g in group])

    agents = np.arange(len(ids))
    to_date = np.zeros(len(ids))
    failures = 0
    for d in range(days):
        imports, exports = np.maximum(net[d], 0), np.maximum(-net[d], 0)  # [period, agent]
        bill = ((rate[d][:, bus] * imports).sum(0) - (lmp[d][:, bus] * exports).sum(0)) / 1000
        to_date += bill + fixed[d][group]
        burden = to_date / (d + 1) * 365 / income
        for g, name in enumerate(group_names):
            b = np.sort(burden[group == g])
            n = len(b)
            for q, key in ((0.1, "burden_p10"), (0.5, "burden_p50"), (0.9, "burden_p90")):
                want = b[max(1, math.ceil(q * n)) - 1]
                got = figures[key][d, g]
                if abs(got - want) > WIDTH + 1e-9:
                    print(f"day {d}, {name}: {key} {got:.6f} in the file, {want:.6f} here")
                    failures += 1
            share = np.mean(b >= 0.06)
            near = np.mean(np.abs(b - 0.06) < 1e-6)  # either side of the edge in float
            got = figures["high_burden_share"][d, g]
            if abs(got - share) > near + 1e-12:
                print(f"day {d}, {name}: high_burden_share {got} in the file, {share} here")
                failures += 1
    last = {k: np.round(v[-1], 4).tolist() for k, v in figures.items()}
    print(f"{days} days, {len(ids)} households, groups {group_names}: last day {last}")
    if failures:
        sys.exit(f"{failures} figures disagree")
    print("every figure within one bin of the households' own bills")


if __name__ == "__main__":
    main()
