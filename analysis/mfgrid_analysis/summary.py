"""The figures of merit the scripts print, each computed one way for every script.

Conventions: "final" is the last simulated day; a "window" is the mean over the last K days
(fewer if the run is shorter); the leader minimises its objective J, so "best J" is the smallest.
"""

import numpy as np


def window(run, k):
    """(first, last) day of the last-k-days window of a run (0-based, inclusive)."""
    last = run.days_done - 1
    return max(0, last - k + 1), last


def eei_final(run):
    """EEI by group on the last day: numpy array [group]."""
    return run.read("outcome/eei")[-1]


def eei_window(run, k):
    """EEI by group, mean over the last k days: numpy array [group]."""
    first, last = window(run, k)
    return run.read("outcome/eei")[first:last + 1].mean(axis=0)


def mean_lmp(run):
    """Mean LMP by bus over every day and period ($/MWh): numpy array [bus]."""
    return run.read("market/lmp").mean(axis=(0, 1))


def leader(run):
    """The leader's record: dict of interactions, objectives, best and last J."""
    objective = run.read("leader/objective")
    out = {"interactions": len(objective), "objective": objective}
    if len(objective):
        best = int(np.argmin(objective))
        out.update(best=float(objective[best]), best_interaction=best,
                   last=float(objective[-1]))
    return out


def final(run, name):
    """The last day's value of a per-day dataset, e.g. final(run, "outcome/inequality")."""
    return float(run.read(name)[-1])


def followers(run):
    """The last residuals of the followers' fixed point and how many updates converged."""
    policy = run.read("followers/policy_residual")
    meanfield = run.read("followers/meanfield_residual")
    converged = run.read("followers/converged")
    return {"updates": len(policy), "converged": int(np.count_nonzero(converged)),
            "policy": float(policy[-1]) if len(policy) else float("nan"),
            "meanfield": float(meanfield[-1]) if len(meanfield) else float("nan")}


def spread(values):
    """Mean, sample standard deviation (0 for one value), min and max of a list of numbers."""
    values = np.asarray(values, dtype=float)
    sd = values.std(ddof=1) if len(values) > 1 else 0.0
    return {"mean": values.mean(), "sd": sd, "min": values.min(), "max": values.max()}
