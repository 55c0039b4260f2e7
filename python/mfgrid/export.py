"""Exports of a run file: one tidy CSV per group, or one netCDF-4 file.

    python3 -m mfgrid export RUN.h5 --format csv|netcdf -o DIR
    (or `mfgrid export ...`, which runs this)

CSV: DIR/<group>.csv for every group of series, one row per value with a column per dimension and
coordinate (names, dates; period_start in hours), `variable`, `value` and `units`, and DIR/attributes.csv with the run's
root attributes. netCDF: DIR/<run>.nc, every group of series with its coordinates and attributes
and the root attributes (the resolved scenario included), readable by any netCDF-4 tool (ncdump,
xarray, netCDF4); the checkpoint's state is left out.
"""

import argparse
import csv
import os
import sys

import numpy as np

from .dataset import open_run
from .runfile import RunFileError

FORMATS = ("csv", "netcdf")


def _stem(path):
    base = os.path.basename(path)
    for suffix in (".partial", ".h5"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base


def export(path, fmt, out_dir):
    """Writes the export of the run at `path` into `out_dir` (made if missing); returns the paths
    written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    os.makedirs(out_dir, exist_ok=True)
    written = []
    with open_run(path) as run:
        if fmt == "csv":
            for group in run.groups:
                target = os.path.join(out_dir, f"{group}.csv")
                frame = run.to_dataframe(group)
                # Durations (period_start) as hours, which any spreadsheet reads.
                for column in frame.columns:
                    if str(frame[column].dtype).startswith("timedelta"):
                        frame[column] = frame[column] / np.timedelta64(1, "h")
                frame.to_csv(target, index=False)
                written.append(target)
            target = os.path.join(out_dir, "attributes.csv")
            with open(target, "w", newline="", encoding="utf-8") as f:
                rows = csv.writer(f)
                rows.writerow(["attribute", "value"])
                for key, value in sorted(run.attrs.items()):
                    rows.writerow([key, value])
            written.append(target)
        else:
            import netCDF4  # noqa: F401  (the writer xarray uses; says clearly when missing)
            target = os.path.join(out_dir, f"{_stem(path)}.nc")
            if os.path.exists(target):
                os.remove(target)
            with netCDF4.Dataset(target, "w", format="NETCDF4") as nc:
                nc.setncatts({k: v for k, v in run.attrs.items() if v is not None})
            for group in run.groups:
                ds = run[group]
                # Each variable keeps its encoding (chunks, compression) only where netCDF can.
                encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars}
                ds.to_netcdf(target, mode="a", group=group, engine="netcdf4", encoding=encoding)
            written.append(target)
    return written


def main(argv=None):
    p = argparse.ArgumentParser(prog="mfgrid export",
                                description="Export a run file as tidy CSV files or netCDF-4.")
    p.add_argument("run", help="the run file (OUT.h5 or OUT.h5.partial)")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, help="directory to write into")
    args = p.parse_args(argv)
    try:
        for target in export(args.run, args.format, args.output):
            print(f"wrote {target}")
    except (RunFileError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ImportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
