"""What the ieee3-equity study tests share: a check that fails the test with its reason, and a
run of the real binary on the default scenario."""

import os
import subprocess
import sys


def check(cond, message):
    if not cond:
        print("FAIL:", message)
        sys.exit(1)


def run_default(mfgrid, workdir, seed, learner):
    """ieee3-equity with leader.learner = `learner` and `seed`; returns the run file's path."""
    out = os.path.join(workdir, f"{learner}-seed{seed}.h5")
    subprocess.run([mfgrid, "run", "ieee3-equity", "--set", f"leader.learner={learner}", "--seed",
                    str(seed), "-o", out, "--force", "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)
    return out
