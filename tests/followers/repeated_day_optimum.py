"""The `optimizer` followers on a repeated deterministic day play the exact best response.

    repeated_day_optimum.py MFGRID SCENARIO WORKDIR [--set key=value …]

Runs SCENARIO (tests/data/repeated_day.toml: one class, no noise, a fixed tariff) through the real
binary, then builds the household's day here, from the scenario's numbers alone: the free-level
cyclic day (the battery starts and ends at one level, which the household chooses).
 - Without the quadratic wear and discomfort terms it is an LP, solved with SciPy's HiGHS (not
   CLP). From day 1 on, every recorded day must cost what that LP says, to 1e-6 relative: the
   class's bill (outcome/class_bill) plus the battery wear its recorded state of charge implies.
   (An LP's optimal schedule need not be unique, so only its cost is compared.) The same LP with
   the level pinned at initial_soc (what the followers did before) is printed beside it.
 - With them it is a strictly convex QP, solved with CVXOPT's interior-point method (not CLP's
   simplex): its schedule is unique, and from day 1 on the recorded schedule of a sampled
   household — its net withdrawal and the change of its state of charge in each period
   (agents/net, agents/soc) — must be that schedule to 1e-6 of its scale (the day's largest
   withdrawal, the battery's capacity: the kernel keeps states in float32), and its cost (bill, wear and
   discomfort reconstructed from the recorded schedule) the QP's optimum to 1e-6 relative.
Day 0 starts from initial_soc and may differ.
"""

import sys

import h5py
import numpy as np
from scipy.optimize import linprog

from household_day import household, run


def day_problem(h, pinned_level=None):
    """The day as  min ½x'Hx + cost'x  s.t. A x = b, bounds; x = [c, d, s, f, m, x]_t, then L."""
    T, demand, pv, phi = h["T"], h["demand"], h["pv"], h["phi"]
    E, P, eta_c, eta_d = h["E"], h["P"], h["eta_c"], h["eta_d"]
    # Variables: c_t, d_t, s_t, f_t, m_t, x_t (t = 0..T-1), then L (the level at midnight).
    n = 6 * T + 1
    idx = lambda k, t: 6 * t + k
    L = 6 * T
    cost = np.zeros(n)
    hessian = np.zeros(n)  # diagonal
    constant = 0.0
    for t in range(T):
        cost[idx(0, t)] = h["wear"]
        cost[idx(1, t)] = h["wear"]
        cost[idx(4, t)] = h["imp"][t]
        cost[idx(5, t)] = -h["exp"][t]
        # w2 (c² + d²) and kappa (f − phi D)²
        hessian[idx(0, t)] = hessian[idx(1, t)] = 2 * h["w2"]
        hessian[idx(3, t)] = 2 * h["kappa"]
        cost[idx(3, t)] = -2 * h["kappa"] * phi * demand[t]
        constant += h["kappa"] * (phi * demand[t]) ** 2
    A, b = [], []
    for t in range(T):
        row = np.zeros(n)  # m - x - c + d - f = (1 - phi) D - PV
        row[idx(4, t)], row[idx(5, t)], row[idx(0, t)], row[idx(1, t)], row[idx(3, t)] = (
            1, -1, -1, 1, -1)
        A.append(row)
        b.append((1 - phi) * demand[t] - pv[t])
        row = np.zeros(n)  # s_t = s_{t-1} + eta_c c_t - d_t / eta_d, s_{-1} = L
        row[idx(2, t)] = 1
        row[idx(2, t - 1) if t > 0 else L] = -1
        row[idx(0, t)], row[idx(1, t)] = -eta_c, 1 / eta_d
        A.append(row)
        b.append(0.0)
    row = np.zeros(n)  # the flexible share keeps its energy
    for t in range(T):
        row[idx(3, t)] = 1
    A.append(row)
    b.append(phi * demand.sum())
    row = np.zeros(n)  # the day ends where it began
    row[idx(2, T - 1)], row[L] = 1, -1
    A.append(row)
    b.append(0.0)
    bounds = []
    for t in range(T):
        bounds += [(0, P), (0, P), (0, E), (0, 3 * phi * demand[t]), (0, None), (0, None)]
    bounds.append((0, E) if pinned_level is None else (pinned_level, pinned_level))
    return hessian, cost, constant, np.array(A), np.array(b), bounds


def solve_lp(h, pinned_level=None):
    hessian, cost, constant, A, b, bounds = day_problem(h, pinned_level)
    assert not hessian.any()
    r = linprog(cost, A_eq=A, b_eq=b, bounds=bounds, method="highs")
    assert r.status == 0, r.message
    return r.fun, r.x


def solve_qp(h):
    from cvxopt import matrix, solvers, spdiag
    hessian, cost, constant, A, b, bounds = day_problem(h)
    n = len(cost)
    G, g = [], []
    for j, (lo, hi) in enumerate(bounds):
        if lo is not None:
            G.append(-np.eye(n)[j]); g.append(-lo)
        if hi is not None:
            G.append(np.eye(n)[j]); g.append(hi)
    solvers.options.update(show_progress=False, abstol=1e-12, reltol=1e-12, feastol=1e-9,
                           maxiters=200)
    r = solvers.qp(spdiag(matrix(hessian)), matrix(cost), matrix(np.array(G)), matrix(g),
                   matrix(A), matrix(b))
    assert r["status"] == "optimal", r["status"]
    x = np.array(r["x"]).ravel()
    return 0.5 * x @ (hessian * x) + cost @ x + constant, x


def recorded_days(out):
    with h5py.File(out, "r") as f:
        bill = f["outcome/class_bill"][:, 0]
        soc = f["agents/soc"][()].astype(float)  # [day, period, agent], after each period
        net = f["agents/net"][()].astype(float)  # [day, period, agent], kWh withdrawn
    return bill, soc, net


def check_lp(s, bill, soc):
    h = household(s)
    c = s["households"]["class"][0]
    optimum, x = solve_lp(h)
    pinned, _ = solve_lp(h, pinned_level=c["initial_soc"] * c["battery_kwh"])
    print(f"free-level cyclic LP (HiGHS): {optimum:.6f} $/day at a level of {x[-1]:.4f} kWh; "
          f"pinned at initial_soc: {pinned:.6f} $/day")
    worst = 0.0
    for d in range(1, bill.shape[0]):
        delta = np.diff(np.concatenate([[soc[d - 1, -1, 0]], soc[d, :, 0]]))
        moved = np.where(delta > 0, delta / h["eta_c"], -delta * h["eta_d"]).sum()
        recorded = bill[d] + h["wear"] * moved
        rel = abs(recorded - optimum) / abs(optimum)
        worst = max(worst, rel)
        print(f"day {d}: recorded {recorded:.6f} $ (bill {bill[d]:.6f} + wear), "
              f"relative gap {rel:.2e}")
    print(f"day 0 (from initial_soc): bill {bill[0]:.6f} $")
    if worst > 1e-6:
        sys.exit(f"FAIL: a recorded day is {worst:.2e} (relative) from the cyclic optimum")
    print("ok: every day from day 1 on costs the free-level cyclic optimum to 1e-6")


def check_qp(s, bill, soc, net):
    h = household(s)
    T, phi, demand, pv = h["T"], h["phi"], h["demand"], h["pv"]
    optimum, x = solve_qp(h)
    col = lambda k: x[[6 * t + k for t in range(T)]]
    charge, discharge, flexible, imports, exports = col(0), col(1), col(3), col(4), col(5)
    stored = h["eta_c"] * charge - discharge / h["eta_d"]
    print(f"free-level cyclic QP (CVXOPT): {optimum:.8f} $/day; net withdrawal "
          f"{np.round(imports - exports, 4)} kWh")
    worst_kwh, worst_cost = 0.0, 0.0
    for d in range(1, bill.shape[0]):
        delta = np.diff(np.concatenate([[soc[d - 1, -1, 0]], soc[d, :, 0]]))
        # Relative to each quantity's scale (the day's largest withdrawal, the battery's
        # capacity): the rollout kernel carries the households' states in float32, whose
        # resolution is 1e-7 of the value, and the state of charge accumulates it over the days.
        gap = max(np.abs(net[d, :, 0] - (imports - exports)).max() / np.abs(imports - exports).max(),
                  np.abs(delta - stored).max() / h["E"])
        # The recorded schedule's cost: charge and discharge from the change of the state of
        # charge, the flexible demand from the balance of the period.
        c = np.where(delta > 0, delta / h["eta_c"], 0.0)
        dis = np.where(delta < 0, -delta * h["eta_d"], 0.0)
        f = net[d, :, 0] - (1 - phi) * demand + pv - c + dis
        recorded = (bill[d] + h["wear"] * (c + dis).sum() + h["w2"] * (c**2 + dis**2).sum() +
                    h["kappa"] * ((f - phi * demand) ** 2).sum())
        rel = abs(recorded - optimum) / abs(optimum)
        worst_kwh, worst_cost = max(worst_kwh, gap), max(worst_cost, rel)
        print(f"day {d}: schedule within {gap:.1e} (relative); cost {recorded:.8f} $ "
              f"(relative gap {rel:.1e})")
    if worst_kwh > 1e-6 or worst_cost > 1e-6:
        sys.exit(f"FAIL: a recorded day is {worst_kwh:.1e} (relative) from the QP's schedule, or its cost "
                 f"{worst_cost:.1e} (relative) from the optimum")
    print("ok: every day from day 1 on is the QP's unique schedule to 1e-6, at its cost")


def main():
    out, s = run(sys.argv[1], sys.argv[2], sys.argv[3], "repeated_day", sys.argv[4:])
    bill, soc, net = recorded_days(out)
    h = household(s)
    if h["w2"] > 0 and h["kappa"] > 0:
        check_qp(s, bill, soc, net)
    elif h["w2"] == 0 and h["kappa"] == 0:
        check_lp(s, bill, soc)
    else:
        sys.exit("the test knows the LP (no quadratic terms) and the strictly convex QP (both)")


if __name__ == "__main__":
    main()
