"""The simulator itself, driven from Python (the compiled module mfgrid._core).

    import mfgrid
    scenario = mfgrid.load_scenario("ieee3-equity", {"time.days": 20, "population.scale": 0.1})
    with mfgrid.Simulation(scenario, seed=3, output="run.h5") as sim:
        sim.step(days=10)                 # the library's day loop, without the GIL
        day = sim.day_outcome()           # the last day, named as the run file names it
        day["market/lmp"], day["eei"]     # by path, or by the name when only one series has it
        sim.post_tariff([0.4, 0.6, 0.5, 0.5])
        sim.step(days=10)                 # the file is finished with the scenario's last day

An MPI program like `mfgrid run`: `mpirun -n 4 python3 script.py` splits the households over the
ranks, and every rank sees the same outcomes. Every rank must make the same calls.
"""

import math
import os
from collections.abc import Mapping

__all__ = ["DayOutcome", "Scenario", "Simulation", "load_scenario", "embedded_scenarios", "rank",
           "ranks"]

_core = None


def _need_core():
    """The compiled simulator, imported on first use: importing it starts MPI, which reading run
    files does not need."""
    global _core
    if _core is None:
        try:
            from . import _core as core
        except ImportError as e:  # the pure-Python package alone (python/)
            raise ImportError(
                "mfgrid's simulator (mfgrid._core) is not in this copy of the package: build mfgrid "
                "with CMake (scripts/bootstrap.sh build) and use PYTHONPATH=build/release/python, or "
                f"`python3 -m pip install ./python` after the build ({e})") from e
        _core = core
    return _core


def rank():
    """This process's rank in the MPI job (0 in a program started alone)."""
    return _need_core().rank


def ranks():
    """The ranks of the MPI job."""
    return _need_core().ranks


def _toml_value(key, value):
    """A Python value as the TOML text of a `--set key=value` override."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(key, v) for v in value) + "]"
    if hasattr(value, "item") and hasattr(value, "dtype"):  # a numpy scalar
        return _toml_value(key, value.item())
    raise TypeError(f"override {key}: a {type(value).__name__} is not a scenario value "
                    "(bool, int, float, str or a list of them)")


def _overrides(overrides):
    if overrides is None:
        return []
    if not isinstance(overrides, Mapping):
        raise TypeError("overrides: a dict of key -> value, e.g. {'time.days': 20}")
    return [f"{key}={_toml_value(key, value)}" for key, value in overrides.items()]


def load_scenario(name_or_path, overrides=None):
    """A scenario file, or the embedded scenario of that name (`mfgrid scenarios` lists them).

    overrides: {key: value}, with the keys and checks of `mfgrid run --set key=value`
    ({"time.days": 20, "followers.learner": "optimizer", "households.class[0].count": 10}).
    A mistake raises mfgrid.InputError (a ValueError) naming the key.
    """
    return _need_core().load_scenario(str(name_or_path), _overrides(overrides))


def embedded_scenarios():
    """The names of the scenarios built into mfgrid."""
    return list(_need_core().embedded_scenarios())


def Scenario(*args, **kwargs):  # noqa: N802 (the type is _core's; this only says how to get one)
    """Scenarios come from load_scenario(name_or_path, overrides)."""
    raise TypeError("use mfgrid.load_scenario(name_or_path, overrides) to get a Scenario")


def _short_names(outputs):
    """{last part of a path: path} where it names one series: the one with a row every day when
    several end so (eei: outcome/eei, not the interaction's leader/eei), else the only one. The
    same names every day, whatever rows the day adds."""
    names = {}
    for path, o in outputs.items():
        names.setdefault(path.rsplit("/", 1)[-1], []).append((o["rows"] == "day", path))
    short = {}
    for name, paths in names.items():
        daily = [path for is_daily, path in paths if is_daily]
        if len(daily) == 1 or len(paths) == 1:
            short[name] = daily[0] if daily else paths[0][1]
    return short


class DayOutcome(Mapping):
    """A simulated day's outputs: numpy arrays keyed by the run file's dataset paths
    ("market/lmp" [period, bus], "outcome/eei" [group], "agents/soc" [period, agent_sample], ...;
    a follower update's and a leader
    interaction's only on the days that have one). A key may also be a path's last part ("lmp",
    "eei", "theta" for tariff/theta) where it names one series, the daily one when several end so.
    `dims(key)` names an array's dimensions, `units(key)` its units."""

    def __init__(self, day, arrays, outputs, short=None):
        self.day = day
        self._arrays = arrays
        self._outputs = outputs
        self._short = _short_names(outputs) if short is None else short

    def _path(self, key):
        if key in self._arrays:
            return key
        if self._short.get(key) in self._arrays:
            return self._short[key]
        raise KeyError(f"{key}: not an output of day {self.day} (its keys: "
                       f"{', '.join(self._arrays)})")

    def __getitem__(self, key):
        return self._arrays[self._path(key)]

    def __iter__(self):
        return iter(self._arrays)

    def __len__(self):
        return len(self._arrays)

    def __contains__(self, key):
        return key in self._arrays or self._short.get(key) in self._arrays

    def dims(self, key):
        return tuple(self._outputs[self._path(key)]["dims"])

    def units(self, key):
        return self._outputs[self._path(key)]["units"]

    def __repr__(self):
        return f"<mfgrid.DayOutcome day {self.day}: {len(self)} arrays>"


class Simulation:
    """A simulation of `scenario` (from load_scenario, or a name or file as load_scenario takes
    them), on every rank of the MPI job.

    seed: the run's seed (scenario.seed); threads: OpenMP threads per rank (default as `mfgrid
    run`: OMP_NUM_THREADS, else the cores over the ranks); output: a run file written as `mfgrid
    run -o` writes it (refused if it exists, unless force=True); it is finished with the
    scenario's last day, and close() (or the end of a `with` block, or of the program) leaves an
    unfinished one with a checkpoint that Simulation.resume(path) continues from.
    """

    def __init__(self, scenario, seed=None, threads=None, output=None, force=False, *,
                 _handle=None):
        core = _need_core()
        self._policies = {}  # class index -> callable, for the classes a callable plays
        self._names = None  # (outputs, short names), made by the first day_outcome()
        if _handle is not None:
            self._sim = _handle
            return
        if isinstance(scenario, (str, os.PathLike)):  # a name or a file, as load_scenario's
            scenario = load_scenario(scenario)
        elif not isinstance(scenario, core.Scenario):
            raise TypeError(f"scenario: a Scenario (mfgrid.load_scenario), a name or a file, not "
                            f"{type(scenario).__name__}")
        if seed is not None:
            if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
                raise ValueError(f"seed: a non-negative integer, not {seed!r}")
            scenario = core.with_overrides(scenario, [f"scenario.seed={seed}"])
        self.scenario = scenario
        self._sim = core.Simulation(scenario, threads=_threads(threads),
                                    output="" if output is None else str(output), force=force)

    @classmethod
    def resume(cls, path, threads=None):
        """Continues the interrupted run in the run file `path` (OUT.h5 or OUT.h5.partial)."""
        sim = cls(None, _handle=_need_core().Simulation.resume(str(path), threads=_threads(threads)))
        sim.scenario = None
        return sim

    def step(self, days=1):
        """Simulates `days` days (not past the scenario's last, time.days)."""
        days = int(days)
        if not self._policies:
            self._sim.step(days)
            return self
        if self.day + days > self.days:
            self._sim.step(days)  # raises, saying why
        for _ in range(days):  # a class played by a callable: asked before every day
            for cls, policy in self._policies.items():
                self._sim.set_class_policy(cls, self._table(cls, policy(self, self.day)))
            self._sim.step(1)
        return self

    def set_class_policy(self, cls, policy):
        """Class `cls` (its name or index; a class with a battery) plays `policy` from the next
        day on, in place of what the followers' learner makes of it; the learner goes on for the
        others, against the mean field this class makes. `policy` is a table of probabilities
        [period, bin, action] (policy_shape; each row sums to 1), or a callable
        policy(sim, day) -> table, asked before every day. After a resume, set it again."""
        index = self._class_index(cls)
        if callable(policy):
            self._policies[index] = policy
            return
        self._policies.pop(index, None)
        self._sim.set_class_policy(index, self._table(index, policy))

    def release_class_policy(self, cls):
        """Class `cls` goes back to the learner's policy from the learner's next update."""
        index = self._class_index(cls)
        self._policies.pop(index, None)
        self._sim.release_class_policy(index)

    def class_policy(self, cls):
        """The policy class `cls` plays now, [period, bin, action]."""
        return self._sim.class_policy(self._class_index(cls))

    policy_shape = property(lambda self: tuple(self._sim.policy_shape),
                            doc="(periods, bins, actions) of a class's policy table")

    def _class_index(self, cls):
        names = self.labels("class")
        if isinstance(cls, str):
            if cls not in names:
                raise KeyError(f"class {cls!r}: the scenario's classes are {', '.join(names)}")
            return names.index(cls)
        if isinstance(cls, bool) or not isinstance(cls, int) or not 0 <= cls < len(names):
            raise KeyError(f"class {cls!r}: a name or an index below {len(names)}")
        return cls

    def _table(self, index, table):
        import numpy as np
        table = np.ascontiguousarray(table, dtype=np.float64)
        if table.shape != self.policy_shape:
            raise ValueError(f"class {self.labels('class')[index]}: a policy table of shape "
                             f"{self.policy_shape} [period, bin, action], not {table.shape}")
        return table

    def post_tariff(self, theta=None, *, rates=None):
        """Posts a tariff from the next day on: the leader's normalised θ ∈ [0, 1]^d (in the order
        of tariff_names), or `rates`, {name: value in real units (tariff_units)} for some or all
        of them (the others stay as posted). A new tariff restarts the followers' learning."""
        names = self._sim.tariff_names
        if (theta is None) == (rates is None):
            raise TypeError("post_tariff: give theta or rates=, one of them")
        if rates is not None:
            theta = self.theta_of(rates)
        theta = [float(x) for x in theta]
        if len(theta) != len(names):
            raise ValueError(f"theta: {len(names)} values ({', '.join(names)}), not {len(theta)}")
        if not all(0.0 <= x <= 1.0 for x in theta):
            raise ValueError(f"theta: normalised values lie in [0, 1], not {theta}")
        self._sim.post_tariff(theta)

    def theta_of(self, rates):
        """The normalised θ of the posted tariff with `rates` ({name: real value}) changed. Each
        parameter is linear in its θ (docs/model.md §5.1): value = lo + θ (hi − lo)."""
        names = list(self._sim.tariff_names)
        unknown = [name for name in rates if name not in names]
        if unknown:
            raise KeyError(f"rates: no tariff parameter {', '.join(map(repr, unknown))} (the "
                           f"scenario's: {', '.join(names)})")
        low = self._sim.tariff_real([0.0] * len(names))
        high = self._sim.tariff_real([1.0] * len(names))
        theta = list(self._sim.theta)
        for name, value in rates.items():
            i = names.index(name)
            t = (float(value) - low[i]) / (high[i] - low[i])
            if not -1e-12 <= t <= 1 + 1e-12:
                lo, hi = sorted((low[i], high[i]))
                raise ValueError(f"rates: {name} = {value} lies outside the range the leader may "
                                 f"post, [{lo:g}, {hi:g}] {self._sim.tariff_units[i]}")
            theta[i] = min(1.0, max(0.0, t))
        return theta

    def day_outcome(self):
        """The last simulated day's outputs (a DayOutcome of numpy arrays)."""
        if self._names is None:  # the same every day: described once
            outputs = self._sim.outputs
            self._names = (outputs, _short_names(outputs))
        return DayOutcome(self._sim.day - 1, self._sim.day_outcome(), *self._names)

    def day_response(self):
        """What the leader observes of the last day: {"imports", "exports"} [class, period] and
        "peak_import" [class], kWh per household (the leader's window averages these)."""
        return self._sim.day_response()

    def snapshot(self):
        """The simulation's whole state now, in memory (an mfgrid Snapshot, with .day): what
        restore() goes back to. Every rank keeps its own households'."""
        return self._sim.snapshot()

    def restore(self, snapshot):
        """Back to a snapshot's day: the days after it are simulated again, bit for bit (the same
        tariffs posted give the same days). The snapshot may come from another Simulation of the
        same scenario, seed and ranks. A simulation with a run file is refused (the file holds the
        days after the snapshot): branch it with checkpoint(path) and Simulation.resume(path).
        Class policies set from Python stay set."""
        self._sim.restore(snapshot)

    def checkpoint(self, path=None, force=False):
        """Writes a checkpoint into the run file now. With `path`: also a copy of the run as it
        stands (its days and this checkpoint) at path + ".partial", which Simulation.resume(path)
        continues on any number of ranks while this simulation goes on: a branch, to try another
        tariff or policy from here (refused if path exists, unless force=True)."""
        self._sim.checkpoint("" if path is None else os.fspath(path), force)

    def close(self):
        self._sim.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    day = property(lambda self: self._sim.day, doc="days simulated so far")
    days = property(lambda self: self._sim.days, doc="the scenario's days (time.days)")
    complete = property(lambda self: self._sim.complete, doc="the scenario's last day is done")
    output = property(lambda self: self._sim.output or None, doc="the run file, if any")
    threads = property(lambda self: self._sim.threads)
    theta = property(lambda self: list(self._sim.theta), doc="the posted tariff, normalised")
    tariff_names = property(lambda self: list(self._sim.tariff_names))
    tariff_units = property(lambda self: list(self._sim.tariff_units))
    outputs = property(lambda self: self._sim.outputs,
                       doc="{path: {dims, units, long_name, rows}} of day_outcome's arrays")

    def tariff_real(self, theta):
        """θ in real units (tariff_units)."""
        return list(self._sim.tariff_real([float(x) for x in theta]))

    def labels(self, dim):
        """The names of a dimension's members ("bus", "group", "class", "period", ...)."""
        return list(self._sim.labels(dim))


def _threads(threads):
    if threads is None:
        return 0
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads: a positive integer, not {threads!r}")
    return threads
