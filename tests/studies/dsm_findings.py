"""dsm-community: what the DSM study finds for zo against zo-surrogate (K = 4, t_max = 10),
checked per seed from the run files and from fixed-tariff runs made here:
  - the objective of a leader after k interactions is the own J of the tariff it would post then
    (its best observation so far), from a run of the scenario under that tariff held fixed — not
    the J it observed, which after a large change of tariff is a transition day's;
  - zo-surrogate with SURROGATE_BUDGET interactions ends lower than zo with ZO_BUDGET, and reaches
    zo's final J within a fifth of ZO_BUDGET;
  - zo has converged elsewhere, not merely slowly: its own J moved over its last half by less than
    a tenth of its gap to zo-surrogate's final J, at a final tariff more than 5 % of a range away
    from zo-surrogate's (normalised, max over parameters).
The study (docs/results.md §2) found all three in seeds 1–5 at these budgets but for the last in
seed 2 (zo diverged) and seed 3 (both ended on one plateau of J); seeds 1 and 4 are those in
which zo stopped where J is flat in the midday import rate.

usage: dsm_findings.py MFGRID WORKDIR [SEED …]   (seeds default 1 4)
"""

import os
import subprocess
import sys
import tomllib

import h5py
import numpy as np

from equity_runs import check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from fixed_tariff import Evaluator  # noqa: E402  (runs under a fixed tariff, J of the last day)

SCENARIO = "dsm-community"
ZO_BUDGET, SURROGATE_BUDGET = 1000, 100


def run(mfgrid, workdir, seed, learner, budget, extra=()):
    out = os.path.join(workdir, f"{learner}-seed{seed}.h5")
    cmd = [mfgrid, "run", SCENARIO, "--seed", str(seed), "--days", str(budget), "--set",
           f"leader.learner={learner}", "--set", f"leader.max_interactions={budget}", "--set",
           f"leader.{learner}.directions=4", "--threads", "1", "-o", out, "--force", "--quiet", *extra]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL), out


def posted(evaluate, path, seed):
    """Per interaction k: the own J of the best tariff among the first k + 1 observations; the
    final tariff, normalised by the scenario's bounds, and in real units; the parameters."""
    with h5py.File(path, "r") as f:
        observed = f["leader/objective"][:]
        theta = f["leader/theta"][:]
        params = [p.strip() for p in f["param"].attrs["labels"].split(",")]
        tariff = tomllib.loads(f.attrs["scenario"])["tariff"]
    best = np.zeros(len(observed), dtype=int)
    for k in range(1, len(observed)):
        best[k] = k if observed[k] < observed[best[k - 1]] else best[k - 1]
    evaluate.evaluate_all([(seed, params, theta[i]) for i in set(best.tolist())])
    own = np.array([evaluate(seed, params, theta[i]) for i in best])
    bounds = np.array([tariff["peak_bounds" if p == "peak_charge" else "import_bounds"]
                       for p in params])
    lo, hi = bounds[:, 0], bounds[:, 1]
    final = theta[best[-1]]
    return own, (final - lo) / (hi - lo), final, params


def main():
    mfgrid, workdir = sys.argv[1], sys.argv[2]
    seeds = [int(s) for s in sys.argv[3:]] or [1, 4]
    os.makedirs(workdir, exist_ok=True)
    jobs = []
    for seed in seeds:
        jobs.append(run(mfgrid, workdir, seed, "zo", ZO_BUDGET))
        jobs.append(run(mfgrid, workdir, seed, "zo-surrogate", SURROGATE_BUDGET,
                        ["--set", "leader.zo-surrogate.t_max=10"]))
    for process, out in jobs:
        check(process.wait() == 0, f"{out}: mfgrid failed")
    evaluate = Evaluator(mfgrid, SCENARIO, os.path.join(workdir, "own-j.json"))
    for seed in seeds:
        zo, zo_norm, zo_theta, params = posted(evaluate,
                                               os.path.join(workdir, f"zo-seed{seed}.h5"), seed)
        zs, zs_norm, zs_theta, _ = posted(evaluate,
                                          os.path.join(workdir, f"zo-surrogate-seed{seed}.h5"), seed)
        reached = np.flatnonzero(zs <= zo[-1])
        zs_needs = int(reached[0]) + 1 if reached.size else None
        distance = float(np.abs(zs_norm - zo_norm).max())
        late = zo[ZO_BUDGET // 2 - 1] - zo[-1]
        print(f"seed {seed}: zo after {ZO_BUDGET} interactions J = {zo[-1]:.6f} ({late:.2e} lower "
              f"than after {ZO_BUDGET // 2}); zo-surrogate after {SURROGATE_BUDGET}: J = "
              f"{zs[-1]:.6f}, reaches zo's final J at interaction {zs_needs}; final tariffs "
              f"{distance:.3f} apart (normalised, max over parameters)")
        print(f"seed {seed}: zo's final tariff {np.round(zo_theta, 2).tolist()}, zo-surrogate's "
              f"{np.round(zs_theta, 2).tolist()} ({', '.join(params)})")
        check(zs[-1] < zo[-1], f"seed {seed}: zo-surrogate does not end below zo")
        check(zs_needs is not None and zs_needs * 5 <= ZO_BUDGET,
              f"seed {seed}: zo-surrogate needs more than a fifth of zo's interactions")
        check(late < 0.1 * (zo[-1] - zs[-1]), f"seed {seed}: zo is still improving")
        check(distance > 0.05, f"seed {seed}: zo and zo-surrogate end at the same tariff")
    print("ok")


if __name__ == "__main__":
    main()
