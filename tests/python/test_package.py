#!/usr/bin/python3
"""Checks of the mfgrid Python package (python/) on real runs of the mfgrid binary.

Usage: test_package.py CASE MFGRID SOURCE_DIR
  CASE  read     open_run / open_runs / to_dataframe against the raw datasets (h5py) and the
                 scenario's own numbers
        legacy   a run file of format 1 (tests/fuzz/corpus/run_file/dsm-community-2days) gets the
                 coordinates format 2 stores
        missing  `import mfgrid` without xarray raises ImportError naming the fix, and the
                 interpreter goes on
        pip      `python3 -m pip install ./python` into a fresh virtual environment (with the
                 system's site packages, no network), then the installed package reads a run
        export   `mfgrid export --format csv|netcdf`, read back with pandas, netCDF-C (netCDF4)
                 and ncdump, against the raw datasets
Exit status 0 when every check passes, 1 otherwise.
"""

import os
import subprocess
import sys
import tempfile
import tomllib

import h5py
import numpy as np


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def make_run(mfgrid, out, seed, days=6):
    subprocess.run([mfgrid, "run", "--days", str(days), "-o", out, "--seed", str(seed), "--quiet",
                    "--threads", "1", "--set", "population.scale=0.05",
                    "--set", "time.start_date=2025-03-30"], check=True)


def case_read(mfgrid, source, tmp):
    import mfgrid as mf
    a, b = os.path.join(tmp, "a.h5"), os.path.join(tmp, "b.h5")
    make_run(mfgrid, a, 1)
    make_run(mfgrid, b, 2)
    with h5py.File(a, "r") as h:
        raw_eei = h["outcome/eei"][()]
        groups = [g.decode() for g in h["group"][()]]
        raw_lmp = h["market/lmp"][()]
        scenario = tomllib.loads(h.attrs["scenario"])
    with mf.open_run(a) as run:
        check("outcome" in run and "market" in run and "checkpoint" not in run, run.groups)
        check(run.attrs["seed"] == 1 and run.attrs["complete"] == 1, run.attrs)
        check(run.scenario == scenario, "the resolved scenario as a dict")
        eei = run["outcome"].eei
        for k, name in enumerate(groups):
            np.testing.assert_array_equal(eei.sel(group=name).values, raw_eei[:, k])
        check(str(run["outcome"].time.values[2])[:10] == "2025-04-01", run["outcome"].time.values)
        buses = [b["name"] for b in scenario["network"]["bus"]]
        check(list(run["market"].bus.values) == buses, run["market"].bus.values)
        periods = scenario["time"]["periods"]
        hours = 24 // periods
        last = f"{(periods - 1) * hours:02d}:00"
        np.testing.assert_array_equal(
            run["market"].lmp.sel(period=last, bus=buses[-1]).values, raw_lmp[:, -1, -1])
        frame = run.to_dataframe("outcome", "eei")
        check(len(frame) == raw_eei.size, f"{len(frame)} rows for {raw_eei.size} values")
        check(set(frame.columns) >= {"variable", "day", "group", "time", "value", "units"},
              frame.columns)
        row = frame[(frame.day == 3) & (frame.group == groups[0])]
        check(len(row) == 1 and row.value.iloc[0] == raw_eei[3, 0], row)
        everything = run.to_dataframe("outcome")
        check(set(everything.variable) == set(run["outcome"].data_vars), everything.variable)
        try:
            run["nothing"]
            check(False, "an unknown group was opened")
        except KeyError as err:
            check("no group 'nothing'" in str(err) and "outcome" in str(err), err)
    with mf.open_runs([a, b], dim="seed") as runs:
        stacked = runs["outcome"].eei
        check(stacked.dims[0] == "seed" and list(stacked.seed.values) == [1, 2], stacked.dims)
        np.testing.assert_array_equal(stacked.sel(seed=1).values, raw_eei)
        with h5py.File(b, "r") as h:
            np.testing.assert_array_equal(stacked.sel(seed=2).values, h["outcome/eei"][()])
    try:
        mf.open_run(os.path.join(tmp, "absent.h5"))
        check(False, "a missing file was opened")
    except mf.RunFileError as err:
        check("absent.h5: no such file" in str(err), err)


def case_legacy(mfgrid, source, tmp):
    import mfgrid as mf
    path = os.path.join(source, "tests", "fuzz", "corpus", "run_file", "dsm-community-2days")
    with h5py.File(path, "r") as h:
        check(h.attrs["format_version"] == 1, "the corpus file is of format 1")
        labels = [s.strip() for s in h["bus"].attrs["labels"].split(",")]
        raw_lmp = h["market/lmp"][()]
        first_day = tomllib.loads(h.attrs["scenario"])["time"].get("first_day_of_year", 1)
    with mf.open_run(path) as run:
        market = run["market"]
        check(list(market.bus.values) == labels, market.bus.values)
        check(market.period.values[1] == "03:00", market.period.values)
        np.testing.assert_array_equal(market.lmp.sel(bus=labels[0]).values, raw_lmp[:, :, 0])
        start = np.datetime64("2025-01-01") + np.timedelta64(first_day - 1, "D")
        check(market.time.values[1] == start + np.timedelta64(1, "D"), market.time.values)
        check(market.day.dtype.kind == "i" and list(market.day.values) == [0, 1], market.day.values)


def case_missing(mfgrid, source, tmp):
    code = ("import sys; sys.modules['xarray'] = None\n"
            "try:\n    import mfgrid\nexcept ImportError as err:\n    print('ImportError:', err)\n"
            "print('still here')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=os.path.join(source, "python")))
    check(out.returncode == 0, out.stderr)
    check("ImportError: mfgrid needs xarray" in out.stdout and
          "apt-get install python3-xarray" in out.stdout and "still here" in out.stdout,
          out.stdout)


def case_pip(mfgrid, source, tmp):
    run = os.path.join(tmp, "r.h5")
    make_run(mfgrid, run, 1, days=3)
    venv = os.path.join(tmp, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    subprocess.run([python, "-m", "pip", "install", "--quiet", os.path.join(source, "python")],
                   check=True, env=env, cwd=tmp)
    code = ("import mfgrid, sys\n"
            "assert mfgrid.__file__.startswith(sys.prefix), mfgrid.__file__\n"
            f"print(float(mfgrid.open_run({run!r})['outcome'].eei.isel(day=0).sum()))\n")
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env, cwd=tmp)
    check(out.returncode == 0, out.stderr)
    with h5py.File(run, "r") as h:
        expected = float(h["outcome/eei"][0].sum())
    check(float(out.stdout) == expected, f"{out.stdout} against {expected}")


def case_export(mfgrid, source, tmp):
    import pandas as pd
    import netCDF4
    run = os.path.join(tmp, "e.h5")
    make_run(mfgrid, run, 1)
    with h5py.File(run, "r") as h:
        groups = [g.decode() for g in h["group"][()]]
        eei = h["outcome/eei"][()]
        lmp = h["market/lmp"][()]
        buses = [b.decode() for b in h["bus"][()]]
    out = subprocess.run([mfgrid, "export", run, "--format", "csv", "-o", "csv"],
                         capture_output=True, text=True)
    check(out.returncode == 0 and "wrote csv/outcome.csv" in out.stdout, out.stdout + out.stderr)
    frame = pd.read_csv(os.path.join(tmp, "csv", "outcome.csv"), float_precision="round_trip")
    rows = frame[frame.variable == "eei"]
    check(len(rows) == eei.size, f"{len(rows)} eei rows for {eei.size} values")
    for k, name in enumerate(groups):
        got = rows[rows.group == name].sort_values("day").value.to_numpy()
        np.testing.assert_array_equal(got, eei[:, k])
    check(str(rows.time.iloc[0]) == "2025-03-30", rows.time.iloc[0])
    market = pd.read_csv(os.path.join(tmp, "csv", "market.csv"), float_precision="round_trip")
    peak = market[(market.variable == "lmp") & (market.period == "18:00") &
                  (market.bus == buses[-1])].sort_values("day")
    np.testing.assert_array_equal(peak.value.to_numpy(), lmp[:, 6, -1])
    check(set(peak.period_start) == {18.0}, "period_start in hours")
    out = subprocess.run([mfgrid, "export", run, "--format", "netcdf", "-o", "nc"],
                         capture_output=True, text=True)
    check(out.returncode == 0, out.stderr)
    path = os.path.join(tmp, "nc", "e.nc")
    with netCDF4.Dataset(path) as nc:
        check(nc.getncattr("format") == "mfgrid-run" and nc.getncattr("seed") == 1, nc.ncattrs())
        outcome = nc["outcome"]
        check(list(outcome["group"][:]) == groups, outcome["group"][:])
        np.testing.assert_array_equal(outcome["eei"][:], eei)
    header = subprocess.run(["ncdump", "-h", path], capture_output=True, text=True)
    check(header.returncode == 0 and "group: outcome" in header.stdout and
          "double eei(day, group)" in header.stdout, header.stdout[-2000:] + header.stderr)
    out = subprocess.run([mfgrid, "export", os.path.join(tmp, "absent.h5"), "--format", "csv",
                          "-o", "x"], capture_output=True, text=True)
    check(out.returncode == 2 and "absent.h5: no such file" in out.stderr, out.stderr)


def main():
    case, mfgrid, source = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    sys.path.insert(0, os.path.join(source, "python"))
    sys.dont_write_bytecode = True
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        {"read": case_read, "legacy": case_legacy, "missing": case_missing,
         "pip": case_pip, "export": case_export}[case](mfgrid, source, tmp)
    print(f"ok: {case}")


if __name__ == "__main__":
    main()
