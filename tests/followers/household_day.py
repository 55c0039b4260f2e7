"""What the household model tests share: one class's day from a scenario's numbers, and a run of
the real binary.

The numbers are read from the scenario alone, with mfgrid's defaults for the keys it leaves out
(src/config/scenario_loader.cpp), so the tests' models are built independently of mfgrid's code.
"""

import subprocess
import tomllib
from pathlib import Path

import numpy as np


def household(s):
    """The first class's household: its day (kWh per period), battery, tariff ($/kWh) and costs."""
    c = s["households"]["class"][0]
    T = s["time"]["periods"]
    hours = 24.0 / T
    shape = np.array(c["demand_shape"], float)
    f = s.get("followers", {})
    # The learner's own keys live in its table, [followers.<learner>].
    own = f.get(f.get("learner", "soft-q"), {})
    return dict(
        T=T,
        demand=c["daily_kwh"] * shape / shape.sum(),
        pv=c["pv_kw"] * np.array(s["households"]["solar_profile"], float) * hours,
        phi=own.get("flexible_share", 0.0),
        wear=f.get("degradation_cost", 0.02),
        w2=own.get("wear_quadratic", 0.001),
        kappa=own.get("discomfort", 0.005),
        imp=np.array(s["tariff"]["import_rates"], float) / 1000.0,
        exp=np.full(T, s["tariff"]["export_rate"] / 1000.0),
        E=c["battery_kwh"],
        P=c["battery_kw"] * hours,  # kWh the battery moves in a period at full power
        eta_c=c["eta_charge"],
        eta_d=c["eta_discharge"],
        levels=s["households"].get("battery_levels", [-1.0, -0.5, 0.0, 0.5, 1.0]),
    )


def run(mfgrid, scenario, work, name, extra):
    """Runs `mfgrid run scenario` into WORK/NAME.h5 (replacing it); returns the path and the
    resolved scenario the file records."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    out = work / f"{name}.h5"
    subprocess.run([mfgrid, "run", scenario, "-o", str(out), "--force", "--quiet", *extra],
                   check=True)
    import h5py

    with h5py.File(out, "r") as f:
        text = f.attrs["scenario"]
        s = tomllib.loads(text.decode() if isinstance(text, bytes) else text)
    return out, s
