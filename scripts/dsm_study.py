#!/usr/bin/python3
"""The demand-side-management study of dsm-community in one command: `zo` against `zo-surrogate`
for K directions per zeroth-order estimate and t_max surrogate steps per interaction, over seeds
(analysis/mfgrid_analysis/dsm_study.py says what is measured).

Runs (OUT/runs/NAME-seedS.h5), one interaction a day:
  zo-K{K}                    leader.learner = zo, leader.zo.directions = K, --zo-budget interactions
                             (t_max is not a knob of zo)
  zo-surrogate-K{K}-tmax{T}  leader.learner = zo-surrogate, K directions, t_max = T,
                             --surrogate-budget interactions

Writes OUT/summary.json, OUT/summary.md (the tables) and OUT/figures/; the own J of each tariff a
leader would post comes from a short fixed-tariff run (scripts/fixed_tariff.py), cached in
OUT/own-j.json.

usage: /usr/bin/python3 scripts/dsm_study.py [-o OUT] [--seeds 1,2,3,4,5] [--only NAME,…]
           [--directions 1,4,8] [--t-max 1,5,10,20] [--zo-budget N] [--surrogate-budget N]
           [-j JOBS] [--threads T] [--force] [--list | --task-args N | --summarise-only]
           [-- extra mfgrid run options]
"""

import os

import fixed_tariff
import study_runner
from mfgrid_analysis import dsm_study

SCENARIO = "dsm-community"


def int_list(text):
    return [int(x) for x in text.split(",") if x.strip()]


def add_options(p):
    p.add_argument("--directions", type=int_list, default=[1, 4, 8], metavar="K,…",
                   help="directions per zeroth-order estimate (default 1,4,8)")
    p.add_argument("--t-max", type=int_list, default=[1, 5, 10, 20], metavar="T,…",
                   help="zo-surrogate's surrogate steps per interaction (default 1,5,10,20)")
    p.add_argument("--zo-budget", type=int, default=4000,
                   help="zo's interactions (default %(default)s: zo has converged by then)")
    p.add_argument("--surrogate-budget", type=int, default=200,
                   help="zo-surrogate's interactions (default %(default)s)")


def names(a):
    return ([f"zo-K{k}" for k in a.directions] +
            [f"zo-surrogate-K{k}-tmax{t}" for k in a.directions for t in a.t_max])


def tasks(a):
    result = []
    for name in names(a):
        method, k, t_max = dsm_study.parse_name(name)
        budget = a.zo_budget if method == "zo" else a.surrogate_budget
        settings = [f"leader.learner={method}", f"leader.{method}.directions={k}",
                    f"leader.max_interactions={budget}"]
        if t_max:
            settings.append(f"leader.{method}.t_max={t_max}")
        for seed in a.seed_list:
            args = [SCENARIO, "--seed", str(seed), "--days", str(budget)]
            for s in settings:
                args += ["--set", s]
            result.append(study_runner.Task(name, seed, study_runner.run_path(a.out, name, seed),
                                            args))
    return result


def summarise(a, task_list):
    # The own J of each tariff a leader would post: fixed-tariff runs, cached in the study.
    evaluate = fixed_tariff.Evaluator(a.mfgrid, SCENARIO, os.path.join(a.out, "own-j.json"),
                                      jobs=2 * a.jobs)
    return dsm_study.summarise(task_list, a.out, evaluate)


if __name__ == "__main__":
    study_runner.main(__doc__.split("\n")[0], "dsm-study", add_options, tasks, names, summarise)
