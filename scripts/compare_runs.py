#!/usr/bin/python3
"""Compare two mfgrid run files dataset by dataset, bit for bit.

Usage: compare_runs.py A.h5 B.h5 [--skip GROUP ...]

Every dataset of A must exist in B with the same shape, type and bytes and the same describing
attributes (units, long_name, labels, ...), and vice versa, except under the skipped groups (default: /perf, whose timings differ from run to run). The final
checkpoint is compared too: a resumed run must end in the very state of an uninterrupted one.
(A run with output.keep_checkpoint = false ends without it: compare it with --skip /checkpoint
/perf /rank.) Root attributes that describe the run rather than its results (ranks, threads,
created, ...) are not compared, nor, in the scenario, output.keep_checkpoint, which changes no
result. Exit status 0 when identical, 1 when not, 2 on bad input.
"""
import argparse
import sys

import h5py
import numpy as np


def datasets(f, skip):
    """Every dataset by its shortest path: a group links the root's dimension scales (format 2),
    and h5py's visit names an object by whichever link it meets first."""
    by_object = {}

    def walk(group, prefix):
        for key in group:
            obj = group[key]
            name = prefix + key
            if isinstance(obj, h5py.Group):
                walk(obj, name + "/")
            elif isinstance(obj, h5py.Dataset):
                address = h5py.h5o.get_info(obj.id).addr
                known = by_object.get(address)
                if known is None or (known[0].count("/"), known[0]) > (name.count("/"), name):
                    by_object[address] = (name, obj)

    walk(f, "")
    return {name: obj for name, obj in by_object.values()
            if not any(("/" + name + "/").startswith(s.rstrip("/") + "/") for s in skip)}


# HDF5's dimension-scale bookkeeping (object references, which differ between files).
SCALE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "DIMENSION_LABELS"}


def described_by(dataset):
    """The attributes that describe a dataset (units, long_name, labels, ...)."""
    return set(dataset.attrs.keys()) - SCALE_ATTRIBUTES


def settings(scenario):
    """The resolved scenario's text without output.keep_checkpoint: whether a complete run's
    file keeps /checkpoint, which the datasets' comparison sees, not what the run computed."""
    if not isinstance(scenario, str):
        return scenario
    lines, table = [], None
    for line in scenario.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped
        elif table == "[output]" and stripped.split("=", 1)[0].strip() == "keep_checkpoint":
            continue
        lines.append(line)
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--skip", nargs="*", default=["/perf", "/rank"],
                   help="groups or datasets not compared (default: /perf /rank)")
    args = p.parse_args()
    try:
        fa, fb = h5py.File(args.a, "r"), h5py.File(args.b, "r")
    except OSError as e:
        print(f"compare_runs: {e}", file=sys.stderr)
        return 2
    da, db = datasets(fa, args.skip), datasets(fb, args.skip)
    problems = []
    for name in sorted(set(da) | set(db)):
        if name not in da or name not in db:
            problems.append(f"{name}: only in {args.a if name in da else args.b}")
            continue
        x, y = da[name][()], db[name][()]
        if x.shape != y.shape or x.dtype != y.dtype:
            problems.append(f"{name}: shape/type {x.shape} {x.dtype} vs {y.shape} {y.dtype}")
        elif x.dtype == object:  # variable-length strings: the values, not their pointers
            if x.tolist() != y.tolist():
                problems.append(f"{name}: {x.tolist()} vs {y.tolist()}")
        elif x.tobytes() != y.tobytes():
            diff = np.argwhere(x != y) if x.ndim else [()]
            problems.append(f"{name}: {len(diff)} values differ, first at {tuple(diff[0])}")
        for key in sorted(described_by(da[name]) | described_by(db[name])):
            va, vb = da[name].attrs.get(key), db[name].attrs.get(key)
            if va is None or vb is None or not np.array_equal(np.asarray(va), np.asarray(vb)):
                problems.append(f"{name}: attribute {key}: {va!r} vs {vb!r}")
    for key in ("seed", "scenario", "days", "days_done", "complete"):
        va, vb = fa.attrs.get(key), fb.attrs.get(key)
        if key == "scenario":
            va, vb = settings(va), settings(vb)
        if va != vb:
            problems.append(f"root attribute {key} differs")
    for line in problems:
        print(line)
    print(f"{len(da)} datasets compared: " + ("identical" if not problems else
                                              f"{len(problems)} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
