#!/usr/bin/python3
"""The one-day prosumer rollout of mfgrid's kernel written as idiomatic vectorised NumPy.

This is what a Python researcher would write for the same model: per period, normal demand and
PV noise, an action drawn from the class policy pi(a | soc bin, period), the battery physics, and
the statistics (transition counts per (period, bin, action, next bin), imported/exported/moved
energy per cell, each agent's peak import). It prints agent-steps per second.

    /usr/bin/python3 bench/peers/rollout_numpy.py --agents 1000000 --days 3
"""
import argparse
import time

import numpy as np


def make_population(rng, n, spread=0.2):
    factor = lambda: 1.0 + spread * (2.0 * rng.random(n, dtype=np.float32) - 1.0)
    pv_kw = (4.0 * factor()).astype(np.float32)
    battery = factor()
    capacity = (10.0 * battery).astype(np.float32)
    power = (5.0 * battery).astype(np.float32)
    demand_factor = factor()
    soc = (0.5 * capacity).astype(np.float32)
    return soc, pv_kw, capacity, power, demand_factor


def rollout_day(rng, pop, thresholds, levels, periods=8, bins=21):
    soc, pv_kw, capacity, power, demand_factor = pop
    n = soc.shape[0]
    actions = len(levels)
    hours = 24.0 / periods
    demand_kwh = 22.0 * np.array([0.07, 0.06, 0.12, 0.11, 0.11, 0.14, 0.23, 0.16], dtype=np.float32)
    solar = np.array([0.0, 0.0, 0.12, 0.50, 0.60, 0.28, 0.02, 0.0], dtype=np.float32)
    eta_c = eta_d = np.float32(0.95)
    cells = periods * bins * actions
    transitions = np.zeros(cells * bins, dtype=np.int64)
    energy = np.zeros((cells, 3), dtype=np.int64)
    peak = np.zeros(n, dtype=np.int64)
    weather = max(0.0, 1.0 + 0.25 * rng.standard_normal())
    for t in range(periods):
        z = rng.standard_normal((2, n), dtype=np.float32)
        demand = demand_factor * demand_kwh[t] * np.maximum(0.0, 1.0 + 0.15 * z[0])
        pv = pv_kw * solar[t] * weather * hours * np.maximum(0.0, 1.0 + 0.05 * z[1])
        b = np.clip((soc / capacity * (bins - 1) + 0.5).astype(np.int32), 0, bins - 1)
        u = rng.random(n, dtype=np.float32)
        a = (u[:, None] >= thresholds[t][b]).sum(axis=1)
        request = levels[a] * power * hours
        charge = np.minimum(np.maximum(request, 0.0), (capacity - soc) / eta_c)
        discharge = np.minimum(np.maximum(-request, 0.0), soc * eta_d)
        soc = np.clip(soc + charge * eta_c - discharge / eta_d, 0.0, capacity)
        net = demand - pv + charge - discharge
        e = np.rint(np.abs(net) * 1e6).astype(np.int64)
        exported = net < 0
        moved = np.rint((charge + discharge) * 1e6).astype(np.int64)
        nb = np.clip((soc / capacity * (bins - 1) + 0.5).astype(np.int32), 0, bins - 1)
        cell = (t * bins + b) * actions + a
        transitions += np.bincount(cell * bins + nb, minlength=cells * bins)
        energy[:, 0] += np.bincount(cell, weights=np.where(exported, 0, e), minlength=cells).astype(np.int64)
        energy[:, 1] += np.bincount(cell, weights=np.where(exported, e, 0), minlength=cells).astype(np.int64)
        energy[:, 2] += np.bincount(cell, weights=moved, minlength=cells).astype(np.int64)
        peak = np.maximum(peak, np.where(exported, 0, e))
    pop[0][:] = soc
    return transitions, energy, peak.sum()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--agents", type=int, default=1_000_000)
    p.add_argument("--days", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    rng = np.random.Generator(np.random.Philox(args.seed))
    pop = make_population(rng, args.agents)
    levels = np.array([-1.0, -0.5, 0.0, 0.5, 1.0], dtype=np.float32)
    thresholds = np.tile(np.array([0.2, 0.4, 0.6, 0.8], dtype=np.float32), (8, 21, 1))  # uniform policy
    rollout_day(rng, pop, thresholds, levels)  # warm-up
    start = time.perf_counter()
    for _ in range(args.days):
        rollout_day(rng, pop, thresholds, levels)
    elapsed = time.perf_counter() - start
    rate = args.agents * 8 * args.days / elapsed
    print(f"numpy rollout: {args.agents} prosumers, {args.days} days, {elapsed:.3f} s, {rate:.4g} agent-steps/s")


if __name__ == "__main__":
    main()
