"""The demand-side-management study of dsm-community (docs/model.md §9.2): `zo` against `zo-surrogate`,
the objective against the number of interactions, for several K (directions per zeroth-order
estimate) and t_max (surrogate steps per interaction).

What is measured, per run, from /leader/objective and /leader/theta (one interaction a day):
  - the tariff the leader would post if stopped after k interactions: the best one it observed in
    the first k (after its budget a leader posts its best tariff);
  - the objective after k interactions: that tariff's own J, evaluated by a separate run under the
    tariff held fixed (`evaluate`, scripts/fixed_tariff.py). Not the J the leader observed: with
    one interaction a day, the day a tariff is posted starts from the batteries' state that the
    previous tariff left, and after a large change of tariff that transition day's J is off the
    tariff's own by up to 8 % (zo, seed 1, interaction 8: observed 0.1848, own 0.2005); after small
    changes they agree to 1e-6. A lucky transition day would otherwise count as progress;
  - J*: per seed, the lowest own J of any tariff a run of the study would post (the seeds differ
    in the households' PV and battery sizes, so each seed is its own game);
  - relative accuracy after k interactions: (J after k − J*) / J*, and the interactions each run
    needs to reach 10⁻² and 10⁻³ and stay there (none if it never does);
  - the final tariff: the best tariff observed; its distance to the seed's best tariff, and between
    the final tariffs of zo and zo-surrogate with the same K, in normalised units (each parameter
    divided by its range, so 1 = the whole range), max over parameters.
"""

import json
import os
import re

import numpy as np

from . import figures
from mfgrid import open_run

ACCURACIES = (1e-2, 1e-3)
NAME = re.compile(r"^(?P<method>zo|zo-surrogate)-K(?P<k>\d+)(?:-tmax(?P<t>\d+))?$")


def parse_name(name):
    """('zo' or 'zo-surrogate', K, t_max or None) from a configuration's name."""
    m = NAME.match(name)
    if not m:
        raise ValueError(f"not a dsm study configuration: {name!r}")
    return m["method"], int(m["k"]), int(m["t"]) if m["t"] else None


def read(path):
    """Objective per interaction, tariffs (real units) [interaction, param], their normalised
    form and the parameters' names, as numpy arrays and lists."""
    with open_run(path) as run:
        objective = run.variable("leader/objective").values
        tariffs = run.variable("leader/theta")  # [interaction, param]
        params = tariffs.param.values.tolist()
        theta = tariffs.values
        tariff = run.scenario.get("tariff", {})
    lo, hi = [], []
    for p in params:  # the ranges of the learned parameters, from the resolved scenario
        bounds = tariff.get("peak_bounds" if p.startswith("peak") else
                            "import_bounds" if p.startswith("import") else
                            "export_bounds" if p.startswith("export") else "fixed_bounds")
        if bounds is None:
            raise ValueError(f"{path}: no bounds for parameter {p}")
        lo.append(bounds[0])
        hi.append(bounds[1])
    lo, hi = np.array(lo, float), np.array(hi, float)
    span = np.where(hi > lo, hi - lo, 1.0)
    return {"objective": objective, "theta": theta, "normalised": (theta - lo) / span,
            "params": params}


def reached_and_stayed(relative, tol):
    """Interactions (1-based) from which the relative accuracy stays ≤ tol; None if it never
    does (the own J of a later best-observed tariff can be worse than an earlier one's)."""
    above = np.flatnonzero(relative > tol)
    if above.size == 0:
        return 1
    k = int(above[-1]) + 1
    return k + 1 if k < len(relative) else None


def best_so_far(objective):
    """For each k, the index of the best observation among the first k + 1."""
    index = np.zeros(len(objective), dtype=int)
    for k in range(1, len(objective)):
        index[k] = k if objective[k] < objective[index[k - 1]] else index[k - 1]
    return index


def collect(tasks, evaluate):
    """Per run: the own-J curve of the tariff it would post, its relative accuracy, interactions
    to each accuracy, the final tariff; per seed: J* and its tariff. `evaluate(seed, params, θ)`
    gives a tariff's own J, `evaluate.evaluate_all([(seed, params, θ)])` many at once.
    Returns (runs, seeds) of plain data."""
    data = {(t.name, t.seed): read(t.path) for t in tasks}
    points = []
    for (name, seed), d in data.items():
        d["best_index"] = best_so_far(d["objective"])
        d["posted"] = sorted(set(d["best_index"].tolist()))
        points += [(seed, d["params"], d["theta"][i]) for i in d["posted"]]
    evaluate.evaluate_all(points)
    seeds = {}
    for (name, seed), d in data.items():
        own = {i: evaluate(seed, d["params"], d["theta"][i]) for i in d["posted"]}
        d["own"] = np.array([own[i] for i in d["best_index"]])
        s = seeds.setdefault(seed, {"j_star": np.inf, "lowest_observed": np.inf})
        s["lowest_observed"] = min(s["lowest_observed"], float(d["objective"].min()))
        for i, j in own.items():
            if j < s["j_star"]:
                s.update(j_star=float(j), found_by=name, interaction=i + 1,
                         theta=d["theta"][i].tolist(), normalised=d["normalised"][i].tolist())
    runs = {}
    for t in tasks:
        d = data[(t.name, t.seed)]
        s = seeds[t.seed]
        relative = (d["own"] - s["j_star"]) / abs(s["j_star"])
        k = int(d["best_index"][-1])
        method, directions, t_max = parse_name(t.name)
        runs.setdefault(t.name, []).append({
            "seed": t.seed, "method": method, "directions": directions, "t_max": t_max,
            "interactions": len(relative),
            "own_j": d["own"].tolist(), "relative": relative.tolist(),
            "reach": {f"{tol:g}": reached_and_stayed(relative, tol) for tol in ACCURACIES},
            "final_j": float(d["own"][-1]), "final_observed_j": float(d["objective"][k]),
            "final_relative": float(relative[-1]),
            "final_theta": d["theta"][k].tolist(), "final_normalised": d["normalised"][k].tolist(),
            "distance_to_best": float(np.abs(d["normalised"][k] - s["normalised"]).max()),
            "params": d["params"],
        })
    return runs, seeds


def _mean_sd(values, spec):
    """'mean ± s.d.' of a list, both in the format spec (".2g", ".5f")."""
    v = np.asarray(values, float)
    if v.size == 0:
        return "—"
    sd = v.std(ddof=1) if v.size > 1 else 0.0
    return f"{v.mean():{spec}} ± {sd:{spec}}"


def _reach_text(runs, tol):
    hits = [r["reach"][f"{tol:g}"] for r in runs]
    reached = [h for h in hits if h is not None]
    if not reached:
        return f"never (0/{len(hits)})"
    text = f"{np.mean(reached):.0f} ± {np.std(reached, ddof=1) if len(reached) > 1 else 0:.0f}"
    if len(reached) < len(hits):
        text += f" ({len(reached)}/{len(hits)} seeds; the others never)"
    return text


def pair_distances(runs):
    """Per K, per seed: ‖final θ of zo − final θ of zo-surrogate (t_max = each)‖∞, normalised."""
    out = {}
    zo = {n: r for n, r in runs.items() if r[0]["method"] == "zo"}
    for zn, zr in zo.items():
        k = zr[0]["directions"]
        for sn, sr in runs.items():
            if sr[0]["method"] != "zo-surrogate" or sr[0]["directions"] != k:
                continue
            by_seed = {r["seed"]: r for r in sr}
            out[(zn, sn)] = [float(np.abs(np.array(z["final_normalised"]) -
                                          np.array(by_seed[z["seed"]]["final_normalised"])).max())
                             for z in zr if z["seed"] in by_seed]
    return out


def tables(runs, seeds):
    first = next(iter(runs.values()))[0]
    out = [f"Seeds {', '.join(map(str, sorted(seeds)))}; J* per seed = the lowest own J (a fixed-"
           "tariff run) of any tariff a run would post: " +
           ", ".join(f"seed {s}: {v['j_star']:.6f} ({v['found_by']}, interaction "
                     f"{v['interaction']}; lowest J observed {v['lowest_observed']:.6f})"
                     for s, v in sorted(seeds.items())) + ".",
           "", "Interactions until the relative accuracy (J − J*)/J* of the tariff the leader would "
           "post reaches 10⁻² and 10⁻³ and stays there (mean ± s.d. over the seeds that do), the "
           "relative accuracy and the own J at the end of the budget, and the final tariff's "
           "distance to the seed's best tariff (normalised, max over parameters):", "",
           "| run | K | t_max | budget | to 1e-2 | to 1e-3 | final accuracy | final J | "
           "distance to best |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in runs.items():
        out.append(f"| {name} | {r[0]['directions']} | {r[0]['t_max'] or '—'} | "
                   f"{r[0]['interactions']} | {_reach_text(r, 1e-2)} | {_reach_text(r, 1e-3)} | "
                   f"{_mean_sd([x['final_relative'] for x in r], '.2g')} | "
                   f"{_mean_sd([x['final_j'] for x in r], '.5f')} | "
                   f"{_mean_sd([x['distance_to_best'] for x in r], '.2f')} |")
    out += ["", "Final tariffs (mean over seeds; " + ", ".join(first["params"]) + "):", "",
            "| run | final tariff |", "|---|---|"]
    for name, r in runs.items():
        theta = np.array([x["final_theta"] for x in r]).mean(axis=0)
        out.append(f"| {name} | " + ", ".join(f"{v:.4g}" for v in theta) + " |")
    distances = pair_distances(runs)
    if distances:
        out += ["", "Distance between the final tariffs of zo and zo-surrogate with the same K "
                "(normalised, max over parameters; mean ± s.d. over seeds):", "",
                "| zo | zo-surrogate | distance |", "|---|---|---|"]
        for (zn, sn), d in distances.items():
            out.append(f"| {zn} | {sn} | {_mean_sd(d, '.2f')} |")
    return "\n".join(out) + "\n"


def plot(runs, outdir, written):
    ks = sorted({r[0]["directions"] for r in runs.values()})
    fig, axes = figures.new(1, len(ks), width=4.8 * len(ks), height=4.2, sharey=True)
    t_maxes = sorted({r[0]["t_max"] for r in runs.values() if r[0]["t_max"]})
    colors = dict(zip(t_maxes, figures.colors(len(t_maxes) + 1)[1:]))
    floor = 1e-6  # J* itself is 0 on the log scale: drawn at the floor
    for ax, k in zip(axes[0], ks):
        for name, r in runs.items():
            if r[0]["directions"] != k:
                continue
            n = min(len(x["relative"]) for x in r)
            series = np.maximum(np.array([x["relative"][:n] for x in r]), floor)
            x = np.arange(1, n + 1)
            is_zo = r[0]["method"] == "zo"
            color = "k" if is_zo else colors[r[0]["t_max"]]
            label = "zo" if is_zo else f"zo-surrogate, t_max {r[0]['t_max']}"
            ax.plot(x, series.mean(axis=0), color=color, lw=1.4 if is_zo else 1, label=label)
            ax.fill_between(x, series.min(axis=0), series.max(axis=0), color=color, alpha=0.15,
                            linewidth=0)
        for tol in ACCURACIES:
            ax.axhline(tol, color="grey", lw=0.6, ls=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("interactions")
        ax.set_title(f"K = {k}")
        if k == ks[0]:
            ax.set_ylabel("(J of the tariff it would post − J*) / J*")
            ax.legend(fontsize="x-small")
    fig.suptitle("dsm-community: relative accuracy against interactions (mean, min-max band "
                 "over seeds)")
    figures.save(fig, outdir, "dsm_accuracy", written)

    # Final tariffs: zo and zo-surrogate (the scenario's t_max or the middle one) per K.
    params = next(iter(runs.values()))[0]["params"]
    fig, axes = figures.new(1, len(ks), width=4.8 * len(ks), height=3.6, sharey=True)
    for ax, k in zip(axes[0], ks):
        shown = [n for n, r in runs.items() if r[0]["directions"] == k and
                 (r[0]["method"] == "zo" or r[0]["t_max"] == (10 if 10 in t_maxes else
                                                              t_maxes[len(t_maxes) // 2]))]
        for i, name in enumerate(shown):
            v = np.array([x["final_normalised"] for x in runs[name]])
            ax.errorbar(np.arange(len(params)) + 0.15 * (i - 0.5), v.mean(axis=0),
                        yerr=v.std(axis=0, ddof=1) if len(v) > 1 else None, fmt="o",
                        capsize=2, ms=3, label=name)
        ax.set_xticks(np.arange(len(params)), params, rotation=60, fontsize="x-small")
        ax.set_title(f"K = {k}")
        if k == ks[0]:
            ax.set_ylabel("final tariff, normalised (0-1)")
        ax.legend(fontsize="x-small")
    fig.suptitle("final tariffs (mean ± s.d. over seeds)")
    figures.save(fig, outdir, "dsm_tariffs", written)


def summarise(tasks, outdir, evaluate):
    """Measures every run (`evaluate` as for collect), writes OUT/summary.json, OUT/summary.md and
    OUT/figures/*.png; returns the tables."""
    runs, seeds = collect(tasks, evaluate)
    text = tables(runs, seeds)
    slim = {n: [{k: v for k, v in x.items() if k not in ("own_j", "relative")} for x in r]
            for n, r in runs.items()}
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump({"seeds": seeds, "runs": slim,
                   "pair_distances": {f"{a} | {b}": d for (a, b), d in
                                      pair_distances(runs).items()}}, f, indent=1)
    with open(os.path.join(outdir, "summary.md"), "w") as f:
        f.write(text)
    path = os.path.join(outdir, "figures")
    os.makedirs(path, exist_ok=True)
    plot(runs, path, [])
    return text
