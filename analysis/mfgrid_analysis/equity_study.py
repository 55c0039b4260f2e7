"""The equity study of ieee3-equity (docs/model.md §9.1): what each leader's run shows against the flat
tariff of the same seed, as mean ± s.d. over the seeds, in tables and figures.

Figures of merit, all read from the run files (days are 0-based; "window" = WINDOW days):
  - EEI per group and the EEI gap (max − min over groups of the window mean): last window;
  - the learned fixed charge per group: the last day's;
  - the rates: mean day-to-day change of the import rates |r(d) − r(d − 1)| over periods and
    buses, in the first window after the leader's warm-up and in the last window ($/MWh/day);
  - LMP volatility per bus: mean |LMP(d, t) − LMP(d − 1, t)| over the window's days and periods,
    divided by the window's mean LMP — in the first and the last window of the run;
  - the tariff's own LMP volatility per bus: the same change of LMP_run − LMP_flat, the flat
    tariff's run of the same seed having the same weather (common random numbers), so what is left
    is what the posted tariff and the followers' response to it cause ($/MWh/day), in the first
    window after the warm-up and in the last;
  - revenue adequacy: mean over the last window ($/day).

Means are taken with skipna=False (numpy's own, as in summary.py).
"""

import json
import os

import numpy as np
import xarray as xr

from . import figures
from mfgrid import open_run

WINDOW = 20  # days in the "first" and "last" windows
BASELINE = "flat"


def _mean(x, dims=None):
    """The mean over dims (every one by default), numpy's own: skipna=False."""
    return x.mean(dims, skipna=False)


def _change(x):
    """Mean |x(d) − x(d − 1)| over days and periods, per bus: DataArray [bus]."""
    return _mean(abs(x.diff("day")), ("day", "period"))


def _days(x, first=None, last=None):
    """Days first … last − 1 of a series, by position as in a slice (negative from the end)."""
    return x.isel(day=slice(first, last))


def measure(path, baseline_path=None):
    """The figures of merit of one run file (dict of plain lists and floats)."""
    with open_run(path) as run:
        warmup = int(run.scenario.get("leader", {}).get("warmup_days", 0))
        incomes = {g["name"]: g["income"] for g in run.scenario["households"]["group"]}
        eei = run.variable("outcome/eei")  # [day, group]
        lmp = run.variable("market/lmp").load()  # [day, period, bus]; also after the file closes
        rate = run.variable("tariff/import_rate")  # [day, period, bus]
        change = _mean(abs(rate.diff("day")), ("period", "bus"))  # [day − 1]
        eei_window = _mean(_days(eei, -WINDOW), "day")
        out = {
            "seed": run.attrs["seed"],
            "agents": run.attrs["agents"],
            "groups": eei.group.values.tolist(),
            "incomes": [incomes[g] for g in eei.group.values],
            "buses": lmp.bus.values.tolist(),
            "periods": rate.period.values.tolist(),
            "warmup_days": warmup,
            "eei": eei_window.values.tolist(),
            "eei_gap": float(np.ptp(eei_window.values)),
            "fixed_charge": run.variable("tariff/fixed_charge").isel(day=-1).values.tolist(),
            # change[d − 1] is the change into day d: the first window is days warmup+1 … +WINDOW.
            "rate_change_first": float(_mean(_days(change, warmup, warmup + WINDOW))),
            "rate_change_last": float(_mean(_days(change, -WINDOW))),
            # The rates of the first bus (the plots' title says which).
            "rate_last_day": rate.isel(day=-1, bus=0).values.tolist(),
            "rate_by_day": rate.isel(bus=0).values.tolist(),
            "lmp_volatility_first": _volatility(_days(lmp, None, WINDOW)),
            "lmp_volatility_last": _volatility(_days(lmp, -WINDOW)),
            "revenue_adequacy": float(_mean(_days(run.variable("outcome/revenue_adequacy"),
                                                  -WINDOW))),
        }
    if baseline_path is not None:
        with open_run(baseline_path) as base:
            if base.attrs["seed"] != out["seed"]:
                raise ValueError(f"{baseline_path}: seed {base.attrs['seed']}, but {path} has "
                                 f"{out['seed']}")
            # Runs of other days or buses are refused, not cut to the days and buses in common.
            with xr.set_options(arithmetic_join="exact"):
                excess = lmp - base.variable("market/lmp")
        first = _days(excess, warmup, warmup + WINDOW + 1)  # changes into days warmup+1 … +WINDOW
        out["tariff_lmp_change_first"] = _change(first).values.tolist()
        out["tariff_lmp_change_last"] = _change(_days(excess, -WINDOW - 1)).values.tolist()
    return out


def _volatility(lmp):
    """Per bus: the mean day-to-day change of LMP over the mean LMP (list)."""
    return (_change(lmp) / _mean(lmp, ("day", "period"))).values.tolist()


def charges_rise_with_income(m):
    """The learned fixed charges never fall and end higher from the lowest income group to the
    highest (groups ordered by the scenario's incomes)."""
    f = np.array(m["fixed_charge"])[np.argsort(m["incomes"], kind="stable")]
    return bool(np.all(np.diff(f) >= 0) and f[-1] > f[0])


def collect(tasks):
    """{configuration: [measure of each seed]} from the study's tasks, baselines first."""
    base = {t.seed: t.path for t in tasks if t.name == BASELINE}
    results = {}
    for t in tasks:
        results.setdefault(t.name, []).append(
            measure(t.path, base.get(t.seed) if t.name != BASELINE else None))
    return results


def mean_sd(values, digits=4):
    """'m ± s' (elementwise, joined by commas, for a list of vectors); s.d. over the seeds."""
    v = np.asarray(values, dtype=float)
    sd = v.std(axis=0, ddof=1) if len(v) > 1 else np.zeros(v.shape[1:])
    m = v.mean(axis=0)
    if m.ndim == 0:
        return f"{m:.{digits}f} ± {sd:.{digits}f}"
    return ", ".join(f"{a:.{digits}f} ± {b:.{digits}f}" for a, b in zip(m, sd))


def tables(results):
    """The study's tables (markdown)."""
    names = list(results)
    first = results[names[0]][0]
    groups, buses = first["groups"], first["buses"]
    flat = results.get(BASELINE)
    seeds = [r["seed"] for r in results[names[0]]]
    out = [f"Seeds {', '.join(map(str, seeds))}, {first['agents']} agents; mean ± s.d. over the "
           f"seeds; EEI and revenue adequacy over the last {WINDOW} days.", ""]
    out += ["| run | EEI gap | vs flat | EEI (" + ", ".join(groups) + ") | fixed charge $/day (" +
            ", ".join(groups) + ") | revenue adequacy $/day | seeds: gap below flat, charges "
            "rising with income, revenue adequate |", "|---|---|---|---|---|---|---|"]
    for n in names:
        r = results[n]
        vs, below = "—", "—"
        if flat and n != BASELINE:
            vs = mean_sd([100 * (x["eei_gap"] / b["eei_gap"] - 1) for x, b in zip(r, flat)], 1)
            vs += " %"
            below = str(sum(x["eei_gap"] < b["eei_gap"] for x, b in zip(r, flat)))
        rising = sum(charges_rise_with_income(x) for x in r)
        adequate = sum(x["revenue_adequacy"] >= 0 for x in r)
        out.append(f"| {n} | {mean_sd([x['eei_gap'] for x in r])} | {vs} | "
                   f"{mean_sd([x['eei'] for x in r])} | "
                   f"{mean_sd([x['fixed_charge'] for x in r], 3)} | "
                   f"{mean_sd([x['revenue_adequacy'] for x in r], 0)} | "
                   f"{below}, {rising}, {adequate} of {len(r)} |")
    out += ["", f"Rates and prices: first {WINDOW} days (of the run for the LMP volatility, after "
            f"the leader's warm-up for the rates and the tariff's part) → last {WINDOW} days.", "",
            "| run | rate change ($/MWh/day) | LMP volatility (" + ", ".join(buses) +
            "), share of the mean LMP | the tariff's part of the LMP change (" + ", ".join(buses) +
            ") $/MWh/day |", "|---|---|---|---|"]
    for n in names:
        r = results[n]
        tariff = "—"
        if "tariff_lmp_change_first" in r[0]:
            tariff = (f"{mean_sd([x['tariff_lmp_change_first'] for x in r], 3)} → "
                      f"{mean_sd([x['tariff_lmp_change_last'] for x in r], 3)}")
        out.append(f"| {n} | {mean_sd([x['rate_change_first'] for x in r], 2)} → "
                   f"{mean_sd([x['rate_change_last'] for x in r], 2)} | "
                   f"{mean_sd([x['lmp_volatility_first'] for x in r], 3)} → "
                   f"{mean_sd([x['lmp_volatility_last'] for x in r], 3)} | {tariff} |")
    out += ["", "Last day's import rate per period ($/MWh, " + ", ".join(first["periods"]) + "):",
            "", "| run | rates |", "|---|---|"]
    for n in names:
        out.append(f"| {n} | {mean_sd([x['rate_last_day'] for x in results[n]], 1)} |")
    return "\n".join(out) + "\n"


def scale_tables(results, reference, scale):
    """Population ×scale against the reference study (scale 1): per configuration, the difference
    of the seed means and the larger of the two s.d. over seeds (markdown)."""
    rows = [("EEI gap", "eei_gap", 4), ("revenue adequacy $/day", "revenue_adequacy", 0),
            ("rate change, last window $/MWh/day", "rate_change_last", 2)]
    out = [f"Population ×{scale:g} against scale 1, same seeds: mean over seeds at each scale, "
           "their difference, and the s.d. over seeds (the larger of the two scales'). "
           "\"within\" when |difference| ≤ 2 s.d. (the difference of two means of n seeds has "
           "s.d. √(2/n)·s ≤ s for n ≥ 2).", "",
           "| run | figure | scale 1 | ×%g | difference | s.d. over seeds | agree |" % scale,
           "|---|---|---|---|---|---|---|"]
    agree_all = True
    for n in results:
        if n not in reference:
            continue
        a, b = reference[n], results[n]
        vectors = [("EEI " + g, lambda x, i=i: x["eei"][i], 4)
                   for i, g in enumerate(a[0]["groups"])]
        vectors += [("fixed charge " + g, lambda x, i=i: x["fixed_charge"][i], 3)
                    for i, g in enumerate(a[0]["groups"])]
        for label, get, digits in [(r[0], (lambda x, k=r[1]: x[k]), r[2]) for r in rows] + vectors:
            va = np.array([get(x) for x in a])
            vb = np.array([get(x) for x in b])
            sd = max(va.std(ddof=1) if len(va) > 1 else 0, vb.std(ddof=1) if len(vb) > 1 else 0)
            diff = vb.mean() - va.mean()
            ok = bool(abs(diff) <= 2 * sd)
            agree_all &= ok
            out.append(f"| {n} | {label} | {va.mean():.{digits}f} | {vb.mean():.{digits}f} | "
                       f"{diff:+.{digits}f} | {sd:.{digits}f} | {'within' if ok else 'OUTSIDE'} |")
    return "\n".join(out) + "\n", agree_all


def plot(results, outdir, written):
    """The study's figures into outdir; appends the paths to `written`."""
    names = list(results)
    first = results[names[0]][0]
    groups, buses, periods = first["groups"], first["buses"], first["periods"]
    colors = figures.colors(len(names))

    # EEI per group: bars of the seed mean, s.d. as error bars, every configuration side by side.
    fig, axes = figures.new(width=8.5)
    ax = axes[0][0]
    width = 0.8 / len(names)
    x = np.arange(len(groups))
    for i, (n, c) in enumerate(zip(names, colors)):
        v = np.array([r["eei"] for r in results[n]])
        ax.bar(x + (i - (len(names) - 1) / 2) * width, v.mean(axis=0), width,
               yerr=v.std(axis=0, ddof=1) if len(v) > 1 else None, capsize=2, color=c, label=n)
    ax.set_xticks(x, groups)
    ax.set_ylabel("EEI (annual bill / income)")
    ax.set_title(f"EEI by income group, last {WINDOW} days (mean ± s.d. over seeds)")
    ax.legend(fontsize="small", ncol=2)
    figures.save(fig, outdir, "equity_eei", written)

    # The learned fixed charge per group.
    fig, axes = figures.new(width=7)
    ax = axes[0][0]
    for n, c in zip(names, colors):
        v = np.array([r["fixed_charge"] for r in results[n]])
        ax.errorbar(np.arange(len(groups)), v.mean(axis=0),
                    yerr=v.std(axis=0, ddof=1) if len(v) > 1 else None, marker="o", capsize=3,
                    color=c, label=n)
    ax.set_xticks(np.arange(len(groups)), groups)
    ax.set_xlabel("income group (rising income →)")
    ax.set_ylabel("fixed charge ($/day)")
    ax.set_title("learned fixed charge per group, last day (mean ± s.d.)")
    ax.legend(fontsize="small")
    figures.save(fig, outdir, "equity_fixed_charges", written)

    # Per-period rates over the days: one panel per configuration, mean over seeds.
    learned = [n for n in names if n != BASELINE]
    cols = min(3, max(1, len(learned)))
    rows = -(-len(learned) // cols) if learned else 1
    fig, axes = figures.new(rows, cols, width=4.6 * cols, height=3.0 * rows + 0.6, sharey=True)
    pc = figures.colors(len(periods))
    for k, n in enumerate(learned):
        ax = axes[k // cols][k % cols]
        rate = np.array([r["rate_by_day"] for r in results[n]]).mean(axis=0)  # [day, period]
        for t, c in enumerate(pc):
            figures.daily(ax, rate[:, t], color=c, lw=1, label=periods[t])
        ax.axvline(first["warmup_days"], color="grey", lw=0.6, ls=":")
        ax.set_title(n, fontsize="medium")
        ax.set_xlabel("day")
        if k % cols == 0:
            ax.set_ylabel("import rate ($/MWh)")
    for k in range(len(learned), rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    axes[0][0].legend(fontsize="x-small", ncol=2, title="period")
    fig.suptitle("posted import rate per period (mean over seeds; bus " + buses[0] + ")")
    figures.save(fig, outdir, "equity_rates", written)

    # LMP volatility per bus: first and last window, every configuration; and the tariff's part.
    with_tariff = [n for n in names if "tariff_lmp_change_first" in results[n][0]]
    fig, axes = figures.new(1, 2, width=12)
    for ax, key, title, unit in (
            (axes[0][0], "lmp_volatility", "LMP day-to-day change / mean LMP", "share"),
            (axes[0][1], "tariff_lmp_change", "the tariff's part: change of LMP − LMP(flat)",
             "$/MWh/day")):
        shown = names if key == "lmp_volatility" else with_tariff
        width = 0.8 / max(1, len(shown))
        x = np.arange(len(buses))
        for i, n in enumerate(shown):
            c = colors[names.index(n)]
            f = np.array([r[key + "_first"] for r in results[n]]).mean(axis=0)
            l = np.array([r[key + "_last"] for r in results[n]]).mean(axis=0)
            pos = x + (i - (len(shown) - 1) / 2) * width
            ax.bar(pos, f, width, color=c, alpha=0.35, edgecolor=c)
            ax.bar(pos, l, width * 0.5, color=c, label=n)
        ax.set_xticks(x, buses)
        ax.set_ylabel(unit)
        ax.set_title(title + f"\n(pale: first {WINDOW} days, solid: last {WINDOW})",
                     fontsize="medium")
        ax.legend(fontsize="x-small", ncol=2)
    figures.save(fig, outdir, "equity_lmp_volatility", written)


def summarise(tasks, outdir, reference_dir=None, scale=1.0):
    """Measures every run, writes OUT/summary.json, OUT/summary.md and OUT/figures/*.png;
    returns the tables. With reference_dir (a scale-1 study's directory), also the agreement of
    this study (at population ×scale) with it."""
    results = collect(tasks)
    text = tables(results)
    agree = None
    if reference_dir:
        with open(os.path.join(reference_dir, "summary.json")) as f:
            reference = json.load(f)["runs"]
        extra, agree = scale_tables(results, reference, scale)
        text += "\n" + extra
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump({"window_days": WINDOW, "runs": results, "scale_agrees": agree}, f, indent=1)
    with open(os.path.join(outdir, "summary.md"), "w") as f:
        f.write(text)
    written = []
    plot(results, figures_dir(outdir), written)
    return text


def figures_dir(outdir):
    path = os.path.join(outdir, "figures")
    os.makedirs(path, exist_ok=True)
    return path
