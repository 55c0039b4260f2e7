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
from collections.abc import Mapping

try:
    from . import _core
except ImportError as e:  # the pure-Python package alone (python/), without the build's module
    _core = None
    _core_error = e

__all__ = ["DayOutcome", "Scenario", "Simulation", "load_scenario", "embedded_scenarios"]


def _need_core():
    if _core is None:
        raise ImportError(
            "mfgrid's simulator (mfgrid._core) is not built into this copy of the package: build "
            "mfgrid with CMake (scripts/bootstrap.sh build) and use PYTHONPATH=build/release/python, "
            f"or install that package ({_core_error})")
    return _core


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


class DayOutcome(Mapping):
    """A simulated day's outputs: numpy arrays keyed by the run file's dataset paths
    ("market/lmp" [period, bus], "outcome/eei" [group], ...). A key may also be a path's last part
    ("lmp", "eei") where only one series ends so. `dims(key)` names an array's dimensions."""

    def __init__(self, day, arrays, outputs):
        self.day = day
        self._arrays = arrays
        self._outputs = outputs
        names = {}
        for path in arrays:
            names.setdefault(path.rsplit("/", 1)[-1], []).append(path)
        self._short = {name: paths[0] for name, paths in names.items() if len(paths) == 1}

    def _path(self, key):
        if key in self._arrays:
            return key
        if key in self._short:
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
        return key in self._arrays or key in self._short

    def dims(self, key):
        return self._outputs[self._path(key)]["dims"]

    def units(self, key):
        return self._outputs[self._path(key)]["units"]

    def __repr__(self):
        return f"<mfgrid.DayOutcome day {self.day}: {len(self)} arrays>"


class Simulation:
    """A simulation of `scenario` (from load_scenario), on every rank of the MPI job.

    seed: the run's seed (scenario.seed); threads: OpenMP threads per rank (default as `mfgrid
    run`: OMP_NUM_THREADS, else the cores over the ranks); output: a run file written as `mfgrid
    run -o` writes it (refused if it exists, unless force=True); it is finished with the
    scenario's last day, and close() (or the end of a `with` block, or of the program) leaves an
    unfinished one with a checkpoint that Simulation.resume(path) continues from.
    """

    def __init__(self, scenario, seed=None, threads=None, output=None, force=False, *,
                 _handle=None):
        core = _need_core()
        if _handle is not None:
            self._sim = _handle
            return
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
        self._sim.step(int(days))
        return self

    def post_tariff(self, theta):
        """Posts the leader's normalised tariff θ ∈ [0, 1]^d (see tariff_names) from the next day
        on; a new θ restarts the followers' learning."""
        theta = [float(x) for x in theta]
        names = self._sim.tariff_names
        if len(theta) != len(names):
            raise ValueError(f"theta: {len(names)} values ({', '.join(names)}), not {len(theta)}")
        if not all(0.0 <= x <= 1.0 for x in theta):
            raise ValueError(f"theta: normalised values lie in [0, 1], not {theta}")
        self._sim.post_tariff(theta)

    def day_outcome(self):
        """The last simulated day's outputs (a DayOutcome of numpy arrays)."""
        return DayOutcome(self._sim.day - 1, self._sim.day_outcome(), self._sim.outputs)

    def checkpoint(self):
        """Writes a checkpoint into the run file now."""
        self._sim.checkpoint()

    def close(self):
        self._sim.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    day = property(lambda self: self._sim.day, doc="days simulated so far")
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
