#!/usr/bin/python3
"""The simulator driven from Python (mfgrid._core through the mfgrid package), on real MPI runs,
against the mfgrid binary's own run files.

Usage: test_bindings.py CASE RANKS MFGRID SOURCE_DIR PACKAGE_DIR
  CASE  file     a run stepped from Python (3 days, 1, then day by day) writes the file `mfgrid run`
                 writes; every day's day_outcome() equals that day's rows of the file, on every rank
                 (the sampled agents' too, each of which one rank simulates)
        resume   a run closed after day 6 (its checkpoint) and continued with Simulation.resume —
                 on RANKS ranks, then on the other count — gives the uninterrupted run's file; so
                 does its copy taken after day 3 (checkpoint(path)), resumed from there; a
                 snapshot() taken after day 6 and restore()d, in the same simulation or another,
                 gives the days after it again bit for bit
        tariff   posting the scenario's own tariff every K_L days gives `mfgrid run --set
                 leader.learner=fixed`'s file; a new θ posted after day 4 is in force from day 5
        errors   bad overrides, an existing output, steps past the end, bad θ, Ctrl-C in a long
                 step: Python exceptions with mfgrid's messages, and the interpreter goes on; a
                 Python thread runs while a step's days run (the GIL is let go)
        env      LeaderEnv: posting the scenario's θ every step gives `mfgrid run --set
                 leader.learner=fixed`'s file; a random policy (two episodes of the same seed
                 alike) and a hill climber, whose rewards are −leader/objective of their files and
                 whose observations are the windows' mean responses (summed over the households,
                 the market's household load of the window's days), the same on every rank;
                 without run files, a reset restoring the first window's snapshot gives them too
        policy   a class playing a numpy table and one playing a callable: the file's policy rows
                 are the table after every update of the learner, the action histograms show the
                 callable's actions day by day, the other class goes on learning; the same file on
                 RANKS ranks as on one
        pip      `pip install ./python` after the build, into a fresh virtual environment: the
                 installed package holds the simulator, and a day stepped by it is the build's
        readme   the README's Python leader example, as printed there, runs and finds a lower J
                 than the scenario tariff's
  RANKS the MPI ranks of the runs (mpiexec -n RANKS)
  PACKAGE_DIR the build's python/ folder (PYTHONPATH)
Exit status 0 when every check passes, 1 otherwise.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

# A quick scenario that learns (followers and leader), so every kind of row occurs.
SCENARIO = "ieee3-equity"
DAYS = 14
OVERRIDES = {"time.days": DAYS, "population.scale": 0.02, "checkpoint.every_days": 5,
             "output.write_every_days": 4}
SEED = 5


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def raises(kind, pattern, f):
    """f() raises `kind` with `pattern` in its message."""
    try:
        f()
    except kind as e:
        check(pattern in str(e), f"{kind.__name__} without '{pattern}': {e}")
        return
    raise AssertionError(f"no {kind.__name__} ({pattern})")


def cli_settings():
    return [a for k, v in OVERRIDES.items() for a in ("--set", f"{k}={v}")]


# ---- what every rank runs (under mpiexec) ------------------------------------------------------

def rank_of():
    import mfgrid
    return mfgrid.rank()


def worker_file(tmp):
    import mfgrid
    scenario = mfgrid.load_scenario(SCENARIO, OVERRIDES)
    saved = {}
    with mfgrid.Simulation(scenario, seed=SEED, threads=1, output=os.path.join(tmp, "py.h5")) as sim:
        check(sim.day == 0 and not sim.complete, "a new simulation starts at day 0")
        sim.step(3)
        saved.update({f"{2}|{k}": v for k, v in sim.day_outcome().items()})
        sim.step(1)
        saved.update({f"{3}|{k}": v for k, v in sim.day_outcome().items()})
        while sim.day < DAYS:
            sim.step()
            day = sim.day_outcome()
            check(day.day == sim.day - 1, f"day_outcome's day {day.day} at clock {sim.day}")
            check(day["lmp"] is day["market/lmp"], "the short name is the path's array")
            check(day.dims("lmp") == ("period", "bus"), f"lmp dims {day.dims('lmp')}")
            # The sampled agents, each simulated on one rank, are whole on every rank.
            soc = day["agents/soc"]
            check(soc.shape == (len(sim.labels("period")), 16) and np.isfinite(soc).all(),
                  f"agents/soc {soc.shape}: not [period, agent_sample] of finite values")
            saved.update({f"{day.day}|{k}": v for k, v in day.items()})
        check(sim.complete, "complete after the scenario's last day")
        labels = {d: sim.labels(d) for d in ("bus", "group", "period")}
        saved.update({f"rows|{path}": np.array(o["rows"]) for path, o in sim.outputs.items()})
    check(labels["group"] == ["consumers", "low", "middle", "high"], f"groups {labels['group']}")
    np.savez(os.path.join(tmp, f"days.{rank_of()}.npz"), **saved)


def worker_resume_first(tmp):
    import mfgrid
    sim = mfgrid.Simulation(mfgrid.load_scenario(SCENARIO, OVERRIDES), seed=SEED, threads=1,
                            output=os.path.join(tmp, "cut.h5"))
    sim.step(4)
    # A branch: the run as it stands after day 3, continued below while this one goes on.
    branch = os.path.join(tmp, "branch.h5")
    sim.checkpoint(branch)
    check(os.path.exists(branch + ".partial"), "checkpoint(path) wrote no path.partial")
    raises(mfgrid.FileError, "exists", lambda: sim.checkpoint(branch))
    raises(mfgrid.FileError, "own file", lambda: sim.checkpoint(os.path.join(tmp, "cut.h5")))
    sim.checkpoint(branch, force=True)
    sim.step(2)
    sim.close()  # an unfinished file: a checkpoint after day 5
    check(os.path.exists(os.path.join(tmp, "cut.h5.partial")), "closed unfinished: .partial kept")


def worker_resume_rest(tmp):
    import mfgrid
    for name, day in (("cut.h5", 6), ("branch.h5", 4)):
        sim = mfgrid.Simulation.resume(os.path.join(tmp, name), threads=1)
        check(sim.day == day, f"{name} resumed at day {sim.day}, not {day}")
        raises(mfgrid.Error, "since the resume or restore", sim.day_outcome)
        raises(mfgrid.Error, "since the resume or restore", sim.day_response)
        sim.step(DAYS - day)
        check(sim.complete, f"the resumed {name} completes")
        sim.close()


def worker_snapshot(tmp):
    import mfgrid
    scenario = mfgrid.load_scenario(SCENARIO, OVERRIDES)

    def days_after(sim):
        days = []
        while sim.day < DAYS:
            sim.step()
            days.append({k: v.copy() for k, v in sim.day_outcome().items()})
        return days

    def same(a, b, what):
        check(len(a) == len(b), f"{what}: {len(a)} days, not {len(b)}")
        for day, (x, y) in enumerate(zip(a, b)):
            check(x.keys() == y.keys(), f"{what}, day {day}: other arrays")
            for key in x:
                check(x[key].tobytes() == y[key].tobytes(), f"{what}, day {day}: {key} differs")

    sim = mfgrid.Simulation(scenario, seed=SEED, threads=1)
    sim.step(6)
    snap = sim.snapshot()
    check(snap.day == 6, f"snapshot at day {snap.day}, not 6")
    first = days_after(sim)
    check(sim.complete, "complete after the last day")
    sim.restore(snap)
    check(sim.day == 6 and not sim.complete, f"restored to day {sim.day}")
    raises(mfgrid.Error, "since the resume or restore", sim.day_outcome)
    same(days_after(sim), first, "the days again after restore()")
    other = mfgrid.Simulation(scenario, seed=SEED, threads=1)  # another simulation, day 0
    other.restore(snap)
    same(days_after(other), first, "another simulation restored")
    # A class a program plays goes on playing its table through a restore.
    other.restore(snap)
    table = np.zeros(other.policy_shape)
    table[:, :, 0] = 1.0
    other.set_class_policy("prosumers-low", table)
    other.restore(snap)
    check(np.array_equal(other.class_policy("prosumers-low"), table), "the table was lost")
    raises(mfgrid.InputError, "another scenario", lambda: mfgrid.Simulation(
        scenario, seed=SEED + 1, threads=1).restore(snap))
    filed = mfgrid.Simulation(scenario, seed=SEED, threads=1, output=os.path.join(tmp, "s.h5"))
    raises(mfgrid.Error, "checkpoint(path)", lambda: filed.restore(snap))
    filed.close()
    # Every learner's state goes back (one rank: the learners' dealing over ranks is the same).
    pairs = 0
    if mfgrid.ranks() == 1:
        for followers in ("soft-q", "ppo", "optimizer"):
            for leader in ("zo", "zo-surrogate", "softmax-net", "random-search"):
                s = mfgrid.load_scenario(SCENARIO, {**OVERRIDES, "followers.learner": followers,
                                                    "leader.learner": leader})
                sim = mfgrid.Simulation(s, seed=SEED, threads=1)
                sim.step(6)
                snap = sim.snapshot()
                first = days_after(sim)
                sim.restore(snap)
                same(days_after(sim), first, f"{followers} and {leader}, after restore()")
                pairs += 1
    if rank_of() == 0:
        learners = f"; so do {pairs} pairs of learners" if pairs else ""
        print(f"snapshot: {len(first)} days after day 6 again bit for bit, in the same and in "
              f"another simulation{learners}")


def worker_tariff_same(tmp):
    import mfgrid
    scenario = mfgrid.load_scenario(SCENARIO, {**OVERRIDES, "leader.learner": "fixed"})
    k, warmup = scenario.leader_update_every_days, scenario.leader_warmup_days
    with mfgrid.Simulation(scenario, seed=SEED, threads=1,
                           output=os.path.join(tmp, "same.h5")) as sim:
        theta = sim.theta
        while sim.day < DAYS:
            sim.post_tariff(theta)  # what a Python leader holding to the scenario's tariff does
            sim.step(min(k if sim.day >= warmup else warmup, DAYS - sim.day))


def worker_tariff_new(tmp):
    import mfgrid
    scenario = mfgrid.load_scenario(SCENARIO, {**OVERRIDES, "leader.learner": "fixed"})
    with mfgrid.Simulation(scenario, seed=SEED, threads=1, output=os.path.join(tmp, "new.h5")) as sim:
        before = sim.tariff_real(sim.theta)
        sim.step(5)
        theta = [0.9, 0.1, 0.3, 0.7]
        sim.post_tariff(theta)
        check(sim.theta == theta, f"posted {theta}, theta says {sim.theta}")
        after = sim.tariff_real(theta)
        sim.step(DAYS - 5)
        # Rates in real units are the θ they stand for.
        real = dict(zip(sim.tariff_names, after))
        check(np.allclose(sim.theta_of(real), theta, atol=1e-12, rtol=0),
              f"theta_of({real}) = {sim.theta_of(real)}, not {theta}")
        raises(ValueError, "outside the range", lambda: sim.theta_of({"import_peak": -1e6}))
        raises(KeyError, "no tariff parameter", lambda: sim.theta_of({"import_pea": 100}))
    np.savez(os.path.join(tmp, f"tariff.{rank_of()}.npz"), before=before, after=after)


def worker_errors(tmp):
    import mfgrid

    raises(mfgrid.InputError, "time.dayz", lambda: mfgrid.load_scenario(SCENARIO, {"time.dayz": 3}))
    raises(ValueError, "did you mean", lambda: mfgrid.load_scenario(SCENARIO, {"time.dayz": 3}))
    raises(mfgrid.InputError, "time.days",
           lambda: mfgrid.load_scenario(SCENARIO, {"time.days": -2}))
    raises(TypeError, "time.days", lambda: mfgrid.load_scenario(SCENARIO, {"time.days": object()}))
    raises(mfgrid.FileError, "no embedded scenario",
           lambda: mfgrid.load_scenario("no-such-scenario"))
    scenario = mfgrid.load_scenario(SCENARIO, {**OVERRIDES, "time.days": 3})
    taken = os.path.join(tmp, "taken.h5")
    open(taken, "w").close()
    raises(mfgrid.FileError, "taken.h5", lambda: mfgrid.Simulation(scenario, output=taken))
    raises(OSError, "--force", lambda: mfgrid.Simulation(scenario, output=taken))
    raises(ValueError, "seed", lambda: mfgrid.Simulation(scenario, seed=-1))
    raises(TypeError, "scenario", lambda: mfgrid.Simulation(42))
    by_name = mfgrid.Simulation(SCENARIO, threads=1)  # a name, as load_scenario takes it
    check(by_name.days == 100 and by_name.day == 0, f"{SCENARIO} by name: {by_name.days} days")
    by_name.close()
    sim = mfgrid.Simulation(scenario, threads=1)
    raises(mfgrid.Error, "no day has been simulated", sim.day_outcome)
    raises(mfgrid.Error, "output=", lambda: sim.checkpoint(os.path.join(tmp, "copy.h5")))
    raises(ValueError, "4 values", lambda: sim.post_tariff([0.5]))
    raises(ValueError, "[0, 1]", lambda: sim.post_tariff([0.5, 0.5, 0.5, 1.5]))
    sim.step(2)
    raises(mfgrid.InputError, "last day", lambda: sim.step(2))
    sim.step(1)
    raises(KeyError, "not an output", lambda: sim.day_outcome()["no_such_series"])
    sim.close()
    raises(mfgrid.Error, "closed", lambda: sim.step(1))
    # Ctrl-C during a long step: KeyboardInterrupt after the day under way, and the run goes on.
    import signal
    import threading
    long = mfgrid.Simulation(mfgrid.load_scenario(SCENARIO, {"time.days": 2000}), threads=1)
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    try:
        long.step(2000)
        raise AssertionError("Ctrl-C did not stop the step")
    except KeyboardInterrupt:
        stopped = long.day
    check(0 < stopped < 2000, f"stopped at day {stopped}")
    long.step(1)
    check(long.day == stopped + 1, f"day {long.day} after one more step from {stopped}")
    # The GIL is let go while the days run: another Python thread goes on inside a step. Held, the
    # thread could not wake once between the step's first and last day.
    import time
    ticks, done = [], threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.002)

    ticker = threading.Thread(target=tick)
    ticker.start()
    start = time.perf_counter()
    long.step(100)
    end = time.perf_counter()
    done.set()
    ticker.join()
    inside = [t for t in ticks if start + 0.1 * (end - start) < t < end - 0.1 * (end - start)]
    check(len(inside) >= 20, f"a Python thread ran {len(inside)} times in the middle 80 % of a "
          f"{end - start:.2f} s step: the GIL is held while the days run")
    long.close()
    print(f"errors: every check passed (Ctrl-C stopped a step after day {stopped}; another thread "
          f"ran {len(inside)} times inside a {end - start:.2f} s step)")


ENV_STEPS = 4
ENV_OVERRIDES = {"population.scale": 0.02, "checkpoint.every_days": 5}


def worker_env(tmp):
    import mfgrid
    env = mfgrid.LeaderEnv(SCENARIO, steps=ENV_STEPS, overrides=ENV_OVERRIDES, threads=1,
                           output=os.path.join(tmp, "env-{episode}.h5"))
    check(env.action_space.shape == (4,) and env.observation_space.shape[0] % 2 == 0,
          f"spaces {env.action_space} {env.observation_space}")
    saved = {}
    # 1: the scenario's own tariff, every step.
    obs, info = env.reset(seed=SEED)
    theta0 = info["theta"]
    saved["fixed|obs0"] = obs
    for i in range(ENV_STEPS):
        obs, reward, terminated, truncated, info = env.step(theta0)
        check(not terminated and truncated == (i == ENV_STEPS - 1), f"step {i}: ends {truncated}")
    # 2 and 3: a random policy, twice from the same seeds.
    for episode in (2, 3):
        env.action_space.seed(7)
        obs, info = env.reset(seed=SEED)
        saved[f"random{episode}|obs0"] = obs
        for i in range(ENV_STEPS):
            action = env.action_space.sample()
            check(env.action_space.contains(action), f"sample {action} outside the box")
            obs, reward, _, _, info = env.step(action)
            check(env.observation_space.contains(obs), f"observation outside the box: {obs}")
            saved[f"random{episode}|obs{i + 1}"] = obs
            saved[f"random{episode}|reward{i + 1}"] = np.array(reward)
            saved[f"random{episode}|imports{i + 1}"] = info["response"]["imports"]
    # 4: a hill climber: one coordinate at a time, a step up or down, kept when J falls.
    obs, info = env.reset(seed=SEED)
    best, best_reward = info["theta"].copy(), -info["objective"]
    saved["hill|reward0"] = np.array(best_reward)
    rewards = [best_reward]
    for i in range(ENV_STEPS):
        trial = best.copy()
        trial[i % len(trial)] = np.clip(trial[i % len(trial)] + (0.2 if i % 2 == 0 else -0.2), 0, 1)
        obs, reward, _, _, info = env.step(trial)
        rewards.append(reward)
        saved[f"hill|reward{i + 1}"] = np.array(reward)
        if reward > best_reward:
            best, best_reward = trial, reward
    env.close()
    saved["hill|best"] = np.array(best_reward)
    # 5 and 6: without run files, the random episode again: the second reset of the seed restores
    # the snapshot of the state after the first window; both give the filed episode's bits.
    quick = mfgrid.LeaderEnv(SCENARIO, steps=ENV_STEPS, overrides=ENV_OVERRIDES, threads=1)
    for episode in (5, 6):
        quick.action_space.seed(7)
        obs, info = quick.reset(seed=SEED)
        check(obs.tobytes() == saved["random2|obs0"].tobytes(), f"episode {episode}: first obs")
        for i in range(ENV_STEPS):
            obs, reward, _, _, info = quick.step(quick.action_space.sample())
            check(obs.tobytes() == saved[f"random2|obs{i + 1}"].tobytes() and
                  reward == float(saved[f"random2|reward{i + 1}"]),
                  f"episode {episode}, step {i + 1}: not the filed episode's")
    check(quick._start is not None, "no snapshot kept for the next reset")
    quick.close()
    np.savez(os.path.join(tmp, f"env.{rank_of()}.npz"), **saved)
    if rank_of() == 0:
        print(f"hill climber: rewards {np.round(rewards, 5).tolist()}, best {best_reward:.5f}")


def worker_policy(tmp):
    import mfgrid
    ranks = mfgrid.ranks()
    scenario = mfgrid.load_scenario(SCENARIO, OVERRIDES)
    with mfgrid.Simulation(scenario, seed=SEED, threads=1,
                           output=os.path.join(tmp, f"policy-{ranks}.h5")) as sim:
        periods, bins, actions = sim.policy_shape
        # A stochastic table: the learner's update would move it (a deterministic one is a fixed
        # point of soft-q's multiplicative update, so it could not show the table is re-applied).
        hold = np.random.default_rng(3).dirichlet(np.ones(actions), size=(periods, bins))
        sim.set_class_policy("prosumers-low", hold)
        check(np.allclose(sim.class_policy("prosumers-low"), hold, rtol=0, atol=1e-15),
              "the table is not in force")
        np.save(os.path.join(tmp, "held.npy"), hold)

        def alternate(s, day):  # action 1 on even days, 3 on odd ones
            table = np.zeros(s.policy_shape)
            table[:, :, 1 if day % 2 == 0 else 3] = 1.0
            return table

        sim.set_class_policy(5, alternate)  # prosumers-high, by index
        sim.step(DAYS)


def worker_policy_errors(tmp):
    import mfgrid
    sim = mfgrid.Simulation(mfgrid.load_scenario(SCENARIO, {**OVERRIDES, "time.days": 3}),
                            threads=1)
    shape = sim.policy_shape

    uniform = np.full(shape, 1.0 / shape[2])
    raises(mfgrid.InputError, "has no battery", lambda: sim.set_class_policy("consumers-b1", uniform))
    raises(KeyError, "prosumers-nobody", lambda: sim.set_class_policy("prosumers-nobody", uniform))
    raises(ValueError, "[period, bin, action]", lambda: sim.set_class_policy(3, uniform[:4]))
    bad = uniform.copy()
    bad[2, 7, 0] += 0.5
    raises(mfgrid.InputError, "row (period 2, bin 7)", lambda: sim.set_class_policy(3, bad))
    bad[2, 7, 0] = -0.5
    raises(mfgrid.InputError, "not a distribution", lambda: sim.set_class_policy(3, bad))
    sim.close()
    planner = mfgrid.Simulation(mfgrid.load_scenario(SCENARIO, {
        **OVERRIDES, "time.days": 3, "followers.learner": "optimizer"}), threads=1)
    raises(mfgrid.InputError, "plans each household", lambda: planner.set_class_policy(3, uniform))
    planner.close()
    print("policy errors: every check passed")


WORKERS = {"file": [worker_file], "resume-first": [worker_resume_first, worker_snapshot],
           "resume-rest": [worker_resume_rest], "tariff": [worker_tariff_same, worker_tariff_new],
           "errors": [worker_errors, worker_policy_errors], "env": [worker_env],
           "policy": [worker_policy]}


# ---- the driver --------------------------------------------------------------------------------

class Driver:
    def __init__(self, ranks, mfgrid, source, package, tmp):
        self.ranks, self.mfgrid, self.source, self.package, self.tmp = (ranks, mfgrid, source,
                                                                        package, tmp)
        env = dict(os.environ, PYTHONPATH=package, PYTHONDONTWRITEBYTECODE="1")
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   OMPI_MCA_rmaps_base_oversubscribe="1")
        self.env = env

    def mpiexec(self, ranks, args):
        return ["mpiexec", "-n", str(ranks), "--bind-to", "none"] + args

    def workers(self, name, ranks=None):
        cmd = self.mpiexec(ranks or self.ranks,
                           [sys.executable, os.path.abspath(__file__), "--worker", name, self.tmp])
        r = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
        check(r.returncode == 0, f"workers {name} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def mfgrid_run(self, out, extra=()):
        cmd = self.mpiexec(self.ranks, [self.mfgrid, "run", SCENARIO, "--days", str(DAYS), "-o",
                                        os.path.join(self.tmp, out), "--seed", str(SEED),
                                        "--threads", "1", "--quiet", *cli_settings(), *extra])
        subprocess.run(cmd, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def same_file(self, a, b):
        r = subprocess.run([sys.executable, os.path.join(self.source, "scripts/compare_runs.py"),
                            os.path.join(self.tmp, a), os.path.join(self.tmp, b)],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"{a} and {b} differ:\n{r.stdout}{r.stderr}")
        print(f"{a} vs {b}: {r.stdout.strip().splitlines()[-1]}")


def case_file(d):
    import h5py
    d.mfgrid_run("ref.h5")
    d.workers("file")
    d.same_file("ref.h5", "py.h5")
    ranks = [dict(np.load(os.path.join(d.tmp, f"days.{r}.npz"))) for r in range(d.ranks)]
    for r, other in enumerate(ranks[1:], 1):
        check(other.keys() == ranks[0].keys(), f"rank {r} has other arrays than rank 0")
        for key, value in other.items():
            check(value.tobytes() == ranks[0][key].tobytes(), f"rank {r}'s {key} is not rank 0's")
    rows_of = {key.split("|", 1)[1]: str(value) for key, value in ranks[0].items()
               if key.startswith("rows|")}
    compared = 0
    with h5py.File(os.path.join(d.tmp, "ref.h5"), "r") as f:
        # The row a day's array is in: the day's own, or the update's (interaction's) that day.
        days_adding = {"iteration": list(f["followers/day"][()]),
                       "interaction": list(f["leader/day"][()])}
        check(days_adding["interaction"], f"no leader interaction in {DAYS} days")
        for key, value in ranks[0].items():
            if key.startswith("rows|"):
                continue
            day, path = key.split("|", 1)
            kind = rows_of[path]
            row = int(day) if kind == "day" else days_adding[kind].index(int(day))
            check(np.asarray(f[path][row]).tobytes() == value.tobytes(),
                  f"day {day}: {path} is not row {row} of the file")
            compared += 1
    days = len({k.split("|")[0] for k in ranks[0]})
    print(f"day_outcome: {compared} arrays over {days} days equal the file's rows, "
          f"on {d.ranks} rank(s) alike")


def case_resume(d):
    d.mfgrid_run("ref.h5")
    print(d.workers("resume-first").strip())
    d.workers("resume-rest", ranks=1 if d.ranks > 1 else 2)
    d.same_file("ref.h5", "cut.h5")
    d.same_file("ref.h5", "branch.h5")


def case_tariff(d):
    import h5py
    d.mfgrid_run("fixed.h5", ["--set", "leader.learner=fixed"])
    d.workers("tariff")
    d.same_file("fixed.h5", "same.h5")
    saved = np.load(os.path.join(d.tmp, "tariff.0.npz"))
    with h5py.File(os.path.join(d.tmp, "new.h5"), "r") as f:
        theta = f["tariff/theta"][()]
    check(np.array_equal(theta[4], saved["before"]), f"day 4: {theta[4]} not {saved['before']}")
    check(all(np.array_equal(theta[t], saved["after"]) for t in range(5, DAYS)),
          f"days 5-: {theta[5:]} not {saved['after']}")
    print(f"tariff: the file's θ is {saved['before']} to day 4, {saved['after']} from day 5")


def case_env(d):
    import h5py
    w, k = 8, 4  # ieee3-equity's leader.warmup_days and update_every_days
    days = w + k * (ENV_STEPS + 1)
    cmd = d.mpiexec(d.ranks, [d.mfgrid, "run", SCENARIO, "--days", str(days), "-o",
                              os.path.join(d.tmp, "fixed.h5"), "--seed", str(SEED), "--threads",
                              "1", "--quiet", "--set", "leader.learner=fixed", "--set",
                              f"leader.max_interactions={ENV_STEPS + 1}",
                              *[a for key, v in ENV_OVERRIDES.items()
                                for a in ("--set", f"{key}={v}")]])
    subprocess.run(cmd, env=d.env, check=True, stdout=subprocess.DEVNULL)
    out = d.workers("env")
    d.same_file("fixed.h5", "env-1.h5")
    ranks = [dict(np.load(os.path.join(d.tmp, f"env.{r}.npz"))) for r in range(d.ranks)]
    for r, other in enumerate(ranks[1:], 1):
        for key, value in other.items():
            check(value.tobytes() == ranks[0][key].tobytes(), f"rank {r}'s {key} is not rank 0's")
    saved = ranks[0]
    for key in [k for k in saved if k.startswith("random2|")]:
        twin = key.replace("random2", "random3")
        check(saved[key].tobytes() == saved[twin].tobytes(), f"{key} differs in the same episode")
    # Rewards against the files: −J of each interaction after the first (the reset's window).
    for episode, name in ((2, "random2"), (4, "hill")):
        with h5py.File(os.path.join(d.tmp, f"env-{episode}.h5"), "r") as f:
            objective = f["leader/objective"][()]
            soc_days = f["market/household_load"].shape[0]
        check(len(objective) == ENV_STEPS + 1 and soc_days == days,
              f"episode {episode}: {len(objective)} interactions, {soc_days} days")
        for i in range(1, ENV_STEPS + 1):
            key = f"{name}|reward{i}"
            check(float(saved[key]) == -objective[i], f"{key} {saved[key]} is not −J {objective[i]}")
    # Observations against the market's load in the file: a window's mean kWh per household of
    # each class, times the class's agents, summed over classes, is the households' net load of
    # those days (MW over the buses × the period's hours × 1000, × the agents per household).
    with h5py.File(os.path.join(d.tmp, "env-2.h5"), "r") as f:
        agents = f["meanfield/soc_hist"][0, 0].sum(axis=1)
        load = f["market/household_load"][()].sum(axis=2)  # [day, period], MW
        window_end = f["leader/day"][()]
    classes, periods = len(agents), load.shape[1]
    hours, scale = 24.0 / periods, ENV_OVERRIDES["population.scale"]
    for i in range(1, ENV_STEPS + 1):
        obs = saved[f"random2|obs{i}"].reshape(2, classes, periods)
        net = (agents[:, None] * (obs[0] - obs[1])).sum(axis=0)
        end = int(window_end[i])
        market = load[end - k + 1:end + 1].mean(axis=0) * hours * 1000 * scale
        check(np.allclose(net, market, rtol=1e-9, atol=0),
              f"observation {i}: households' net {net} kWh, the market's load {market}")
    hill = [float(saved[f"hill|reward{i}"]) for i in range(ENV_STEPS + 1)]
    check(float(saved["hill|best"]) == max(hill), "the hill climber lost its best")
    print(out.strip())
    print(f"env: {ENV_STEPS} steps an episode, 4 episodes, rewards are −J of the files, "
          f"on {d.ranks} rank(s) alike")


def case_policy(d):
    import h5py
    d.workers("policy")
    with h5py.File(os.path.join(d.tmp, f"policy-{d.ranks}.h5"), "r") as f:
        hist = f["meanfield/action_hist"][()]  # [day, period, class, action]
        policy = f["followers/policy"][()]  # [iteration, class, period, bin, action]
    held = np.load(os.path.join(d.tmp, "held.npy"))
    check(policy.shape[1] == 6 and policy.shape[0] == DAYS, f"followers/policy's shape {policy.shape}")
    # After every update of the learner, prosumers-low's rows are the table, not the learner's.
    worst = np.abs(policy[:, 3] - held).max()
    check(worst <= 1e-15, f"prosumers-low's policy left its table by {worst} after an update")
    for day in range(DAYS):
        played = 1 if day % 2 == 0 else 3
        check(hist[day, :, 5, played].sum() == hist[day, :, 5, :].sum(),
              f"day {day}: prosumers-high's actions {hist[day, :, 5, :].sum(0)}, not all {played}")
    learned = policy[:, 4]
    check(not np.array_equal(learned[0], learned[-1]),
          "prosumers-middle's policy did not change: the others stopped learning")
    print(f"policy: {DAYS} days, prosumers-low's rows its table after all {DAYS} updates (within "
          f"{worst:.1e}), prosumers-high played its callable's day by day, prosumers-middle learned")
    if d.ranks > 1:
        d.workers("policy", ranks=1)
        d.same_file("policy-1.h5", f"policy-{d.ranks}.h5")


def case_pip(d):
    venv = os.path.join(d.tmp, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    env = dict(d.env, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               MFGRID_CORE=os.path.join(d.package, "mfgrid"))
    env.pop("PYTHONPATH")
    r = subprocess.run([python, "-m", "pip", "install", "--quiet", os.path.join(d.source, "python")],
                       env=env, cwd=d.tmp, capture_output=True, text=True)
    check(r.returncode == 0, f"pip install failed:\n{r.stdout}{r.stderr}")
    step = (f"s = mfgrid.load_scenario({SCENARIO!r}, {OVERRIDES!r})\n"
            "with mfgrid.Simulation(s, seed=2, threads=1) as sim:\n"
            "    sim.step(3)\n"
            "    print(sim.day_outcome()['lmp'].tobytes().hex())\n")
    installed = ("import mfgrid, mfgrid._core, sys\n"
                 "assert mfgrid.__file__.startswith(sys.prefix), mfgrid.__file__\n"
                 "assert mfgrid._core.__file__.startswith(sys.prefix), mfgrid._core.__file__\n")
    r = subprocess.run([python, "-c", installed + step], env=env, cwd=d.tmp, capture_output=True,
                       text=True)
    check(r.returncode == 0, f"the installed package failed:\n{r.stderr}")
    b = subprocess.run([sys.executable, "-c", "import mfgrid\n" + step], env=d.env, cwd=d.tmp,
                       capture_output=True, text=True)
    check(b.returncode == 0, f"the build's package failed:\n{b.stderr}")
    check(r.stdout == b.stdout, "the installed package's LMPs are not the build's")
    print(f"pip: the installed package ({venv}) steps the build's days bit for bit")


def case_readme(d):
    with open(os.path.join(d.source, "README.md"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("```python\nimport numpy as np, mfgrid")
    code = text[start + len("```python\n"):text.index("```", start + 10)]
    lines = [line for line in code.splitlines() if line.strip()]
    check(len(lines) <= 11, f"the README's leader example has {len(lines)} lines")
    code += "assert best_j < first_j, (best_j, first_j)\n"
    code = code.replace('best, best_j, rng = info["theta"], info["objective"],',
                        'first_j = info["objective"]\nbest, best_j, rng = info["theta"], '
                        'info["objective"],')
    r = subprocess.run([sys.executable, "-c", code], env=d.env, capture_output=True, text=True)
    check(r.returncode == 0, f"the README's example failed:\n{r.stdout}{r.stderr}")
    print(f"README example: {r.stdout.strip()}")


def case_errors(d):
    print(d.workers("errors", ranks=1).strip())


def main():
    if sys.argv[1] == "--worker":
        sys.path.insert(0, os.environ["PYTHONPATH"])
        for worker in WORKERS[sys.argv[2]]:
            worker(sys.argv[3])
        return 0
    case, ranks, mfgrid, source, package = sys.argv[1:6]
    with tempfile.TemporaryDirectory() as tmp:
        d = Driver(int(ranks), os.path.abspath(mfgrid), source, os.path.abspath(package), tmp)
        try:
            {"file": case_file, "resume": case_resume, "tariff": case_tariff,
             "errors": case_errors, "env": case_env, "policy": case_policy,
             "readme": case_readme, "pip": case_pip}[case](d)
        except AssertionError as e:
            print(f"FAIL ({case}, {ranks} rank(s)): {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
