"""The leader's problem as a Gymnasium-style environment: your own learner posts the tariffs.

    import mfgrid
    env = mfgrid.LeaderEnv("ieee3-equity", steps=10, overrides={"population.scale": 0.1})
    obs, info = env.reset(seed=1)
    for _ in range(10):
        theta = env.action_space.sample()          # the normalised tariff θ ∈ [0, 1]^d
        obs, reward, terminated, truncated, info = env.step(theta)

One step is one interaction of the leader: θ is posted, the followers respond for K_L days
(leader.update_every_days), and the reward is −J, the leader's objective for the window's mean
response (what `mfgrid run` writes as leader/objective). The observation is that response, what
the leader may see: kWh per household of each class and period, imports then exports, flattened.
reset() simulates the warm-up days (leader.warmup_days) and one window under the scenario's own
tariff, whose response is the first observation (without run files, a reset with the seed of
the last episode restores a snapshot of that state instead of simulating it again: the same bits,
sooner). An episode is `steps` interactions (truncated after the last; never terminated). The simulation inside is scenario's with leader.learner =
"fixed", so nothing but the environment's actions changes the tariff: posting the scenario's own θ
at every step gives the file of `mfgrid run --set leader.learner=fixed`.

Gymnasium is not needed: without it, observation_space and action_space are small Box
descriptions (low, high, shape, dtype, sample(), contains()); with it, the environment is a
gymnasium.Env, its spaces gymnasium's Boxes, and "mfgrid/Leader-v0" is registered. Under MPI
(`mpirun -n 4 python3 learner.py`), every rank makes the same calls and sees the same
observations and rewards.
"""

import copy

import numpy as np

from .simulation import Simulation, _need_core, _overrides, load_scenario

try:
    import gymnasium as _gym
    from gymnasium import spaces as _spaces
except ImportError:  # Debian 12 ships no Gymnasium
    _gym = None
    _spaces = None

__all__ = ["Box", "LeaderEnv"]


class Box:
    """A box [low, high] of float64 vectors (gymnasium.spaces.Box's essentials)."""

    def __init__(self, low, high, shape, dtype=np.float64, seed=None):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype), self.shape).copy()
        self._rng = np.random.default_rng(seed)

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)
        return [seed]

    def sample(self):
        low = np.where(np.isfinite(self.low), self.low, -1.0)
        high = np.where(np.isfinite(self.high), self.high, 1.0)
        return self._rng.uniform(low, high).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


def _box(low, high, shape):
    if _spaces is not None:
        return _spaces.Box(low=low, high=high, shape=shape, dtype=np.float64)
    return Box(low, high, shape)


_Base = _gym.Env if _gym is not None else object


class LeaderEnv(_Base):
    """The leader's environment over a scenario (a name, a file or a Scenario).

    steps: interactions per episode; overrides: {key: value} as load_scenario's; seed: the
    simulation's seed when reset() gives none (default: the scenario's); threads: per rank;
    output: a run file per episode ("{episode}" in the name is replaced by its number; an existing
    file is refused unless force=True).
    """

    metadata = {"render_modes": []}

    def __init__(self, scenario="ieee3-equity", steps=20, overrides=None, seed=None, threads=None,
                 output=None, force=False):
        core = _need_core()
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps: a positive integer, not {steps!r}")
        if isinstance(scenario, core.Scenario):
            base = core.with_overrides(scenario, _overrides(overrides))
        else:
            base = load_scenario(scenario, overrides)
        self.window_days = base.leader_update_every_days
        self.warmup_days = base.leader_warmup_days
        self.steps_per_episode = steps
        days = self.warmup_days + self.window_days * (steps + 1)
        # The fixed leader keeps whatever tariff the environment posts; its budget covers them all.
        self.scenario = core.with_overrides(base, [
            'leader.learner="fixed"', f"time.days={days}",
            f"leader.max_interactions={steps + 1}"])
        self._seed, self._threads, self._output, self._force = seed, threads, output, force
        self._sim = None
        # Without run files, an episode of a seed seen last starts from a snapshot of the state
        # after its first window (the warm-up is not simulated again): (seed, snapshot, obs, info).
        self._start = None
        self._episode = 0
        self._step = 0
        self.tariff_names = list(self.scenario.tariff_names)
        self.tariff_units = list(self.scenario.tariff_units)
        self.class_names = list(self.scenario.class_names)
        classes, periods = len(self.class_names), self.scenario.periods
        self.action_space = _box(0.0, 1.0, (len(self.tariff_names),))
        self.observation_space = _box(0.0, np.inf, (2 * classes * periods,))

    # -- the Gymnasium API --------------------------------------------------------------------

    def reset(self, *, seed=None, options=None):
        """A new episode: the simulation starts again (with `seed`, else the environment's) and
        runs the warm-up and one window under the scenario's tariff. Returns (obs, info)."""
        if _gym is not None:
            super().reset(seed=seed)
        if seed is not None:
            self.action_space.seed(seed)
        self._episode += 1
        self._step = 0
        seed = self._seed if seed is None else seed
        start = self._start
        if self._sim is not None and start is not None and start[0] == seed:
            self._sim.restore(start[1])  # bit for bit the state the warm-up and window left
            return start[2].copy(), copy.deepcopy(start[3])
        self.close()
        output = self._output
        if output is not None:
            output = str(output).replace("{episode}", str(self._episode))
        self._sim = Simulation(self.scenario, seed=seed, threads=self._threads, output=output,
                               force=self._force)
        obs, _, info = self._window(self._sim.theta, self.warmup_days + self.window_days)
        if output is None:
            self._start = (seed, self._sim.snapshot(), obs.copy(), copy.deepcopy(info))
        return obs, info

    def step(self, action):
        """Posts θ = action, runs one window: (obs, reward, terminated, truncated, info)."""
        if self._sim is None:
            raise RuntimeError("call reset() before step()")
        if self._step >= self.steps_per_episode:
            raise RuntimeError(f"the episode has ended after {self.steps_per_episode} steps: "
                               "call reset()")
        theta = np.clip(np.asarray(action, dtype=np.float64).reshape(-1), 0.0, 1.0)
        if theta.shape != self.action_space.shape:
            raise ValueError(f"action: {self.action_space.shape[0]} values "
                             f"({', '.join(self.tariff_names)}), not {theta.shape}")
        obs, reward, info = self._window(theta.tolist(), self.window_days)
        self._step += 1
        truncated = self._step >= self.steps_per_episode
        return obs, reward, False, truncated, info

    def close(self):
        if self._sim is not None:
            self._sim.close()
            self._sim = None
        self._start = None

    def tariff_real(self, theta):
        """θ in real units (tariff_units), e.g. $/MWh and $/day."""
        return np.asarray(self.scenario.tariff_real([float(x) for x in np.ravel(theta)]))

    # -- inside ---------------------------------------------------------------------------------

    def _window(self, theta, days):
        """Posts θ and simulates `days` days, the last one ending a leader interaction."""
        sim = self._sim
        sim.post_tariff(theta)
        responses = []
        for _ in range(days):
            sim.step()
            if sim.day > self.warmup_days:  # the window's days, as the simulation's leader counts
                responses.append(sim.day_response())
        day = sim.day_outcome()
        if "leader/objective" not in day:
            raise RuntimeError(f"day {day.day} ended no leader interaction: the windows are out "
                               "of step with the scenario's")
        window = responses[-self.window_days:]
        mean = {}
        for key in ("imports", "exports", "peak_import"):  # in day order, as the leader's mean
            total = window[0][key].copy()
            for r in window[1:]:
                total += r[key]
            mean[key] = total / len(window)
        obs = np.concatenate([mean["imports"].ravel(), mean["exports"].ravel()])
        objective = float(day["leader/objective"])
        info = {"day": day.day, "theta": np.asarray(theta, dtype=np.float64),
                "theta_real": np.asarray(sim.tariff_real(theta)), "objective": objective,
                "response": mean,
                "leader": {path.split("/", 1)[1]: value for path, value in day.items()
                           if path.startswith("leader/")},
                "eei": day["outcome/eei"], "bill": day["outcome/bill"]}
        return obs, -objective, info


if _gym is not None:
    try:
        _gym.register(id="mfgrid/Leader-v0", entry_point="mfgrid.leader_env:LeaderEnv")
    except Exception:  # already registered (a reload)
        pass
