"""The `soft-q` followers at the default temperature lose under 1 % of what the battery can save.

    soft_q_action_optimum.py MFGRID SCENARIO WORKDIR [--set key=value …]

Runs SCENARIO (tests/data/repeated_day_actions.toml: one class, no noise, a fixed tariff, a lossless
battery whose every action moves it by a multiple of 3 kWh) through the real binary with the
followers' default temperature, then computes here, from the scenario's numbers alone, the exact
best a household can do with the same battery actions: a dynamic programme over the five battery
levels and the periods of the repeated day (the minimum cost per day, from the difference of
long-horizon values), and what it pays with the battery idle. The followers' bill over the last 20
days (outcome/class_bill; no wear in this scenario, so the bill is the whole cost) must be within
1 % of the saving (idle − optimum) of the optimum. The exploitability the run records
(followers/exploitability, $ per member-day) is printed beside it.
"""

import sys

import h5py
import numpy as np

from household_day import household, run


def exact_day(s):
    """(optimum, idle): the least cost per day over the battery actions, and with none ($/day)."""
    h = household(s)
    T, demand, pv, imp, exp = h["T"], h["demand"], h["pv"], h["imp"], h["exp"]
    E, step, levels = h["E"], h["P"], h["levels"]
    assert h["eta_c"] == 1.0 and h["eta_d"] == 1.0, "the lattice needs no losses"
    assert h["wear"] == 0.0, "the bill must be the whole cost"
    unit = 0.5 * step  # every level moves the battery by a multiple of this, or to a bound
    assert all(abs(l * step / unit - round(l * step / unit)) < 1e-12 for l in levels)
    assert abs(E / unit - round(E / unit)) < 1e-12
    states = np.arange(round(E / unit) + 1) * unit

    def cost(t, stored):
        net = demand[t] - pv[t] + stored
        return imp[t] * max(net, 0.0) - exp[t] * max(-net, 0.0)

    value = np.zeros(len(states))
    for _ in range(300):  # days, backwards
        before = value.copy()
        for t in reversed(range(T)):
            nxt = np.full(len(states), np.inf)
            for i, x in enumerate(states):
                for l in levels:
                    y = min(E, max(0.0, x + l * step))
                    nxt[i] = min(nxt[i], cost(t, y - x) + value[int(round(y / unit))])
            value = nxt
    per_day = value - before  # the same from every level once the horizon is long
    assert per_day.max() - per_day.min() < 1e-9, per_day
    return per_day.min(), sum(cost(t, 0.0) for t in range(T))


def main():
    out, s = run(sys.argv[1], sys.argv[2], sys.argv[3], "repeated_day_actions", sys.argv[4:])
    with h5py.File(out, "r") as f:
        bill = f["outcome/class_bill"][:, 0]
        exploit = f["followers/exploitability"][-1, 0]
        units = f["followers/exploitability"].attrs.get("units", "")
    optimum, idle = exact_day(s)
    got = bill[-20:].mean()
    loss = (got - optimum) / (idle - optimum)
    print(f"exact optimum over the battery actions {optimum:.6f} $/day, idle {idle:.6f} $/day; "
          f"soft-q followers {got:.6f} $/day over the last 20 days: {100 * loss:.2f} % of the "
          f"saving lost; recorded exploitability {exploit:.4f} {units}")
    if not loss < 0.01:
        sys.exit(f"FAIL: the followers lose {100 * loss:.2f} % of the achievable saving (≥ 1 %)")
    print("ok: under 1 % of the achievable saving lost")


if __name__ == "__main__":
    main()
