"""Matplotlib helpers: a headless backend, saving figures (PNG, PDF or SVG), clock-hour period
ticks, min-max bands over runs."""

import os

import matplotlib

matplotlib.use("Agg")  # the scripts only write files: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

FORMATS = ("png", "pdf", "svg")
_output = {"format": "png", "dpi": 110}


def configure(fmt="png", dpi=110):
    """The file format of every figure saved from now on, and the resolution of PNGs."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; expected one of {', '.join(FORMATS)}")
    _output.update(format=fmt, dpi=dpi)


def new(rows=1, cols=1, width=None, height=None, **kwargs):
    """A figure and its axes (a 2-d array unless squeeze is requested)."""
    width = width or 4.2 * cols + 1.0
    height = height or 3.0 * rows + 0.8
    kwargs.setdefault("squeeze", False)
    return plt.subplots(rows, cols, figsize=(width, height), **kwargs)


def save(fig, outdir, name, written):
    """Writes fig as OUTDIR/NAME.<format> (configure()), closes it, prints the path and appends it
    to `written`."""
    path = os.path.join(outdir, f"{name}.{_output['format']}")
    if fig.get_layout_engine() is None:
        fig.tight_layout()
    fig.savefig(path, dpi=_output["dpi"])
    plt.close(fig)
    print(f"wrote {path}")
    written.append(path)
    return path


def colors(n):
    """n distinguishable colours."""
    cmap = plt.get_cmap("tab10" if n <= 10 else "viridis")
    return [cmap(i if n <= 10 else i / max(n - 1, 1)) for i in range(n)]


def band(ax, x, series, label, color):
    """Mean line and min-max band of several runs' series (rows) against x."""
    series = np.asarray(series, dtype=float)
    ax.plot(x, series.mean(axis=0), color=color, label=f"{label} (mean)")
    if len(series) > 1:
        ax.fill_between(x, series.min(axis=0), series.max(axis=0), color=color, alpha=0.25,
                        linewidth=0, label=f"{label} (min-max)")


def daily(ax, values, **kwargs):
    """A per-day value as a staircase: day d spans [d, d + 1), so the last day shows too."""
    values = np.asarray(values, dtype=float)
    return ax.plot(np.arange(len(values) + 1), np.append(values, values[-1:]),
                   drawstyle="steps-post", **kwargs)


def integer_ticks(ax):
    """Ticks only at whole numbers on the x axis (days, interactions, bins)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def log_if_wide(ax, values, ratio=20.0):
    """A logarithmic y axis when the positive values span more than `ratio`."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size and values.min() > 0 and values.max() / values.min() > ratio:
        ax.set_yscale("log")


def axis_label(values, text=None):
    """'long name (units)' of a variable (a DataArray), or `text (units)`."""
    units = values.attrs.get("units", "")
    label = text or values.attrs.get("long_name", values.name)
    return f"{label} ({units})" if units and units != "1" else label


def period_ticks(ax, labels, axis="x", most=8):
    """Periods by their clock hour ("18:00"): at most `most` ticks along `axis` of an image or
    plot whose period i sits at i."""
    step = max(1, -(-len(labels) // most))
    ticks = list(range(0, len(labels), step))
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks, [labels[i] for i in ticks])
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)("period start (local time)")
