#!/usr/bin/python3
"""A notebook-style analysis of a run: simulate from Python, then read the file as xarray.

    PYTHONPATH=build/release/python MPLBACKEND=Agg /usr/bin/python3 examples/analyse_run.py \
        [--days 40] [--out runs/analysis]

Each block is a notebook cell: (1) run the default scenario from Python, writing its run file
and watching the day's outcome as it goes; (2) open the file as xarray datasets with named
coordinates; (3) the income groups' energy burden (EEI) under the leader's tariffs; (4) prices
by bus and hour; (5) a figure. Writes OUT.h5 and OUT.png.
"""
import argparse
import os

import matplotlib.pyplot as plt
import numpy as np

import mfgrid

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--scenario", default="ieee3-equity")
p.add_argument("--days", type=int, default=40)
p.add_argument("--scale", type=float, default=0.1, help="population.scale")
p.add_argument("--out", default="runs/analysis", help="OUT.h5 and OUT.png are written")
args = p.parse_args()
os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
speak = mfgrid.rank() == 0

# (1) Run it, ten days at a time, watching the last day of each stretch.
scenario = mfgrid.load_scenario(args.scenario, {"time.days": args.days,
                                                "population.scale": args.scale})
with mfgrid.Simulation(scenario, output=args.out + ".h5", force=True) as sim:
    while sim.day < sim.days:
        sim.step(min(10, sim.days - sim.day))
        day = sim.day_outcome()
        if speak:
            print(f"day {day.day:3d}: mean LMP {day['lmp'].mean():6.2f} $/MWh, EEI gap "
                  f"{np.ptp(day['eei']):.4f}, tariff {np.round(day['tariff/theta'], 2).tolist()}")
if not speak:  # the analysis reads the file: one rank does it
    raise SystemExit(0)

# (2) The file, every dimension named.
run = mfgrid.open_run(args.out + ".h5")
outcome, market, leader = run["outcome"], run["market"], run["leader"]

# (3) Energy burden by income group: the first week against the last.
eei = outcome.eei
first, last = eei.isel(day=slice(0, 7)).mean("day"), eei.isel(day=slice(-7, None)).mean("day")
for group in eei.group.values:
    print(f"EEI {group:>10}: first week {float(first.sel(group=group)):.4f}, "
          f"last week {float(last.sel(group=group)):.4f}")
print(f"leader: {leader.sizes['interaction']} interactions, J from "
      f"{float(leader.objective[0]):.5f} to {float(leader.objective[-1]):.5f}")

# (4) Prices: the mean day by bus and period start.
lmp = market.lmp.mean("day")
print(lmp.to_pandas().round(2))

# (5) A figure.
fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.5))
for group in eei.group.values:
    eei.sel(group=group).plot(ax=a, label=str(group))
a.set_title("energy expenditure incidence")
a.legend()
for bus in lmp.bus.values:  # periods are named by their start ("18:00")
    b.plot(lmp.period.values.astype(str), lmp.sel(bus=bus).values, marker="o", label=str(bus))
b.set_title("mean LMP by bus, $/MWh")
b.legend()
fig.tight_layout()
fig.savefig(args.out + ".png", dpi=100)
run.close()
print(f"wrote {args.out}.h5 and {args.out}.png")
