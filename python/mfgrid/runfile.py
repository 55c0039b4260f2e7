"""A read-only view of one mfgrid run file, through h5py: numpy arrays, no xarray.

A run file is an HDF5 file whose root attribute `format` is "mfgrid-run". Its datasets hang off
dimension scales in the root group (/day, /period, /bus, /group, ...), each with a `labels`
attribute naming the entries ("b1, b2, b3"); since format 2 the named ones also hold the names,
and each group links the scales its datasets use. RunFile reads datasets as numpy arrays, trimmed
to the days actually simulated, and turns every way of getting the file wrong into a
RunFileError whose message names the file.
"""

import os
import tomllib

import h5py
import numpy as np

FORMAT = "mfgrid-run"


class RunFileError(Exception):
    """A run file that is missing, unreadable, not an mfgrid run file, or lacks a dataset."""


def _text(value):
    """An HDF5 string attribute as str (h5py gives str or bytes depending on how it was written)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


class RunFile:
    """One mfgrid run file, opened read-only. Use as a context manager or call close()."""

    def __init__(self, path):
        self.path = str(path)
        if not os.path.exists(self.path):
            raise RunFileError(f"{self.path}: no such file")
        if not os.path.isfile(self.path):
            raise RunFileError(f"{self.path}: not a file")
        try:
            self._file = h5py.File(self.path, "r")
        except OSError as err:
            raise RunFileError(f"{self.path}: not an mfgrid run file "
                               f"(not readable as HDF5: {err})")
        fmt = _text(self._file.attrs.get("format"))
        if fmt != FORMAT:
            self._file.close()
            found = "no format attribute" if fmt is None else f"format is {fmt!r}"
            raise RunFileError(f"{self.path}: not an mfgrid run file ({found}, expected {FORMAT!r})")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._file.close()

    # Root attributes ------------------------------------------------------------------------

    def attr(self, name, default=None):
        """A root attribute (strings as str, scalars as Python numbers), or default."""
        if name not in self._file.attrs:
            return default
        value = self._file.attrs[name]
        if isinstance(value, np.generic):
            return value.item()
        return _text(value)

    def attributes(self):
        """Every root attribute, as attr() gives it."""
        return {name: self.attr(name) for name in self._file.attrs}

    def groups(self):
        """The root group's groups (market, outcome, ...), in name order."""
        return sorted(k for k, v in self._file.items() if isinstance(v, h5py.Group))

    def dimensions(self):
        """The names of the dimension scales in the root group (day, period, bus, ...)."""
        return sorted(k for k, v in self._file.items()
                      if isinstance(v, h5py.Dataset) and v.attrs.get("CLASS") == b"DIMENSION_SCALE")

    @property
    def name(self):
        """The file name without directory and .h5 extension (a default label for plots)."""
        base = os.path.basename(self.path)
        return base[:-3] if base.endswith(".h5") else base

    @property
    def seed(self):
        return self.attr("seed")

    @property
    def scenario_name(self):
        return self.attr("scenario_name", "?")

    @property
    def agents(self):
        return self.attr("agents")

    @property
    def days_done(self):
        """Days simulated and written (fewer than `days` for an interrupted run)."""
        done = self.attr("days_done")
        return len(self._file["day"]) if done is None else int(done)

    @property
    def complete(self):
        return bool(self.attr("complete", 0))

    def describe(self):
        """One line on what the file holds."""
        state = "complete" if self.complete else "incomplete"
        return (f"{self.path}: {self.scenario_name}, seed {self.seed}, {self.agents} agents, "
                f"{self.days_done} of {self.attr('days', '?')} days ({state}), "
                f"{self.attr('ranks', '?')} ranks x {self.attr('threads', '?')} threads")

    def settings(self):
        """The resolved scenario (root attribute `scenario`, TOML) as a dict; {} if unreadable."""
        try:
            return tomllib.loads(self.attr("scenario", ""))
        except (tomllib.TOMLDecodeError, TypeError):
            return {}

    def setting(self, section, key, default=None):
        """One scenario setting, e.g. setting("followers", "policy_tolerance")."""
        return self.settings().get(section, {}).get(key, default)

    # Datasets --------------------------------------------------------------------------------

    def has(self, name):
        return isinstance(self._file.get(name.strip("/")), h5py.Dataset)

    def _dataset(self, name):
        ds = self._file.get(name.strip("/"))
        if not isinstance(ds, h5py.Dataset):
            raise RunFileError(f"{self.path}: no dataset /{name.strip('/')} "
                               "(an incomplete run, or a file of another mfgrid version?)")
        return ds

    def dims(self, name):
        """The dimension names of a dataset, e.g. ["day", "period", "bus"] (None where unnamed)."""
        ds = self._dataset(name)
        names = []
        for dim in ds.dims:
            scales = list(dim.values())
            # The scale's name, wherever h5py found it (a group links the root's scales).
            names.append(scales[0].name.split("/")[-1] if scales else None)
        return names

    def read(self, name):
        """A dataset as a numpy array; an axis along /day is cut to the days simulated."""
        ds = self._dataset(name)
        data = ds[()]
        if ds.ndim and self.dims(name)[0] == "day":
            data = data[: self.days_done]
        return np.asarray(data)

    def units(self, name):
        return _text(self._dataset(name).attrs.get("units", ""))

    def long_name(self, name):
        return _text(self._dataset(name).attrs.get("long_name", name))

    def period_starts(self):
        """Each period's start, "HH:MM" (format 1 files stored indices: computed from the count)."""
        labels = self.labels("period")
        if all(":" in label for label in labels):
            return labels
        n = len(labels)
        return [f"{m // 60:02d}:{m % 60:02d}" for m in (round(t * 1440 / n) for t in range(n))]

    def member_units(self, dim):
        """Each member's units where a dimension's series mix them (param), or None."""
        ds = self._dataset(dim)
        text = _text(ds.attrs.get("member_units"))
        if text is None:
            return None
        units = [part.strip() for part in text.split(",")]
        return units if len(units) == len(ds) else None

    def labels(self, dim):
        """The entry names of a dimension ("bus" -> ["b1", "b2", "b3"]); indices if unnamed."""
        ds = self._dataset(dim)
        text = _text(ds.attrs.get("labels"))
        if text is None:
            return [str(i) for i in range(len(ds))]
        labels = [part.strip() for part in text.split(",")]
        if len(labels) != len(ds):
            raise RunFileError(f"{self.path}: /{dim} has {len(ds)} entries but "
                               f"{len(labels)} labels")
        return labels
