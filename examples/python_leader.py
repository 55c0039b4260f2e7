#!/usr/bin/python3
"""A leader written in Python learns an equitable tariff through mfgrid.LeaderEnv.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python_leader.py [--steps 30]
    mpirun -n 2 ... python_leader.py       # the same leader, the households split over 2 ranks

The learner is a (1+1) evolution strategy: each interaction posts the best tariff so far plus a
Gaussian step, keeps the trial when its J (the leader's objective: here the EEI gap between
income groups, reward = −J) is lower, and widens or narrows its step by the 1/5th success rule.
It sees only what the leader may see: the tariff, J and the households' mean response.
"""
import argparse

import numpy as np

import mfgrid

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--scenario", default="ieee3-equity")
p.add_argument("--steps", type=int, default=30, help="interactions (K_L days each)")
p.add_argument("--scale", type=float, default=0.1, help="population.scale")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--output", default=None, help="the run file of the episode")
args = p.parse_args()

env = mfgrid.LeaderEnv(args.scenario, steps=args.steps, overrides={"population.scale": args.scale},
                       output=args.output, force=True)
rng = np.random.default_rng(args.seed)
obs, info = env.reset(seed=args.seed)
best, best_j, sigma = info["theta"], info["objective"], 0.08
first_j = best_j
say = mfgrid.rank() == 0  # every rank runs the leader alike; one speaks
if say:
    print(f"scenario tariff: J = {first_j:.5f}, EEI by group {np.round(info['eei'], 4).tolist()}")
for step in range(args.steps):
    trial = np.clip(best + sigma * rng.standard_normal(best.shape), 0.0, 1.0)
    obs, reward, terminated, truncated, info = env.step(trial)
    better = -reward < best_j
    if better:
        best, best_j = trial, -reward
    sigma *= 1.5 if better else 1.5 ** -0.25  # the 1/5th rule
    if say:
        print(f"interaction {step + 1:2d}: J = {-reward:.5f}{'  (kept)' if better else ''}")
env.close()
if say:
    real = dict(zip(env.tariff_names, np.round(env.tariff_real(best), 3).tolist()))
    print(f"best J {best_j:.5f} (the scenario's tariff: {first_j:.5f}); best tariff {real}")
