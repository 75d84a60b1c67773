"""Benchmarks of the core against the article's own loop (a script; pytest does not collect it).

    python tests/benchmarks/bench_core.py [--repeat 5]

Each figure is the best of ``--repeat`` runs, and each ratio is taken against a baseline
timed in the same process, so the ratios hold on a slower or busier machine.

(a) Recording: ``run_to_end`` of a 5,000,000-step seed-like run (stop_on_stall off), every
    step kept (the trace stores the weights; every other value can be read back), against
    the article's bare loop (the six lines, no recording) for the same steps.
    Target: ratio <= 3.5.  Also the trace's memory per step.
(b) CSV: writing a 300,000-step seed-like trace to a file with ``write_csv`` (atomic, with
    fsync), against the article's loop written out by hand with ``csv.writer`` to a file.
    Target: ratio <= 0.5.
(c) CSV of a trace without repeated values (one input, 1,000 random examples taken in turn,
    so no column is constant and nothing stalls), against the same hand-written loop over
    those examples: ``write_csv`` alone, and ``gdnode-trace --setup FILE --csv PATH`` as a
    whole (reading the setup, running, writing; in this process).  Target: ratio <= 0.4.
    The seed-like trace of (b) stalls after 325 steps and is constant from there on, which
    the writer formats only once per run of equal values; (c) is the cost when every value
    must be formatted.  Whether orjson (the fast float formatter) is installed is printed.
(d) Time budget: ``Run.advance(seconds=0.004)`` on a batch of 5,000 examples x 16 inputs
    (milliseconds a step), ten times from a new run: how long each call really takes.
    The budget is checked between steps, so a call lasts about the budget plus one step.

Peak memory is measured by bench_memory.py (one process per figure).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import tempfile
import time

import numpy as np

from gdnode_gui import cli
from gdnode_gui.core import Example, Setup, run_to_end, seed_setup
from gdnode_gui.core import csv_trace
from gdnode_gui.core.csv_trace import csv_text, write_csv

RECORD_STEPS = 5_000_000
CSV_STEPS = 300_000
HEADER = ["step", "example", "input_1", "goal", "alpha", "weight_1", "prediction", "delta", "mse",
          "weighted_delta_1", "alpha_delta_1", "new_weight_1"]


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


# -- the article's loop ------------------------------------------------------------------------------
def articles_loop(steps: int) -> float:
    weight = .4
    input = 1
    goal = .60
    alpha = .10
    for i in range(steps):
        prediction = weight * input
        delta = prediction - goal
        mse = delta ** 2
        weightedDelta = delta * input
        alphaDelta = alpha * weightedDelta
        weight = weight - alphaDelta
    return weight


def articles_loop_to_csv(steps: int, path: str) -> None:
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        weight = .4
        input = 1.0
        goal = .60
        alpha = .10
        for step in range(1, steps + 1):
            prediction = weight * input
            delta = prediction - goal
            mse = delta ** 2
            weightedDelta = delta * input
            alphaDelta = alpha * weightedDelta
            new_weight = weight - alphaDelta
            writer.writerow([step, 1, input, goal, alpha, weight, prediction, delta, mse,
                             weightedDelta, alphaDelta, new_weight])
            weight = new_weight


def examples_loop_to_csv(setup: Setup, steps: int, path: str) -> None:
    """The article's loop over several one-input examples in turn, written with csv.writer."""
    inputs = [e.inputs[0] for e in setup.examples]
    goals = [e.goal for e in setup.examples]
    m = len(inputs)
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        weight = setup.weights[0]
        alpha = setup.alpha
        for step in range(1, steps + 1):
            e = (step - 1) % m
            input, goal = inputs[e], goals[e]
            prediction = weight * input
            delta = prediction - goal
            mse = delta ** 2
            weightedDelta = delta * input
            alphaDelta = alpha * weightedDelta
            new_weight = weight - alphaDelta
            writer.writerow([step, e + 1, input, goal, alpha, weight, prediction, delta, mse,
                             weightedDelta, alphaDelta, new_weight])
            weight = new_weight


def long_seed(steps: int) -> Setup:
    return seed_setup().replace(max_steps=steps, stop_on_stall=False)


def varied_setup(steps: int) -> Setup:
    rng = np.random.default_rng(0)
    examples = tuple(Example((float(x),), float(g))
                     for x, g in zip(rng.uniform(0.5, 1.5, 1000), rng.normal(0.6, 0.3, 1000)))
    return Setup(examples=examples, weights=(0.4,), alpha=0.1, max_steps=steps, stop_on_stall=False)


# -- the benchmarks ---------------------------------------------------------------------------------
def bench_recording(repeat: int) -> None:
    setup = long_seed(RECORD_STEPS)
    bare = best_of(repeat, lambda: articles_loop(RECORD_STEPS))
    runs = []
    recorded = best_of(repeat, lambda: runs.append(run_to_end(setup)))
    run = runs[-1]
    assert run.n_steps == RECORD_STEPS and run.outcome == "max_steps"
    assert run.weights[0] == articles_loop(RECORD_STEPS) == 0.5999999999999994
    trace = run.trace
    n = trace.n_steps
    print(f"(a) run_to_end of {RECORD_STEPS:,} steps of the seed (stop_on_stall off), every step kept")
    print(f"    article's bare loop   {bare:8.3f} s")
    print(f"    run_to_end            {recorded:8.3f} s")
    print(f"    ratio                 {recorded / bare:8.2f}   (target <= 3.5)")
    print(f"    trace memory          {trace.nbytes / n:8.1f} bytes/step stored "
          f"({trace.nbytes / 2**20:.1f} MiB: the weights; every other value is derived)")
    # Reading derived columns back (what a view pays to plot a whole run), for information.
    whole_mse = best_of(repeat, lambda: np.asarray(trace.mse))
    whole_delta = best_of(repeat, lambda: np.asarray(trace.delta))
    tail = best_of(repeat, lambda: trace.mse[-1000:])
    row = best_of(repeat, lambda: trace.row(n))
    print(f"    reading back: all {n:,} mse {whole_mse:.3f} s, all delta {whole_delta:.3f} s, "
          f"the last 1,000 mse {tail * 1e6:.0f} us, row(n) {row * 1e6:.0f} us")


def bench_csv(repeat: int, folder: str) -> None:
    trace = run_to_end(long_seed(CSV_STEPS)).trace
    ours_path = os.path.join(folder, "ours.csv")
    hand_path = os.path.join(folder, "hand.csv")
    hand = best_of(repeat, lambda: articles_loop_to_csv(CSV_STEPS, hand_path))
    ours = best_of(repeat, lambda: write_csv(trace, ours_path))
    text = best_of(repeat, lambda: csv_text(trace))
    with open(hand_path, newline="") as a, open(ours_path, newline="") as b:
        assert a.read().replace("\r\n", "\n") == b.read(), "not the same CSV"
    size = os.path.getsize(ours_path)
    print(f"(b) CSV of a {CSV_STEPS:,}-step seed-like trace ({size / 1e6:.1f} MB)")
    print(f"    article's loop + csv.writer  {hand:8.3f} s")
    print(f"    write_csv (atomic, fsync)    {ours:8.3f} s")
    print(f"    csv_text (no file)           {text:8.3f} s")
    print(f"    ratio                        {ours / hand:8.3f}   (target <= 0.5)")


def bench_csv_varied(repeat: int, folder: str) -> None:
    setup = varied_setup(CSV_STEPS)
    trace = run_to_end(setup).trace
    ours_path = os.path.join(folder, "ours-varied.csv")
    cli_path = os.path.join(folder, "cli-varied.csv")
    hand_path = os.path.join(folder, "hand-varied.csv")
    setup_path = os.path.join(folder, "varied.gdnode")
    with open(setup_path, "w") as out:
        json.dump({"version": 1, "examples": [{"inputs": list(e.inputs), "goal": e.goal} for e in setup.examples],
                   "weights": list(setup.weights), "alpha": setup.alpha, "max_steps": CSV_STEPS,
                   "stop_on_stall": False}, out)
    hand = best_of(repeat, lambda: examples_loop_to_csv(setup, CSV_STEPS, hand_path))
    ours = best_of(repeat, lambda: write_csv(trace, ours_path))
    def command() -> None:
        with contextlib.redirect_stderr(io.StringIO()):  # the one-line summary
            assert cli.main(["--setup", setup_path, "--csv", cli_path]) == 0

    whole = best_of(repeat, command)
    with open(hand_path, newline="") as a, open(ours_path, newline="") as b, open(cli_path, newline="") as c:
        hand_text = a.read().replace("\r\n", "\n")
        assert hand_text == b.read() == c.read(), "not the same CSV"
    formatter = "orjson where its text is repr's" if csv_trace.orjson is not None else "repr (orjson not installed)"
    print(f"(c) CSV of a {CSV_STEPS:,}-step trace without repeats (1 input, 1,000 examples in turn); "
          f"floats: {formatter}")
    print(f"    hand loop + csv.writer           {hand:8.3f} s")
    print(f"    write_csv                        {ours:8.3f} s   ratio {ours / hand:6.3f}")
    print(f"    gdnode-trace --setup F --csv P   {whole:8.3f} s   ratio {whole / hand:6.3f}   (target <= 0.4)")


def bench_time_budget() -> None:
    from gdnode_gui.core import Run

    rng = np.random.default_rng(0)
    examples = tuple(Example(tuple(rng.uniform(0, 1, 16).tolist()), float(rng.normal())) for _ in range(5000))
    setup = Setup(examples=examples, weights=(0.0,) * 16, alpha=1e-4, max_steps=10_000, order="batch",
                  stop_on_stall=False)
    run = Run(setup)
    spans, steps = [], []
    for _ in range(10):
        began = time.perf_counter()
        steps.append(run.advance(seconds=0.004))
        spans.append(time.perf_counter() - began)
    one = best_of(3, lambda: run._learn_batch(list(run.weights), 1))
    print("(d) Run.advance(seconds=0.004), batch of 5,000 examples x 16 inputs, ten calls")
    print(f"    one step of the learning loop alone   {one * 1e3:6.1f} ms")
    print(f"    longest call {max(spans) * 1e3:6.1f} ms, median {sorted(spans)[5] * 1e3:6.1f} ms; "
          f"steps per call {steps}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each, the best counts")
    parser.add_argument("--no-orjson", action="store_true",
                        help="format every float with repr, as without the optional orjson")
    args = parser.parse_args()
    if args.no_orjson:
        csv_trace.orjson = None
    bench_recording(args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        bench_csv(args.repeat, folder)
        bench_csv_varied(args.repeat, folder)
    bench_time_budget()


if __name__ == "__main__":
    main()
