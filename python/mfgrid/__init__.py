"""mfgrid's run files in Python.

    import mfgrid
    run = mfgrid.open_run("equity.h5")            # one xarray.Dataset per group, with coordinates
    run["outcome"].eei.sel(group="low").plot()     # by name: buses, classes, groups, periods
    run.variable("market/lmp")                     # a variable by its path in the file
    run.scenario["leader"]["learner"]              # the resolved scenario, as a dict
    run.to_dataframe("market", "lmp")              # tidy pandas rows
    seeds = mfgrid.open_runs(["s1.h5", "s2.h5"], dim="seed")

Modules: `dataset` (open_run, open_runs: xarray views with coordinates), `runfile` (RunFile: the
raw arrays through h5py, for scripts that want numpy only), `simulation` (load_scenario,
Simulation: the simulator itself, in the build's package: PYTHONPATH=build/release/python).
"""

import importlib.util as _util

# Say what to install instead of failing deep inside an import (and never exit the interpreter).
_needed = {"numpy": "python3-numpy", "h5py": "python3-h5py", "xarray": "python3-xarray",
           "h5netcdf": "python3-h5netcdf"}
_missing = [m for m in _needed if _util.find_spec(m) is None]
if _missing:
    raise ImportError(
        f"mfgrid needs {', '.join(_missing)}: on Debian or Ubuntu "
        f"`apt-get install {' '.join(_needed[m] for m in _missing)}` (and use /usr/bin/python3, "
        f"or a virtual environment made with --system-site-packages), elsewhere "
        f"`python3 -m pip install {' '.join(_missing)}`")

from .dataset import Run, Runs, open_run, open_runs  # noqa: E402
from .runfile import RunFile, RunFileError  # noqa: E402
from .simulation import (DayOutcome, Simulation, embedded_scenarios,  # noqa: E402
                         load_scenario, rank, ranks)
from .leader_env import LeaderEnv  # noqa: E402
from . import simulation as _simulation  # noqa: E402

__version__ = "0.1.0"
__all__ = ["DayOutcome", "LeaderEnv", "Run", "Runs", "RunFile", "RunFileError", "Simulation",
           "embedded_scenarios", "load_scenario", "open_run", "open_runs", "rank", "ranks",
           "InputError", "FileError", "NumericError", "Error"]


def __getattr__(name):
    # The simulator's exceptions live in the compiled module, which a copy of the package without
    # it lacks; asking for them then says how to build it.
    if name in ("InputError", "FileError", "NumericError", "Error"):
        return getattr(_simulation._need_core(), name)
    raise AttributeError(f"module 'mfgrid' has no attribute '{name}'")
