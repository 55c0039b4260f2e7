"""The figures of merit the scripts print, each computed one way for every script, from a run of
mfgrid.open_run.

Conventions: "final" is the last simulated day; a "window" is the mean over the last K days
(fewer if the run is shorter); the leader minimises its objective J, so "best J" is the smallest.
Means are taken with skipna=False: numpy's own, so a NaN in a file shows instead of being skipped,
and the numbers do not depend on how xarray skips NaN (bottleneck, where installed, sums in
another order).
"""

import os

import numpy as np


def name(run):
    """The file name without directory and .h5 extension (a default label for plots)."""
    base = os.path.basename(run.path)
    return base[:-3] if base.endswith(".h5") else base


def days(run):
    """Days simulated and written (fewer than `days` for an interrupted run; the run's series
    show no others). A file without the attribute has none."""
    return int(run.attrs.get("days_done", 0))


def describe(run):
    """One line on what the file holds."""
    a = run.attrs
    state = "complete" if a.get("complete", 0) else "incomplete"
    return (f"{run.path}: {a.get('scenario_name', '?')}, seed {a.get('seed')}, "
            f"{a.get('agents')} agents, {days(run)} of {a.get('days', '?')} days ({state}), "
            f"{a.get('ranks', '?')} ranks x {a.get('threads', '?')} threads")


def population(run):
    """(scenario name, agents): what runs compared with each other should share."""
    return run.attrs.get("scenario_name", "?"), run.attrs.get("agents")


def groups(run):
    """The income groups' names, in the file's order."""
    return run.variable("outcome/eei").group.values.tolist()


def window(run, k):
    """(first, last) day of the last-k-days window of a run (0-based, inclusive)."""
    last = days(run) - 1
    return max(0, last - k + 1), last


def eei_final(run):
    """EEI by group on the last day: DataArray [group]."""
    return run.variable("outcome/eei").isel(day=-1)


def eei_window(run, k):
    """EEI by group, mean over the last k days: DataArray [group]."""
    first, last = window(run, k)
    return run.variable("outcome/eei").isel(day=slice(first, last + 1)).mean("day", skipna=False)


def mean_lmp(run):
    """Mean LMP by bus over every day and period ($/MWh): DataArray [bus]."""
    return run.variable("market/lmp").mean(("day", "period"), skipna=False)


def leader(run):
    """The leader's record: dict of interactions, objectives (numpy), best and last J."""
    objective = run.variable("leader/objective").values
    out = {"interactions": len(objective), "objective": objective}
    if len(objective):
        best = int(np.argmin(objective))
        out.update(best=float(objective[best]), best_interaction=best,
                   last=float(objective[-1]))
    return out


def final(run, path):
    """The last day's value of a per-day variable, e.g. final(run, "outcome/inequality")."""
    return float(run.variable(path).isel(day=-1))


def followers(run):
    """The last residuals of the followers' fixed point and how many updates converged."""
    policy = run.variable("followers/policy_residual").values
    meanfield = run.variable("followers/meanfield_residual").values
    converged = run.variable("followers/converged").values
    return {"updates": len(policy), "converged": int(np.count_nonzero(converged)),
            "policy": float(policy[-1]) if len(policy) else float("nan"),
            "meanfield": float(meanfield[-1]) if len(meanfield) else float("nan")}


def spread(values):
    """Mean, sample standard deviation (0 for one value), min and max of a list of numbers."""
    values = np.asarray(values, dtype=float)
    sd = values.std(ddof=1) if len(values) > 1 else 0.0
    return {"mean": values.mean(), "sd": sd, "min": values.min(), "max": values.max()}
