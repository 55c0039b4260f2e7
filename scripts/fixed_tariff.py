"""The leader's objective J of a tariff, evaluated by simulation alone: a short run of the scenario
under that tariff held fixed (leader.learner = fixed), J of its last day.

Why not the J a learning leader observed at that tariff: with one interaction a day, the day a
tariff is posted starts from the batteries' state of charge that the previous day's (other)
tariff left, so the observed J is that of a transition day. Held fixed, the households' batteries
reach the cycle of this tariff on the first day and live it from the second on (dsm-community:
no weather, no noise), so the last day's J is the tariff's own J(θ, BR(θ)).

Used by scripts/dsm_study.py (the objective of the tariff a leader would post) and
scripts/dsm_landscape.py.
"""

import json
import os
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

import h5py


def tariff_settings(params, theta):
    """`--set` options that post θ (real units, parameters named as /param labels them) under the
    fixed leader. Import rates per period and the peak charge are mapped."""
    rates = {}
    out = ["--set", "leader.learner=fixed"]
    for p, v in zip(params, theta):
        if p.startswith("import_t"):
            rates[int(p[len("import_t"):])] = float(v)
        elif p == "peak_charge":
            out += ["--set", f"tariff.peak_charge={float(v)!r}"]
        else:
            raise ValueError(f"parameter {p}: only import_t* and peak_charge can be posted here")
    if rates:
        out += ["--set", "tariff.import_rates=[" +
                ", ".join(repr(rates[t]) for t in sorted(rates)) + "]"]
    return out


def outcome(mfgrid, scenario, seed, params, theta, days=3):
    """(J, the households' load per period in MW) of the last of `days` days under θ held
    fixed (the load summed over buses)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "point.h5")
        subprocess.run([mfgrid, "run", scenario, "--seed", str(seed), "--days", str(days), "-o",
                        path, "--quiet", "--threads", "1", *tariff_settings(params, theta)],
                       check=True, stdout=subprocess.DEVNULL)
        with h5py.File(path, "r") as f:
            return (float(f["leader/objective"][-1]),
                    f["market/household_load"][-1].sum(axis=1))


def objective(mfgrid, scenario, seed, params, theta, days=3):
    """J of the last of `days` days under θ held fixed."""
    return outcome(mfgrid, scenario, seed, params, theta, days)[0]


class Evaluator:
    """objective() with a cache in a JSON file (keyed by scenario, seed and θ to 12 digits), so a
    summary made again evaluates nothing twice; evaluate_all() runs the misses in parallel."""

    def __init__(self, mfgrid, scenario, cache_path, jobs=None, days=3):
        self.mfgrid, self.scenario, self.path, self.days = mfgrid, scenario, cache_path, days
        # A short run spends half its time waiting (Open MPI starts a helper daemon for a run
        # without mpirun), not computing: two per core.
        self.jobs = jobs or 2 * (os.cpu_count() or 1)
        self.lock = threading.Lock()
        self.cache = {}
        if os.path.exists(cache_path):
            with open(cache_path) as f:
                self.cache = json.load(f)

    def key(self, seed, theta):
        return f"{self.scenario}|{self.days}|{seed}|" + ",".join(f"{float(v):.12g}" for v in theta)

    def __call__(self, seed, params, theta):
        k = self.key(seed, theta)
        if k not in self.cache:
            j = objective(self.mfgrid, self.scenario, seed, params, theta, self.days)
            with self.lock:
                self.cache[k] = j
        return self.cache[k]

    def evaluate_all(self, points):
        """points: [(seed, params, θ)]; evaluates the uncached ones, saves the cache."""
        todo = {self.key(s, t): (s, p, t) for s, p, t in points if self.key(s, t) not in self.cache}
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            list(pool.map(lambda x: self(*x), todo.values()))
        with open(self.path, "w") as f:
            json.dump(self.cache, f)
        return len(todo)
