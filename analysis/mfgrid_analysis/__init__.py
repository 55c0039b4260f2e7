"""Reading and plotting mfgrid run files (HDF5) and scaling measurements.

The command-line scripts next to this package (mfgrid-plot, mfgrid-compare, mfgrid-scaling) and
scripts/scaling.py and the study scripts share the code here. They read run files through the
mfgrid Python package of the checkout (python/): open_run(path) gives a Run, one xarray Dataset
per group with named coordinates (buses, groups, periods, ...), its root attributes and the
resolved scenario.

* summary  - the numbers the scripts print (final EEI, best leader objective, mean LMP, ...);
* figures  - matplotlib helpers (headless backend, saving, min-max bands);
* scaling  - the scaling CSV: its columns, per-run timings from /perf, efficiency tables;
* cli      - error handling and argument helpers common to every script;
* equity_study, dsm_study - the two studies' figures of merit, tables and figures.
"""

import importlib.util
import os
import sys

# Another interpreter than the one with the packages: say so instead of a traceback.
_packages = {"h5py": "python3-h5py", "h5netcdf": "python3-h5netcdf",
             "matplotlib": "python3-matplotlib", "numpy": "python3-numpy",
             "xarray": "python3-xarray"}
_missing = [m for m in _packages if importlib.util.find_spec(m) is None]
if _missing:
    sys.exit(f"{', '.join(_missing)} missing: run the mfgrid analysis scripts with Debian's "
             f"/usr/bin/python3 (packages {', '.join(_packages[m] for m in _missing)})")

# The mfgrid package of this checkout (python/), ahead of any installed one.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), os.pardir, os.pardir,
                                "python"))
from mfgrid import RunFileError, open_run  # noqa: E402

__all__ = ["RunFileError", "open_run"]
