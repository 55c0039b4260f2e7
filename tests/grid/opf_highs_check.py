#!/usr/bin/python3
"""The market clearing of a MATPOWER case against an independent solve with scipy's HiGHS.

    opf_highs_check.py MFGRID CASE.m SCALE [--periods 3]

Reads the case here (its own parser), scales every bus's load by SCALE (stressed loads make lines
congest, so the LMPs differ from bus to bus), writes the scaled case, and has `mfgrid opf` clear it.
The same DC-OPF is then built here as docs/model.md §2 states it, in another formulation (no flow
variables: each line's flow is baseMVA·(θ_from − θ_to − shift)/(x·tap), limited by rows) and solved
with HiGHS (scipy.optimize.linprog). Polynomial costs are linearised as mfgrid documents it: n equal
pieces from Pmin to Pmax with secant slopes. Checks: the cost and every LMP (the balance rows'
duals) agree; with --congested, that the stressed case has lines at their limits and LMPs apart.
The flows are not compared: where generators share a marginal cost the dispatch, and so the flows,
is not unique (ACTIVSg2000's optima differ by tens of MW on some lines at the same cost and prices).
Exit 0 when they agree; the differences are printed either way.
"""
import csv
import io
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

SEGMENTS = 10  # mfgrid's default cost_segments


def matrix(text, name):
    match = re.search(r"mpc\." + name + r"\s*=\s*\[(.*?)\];", text, re.S)
    rows = []
    for line in match.group(1).splitlines():
        line = line.split("%")[0].strip().rstrip(";").strip()
        if line:
            rows.append([float(x) for x in line.replace(";", " ").split()])
    return rows


def read_case(path):
    text = Path(path).read_text()
    base = float(re.search(r"mpc\.baseMVA\s*=\s*([0-9.eE+-]+)", text).group(1))
    return base, matrix(text, "bus"), matrix(text, "gen"), matrix(text, "branch"), matrix(
        text, "gencost")


def write_case(path, base, bus, gen, branch, gencost):
    def block(name, rows):
        return "mpc." + name + " = [\n" + "".join(
            "\t" + "\t".join(repr(x) for x in r) + ";\n" for r in rows) + "];\n"
    Path(path).write_text("function mpc = scaled\nmpc.version = '2';\nmpc.baseMVA = " + repr(base) +
                          ";\n" + block("bus", bus) + block("gen", gen) + block("branch", branch) +
                          block("gencost", gencost))


def pieces(cost, pmin, pmax):
    """(width, marginal cost) of each piece, and the cost at pmin, as mfgrid linearises."""
    model, n = int(cost[0]), int(cost[3])
    if model == 2:
        c = cost[4:4 + n]
        poly = lambda p: sum(a * p ** (n - 1 - k) for k, a in enumerate(c))
        linear = n <= 2 or all(a == 0 for a in c[:n - 2])
        count = 1 if linear or pmax <= pmin else SEGMENTS
        width = (pmax - pmin) / count
        out = []
        for k in range(count):
            a = pmin + k * width
            b = pmax if k == count - 1 else a + width
            slope = (poly(b) - poly(a)) / (b - a) if width > 0 else (c[-2] if n >= 2 else 0.0)
            out.append((b - a, slope))
        return out, poly(pmin)
    points = [(cost[4 + 2 * k], cost[5 + 2 * k]) for k in range(n)]
    out = [(x1 - x0, (y1 - y0) / (x1 - x0)) for (x0, y0), (x1, y1) in zip(points, points[1:])
           if x1 > x0]
    return out, points[0][1]


def solve(base, bus, gen, branch, gencost, voll=10000.0):
    ids = {int(r[0]): i for i, r in enumerate(r for r in bus if int(r[1]) != 4)}
    live = [r for r in bus if int(r[1]) != 4]
    nb = len(live)
    load = np.array([r[2] + r[4] for r in live])
    ref = next(i for i, r in enumerate(live) if int(r[1]) == 3)
    lines = [r for r in branch if r[10] > 0 and int(r[0]) in ids and int(r[1]) in ids]
    gens = [(r, c) for r, c in zip(gen, gencost) if r[7] > 0 and int(r[0]) in ids]
    # Columns: pieces | shed per bus | spill per bus | θ per bus.
    cols_cost, lo, hi, rows, cols, vals = [], [], [], [], [], []
    pmin_at = np.zeros(nb)
    constant = 0.0
    for r, c in gens:
        b = ids[int(r[0])]
        pmin, pmax = r[9], r[8]
        pmin_at[b] += pmin
        segs, at_pmin = pieces(c, pmin, pmax)
        constant += at_pmin
        for width, slope in segs:
            rows.append(b), cols.append(len(cols_cost)), vals.append(1.0)
            cols_cost.append(slope), lo.append(0.0), hi.append(width)
    shed0 = len(cols_cost)
    for b in range(nb):
        rows.append(b), cols.append(len(cols_cost)), vals.append(1.0)
        cols_cost.append(voll), lo.append(0.0), hi.append(max(load[b], 0.0))
    for b in range(nb):
        rows.append(b), cols.append(len(cols_cost)), vals.append(-1.0)
        cols_cost.append(0.0), lo.append(0.0), hi.append(None)
    theta0 = len(cols_cost)
    for b in range(nb):
        cols_cost.append(0.0)
        lo.append(0.0 if b == ref else None)
        hi.append(0.0 if b == ref else None)
    # Balance: generation + shed − spill − Σ out-flows + Σ in-flows = load − Σ pmin, with
    # flow = s·(θf − θt) − s·shift, s = baseMVA/(x·tap).
    rhs = load - pmin_at
    ub_rows, ub_cols, ub_vals, ub_rhs = [], [], [], []
    susceptance, shift_flow, ends = [], [], []
    for r in lines:
        f, t = ids[int(r[0])], ids[int(r[1])]
        tap = r[8] if r[8] != 0 else 1.0
        s = base / (r[3] * tap)
        shift = -s * math.radians(r[9])  # the flow's constant term
        susceptance.append(s), shift_flow.append(shift), ends.append((f, t))
        for bus_row, sign in ((f, -1.0), (t, 1.0)):
            rows += [bus_row, bus_row]
            cols += [theta0 + f, theta0 + t]
            vals += [sign * s, -sign * s]
            rhs[bus_row] -= sign * shift
        limit = r[5]
        if limit > 0:
            k = len(ub_rhs)
            ub_rows += [k, k, k + 1, k + 1]
            ub_cols += [theta0 + f, theta0 + t, theta0 + f, theta0 + t]
            ub_vals += [s, -s, -s, s]
            ub_rhs += [limit - shift, limit + shift]
    n = len(cols_cost)
    a_eq = coo_matrix((vals, (rows, cols)), shape=(nb, n)).tocsr()
    a_ub = coo_matrix((ub_vals, (ub_rows, ub_cols)), shape=(len(ub_rhs), n)).tocsr()
    res = linprog(cols_cost, A_ub=a_ub if ub_rhs else None, b_ub=ub_rhs if ub_rhs else None,
                  A_eq=a_eq, b_eq=rhs, bounds=list(zip(lo, hi)), method="highs")
    if res.status != 0:
        raise SystemExit("HiGHS: " + res.message)
    theta = res.x[theta0:theta0 + nb]
    flows = [s * (theta[f] - theta[t]) + sh for s, sh, (f, t) in zip(susceptance, shift_flow, ends)]
    names = [str(int(r[0])) for r in live]
    return res.fun + constant, dict(zip(names, res.eqlin.marginals)), flows, res.x[shed0:shed0 + nb]


def main():
    args = sys.argv[1:]
    mfgrid, case, scale = args[0], args[1], float(args[2])
    base, bus, gen, branch, gencost = read_case(case)
    for r in bus:
        r[2] *= scale
        r[4] *= scale
    with tempfile.TemporaryDirectory() as tmp:
        scaled = str(Path(tmp) / "scaled.m")
        write_case(scaled, base, bus, gen, branch, gencost)
        out = subprocess.run([mfgrid, "opf", scaled, "--format", "csv"], check=True,
                             capture_output=True, text=True).stdout
    lmp, flow, cost, limit = {}, [], None, []  # mfgrid's
    for row in csv.DictReader(io.StringIO(out)):
        if row["element"] == "system" and row["quantity"] == "cost":
            cost = float(row["value"])
        elif row["element"] == "bus" and row["quantity"] == "lmp":
            lmp[row["name"]] = float(row["value"])
        elif row["element"] == "line" and row["quantity"] == "flow":
            flow.append(float(row["value"]))
        elif row["element"] == "line" and row["quantity"] == "limit":
            limit.append(float(row["value"]))
    cost_h, lmp_h, flow_h, shed_h = solve(base, bus, gen, branch, gencost)
    congested = sum(1 for f, l in zip(flow_h, limit) if l > 0 and abs(abs(f) - l) < 1e-6 * l)
    spread = max(lmp_h.values()) - min(lmp_h.values())
    d_cost = abs(cost - cost_h) / max(1.0, abs(cost_h))
    d_lmp = max(abs(lmp[b] - lmp_h[b]) for b in lmp_h)
    print(f"{Path(case).name} × {scale}: {len(lmp)} buses, {congested} lines at their limit, "
          f"LMPs {min(lmp_h.values()):.2f}…{max(lmp_h.values()):.2f} $/MWh, shed "
          f"{shed_h.sum():.3f} MW")
    print(f"cost mfgrid {cost:.6f} HiGHS {cost_h:.6f} $/h (relative difference {d_cost:.2e}); "
          f"largest LMP difference {d_lmp:.2e} $/MWh")
    ok = d_cost < 1e-7 and d_lmp < 1e-5 * max(1.0, max(abs(x) for x in lmp_h.values()))
    if "--congested" in args and not (congested > 0 and spread > 1.0):
        print("FAIL: the stressed case was meant to congest (lines at their limits, LMPs apart)")
        ok = False
    if not ok:
        print("FAIL: mfgrid's clearing differs from HiGHS's")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
