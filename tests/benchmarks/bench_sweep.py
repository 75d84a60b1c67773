"""Benchmark of the alpha sweep against the bare Python loop (a script; pytest does not collect it).

    python tests/benchmarks/bench_sweep.py [--repeat 5] [--steps 200000]

For each case the sweep (:func:`gdnode_gui.core.sweep.sweep`, no trace, every stop rule
checked after every step) is timed against a plain-Python loop of the article's six lines
(prediction, delta, mse, weighted_delta, alpha_delta, new weight) over the same alphas and
the same number of steps per alpha (the steps each row of the sweep made).  Both are timed
in the same process, best of ``--repeat``; the ratio is sweep / bare loop.  Target: <= 1.5.

Cases (stop_on_stall off and tolerance 0, so every stable alpha runs its ``--steps``):

- ``seed``: the article's example (one input, one example), 10 alphas between the best
  alpha and the cliff, where the weight bounces around the goal for ever.  (A weight that
  stops moving with stop_on_stall off is a fixed point: the sweep then skips to max_steps,
  which would flatter the ratio, so these alphas avoid it.)
- ``3 inputs``: one example with three inputs.
- ``cyclic``/``shuffled``: 4 examples with 2 inputs, taken in turn / in a fresh random order.
- ``batch``: the same 4 examples, each step the mean over all of them.
- ``cyclic, tolerance``: as ``cyclic`` with a tolerance of half the least mean mse (no
  weights fit all four examples): the mse of a step stays below ``2 * m * tolerance``, so the
  sweep keeps the window's sum exactly and compares its mean at every step, and the runs
  still reach max_steps.  The worst case of the tolerance rule.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gdnode_gui.core.data_set_analysis import least_squares
from gdnode_gui.core.setup import Example, Setup
from gdnode_gui.core.sweep import sweep, sweep_alphas


def best_of_each(repeat: int, *works) -> list[float]:
    """The best time of each work, timed in turn (so a busy moment of a shared machine
    hits both alike)."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for j, work in enumerate(works):
            began = time.perf_counter()
            work()
            best[j] = min(best[j], time.perf_counter() - began)
    return best


def bare_one(setup: Setup, alpha: float, steps: int) -> None:
    """The article's loop, one input, one example."""
    weight = setup.weights[0]
    x = setup.examples[0].inputs[0]
    goal = setup.examples[0].goal
    for _ in range(steps):
        prediction = weight * x
        delta = prediction - goal
        mse = delta**2  # noqa: F841
        weighted_delta = delta * x
        alpha_delta = alpha * weighted_delta
        weight = weight - alpha_delta


def bare_stochastic(setup: Setup, alpha: float, steps: int) -> None:
    """The six lines for n inputs, one example per step in the setup's order."""
    n = setup.n_inputs
    m = setup.n_examples
    inputs = [e.inputs for e in setup.examples]
    goals = [e.goal for e in setup.examples]
    weight = list(setup.weights)
    if setup.order == "shuffled":
        rng = np.random.default_rng(setup.seed)
        order = np.concatenate([rng.permutation(m) for _ in range(-(-steps // m))])[:steps].tolist()
    else:
        order = [s % m for s in range(steps)]
    for e in order:
        x = inputs[e]
        prediction = weight[0] * x[0]
        for i in range(1, n):
            prediction = prediction + weight[i] * x[i]
        delta = prediction - goals[e]
        mse = delta**2  # noqa: F841
        for i in range(n):
            weighted_delta = delta * x[i]
            alpha_delta = alpha * weighted_delta
            weight[i] = weight[i] - alpha_delta


def bare_batch(setup: Setup, alpha: float, steps: int) -> None:
    """The six lines in batch order: means over the examples."""
    n = setup.n_inputs
    m = setup.n_examples
    inputs = [e.inputs for e in setup.examples]
    goals = [e.goal for e in setup.examples]
    weight = list(setup.weights)
    for _ in range(steps):
        deltas = []
        mse = 0.0
        for x, goal in zip(inputs, goals):
            prediction = weight[0] * x[0]
            for i in range(1, n):
                prediction = prediction + weight[i] * x[i]
            delta = prediction - goal
            deltas.append(delta)
            mse = mse + delta**2
        mse = mse / m
        for i in range(n):
            weighted_delta = deltas[0] * inputs[0][i]
            for e in range(1, m):
                weighted_delta = weighted_delta + deltas[e] * inputs[e][i]
            alpha_delta = alpha * (weighted_delta / m)
            weight[i] = weight[i] - alpha_delta


def cases(steps: int):
    data = (Example((1.0, 0.5), 0.3), Example((0.2, -1.0), 0.8), Example((-0.7, 0.4), -0.1),
            Example((0.9, 0.9), 0.5))
    common = dict(max_steps=steps, stop_on_stall=False, tolerance=0.0)
    seed = Setup(examples=(Example((1.0,), 0.6),), weights=(0.4,), alpha=0.1, **common)
    three = Setup(examples=(Example((1.0, 0.5, -0.3), 0.6),), weights=(0.4, 0.1, 0.2), alpha=0.1, **common)
    cyclic = Setup(examples=data, weights=(0.1, 0.2), alpha=0.1, order="cyclic", **common)
    shuffled = cyclic.replace(order="shuffled", seed=3)
    batch = cyclic.replace(order="batch")
    tolerance = cyclic.replace(tolerance=0.5 * least_squares(cyclic)[1])
    return [
        ("seed", seed, bare_one, sweep_alphas(1.05, 1.95, 10)),
        ("3 inputs", three, bare_stochastic, sweep_alphas(0.01, 1.3, 10)),
        ("cyclic", cyclic, bare_stochastic, sweep_alphas(0.01, 0.9, 10)),
        ("shuffled", shuffled, bare_stochastic, sweep_alphas(0.01, 0.9, 10)),
        ("batch", batch, bare_batch, sweep_alphas(0.01, 1.2, 10)),
        ("cyclic, tolerance", tolerance, bare_stochastic, sweep_alphas(0.01, 0.9, 10)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200_000, help="max_steps of every run")
    args = parser.parse_args()
    print(f"{'case':<18} {'steps':>10} {'sweep s':>9} {'bare s':>9} {'ratio':>6}  outcomes")
    for name, setup, bare, alphas in cases(args.steps):
        rows = list(sweep(setup, alphas))
        total = sum(row.steps for row in rows)
        swept, baseline = best_of_each(
            args.repeat,
            lambda: list(sweep(setup, alphas)),
            lambda: [bare(setup, row.alpha, row.steps) for row in rows],
        )
        words = sorted({row.outcome for row in rows})
        print(f"{name:<18} {total:>10,} {swept:>9.3f} {baseline:>9.3f} {swept / baseline:>6.2f}  {', '.join(words)}")


if __name__ == "__main__":
    main()
