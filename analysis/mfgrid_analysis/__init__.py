"""Reading and plotting mfgrid run files (HDF5) and scaling measurements.

The command-line scripts next to this package (mfgrid-plot, mfgrid-compare, mfgrid-scaling) and
scripts/scaling.py share the code here:

* RunFile  - a read-only view of one run file (named arrays, labels, root attributes), from the
             mfgrid Python package in the checkout's python/ (mfgrid.runfile);
* summary  - the numbers the scripts print (final EEI, best leader objective, mean LMP, ...);
* figures  - matplotlib helpers (headless backend, saving, min-max bands);
* scaling  - the scaling CSV: its columns, per-run timings from /perf, efficiency tables;
* cli      - error handling and argument helpers common to every script.
"""

import importlib.util
import os
import sys

# Another interpreter than the one with the packages: say so instead of a traceback.
_missing = [m for m in ("h5py", "matplotlib", "numpy") if importlib.util.find_spec(m) is None]
if _missing:
    sys.exit(f"{', '.join(_missing)} missing: run the mfgrid analysis scripts with Debian's "
             "/usr/bin/python3 (packages python3-h5py and python3-matplotlib)")

# The mfgrid package of this checkout (python/), ahead of any installed one.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), os.pardir, os.pardir,
                                "python"))
from mfgrid.runfile import RunFile, RunFileError  # noqa: E402

__all__ = ["RunFile", "RunFileError"]
