#!/usr/bin/python3
"""check_run.py FILE.h5 DAYS SEED RANKS: checks a finished mfgrid run file.

Root attributes `seed` and `days_done`, the market prices /market/lmp of shape
[day, period, bus] with a row per simulated day and finite values, and RANKS ranks in the run
(the /rank dimension scale, else the rank axis of /perf/seconds [day, rank, phase]).
"""
import sys

import h5py
import numpy as np


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: check_run.py FILE.h5 DAYS SEED RANKS")
    path, days, seed, ranks = sys.argv[1], *map(int, sys.argv[2:])
    errors = []
    with h5py.File(path, "r") as f:
        if int(f.attrs.get("seed", -1)) != seed:
            errors.append(f"seed {f.attrs.get('seed')} (expected {seed})")
        if int(f.attrs.get("days_done", -1)) != days:
            errors.append(f"days_done {f.attrs.get('days_done')} (expected {days})")
        if "market/lmp" not in f:
            errors.append("no /market/lmp")
        else:
            lmp = f["market/lmp"][()]
            if lmp.ndim != 3 or lmp.shape[0] != days or lmp.shape[1] < 1 or lmp.shape[2] < 1:
                errors.append(f"/market/lmp has shape {lmp.shape} (expected [{days}, period, bus])")
            elif not np.isfinite(lmp).all():
                errors.append("/market/lmp has values that are not finite")
        if "rank" in f:
            found = len(f["rank"])
        elif "perf/seconds" in f:
            found = f["perf/seconds"].shape[1]
        else:
            found = None
        if found != ranks:
            errors.append(f"{found} ranks in the run (expected {ranks})")
        shape = f["market/lmp"].shape if "market/lmp" in f else None
    for e in errors:
        print(f"{path}: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"{path}: ok (seed {seed}, {days} days, lmp {shape}, {ranks} ranks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
