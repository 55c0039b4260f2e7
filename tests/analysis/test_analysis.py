#!/usr/bin/python3
"""Checks of the analysis scripts on small real runs of the mfgrid binary.

Usage: test_analysis.py CASE MFGRID SOURCE_DIR
  CASE        plot | compare | scaling | errors
  MFGRID      the mfgrid binary
  SOURCE_DIR  the checkout (analysis/ and scripts/ are found there)

Each case makes its runs in a temporary directory (12 days of the default scenario at
population.scale 0.2), runs a script on them, checks that every expected PNG is written and that
the numbers it prints agree with the run files, read here directly with h5py. Exit status 0 when
every check passes, 1 otherwise (the temporary directory is then kept for inspection).
"""

import csv
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

DAYS = 12
SCALE = 0.2
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def close(printed, expected, what):
    """A printed number (6 significant digits) against the value in the file."""
    check(math.isclose(float(printed), float(expected), rel_tol=2e-5, abs_tol=1e-9),
          f"{what}: printed {printed}, the file holds {expected}")


class Context:
    def __init__(self, mfgrid, source, tmp):
        self.mfgrid = os.path.abspath(mfgrid)
        self.source = os.path.abspath(source)
        self.tmp = tmp
        self.env = dict(os.environ, MPLBACKEND="Agg", OMPI_ALLOW_RUN_AS_ROOT="1",
                        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                        OMPI_MCA_rmaps_base_oversubscribe="1")

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def script(self, name):
        if name in ("scaling.py", "scaling_model.py"):
            return os.path.join(self.source, "scripts", name)
        return os.path.join(self.source, "analysis", name)

    def run(self, cmd, expect=0):
        """Runs a command; checks its exit status; returns (stdout, stderr)."""
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True, cwd=self.tmp)
        check(done.returncode == expect,
              f"{' '.join(cmd)}: exit status {done.returncode}, expected {expect}\n"
              f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}")
        check("Traceback" not in done.stderr, f"{' '.join(cmd)}: a traceback:\n{done.stderr}")
        return done.stdout, done.stderr

    def tool(self, name, *args, expect=0):
        """Runs one of the analysis scripts with /usr/bin/python3."""
        return self.run([sys.executable, self.script(name)] + list(args), expect=expect)

    def simulate(self, name, seed=1, days=DAYS, *settings):
        """A run of the default scenario; returns the path of its file."""
        out = self.path(name + ".h5")
        cmd = [self.mfgrid, "run", "--days", str(days), "--seed", str(seed), "--threads", "1",
               "--set", f"population.scale={SCALE}"]
        for s in settings:
            cmd += ["--set", s]
        self.run(cmd + ["-o", out, "--force", "--quiet"])
        return out


def check_pngs(outdir, names, stdout):
    """Every expected PNG is written, is a non-empty PNG, and its path was printed."""
    for name in names:
        path = os.path.join(outdir, name + ".png")
        check(os.path.isfile(path), f"{path} was not written")
        with open(path, "rb") as f:
            head = f.read(8)
        check(head == PNG_SIGNATURE and os.path.getsize(path) > 2000,
              f"{path} is not a drawn PNG ({os.path.getsize(path)} bytes)")
        check(f"wrote {path}" in stdout, f"no 'wrote {path}' line in the output:\n{stdout}")


def line(stdout, prefix):
    """The rest of the first output line starting with prefix (a regex)."""
    match = re.search(r"^" + prefix + r"(.*)$", stdout, re.M)
    check(match is not None, f"no line matching {prefix!r} in the output:\n{stdout}")
    return match


def pairs(text):
    """{'a': '1.5', ...} from 'a=1.5 b=2'."""
    return dict(re.findall(r"(\S+)=(\S+)", text))


def labels(f, dim):
    return [s.strip() for s in f[dim].attrs["labels"].split(",")]


def check_pairs(text, names, values, what):
    found = pairs(text)
    check(list(found) == list(names), f"{what}: names {list(found)}, expected {list(names)}")
    for name, value in zip(names, values):
        close(found[name], value, f"{what} {name}")


# Cases -----------------------------------------------------------------------------------------

PLOT_FIGURES = ["lmp", "tariff", "import_rates", "fixed_charges", "eei", "soc", "residuals",
                "leader"]


def case_plot(ctx):
    run = ctx.simulate("run", 1)
    base = ctx.simulate("fixed", 1, DAYS, "leader.learner=fixed")
    outdir = ctx.path("plot")
    stdout, _ = ctx.tool("mfgrid-plot", run, "-o", outdir, "--baseline", base)
    check_pngs(outdir, PLOT_FIGURES, stdout)
    with h5py.File(run, "r") as f, h5py.File(base, "r") as b:
        groups = labels(f, "group")
        eei = f["outcome/eei"][()]
        check_pairs(line(stdout, r"mean LMP by bus \(\$/MWh\): ").group(1), labels(f, "bus"),
                    f["market/lmp"][()].mean(axis=(0, 1)), "mean LMP")
        check_pairs(line(stdout, rf"final EEI by group \(day {DAYS - 1}\): ").group(1), groups,
                    eei[-1], "final EEI")
        # The default window is the last 7 days.
        check_pairs(line(stdout, rf"mean EEI by group \(days {DAYS - 7}-{DAYS - 1}\): ").group(1),
                    groups, eei[-7:].mean(axis=0), "mean EEI")
        check_pairs(line(stdout, rf"baseline mean EEI by group \(days {DAYS - 7}-{DAYS - 1}\): ")
                    .group(1), groups, b["outcome/eei"][-7:].mean(axis=0), "baseline mean EEI")
        m = line(stdout, r"final inequality: (\S+); final revenue adequacy: (\S+) ")
        close(m.group(1), f["outcome/inequality"][-1], "final inequality")
        close(m.group(2), f["outcome/revenue_adequacy"][-1], "final revenue adequacy")
        check_pairs(line(stdout, "final tariff: ").group(1), labels(f, "param"),
                    f["tariff/theta"][-1], "final tariff")
        objective = f["leader/objective"][()]
        check(len(objective) > 0, "the test run has no leader interaction")
        m = line(stdout, r"leader: (\d+) interactions, best J (\S+) \(interaction (\d+)\), "
                         r"last J (\S+)")
        check(int(m.group(1)) == len(objective), f"interactions: {m.group(1)} vs {len(objective)}")
        close(m.group(2), objective.min(), "best J")
        check(int(m.group(3)) == int(np.argmin(objective)), "interaction of the best J")
        close(m.group(4), objective[-1], "last J")
        m = line(stdout, r"followers: (\d+) updates, (\d+) converged; last residuals: "
                         r"policy (\S+), mean field (\S+)")
        check(int(m.group(1)) == len(f["followers/policy_residual"]), "follower updates")
        check(int(m.group(2)) == int(np.count_nonzero(f["followers/converged"][()])),
              "converged updates")
        close(m.group(3), f["followers/policy_residual"][-1], "policy residual")
        close(m.group(4), f["followers/meanfield_residual"][-1], "mean-field residual")

    # Without a baseline, and another window.
    outdir = ctx.path("plot-alone")
    stdout, _ = ctx.tool("mfgrid-plot", run, "-o", outdir, "--last-days", "3")
    check_pngs(outdir, PLOT_FIGURES, stdout)
    check("baseline" not in stdout, "a baseline line without --baseline")
    with h5py.File(run, "r") as f:
        check_pairs(line(stdout, rf"mean EEI by group \(days {DAYS - 3}-{DAYS - 1}\): ").group(1),
                    labels(f, "group"), f["outcome/eei"][-3:].mean(axis=0), "mean EEI, 3 days")

    # Rows past days_done (a run stopped while writing, or resumed from an earlier checkpoint)
    # are not results: only the 8 days done count.
    cut = ctx.path("cut.h5")
    shutil.copy(run, cut)
    with h5py.File(cut, "r+") as f:
        f.attrs["days_done"] = np.int64(8)
        f.attrs["complete"] = np.int64(0)
    stdout, stderr = ctx.tool("mfgrid-plot", cut, "-o", ctx.path("plot-cut"), "--last-days", "3")
    check_pngs(ctx.path("plot-cut"), PLOT_FIGURES, stdout)
    check("incomplete run (8 days done)" in stderr, f"no warning of an incomplete run: {stderr}")
    with h5py.File(cut, "r") as f:
        check(len(f["outcome/eei"]) == DAYS, "the test file keeps its rows past days_done")
        check_pairs(line(stdout, r"mean LMP by bus \(\$/MWh\): ").group(1), labels(f, "bus"),
                    f["market/lmp"][:8].mean(axis=(0, 1)), "mean LMP, 8 days done")
        check_pairs(line(stdout, r"final EEI by group \(day 7\): ").group(1), labels(f, "group"),
                    f["outcome/eei"][7], "final EEI, 8 days done")
        check_pairs(line(stdout, r"mean EEI by group \(days 5-7\): ").group(1), labels(f, "group"),
                    f["outcome/eei"][5:8].mean(axis=0), "mean EEI, 8 days done")


def case_compare(ctx):
    runs = [ctx.simulate(f"seed{s}", s) for s in (1, 2, 3)]
    outdir = ctx.path("compare")
    stdout, _ = ctx.tool("mfgrid-compare", *runs, "-o", outdir, "--labels", "s1,s2,s3")
    check_pngs(outdir, ["leader_objective", "inequality", "revenue_adequacy", "eei"], stdout)
    files = [h5py.File(r, "r") for r in runs]
    try:
        finals = {"final inequality": [f["outcome/inequality"][-1] for f in files],
                  "final revenue adequacy": [f["outcome/revenue_adequacy"][-1] for f in files],
                  "best J": [f["leader/objective"][()].min() for f in files]}
        for g, name in enumerate(labels(files[0], "group")):
            finals[f"final EEI {name}"] = [f["outcome/eei"][-1, g] for f in files]
        for label, f, run in zip(("s1", "s2", "s3"), files, runs):
            m = line(stdout, rf"{label}: {re.escape(run)}: seed (\d+), (\d+) days, ")
            check(int(m.group(1)) == f.attrs["seed"], f"{label}: seed")
            check(int(m.group(2)) == DAYS, f"{label}: days")
        for key, values in finals.items():
            m = line(stdout, rf"{key}: mean (\S+) sd (\S+) min (\S+) max (\S+) \(n=3\)")
            values = np.array(values, dtype=float)
            close(m.group(1), values.mean(), f"{key} mean")
            close(m.group(2), values.std(ddof=1), f"{key} sd")
            close(m.group(3), values.min(), f"{key} min")
            close(m.group(4), values.max(), f"{key} max")
        check(len({round(float(v), 12) for v in finals["final inequality"]}) > 1,
              "the three seeds give the same final inequality: are the seeds passed on?")
    finally:
        for f in files:
            f.close()
    _, stderr = ctx.tool("mfgrid-compare", *runs, "-o", outdir, "--labels", "a,b", expect=2)
    check("--labels names 2 runs" in stderr, f"labels mismatch message: {stderr}")


SCALING_COLUMNS = ["mode", "scenario", "ranks", "threads", "agents_requested", "agents",
                   "agents_per_rank", "days", "periods", "repeat", "wall_s", "compute_s",
                   "total_s", "agent_steps_per_s", "agent_steps_per_s_wall", "rollout_s",
                   "reduce_s", "market_s", "learn_s", "io_s", "peak_memory_mib", "file"]
PHASES = ["rollout", "reduce", "market", "learn", "io"]


def check_scaling_row(row):
    """A CSV row against the run file it was measured from."""
    with h5py.File(row["file"], "r") as f:
        check(int(row["agents"]) == f.attrs["agents"], "agents vs the file's attribute")
        check(int(row["ranks"]) == f.attrs["ranks"], "ranks vs the file's attribute")
        check(int(row["threads"]) == f.attrs["threads"], "threads vs the file's attribute")
        seconds = f["perf/seconds"][()].sum(axis=0)  # [rank, phase]
        names = labels(f, "phase")
        check(seconds.shape[0] == int(row["ranks"]), "perf/seconds has a row per rank")
        for phase in PHASES:
            close(row[f"{phase}_s"], seconds[:, names.index(phase)].max(), f"{phase}_s")
        compute = seconds[:, [names.index(p) for p in PHASES[:4]]].sum(axis=1).max()
        total = seconds[:, [names.index(p) for p in PHASES]].sum(axis=1).max()
        close(row["compute_s"], compute, "compute_s")
        close(row["total_s"], total, "total_s")
        steps = f.attrs["agents"] * len(f["period"]) * int(row["days"])
        close(row["agent_steps_per_s"], steps / total, "agent_steps_per_s")
        close(row["agent_steps_per_s_wall"], steps / float(row["wall_s"]),
              "agent_steps_per_s_wall")
        close(row["peak_memory_mib"], f["perf/peak_memory"][()].max(), "peak_memory_mib")
    check(float(row["wall_s"]) > float(row["total_s"]) * 0.5, "wall_s is implausibly small")


def case_scaling(ctx):
    csv_path = ctx.path("scaling.csv")
    cmd = ["--mfgrid", ctx.mfgrid, "--mode", "both", "--ranks", "1,2", "--threads", "1",
           "--agents-per-rank", "1500", "--days", "2", "--csv", csv_path,
           "--workdir", ctx.path("scaling-runs")]
    stdout, _ = ctx.tool("scaling.py", *cmd)
    check(stdout.count(" agent-steps/s") >= 4, f"no progress line per run:\n{stdout}")
    with open(csv_path, newline="") as f:
        reader = csv.DictReader(f)
        check(reader.fieldnames == SCALING_COLUMNS, f"CSV columns: {reader.fieldnames}")
        rows = list(reader)
    configs = [(r["mode"], int(r["ranks"]), int(r["agents_requested"])) for r in rows]
    check(configs == [("weak", 1, 1500), ("weak", 2, 3000), ("strong", 1, 3000),
                      ("strong", 2, 3000)], f"configurations measured: {configs}")
    for row in rows:
        check(abs(int(row["agents"]) - int(row["agents_requested"])) <=
              0.01 * int(row["agents_requested"]), f"agents {row['agents']} far from requested")
        check_scaling_row(row)

    # Run again: every configuration is in the CSV already, nothing is measured.
    stdout, _ = ctx.tool("scaling.py", *cmd)
    check("4 already in" in stdout, f"a repeated sweep measured again:\n{stdout}")
    with open(csv_path, newline="") as f:
        check(len(list(csv.DictReader(f))) == 4, "a repeated sweep added rows")

    outdir = ctx.path("scaling-figures")
    stdout, _ = ctx.tool("mfgrid-scaling", csv_path, "-o", outdir)
    check_pngs(outdir, ["efficiency", "phases"], stdout)
    for mode, rows_ in (("weak", rows[:2]), ("strong", rows[2:])):
        t1, t2 = float(rows_[0]["compute_s"]), float(rows_[1]["compute_s"])
        expected = t1 / t2 if mode == "weak" else t1 / (2 * t2)
        block = stdout[stdout.index(f"{mode} scaling:"):]
        m = re.search(r"^\|\s+2 \|\s+\d+ \|\s+\S+ \|\s+(\S+) \|", block, re.M)
        check(m is not None, f"no 2-rank row in the {mode} table:\n{stdout}")
        check(abs(float(m.group(1)) - expected) < 1.5e-3,
              f"{mode} efficiency at 2 ranks: printed {m.group(1)}, expected {expected:.4f}")


    check_scaling_model(ctx, ctx.path("scaling-runs", "strong-r1-t1-a3000-d2-0.h5"),
                        ctx.path("scaling-runs", "strong-r2-t1-a3000-d2-0.h5"))


def check_scaling_model(ctx, one, two):
    """scripts/scaling_model.py on the strong pair: its measured constants against the files, a
    row per rank count, efficiencies in (0, 1.05], and a pair that is not 1 and 2 ranks refused."""
    stdout, _ = ctx.tool("scaling_model.py", one, two, "--ranks", "2,64,1024",
                         "--agents", "1e8", "--per-rank", "1e6")
    with h5py.File(one, "r") as f:
        seconds = f["perf/seconds"][()].sum(axis=0)[0]  # [phase], one rank
        rollout = seconds[labels(f, "phase").index("rollout")]
        r_ns = 1e9 * rollout / (f.attrs["agents"] * f["perf/seconds"].shape[0])
        totals = f["checkpoint/state/followers/model/totals"][()]
    m = re.search(r"rollout r = (\S+) ns per agent-day", stdout)
    check(m is not None, f"no rollout constant:\n{stdout}")
    check(abs(float(m.group(1)) / r_ns - 1) < 1e-5, f"r: printed {m.group(1)} ns, the file {r_ns}")
    check("3 prosumer classes" in stdout, f"ieee3-equity has 3 prosumer classes:\n{stdout}")
    m = re.search(r"statistics S = (\S+) MB, Z = (\d+) non-zeros", stdout)
    check(m is not None, f"no statistics line:\n{stdout}")
    check(abs(float(m.group(1)) / (totals.nbytes / 1e6) - 1) < 1e-5, f"S: printed {m.group(1)} MB")
    check(int(m.group(2)) == np.count_nonzero(totals), "Z: the statistics' non-zeros")
    with h5py.File(two, "r") as f:  # the reduce of the rank that waited least: the smallest
        per_rank = f["perf/seconds"][()].sum(axis=0)[:, labels(f, "phase").index("reduce")]
        least = 1e3 * per_rank.min() / f["perf/seconds"].shape[0]
    m = re.search(r"reduce at 2 ranks (\S+) ms \(shared memory, the rank that waited least\)",
                  stdout)
    check(m is not None, f"no reduce measurement:\n{stdout}")
    check(abs(float(m.group(1)) - least) <= 5e-3 * least + 1e-9,
          f"reduce: printed {m.group(1)} ms, the file's least {least:.4g} ms")
    rows = re.findall(r"^\| (\d+) \| (\S+) \| (\S+) \| (\S+) \|$", stdout, re.M)
    check([int(r[0]) for r in rows] == [2, 64, 1024], f"rank rows:\n{stdout}")
    for row in rows:
        for e in row[1:]:
            check(0 < float(e) <= 1.05, f"efficiency {e} out of range at {row[0]} ranks")
    _, stderr = ctx.tool("scaling_model.py", one, one, expect=2)
    check("need a 1-rank and a 2-rank run" in stderr, f"a pair of 1-rank runs: {stderr}")


def case_errors(ctx):
    scripts = ["mfgrid-plot", "mfgrid-compare", "mfgrid-scaling", "scaling.py"]
    for name in scripts:
        stdout, _ = ctx.tool(name, "--help")
        check("usage:" in stdout, f"{name} --help prints no usage")

    missing = ctx.path("missing.h5")
    text = ctx.path("notes.txt")
    with open(text, "w") as f:
        f.write("not a run file\n")
    other = ctx.path("other.h5")
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "something-else"
        f["x"] = np.zeros(3)
    out = ctx.path("out")
    for args, pattern in (((missing,), f"{missing}: no such file"),
                          ((text,), f"{text}: not an mfgrid run file"),
                          ((other,), f"{other}: not an mfgrid run file")):
        for name in ("mfgrid-plot", "mfgrid-compare"):
            _, stderr = ctx.tool(name, *args, "-o", out, expect=2)
            check(pattern in stderr, f"{name} {args[0]}: expected {pattern!r} in:\n{stderr}")
    run = ctx.simulate("small", 1, 2)
    _, stderr = ctx.tool("mfgrid-plot", run, "-o", out, "--baseline", missing, expect=2)
    check(f"{missing}: no such file" in stderr, f"missing baseline: {stderr}")
    _, stderr = ctx.tool("mfgrid-plot", run, expect=2)
    check("-o/--outdir" in stderr, f"missing -o: {stderr}")

    _, stderr = ctx.tool("mfgrid-scaling", missing, "-o", out, expect=2)
    check(f"{missing}: no such file" in stderr, f"mfgrid-scaling, missing CSV: {stderr}")
    _, stderr = ctx.tool("mfgrid-scaling", text, "-o", out, expect=2)
    check(f"{text}: not a scaling CSV" in stderr, f"mfgrid-scaling, not a CSV: {stderr}")
    _, stderr = ctx.tool("scaling.py", "--mfgrid", missing, "--csv", ctx.path("x.csv"), expect=2)
    check(f"{missing}: no such executable" in stderr, f"scaling.py, no binary: {stderr}")
    _, stderr = ctx.tool("scaling.py", "--mfgrid", ctx.mfgrid, "--csv", ctx.path("x.csv"),
                         "--ranks", "0", expect=2)
    check("--ranks" in stderr, f"scaling.py --ranks 0: {stderr}")
    _, stderr = ctx.tool("scaling.py", "--mfgrid", ctx.mfgrid, "--csv", ctx.path("x.csv"),
                         "--set", "population.scale=2", expect=2)
    check("population.scale is set by the runner" in stderr, f"scaling.py --set scale: {stderr}")


class ManyBuses:
    """A stand-in for a run (mfgrid.open_run) of a 118-bus grid: what plot_lmp reads."""

    def __init__(self, buses=118, days=3, periods=24):
        values = np.arange(days * periods * buses, dtype=float).reshape(days, periods, buses)
        self.lmp = xr.DataArray(
            values, dims=("day", "period", "bus"), name="lmp",
            coords={"period": [f"{t:02d}:00" for t in range(periods)],
                    "bus": [f"bus{b + 1}" for b in range(buses)]},
            attrs={"units": "$/MWh", "long_name": "locational marginal price"})

    def variable(self, path):
        return self.lmp


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def case_figures(ctx):
    """--format and --dpi; units on every tariff panel; periods by clock hour; a 118-bus grid in
    one panel of a page's width."""
    run = ctx.simulate("run", 1)
    svg = ctx.path("svg")
    stdout, _ = ctx.tool("mfgrid-plot", run, "-o", svg, "--format", "svg")
    for name in PLOT_FIGURES:
        path = os.path.join(svg, name + ".svg")
        check(os.path.isfile(path) and f"wrote {path}" in stdout, f"{path} was not written")
    tariff = open(os.path.join(svg, "tariff.svg"), encoding="utf-8").read()
    with h5py.File(run, "r") as f:
        units = [u.strip() for u in f["param"].attrs["member_units"].split(",")]
    for unit in set(units):  # every panel's axis names its units (matplotlib writes text as text)
        check(unit.replace("$", "\\$") in tariff or unit in tariff, f"no axis label {unit}")
    lmp = open(os.path.join(svg, "lmp.svg"), encoding="utf-8").read()
    check("18:00" in lmp and "period start" in lmp, "periods are not labelled by clock hours")
    low = ctx.path("low")
    ctx.tool("mfgrid-plot", run, "-o", low, "--dpi", "50")
    high = ctx.path("high")
    ctx.tool("mfgrid-plot", run, "-o", high, "--dpi", "100")
    w50, w100 = png_size(os.path.join(low, "lmp.png"))[0], png_size(os.path.join(high, "lmp.png"))[0]
    check(abs(w100 - 2 * w50) <= 2, f"--dpi 50 gave {w50} px, --dpi 100 {w100} px")
    # 118 buses: one bus x period panel, not 118 panels in a row.
    sys.path.insert(0, os.path.join(ctx.source, "analysis"))
    from importlib.machinery import SourceFileLoader
    plot = SourceFileLoader("mfgrid_plot", ctx.script("mfgrid-plot")).load_module()
    from mfgrid_analysis import figures
    figures.configure("png", 110)
    written = []
    plot.plot_lmp(ManyBuses(), ctx.tmp, written)
    width, height = png_size(written[0])
    check(width <= 1200 and height <= 1400, f"the 118-bus LMP figure is {width} x {height} px")


CASES = {"plot": case_plot, "figures": case_figures, "compare": case_compare, "scaling": case_scaling,
         "errors": case_errors}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    case, mfgrid, source = sys.argv[1:]
    tmp = tempfile.mkdtemp(prefix=f"mfgrid-analysis-{case}-")
    try:
        CASES[case](Context(mfgrid, source, tmp))
    except Failure as failure:
        print(f"FAIL ({case}): {failure}\n(files kept in {tmp})", file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"analysis.{case}: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
