"""The node's arithmetic and the run's outcomes, against a plain-float reference loop."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup


def reference_steps(setup: Setup, steps: int, example_order: list[int] | None = None):
    """The article's loop, generalised as DESIGN.md §1 says, in plain Python floats.

    Returns one dict per step with every CSV value.  ``delta ** 2`` overflowing gives inf.
    """
    w = list(setup.weights)
    n = setup.n_inputs
    m = setup.n_examples
    rows = []
    for s in range(steps):
        if setup.order == "batch":
            deltas = []
            squares = []
            for ex in setup.examples:
                p = w[0] * ex.inputs[0]
                for i in range(1, n):
                    p = p + w[i] * ex.inputs[i]
                d = p - ex.goal
                deltas.append(d)
                try:
                    squares.append(d ** 2)
                except OverflowError:
                    squares.append(math.inf)
            mse = squares[0]
            for q in squares[1:]:
                mse = mse + q
            mse = mse / m
            wd = []
            for i in range(n):
                t = deltas[0] * setup.examples[0].inputs[i]
                for e in range(1, m):
                    t = t + deltas[e] * setup.examples[e].inputs[i]
                wd.append(t / m)
            row = {"example": 0, "mse": mse}
        else:
            e = example_order[s] if example_order else s % m
            ex = setup.examples[e]
            p = w[0] * ex.inputs[0]
            for i in range(1, n):
                p = p + w[i] * ex.inputs[i]
            d = p - ex.goal
            try:
                mse = d ** 2
            except OverflowError:
                mse = math.inf
            wd = [d * ex.inputs[i] for i in range(n)]
            row = {"example": e + 1, "prediction": p, "delta": d, "mse": mse}
        ad = [setup.alpha * wd[i] for i in range(n)]
        new = [w[i] if setup.frozen[i] else w[i] - ad[i] for i in range(n)]
        for i in range(n):
            row[f"weight_{i + 1}"] = w[i]
            row[f"weighted_delta_{i + 1}"] = wd[i]
            row[f"alpha_delta_{i + 1}"] = ad[i]
            row[f"new_weight_{i + 1}"] = new[i]
        rows.append(row)
        w = new
    return rows


def reference_outcome(setup: Setup, example_order=None) -> tuple[str, int]:
    """DESIGN.md §1's stop rules applied step by step to the reference loop."""
    rows = reference_steps(setup, setup.max_steps, example_order)
    window = setup.epoch
    n = setup.n_inputs
    for k, row in enumerate(rows, start=1):
        values = [v for key, v in row.items() if key != "example"]
        if not all(math.isfinite(v) for v in values):
            return "diverged", k
        if k >= window:
            last = rows[k - window : k]
            mean = math.fsum(r["mse"] for r in last) / window
            if mean == 0 or (setup.tolerance > 0 and mean < setup.tolerance):
                return "converged", k
            if setup.stop_on_stall and all(
                r[f"new_weight_{i}"] == r[f"weight_{i}"] for r in last for i in range(1, n + 1)
            ):
                return "stalled", k
    return "max_steps", setup.max_steps


def same(a: float, b: float) -> bool:
    """Bit-for-bit equality (nan equals nan, -0.0 differs from 0.0)."""
    return np.float64(a).tobytes() == np.float64(b).tobytes()


def assert_matches_reference(run: Run, example_order=None):
    expected = reference_steps(run.setup, run.n_steps, example_order)
    for k, want in enumerate(expected, start=1):
        got = run.trace.row(k)
        for key, value in want.items():
            assert same(got[key], value), (k, key, got[key], value)


def test_seed_reference_numbers():
    run = run_to_end(seed_setup())
    path = run.trace.weight_path(0).tolist()
    assert path[:4] == [0.4, 0.42000000000000004, 0.43800000000000006, 0.45420000000000005]
    assert run.outcome == "stalled"
    assert run.n_steps == 318
    assert run.weights == (0.5999999999999994,)
    first = run.trace.row(1)
    assert first["prediction"] == 0.4
    assert first["delta"] == 0.4 - 0.6
    assert first["mse"] == (0.4 - 0.6) ** 2
    assert first["alpha_delta_1"] == 0.1 * (0.4 - 0.6)
    assert_matches_reference(run)


def test_seed_without_stall_rule_runs_325_steps():
    run = run_to_end(seed_setup().replace(stop_on_stall=False))
    assert (run.outcome, run.n_steps, run.weights) == ("max_steps", 325, (0.5999999999999994,))
    assert_matches_reference(run)


def test_the_article_loop_itself():
    """The article's own loop, verbatim, ends where our trace ends."""
    weight, input_, goal, alpha = 0.4, 1, 0.6, 0.1
    for _ in range(325):
        prediction = weight * input_
        delta = prediction - goal
        mse = delta ** 2  # noqa: F841
        weighted_delta = delta * input_
        alpha_delta = alpha * weighted_delta
        weight = weight - alpha_delta
    run = run_to_end(seed_setup().replace(stop_on_stall=False))
    assert run.trace.new_weight(0)[-1] == weight


def test_mse_uses_pythons_power_not_multiplication():
    """glibc's pow(x, 2) and x * x differ in the last bit for some x; Python uses pow."""
    delta = -6.9875612535297807e21
    if delta ** 2 == delta * delta:  # pragma: no cover - a libm that rounds pow exactly
        pytest.skip("this C library's pow(x, 2) equals x * x here")
    setup = Setup(examples=(Example((1.0,), 0.0),), weights=(delta,), alpha=0.0, max_steps=1)
    run = run_to_end(setup)
    assert run.trace.mse[0] == delta ** 2


def test_diverging_run_is_an_outcome_not_an_exception():
    run = run_to_end(seed_setup().replace(alpha=2.5, max_steps=100_000))
    assert run.outcome == "diverged"
    last = run.trace.row(run.n_steps)
    assert math.isinf(last["mse"])
    # every step before the last is finite
    assert np.isfinite(run.trace.mse[:-1]).all()
    assert_matches_reference(run)


def test_converged_exactly_in_one_step():
    setup = Setup(examples=(Example((2.0,), 1.0),), weights=(0.0,), alpha=0.25, max_steps=50)
    run = run_to_end(setup)
    # step 1 moves the weight to 0.5 exactly; step 2 sees delta 0 and converges
    assert run.trace.new_weight(0)[0] == 0.5
    assert (run.outcome, run.n_steps) == ("converged", 2)


def test_converged_below_tolerance():
    run = run_to_end(seed_setup().replace(tolerance=1e-10, max_steps=1000))
    assert run.outcome == "converged"
    assert run.trace.mse[-1] < 1e-10 <= run.trace.mse[-2]


def test_max_steps_and_chunks():
    setup = seed_setup().replace(max_steps=100)
    whole = run_to_end(setup)
    parts = Run(setup)
    assert parts.advance(7) == 7
    assert parts.step() == 1
    while not parts.finished:
        parts.advance(13)
    assert whole.outcome == parts.outcome == "max_steps"
    for name, column in whole.trace.columns():
        assert np.array_equal(column, dict(parts.trace.columns())[name])


def test_time_budget_returns_early_and_continues():
    setup = seed_setup().replace(max_steps=3_000_000, stop_on_stall=False)
    run = Run(setup)
    added = run.advance(seconds=0.01)
    assert 0 < added < 3_000_000 and not run.finished


def test_stop():
    run = Run(seed_setup())
    run.advance(3)
    run.stop()
    assert run.outcome == "stopped" and run.advance() == 0 and run.n_steps == 3


def test_all_weights_frozen_stalls_after_an_epoch():
    setup = seed_setup().replace(frozen=(True,))
    run = run_to_end(setup)
    assert (run.outcome, run.n_steps) == ("stalled", 1)


def test_stall_needs_a_whole_epoch_without_change():
    # The straw example (input 0) never changes the weight; stalling needs all three quiet.
    setup = Setup(
        examples=(Example((0.0,), 0.3), Example((1.0,), 0.6), Example((2.0,), 1.2)),
        weights=(0.4,), alpha=0.05, max_steps=10_000,
    )
    run = run_to_end(setup)
    assert run.outcome == "stalled"
    tail = run.trace.weight_path(0)[-4:]
    assert tail[0] == tail[-1]
    assert_matches_reference(run)


def test_batch_order():
    setup = Setup(
        examples=(Example((1.0, 0.5), 1.0), Example((0.2, 2.0), 0.0), Example((1.5, 1.0), 2.0)),
        weights=(0.1, -0.3), alpha=0.1, max_steps=400, order="batch",
    )
    run = run_to_end(setup)
    assert run.trace.example.tolist() == [0] * run.n_steps
    assert np.isnan(run.trace.prediction).all()
    assert_matches_reference(run)


def test_shuffled_is_reproducible_and_a_permutation_per_epoch():
    examples = tuple(Example((float(i), 1.0), 0.5 * i) for i in range(5))
    setup = Setup(examples=examples, weights=(0.1, 0.1), alpha=0.01, max_steps=53,
                  order="shuffled", seed=7, stop_on_stall=False)
    a, b = run_to_end(setup), Run(setup)
    while not b.finished:
        b.advance(4)
    assert np.array_equal(a.trace.example, b.trace.example)
    order = a.trace.example
    for epoch in range(10):
        assert sorted(order[epoch * 5 : epoch * 5 + 5].tolist()) == [1, 2, 3, 4, 5]
    rng = np.random.default_rng(7)
    expected = np.concatenate([rng.permutation(5) + 1 for _ in range(11)])[:53]
    assert order.tolist() == expected.tolist()
    assert_matches_reference(a, (order - 1).tolist())
    other = run_to_end(setup.replace(seed=8))
    assert not np.array_equal(other.trace.example, order)


finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def setups(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    examples = tuple(
        Example(tuple(draw(finite) for _ in range(n)), draw(finite)) for _ in range(m)
    )
    return Setup(
        examples=examples,
        weights=tuple(draw(finite) for _ in range(n)),
        frozen=tuple(draw(st.booleans()) for _ in range(n)),
        alpha=draw(st.floats(0, 2, allow_nan=False)),
        max_steps=draw(st.integers(1, 60)),
        tolerance=draw(st.sampled_from([0.0, 1e-12, 1e-3])),
        stop_on_stall=draw(st.booleans()),
        order=draw(st.sampled_from(["cyclic", "batch"])),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setups())
def test_matches_plain_float_reference(setup):
    run = run_to_end(setup)
    assert run.outcome in ("diverged", "converged", "stalled", "max_steps")
    assert 1 <= run.n_steps <= setup.max_steps
    assert (run.outcome, run.n_steps) == reference_outcome(setup)
    assert_matches_reference(run)


# -- time budgets and memory -------------------------------------------------------------------------
class FakeClock:
    """``time.perf_counter`` for gdnode_gui.core.run that moves only when a step is taken."""

    def __init__(self, seconds_per_step: float) -> None:
        self.now = 0.0
        self.seconds_per_step = seconds_per_step

    def perf_counter(self) -> float:
        return self.now


def clocked(monkeypatch, seconds_per_step: float) -> list[int]:
    """Make every step take ``seconds_per_step`` on a fake clock; returns the chunk sizes."""
    import gdnode_gui.core.run as run_module

    clock = FakeClock(seconds_per_step)
    monkeypatch.setattr(run_module, "time", clock)
    chunks: list[int] = []
    real = run_module.Run._advance_chunk

    def advance_chunk(self, k):
        chunks.append(k)
        added = real(self, k)
        clock.now += added * clock.seconds_per_step
        return added

    monkeypatch.setattr(run_module.Run, "_advance_chunk", advance_chunk)
    return chunks


def test_the_first_chunk_of_a_time_budget_is_one_step(monkeypatch):
    chunks = clocked(monkeypatch, 1e-6)
    run = Run(seed_setup().replace(max_steps=1_000_000, stop_on_stall=False))
    assert run.advance(seconds=0.0) == 1
    assert chunks == [1]
    run.advance(seconds=0.004)
    assert chunks[1] > 1  # sized from the measured time per step
    assert run.n_steps <= 1 + 4000


def test_slow_steps_check_the_deadline_between_steps(monkeypatch):
    chunks = clocked(monkeypatch, 0.013)  # a batch of 5,000 examples x 16 inputs
    run = Run(seed_setup().replace(max_steps=1_000_000, stop_on_stall=False))
    assert run.advance(seconds=0.004) == 1
    assert run.advance(seconds=0.1) == 8  # 7 steps end at 91 ms, the 8th passes 100 ms
    assert chunks == [1] * 9


def test_out_of_memory_stops_the_run_with_a_whole_trace(monkeypatch, tmp_path):
    import gdnode_gui.core.trace as trace_module
    from gdnode_gui.core.csv_trace import csv_text, write_csv
    from gdnode_gui.core.outcome import summary

    real = trace_module._allocate

    def refuse_large(shape, dtype):
        if shape[-1] > 4097:
            raise MemoryError
        return real(shape, dtype)

    monkeypatch.setattr(trace_module, "_allocate", refuse_large)
    examples = tuple(Example((1.0 + i / 10, 0.5), 0.1 * i) for i in range(3))
    setup = Setup(examples=examples, weights=(0.1, 0.2), alpha=0.01, max_steps=100_000,
                  order="shuffled", seed=3, stop_on_stall=False)
    run = Run(setup)
    assert run.advance() == 4096
    assert run.outcome == "stopped"
    assert run.stop_reason == "not enough memory for more steps: 4,096 steps kept"
    assert "not enough memory for more steps" in summary(run)
    assert run.advance() == 0 and run.n_steps == 4096
    trace = run.trace
    lengths = {name: len(values) for name, values in trace.columns()}
    assert set(lengths.values()) == {4096}
    assert len(trace.weight_path(0)) == 4097
    assert trace.row(4096)["step"] == 4096
    assert_matches_reference(run, (np.asarray(trace.example) - 1).tolist())
    path = tmp_path / "trace.csv"
    assert write_csv(trace, path)
    text = path.read_text()
    assert text == csv_text(trace) and text.count("\n") == 4097
