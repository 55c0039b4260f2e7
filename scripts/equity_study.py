#!/usr/bin/python3
"""The equity study of ieee3-equity in one command: every leader against the flat tariff, over
seeds, summarised as mean ± s.d. over the seeds (analysis/mfgrid_analysis/equity_study.py says
what each figure of merit is).

Runs (OUT/runs/NAME-seedS.h5):
  flat                  leader.learner = fixed (the baseline)
  zo-surrogate          the default leader, soft-q followers
  softmax-net, ppo, zo  the other leaders, soft-q followers
  zo-surrogate+ppo      zo-surrogate with ppo followers (the poster's learner)

Writes OUT/summary.json (every number per run), OUT/summary.md (the tables) and OUT/figures/.
`--scale S` runs the population ×S (default OUT: runs/equity-study-xS); `--reference DIR` then
adds the agreement of each figure with the scale-1 study in DIR. `--inequality M` makes every
leader minimise another inequality measure (gap, variance, gini; default OUT:
runs/equity-study-inequality-M). `--scenario FILE` runs the study on another scenario of the same
shape, such as scenarios/measured/ieee3-equity-measured.toml (default OUT: runs/equity-study-STEM).

usage: /usr/bin/python3 scripts/equity_study.py [-o OUT] [--seeds 1,2,3,4,5] [--only NAME,…]
           [--scale S] [--reference DIR] [--inequality M] [--scenario FILE] [-j JOBS]
           [--threads T] [--force]
           [--list | --task-args N | --summarise-only] [-- extra mfgrid run options]
"""

import os

import study_runner
from mfgrid_analysis import equity_study

SCENARIO = "ieee3-equity"
CONFIGS = {
    "flat": ["leader.learner=fixed"],
    "zo-surrogate": ["leader.learner=zo-surrogate"],
    "softmax-net": ["leader.learner=softmax-net"],
    "ppo": ["leader.learner=ppo"],
    "zo": ["leader.learner=zo"],
    "zo-surrogate+ppo": ["leader.learner=zo-surrogate", "followers.learner=ppo"],
}


def add_options(p):
    p.add_argument("--scale", type=float, default=1.0,
                   help="population.scale of every run (default 1: 10 800 agents)")
    p.add_argument("--inequality", choices=["gap", "variance", "gini"],
                   help="leader.inequality of every run (default: the scenario's, gap)")
    p.add_argument("--scenario", default=SCENARIO,
                   help="the scenario: an embedded name or a file (default %(default)s)")
    p.add_argument("--reference", metavar="DIR",
                   help="a scale-1 study's directory to compare this study's figures with")


def out_dir(a):
    """The default study directory depends on the scenario, the scale and the inequality
    measure."""
    if a.out == os.path.join(study_runner.ROOT, "runs", "equity-study"):
        if a.scenario != SCENARIO:
            a.out += "-" + os.path.splitext(os.path.basename(a.scenario))[0]
        if a.scale != 1:
            a.out += f"-x{a.scale:g}"
        if a.inequality:
            a.out += f"-inequality-{a.inequality}"
    return a.out


def tasks(a):
    out = out_dir(a)
    scale = [] if a.scale == 1 else ["--set", f"population.scale={a.scale:g}"]
    if a.inequality:
        scale += ["--set", f"leader.inequality={a.inequality}"]
    # A file is named by its absolute path: the runs may start elsewhere (a SLURM array).
    scenario = os.path.abspath(a.scenario) if os.path.isfile(a.scenario) else a.scenario
    result = []
    for name, settings in CONFIGS.items():
        for seed in a.seed_list:
            args = [scenario, "--seed", str(seed), *scale]
            for s in settings:
                args += ["--set", s]
            result.append(study_runner.Task(name, seed, study_runner.run_path(out, name, seed),
                                            args))
    return result


def summarise(a, task_list):
    return equity_study.summarise(task_list, a.out, a.reference, a.scale)


if __name__ == "__main__":
    study_runner.main(__doc__.split("\n")[0], "equity-study", add_options, tasks,
                      lambda a: list(CONFIGS), summarise)
