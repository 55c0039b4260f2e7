"""Run files as xarray datasets: one per group, every dimension with its coordinate.

A run file (format 2) carries its coordinates: named dimensions hold their names (buses,
generators, lines, classes, income groups, tariff parameters, phases), periods their start
("18:00"), days their index with a CF `time` coordinate from time.start_date, and `period_start`
(a duration) so that `time + period_start` dates every period. Files of format 1 had indices
and a `labels` attribute; the same coordinates are made for them here. Only the days simulated
are shown (the root attribute `days_done`), as RunFile.read gives them.
"""

import collections.abc
import os

import numpy as np
import pandas as pd
import xarray as xr

from .runfile import RunFile, RunFileError

# Groups holding a checkpoint's state (arrays without the run's dimensions), not series.
_NOT_SERIES = {"checkpoint", "checkpoint_next"}


class Run(collections.abc.Mapping):
    """One run file: run["market"] is the group's xarray.Dataset (opened lazily, on first use),
    cut to the days simulated (`days_done`); run.variable("market/lmp") one of its variables.

    Attributes: path; attrs (the root attributes: seed, agents, days, days_done, complete, ...);
    scenario (the resolved scenario as a dict); groups (the groups holding series).
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        with RunFile(self.path) as f:  # a missing, foreign or damaged file: RunFileError
            self.attrs = f.attributes()
            self.scenario = f.settings()
            self.groups = [g for g in f.groups() if g not in _NOT_SERIES]
            self._legacy = {}
            if int(self.attrs.get("format_version", 1)) < 2:
                self._legacy = {dim: f.labels(dim) for dim in f.dimensions()}
        self._datasets = {}
        self._opened = []

    def __getitem__(self, group):
        if group not in self.groups:
            raise KeyError(f"{self.path}: no group {group!r}; it has {', '.join(self.groups)}")
        if group not in self._datasets:
            raw = xr.open_dataset(self.path, engine="h5netcdf", group=group)
            ds = _with_legacy_coordinates(raw, self._legacy, self.scenario)
            self._datasets[group] = _days_done(ds, self.attrs.get("days_done"))
            self._opened.append(raw)  # close() closes it: a view made of it would not
        return self._datasets[group]

    def variable(self, path):
        """One variable by its path in the file, as docs/model.md names them ("outcome/eei");
        a RunFileError naming the file when the run has no such variable."""
        group, _, name = path.strip("/").rpartition("/")
        if group not in self.groups or name not in self[group].data_vars:
            raise RunFileError(f"{self.path}: no dataset /{path.strip('/')} "
                               "(an incomplete run, or a file of another mfgrid version?)")
        return self[group][name]

    def __iter__(self):
        return iter(self.groups)

    def __len__(self):
        return len(self.groups)

    def __repr__(self):
        return (f"<mfgrid.Run {self.path}: {self.attrs.get('scenario_name', '?')}, seed "
                f"{self.attrs.get('seed')}, {self.attrs.get('days_done')} of "
                f"{self.attrs.get('days')} days; groups {', '.join(self.groups)}>")

    def to_dataframe(self, group, variables=None):
        """Tidy rows of a group's variables (all, one name or a list): one row per value, with
        a column per dimension and coordinate, `variable`, `value` and `units`."""
        return tidy(self[group], variables)

    def close(self):
        for ds in self._opened:
            ds.close()
        self._opened.clear()
        self._datasets.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Runs(collections.abc.Mapping):
    """Several runs stacked along a new dimension: runs["outcome"] has the dimension `dim`.

    Its coordinate is each run's root attribute of that name (seed, by default) when those differ
    from run to run, else the runs' order. Runs of different lengths are padded with NaN.
    """

    def __init__(self, paths, dim="seed"):
        self.runs = [Run(p) for p in paths]
        if not self.runs:
            raise ValueError("open_runs: no run files given")
        self.dim = dim
        values = [r.attrs.get(dim) for r in self.runs]
        if None in values or len(set(values)) != len(values):
            values = list(range(len(self.runs)))
        self.index = pd.Index(values, name=dim)
        self.groups = [g for g in self.runs[0].groups if all(g in r.groups for r in self.runs)]
        self._datasets = {}

    def __getitem__(self, group):
        if group not in self.groups:
            raise KeyError(f"no group {group!r} in every run; they share {', '.join(self.groups)}")
        if group not in self._datasets:
            self._datasets[group] = xr.concat([r[group] for r in self.runs], dim=self.index,
                                              join="outer", combine_attrs="drop_conflicts")
        return self._datasets[group]

    def __iter__(self):
        return iter(self.groups)

    def __len__(self):
        return len(self.groups)

    def to_dataframe(self, group, variables=None):
        return tidy(self[group], variables)

    def close(self):
        for r in self.runs:
            r.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_run(path):
    """The run file at `path` as a Run: one xarray.Dataset per group, with coordinates."""
    return Run(path)


def open_runs(paths, dim="seed"):
    """Several run files (the seeds of a study, say) stacked along `dim`."""
    return Runs(paths, dim)


def tidy(ds, variables=None):
    """A dataset's variables as one long DataFrame (see Run.to_dataframe)."""
    if isinstance(variables, str):
        variables = [variables]
    names = list(ds.data_vars) if variables is None else list(variables)
    frames = []
    for name in names:
        if name not in ds.data_vars:
            raise KeyError(f"no variable {name!r}; the group has {', '.join(ds.data_vars)}")
        da = ds[name]
        frame = da.to_dataframe(name="value").reset_index()
        frame.insert(0, "variable", name)
        frame["units"] = da.attrs.get("units", "")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()


def _period_starts(periods):
    minutes = [round(t * 1440 / periods) for t in range(periods)]
    return [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]


def _days_done(ds, days_done):
    """The days simulated only: rows past `days_done` (a run stopped while writing, or resumed
    from an earlier checkpoint) are not results."""
    if days_done is None or "day" not in ds.dims or ds.sizes["day"] <= int(days_done):
        return ds
    return ds.isel(day=slice(0, int(days_done)))


def _with_legacy_coordinates(ds, labels, scenario):
    """Format 1: the coordinates format 2 stores (names, period starts, CF time)."""
    if not labels:
        return ds
    coords = {}
    for dim, size in ds.sizes.items():
        if dim in ds.coords:
            continue
        if dim == "period":
            coords[dim] = _period_starts(size)
        elif dim in labels and len(labels[dim]) == size:
            # A dimension without names (day, iteration, …) had its indices: integers, as in format 2.
            indices = [str(i) for i in range(size)]
            coords[dim] = np.arange(size) if labels[dim] == indices else labels[dim]
    ds = ds.assign_coords(coords)
    if "day" in ds.dims:
        first = int(scenario.get("time", {}).get("first_day_of_year", 1))
        start = np.datetime64("2025-01-01") + np.timedelta64(first - 1, "D")
        days = ds["day"].values if "day" in ds.coords else np.arange(ds.sizes["day"])
        ds = ds.assign_coords(time=("day", (start + days.astype("timedelta64[D]"))
                                     .astype("datetime64[ns]")))
    return ds
