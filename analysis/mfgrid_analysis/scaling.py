"""The scaling CSV: what scripts/scaling.py measures per run, and the efficiency tables of it.

Timings come from the run file's /perf/seconds [day, rank, phase]: each phase is summed over the
days, then the slowest rank is taken. "compute" is rollout + reduce + market + learn (the
simulated days without file output); "total" adds io. Set-up before the first day is in neither;
the launcher's wall clock (wall_s, with MPI start-up and set-up) is recorded beside them.

Efficiency of a series of runs at rank counts p, against its smallest rank count p0 (normally 1):
  weak scaling (constant agents per rank):  E(p) = t(p0) / t(p)
  strong scaling (constant total agents):    E(p) = p0 t(p0) / (p t(p))
Repeated measurements of one configuration count with their fastest (smallest compute time).
"""

import csv
import math
import os

import numpy as np

from .cli import UsageError
from .summary import days as days_done

PHASES = ["rollout", "reduce", "market", "learn", "io"]
COMPUTE_PHASES = PHASES[:4]

# The CSV columns, in order (scripts/scaling.py writes them, mfgrid-scaling reads them).
COLUMNS = (["mode", "scenario", "ranks", "threads", "agents_requested", "agents",
            "agents_per_rank", "days", "periods", "repeat", "wall_s", "compute_s", "total_s",
            "agent_steps_per_s", "agent_steps_per_s_wall"] +
           [f"{phase}_s" for phase in PHASES] + ["peak_memory_mib", "file"])
INT_COLUMNS = {"ranks", "threads", "agents_requested", "agents", "days", "periods", "repeat"}
TEXT_COLUMNS = {"mode", "scenario", "file"}
MODES = ("weak", "strong")


def perf_summary(run):
    """Timings and memory of one run (of mfgrid.open_run) as CSV fields (see the module
    docstring). Sums and maxima with skipna=False: numpy's own, as in summary.py."""
    seconds = run.variable("perf/seconds")  # [day, rank, phase]
    missing = [p for p in PHASES if p not in seconds.phase.values]
    if missing:
        raise UsageError(f"{run.path}: /phase lacks {', '.join(missing)}")
    per_rank = seconds.sum("day", skipna=False)  # [rank, phase]
    agents = int(run.attrs["agents"])
    periods = run.variable("market/lmp").sizes["period"]
    days = days_done(run)
    compute = _slowest_rank(per_rank, COMPUTE_PHASES)
    total = _slowest_rank(per_rank, PHASES)
    slowest = per_rank.max("rank", skipna=False)  # [phase]
    row = {"agents": agents, "days": days, "periods": periods,
           "agents_per_rank": agents / int(run.attrs.get("ranks", 1)),
           "compute_s": compute, "total_s": total,
           "agent_steps_per_s": agents * periods * days / total if total > 0 else math.nan,
           "peak_memory_mib": float(run.variable("perf/peak_memory").max(skipna=False))}
    for phase in PHASES:
        row[f"{phase}_s"] = slowest.sel(phase=phase).item()
    return row


def _slowest_rank(per_rank, phases):
    """The slowest rank's seconds in the phases, each rank's summed in the order given."""
    return per_rank.sel(phase=phases).sum("phase", skipna=False).max(skipna=False).item()


def config_key(row):
    """What identifies a measurement in the CSV (for resuming a sweep)."""
    return (row["mode"], row["scenario"], int(row["ranks"]), int(row["threads"]),
            int(row["agents_requested"]), int(row["days"]), int(row["repeat"]))


def read_csv(path):
    """The rows of a scaling CSV, numbers converted; UsageError naming the file if it is not one."""
    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such file")
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UsageError(f"{path}: not a scaling CSV of scripts/scaling.py "
                                 f"(missing columns: {', '.join(missing)})")
            rows = [_convert(path, n + 2, row) for n, row in enumerate(reader)]
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise UsageError(f"{path}: cannot read the CSV ({err})")
    return rows


def _convert(path, line, row):
    out = {}
    for key in COLUMNS:
        value = row[key]
        try:
            if key in TEXT_COLUMNS:
                out[key] = value
            elif key in INT_COLUMNS:
                out[key] = int(value)
            else:
                out[key] = float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{path}:{line}: column {key}: bad value {value!r}")
    if out["mode"] not in MODES:
        raise UsageError(f"{path}:{line}: mode must be weak or strong, not {out['mode']!r}")
    return out


def fastest(rows):
    """One row per configuration (repeats merged): the one with the smallest compute time."""
    best = {}
    for row in rows:
        key = config_key(row)[:-1]
        if key not in best or row["compute_s"] < best[key]["compute_s"]:
            best[key] = row
    return list(best.values())


def series(rows, mode):
    """The runs of one mode grouped into series (a sweep over ranks): {description: [rows]}."""
    groups = {}
    for row in fastest(r for r in rows if r["mode"] == mode):
        if mode == "weak":
            size = f"{row['agents_requested'] // row['ranks']} agents per rank"
        else:
            size = f"{row['agents_requested']} agents"
        key = (f"{row['scenario']}, {size}, {row['threads']} thread"
               f"{'s' if row['threads'] > 1 else ''} per rank, {row['days']} days")
        groups.setdefault(key, []).append(row)
    return {key: sorted(group, key=lambda r: r["ranks"]) for key, group in groups.items()}


def efficiency(rows, mode, column):
    """Efficiencies E(p) of one series (rows sorted by ranks) for a time column."""
    p0, t0 = rows[0]["ranks"], rows[0][column]
    out = []
    for row in rows:
        p, t = row["ranks"], row[column]
        if t <= 0:
            out.append(math.nan)
        elif mode == "weak":
            out.append(t0 / t)
        else:
            out.append(p0 * t0 / (p * t))
    return np.array(out)


def table(rows, mode):
    """A markdown table of one series: times, efficiencies, throughput, memory."""
    e_compute = efficiency(rows, mode, "compute_s")
    e_total = efficiency(rows, mode, "total_s")
    header = ["ranks", "agents", "compute s", "E", "with io s", "E (io)", "wall s",
              "agent-steps/s", "peak MiB/rank"]
    lines = [header]
    for row, ec, et in zip(rows, e_compute, e_total):
        lines.append([str(row["ranks"]), str(row["agents"]), f"{row['compute_s']:.4g}",
                      f"{ec:.3f}", f"{row['total_s']:.4g}", f"{et:.3f}", f"{row['wall_s']:.3g}",
                      f"{row['agent_steps_per_s']:.3g}", f"{row['peak_memory_mib']:.1f}"])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["| " + " | ".join(c.rjust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    text.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(text)


def report(rows):
    """Every series of the rows as titled markdown tables."""
    parts = []
    for mode in MODES:
        for title, group in series(rows, mode).items():
            parts.append(f"{mode} scaling: {title}\n\n{table(group, mode)}\n")
    return "\n".join(parts)
