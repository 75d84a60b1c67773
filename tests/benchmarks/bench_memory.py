"""Peak memory of long runs, each in a process of its own (a script; pytest does not collect it).

    python tests/benchmarks/bench_memory.py [--big]

Each figure is the peak resident memory (VmHWM of /proc/self/status) of a fresh process
that first imports PySide6.QtWidgets and pyqtgraph (as the application does, so the figure
is the whole application's, not the core's alone), then runs a setup to its end with
``run_to_end``.  The memory after the imports is printed too, as the baseline.

(a) 10,000,000 steps x 1 input (the seed with a tiny alpha, stop_on_stall off).
    Target: <= 350 MiB for the whole process.
(b) 2,000,000 steps x 16 inputs (16 examples in turn).  Target: <= 600 MiB.
(c) 10,000,000 steps x 16 inputs: the trace stores 8 x 16 bytes per step, so it needs
    about 1.2 GiB plus the baseline; with ``--big`` it is run and measured (it takes a few
    minutes).  Target: fits in 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import PySide6.QtWidgets  # noqa: F401  the application's imports, for an honest figure
import pyqtgraph  # noqa: F401

def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
baseline = status("VmRSS")
import numpy as np
from gdnode_gui.core import Example, Setup, run_to_end, seed_setup
steps, inputs = int(sys.argv[1]), int(sys.argv[2])
if inputs == 1:
    setup = seed_setup().replace(alpha=1e-9, max_steps=steps, stop_on_stall=False)
else:
    rng = np.random.default_rng(0)
    examples = tuple(Example(tuple(rng.uniform(0.5, 1.5, inputs).tolist()), float(rng.normal()))
                     for _ in range(16))
    setup = Setup(examples=examples, weights=(0.0,) * inputs, alpha=1e-6, max_steps=steps,
                  stop_on_stall=False)
began = time.perf_counter()
run = run_to_end(setup)
seconds = time.perf_counter() - began
assert run.n_steps == steps and run.outcome == "max_steps", (run.n_steps, run.outcome)
# Read a little of every column, as the window does at the end of a run.
trace = run.trace
tail = [float(trace.mse[-1]), float(trace.delta[-1]), trace.row(steps)["mse"]]
print(json.dumps({"baseline": baseline, "peak": status("VmHWM"), "seconds": seconds,
                  "trace": trace.nbytes}))
"""

MIB = 2**20


def measure(steps: int, inputs: int) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", CHILD, str(steps), str(inputs)], env=env,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, steps: int, inputs: int, target_mib: float) -> None:
    figures = measure(steps, inputs)
    peak = figures["peak"] / MIB
    print(f"{label} {steps:,} steps x {inputs} input{'s' if inputs > 1 else ''}: "
          f"peak {peak:7.1f} MiB   (target <= {target_mib:,.0f} MiB; ratio {peak / target_mib:.2f})")
    print(f"    after importing Qt and pyqtgraph {figures['baseline'] / MIB:7.1f} MiB; "
          f"trace {figures['trace'] / MIB:7.1f} MiB stored; run_to_end {figures['seconds']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="also run (c), 10,000,000 x 16")
    args = parser.parse_args()
    report("(a)", 10_000_000, 1, 350)
    report("(b)", 2_000_000, 16, 600)
    if args.big:
        report("(c)", 10_000_000, 16, 2048)
    else:
        need = 8 * 16 * (10_000_000 + 1) / MIB
        print(f"(c) 10,000,000 steps x 16 inputs: the trace stores {need:,.0f} MiB (8 bytes x 16 weights "
              f"per step) plus the baseline above; run with --big to measure it")


if __name__ == "__main__":
    main()
