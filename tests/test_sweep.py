"""The alpha sweep (gdnode_gui.core.sweep) and ``gdnode-trace --sweep-alpha``.

Every row must be exactly what a single run with that alpha gives, so each test compares
with :func:`gdnode_gui.core.run.run_to_end` of ``setup.replace(alpha=alpha)``, bit for bit.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdnode_gui.cli import main
from gdnode_gui.core.run import run_to_end
from gdnode_gui.core.setup import Example, Setup, seed_setup
from gdnode_gui.core.sweep import (
    MAX_COUNT, SweepSpecError, alpha_marks, best_measured, default_alphas, parse_sweep_spec,
    run_alpha, sweep, sweep_alphas, sweep_csv_text, sweep_header, sweep_table_text,
    write_sweep_csv_to,
)

OUTCOMES = {"diverged", "converged", "stalled", "max_steps"}


def same_float(a: float, b: float) -> bool:
    """Equal bits up to the sign of nan (nan == nan here)."""
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def expected(setup: Setup, alpha: float):
    run = run_to_end(setup.replace(alpha=alpha))
    return run.outcome, run.n_steps, float(run.trace.mse[-1]), run.weights


def assert_row_is_the_run(setup: Setup, row) -> str:
    outcome, steps, mse, weights = expected(setup, row.alpha)
    assert (row.outcome, row.steps) == (outcome, steps), (setup, row)
    assert same_float(row.final_mse, mse), (setup, row, mse)
    assert len(row.final_weights) == len(weights)
    assert all(same_float(a, b) for a, b in zip(row.final_weights, weights)), (setup, row, weights)
    return outcome


# -- rows equal single runs ----------------------------------------------------------------------
DATA = (Example((1.0, 0.5), 0.3), Example((0.2, -1.0), 0.8), Example((-0.7, 0.4), -0.1))
CONSISTENT = (Example((1.0, 0.0), 1.0), Example((0.0, 1.0), 2.0), Example((1.0, 1.0), 3.0))


@pytest.mark.parametrize("order", ["cyclic", "shuffled", "batch"])
@pytest.mark.parametrize("kind", ["one example", "data set"])
def test_rows_equal_single_runs_for_every_outcome(kind, order):
    if kind == "one example":
        setups = [seed_setup().replace(order=order, max_steps=60),
                  seed_setup().replace(order=order, max_steps=2000, tolerance=1e-12)]
    else:
        setups = [Setup(examples=CONSISTENT, weights=(0.0, 0.0), alpha=0.1, order=order, seed=5, max_steps=3000),
                  Setup(examples=DATA, weights=(0.1, 0.2), alpha=0.1, order=order, seed=7, max_steps=400,
                        tolerance=0.06)]
    seen = set()
    for setup in setups:
        cliff = alpha_marks(setup).cliff
        rows = list(sweep(setup, sweep_alphas(0.0, 4 * cliff, 26)))
        assert [row.alpha for row in rows] == list(np.linspace(0.0, 4 * cliff, 26))
        seen |= {assert_row_is_the_run(setup, row) for row in rows}
    assert seen == OUTCOMES


def test_frozen_weights_and_values_that_overflow():
    # A frozen weight with a huge input: its alpha_delta overflows before anything else does.
    frozen = Setup(examples=(Example((1e200, 1.0), 1.0),), weights=(0.0, 0.5), frozen=(True, False), alpha=0.1)
    batch = Setup(examples=(Example((1e200, 1.0), 1.0), Example((1.0, 2.0), 1.0)), weights=(0.0, 0.5),
                  frozen=(True, False), alpha=0.1, order="batch")
    overflow = Setup(examples=(Example((1e154,), 0.0),), weights=(1.0,), alpha=0.1)  # mse overflows first
    all_frozen = Setup(examples=DATA, weights=(0.1, 0.2), frozen=(True, True), alpha=0.1)
    seen = set()
    for setup in (frozen, batch, overflow, all_frozen):
        for alpha in (0.0, 0.1, 1e-300, 1e150, 1e300, 1.7e308):
            seen.add(assert_row_is_the_run(setup, run_alpha(setup, alpha)))
    assert {"diverged", "stalled"} <= seen


@pytest.mark.parametrize("order", ["cyclic", "shuffled"])
def test_tolerance_at_the_edge_of_the_reachable_mean_mse(order):
    # Examples no weights fit: the mean mse of a pass hovers just above the least mse, so
    # with a tolerance near it every window's mean is compared with the tolerance.
    from gdnode_gui.core.data_set_analysis import least_squares

    base = Setup(examples=DATA, weights=(0.1, 0.2), alpha=0.1, order=order, seed=3, max_steps=3000)
    _, least = least_squares(base)
    seen = set()
    for factor in (0.5, 0.9, 0.99, 1.0, 1.001, 1.01, 1.05, 1.2, 2.0):
        setup = base.replace(tolerance=least * factor)
        for row in sweep(setup, sweep_alphas(0.01, 0.6, 8)):
            seen.add(assert_row_is_the_run(setup, row))
    assert {"converged", "max_steps"} <= seen


def test_a_weight_that_stops_moving_without_stop_on_stall():
    # The sweep skips ahead once a step gives the very same weight; the rows must not show it.
    setup = seed_setup().replace(stop_on_stall=False, max_steps=5000)
    outcomes = {assert_row_is_the_run(setup, row) for row in sweep(setup, sweep_alphas(0, 2.2, 45))}
    assert outcomes == {"converged", "max_steps", "diverged"}
    # -0.0 becomes 0.0 at the first step (equal, but not the same float), then stays.
    signed = Setup(examples=(Example((0.0,), 1.0),), weights=(-0.0,), alpha=0.1, stop_on_stall=False)
    row = run_alpha(signed)
    assert assert_row_is_the_run(signed, row) == "max_steps"
    assert math.copysign(1.0, row.final_weights[0]) == 1.0


@st.composite
def setups(draw):
    n = draw(st.integers(1, 3))
    m = draw(st.integers(1, 4))
    number = st.floats(-3, 3, allow_nan=False, allow_subnormal=False)
    input_value = st.one_of(st.just(0.0), number)
    examples = tuple(Example(tuple(draw(input_value) for _ in range(n)), draw(number)) for _ in range(m))
    if draw(st.booleans()):  # goals some weights reach exactly: converged and stalled runs
        target = [draw(number) for _ in range(n)]
        examples = tuple(Example(e.inputs, sum(w * x for w, x in zip(target, e.inputs))) for e in examples)
    return Setup(
        examples=examples,
        weights=tuple(draw(number) for _ in range(n)),
        frozen=tuple(draw(st.booleans()) if n > 1 else False for _ in range(n)),
        alpha=0.1,
        max_steps=draw(st.sampled_from([1, 7, 200, 3000])),
        tolerance=draw(st.sampled_from([0.0, 0.0, 1e-9, 0.01, 0.5])),
        stop_on_stall=draw(st.booleans()),
        order=draw(st.sampled_from(["cyclic", "shuffled", "batch"])),
        seed=draw(st.integers(0, 1000)),
    )


ALPHAS = st.one_of(st.floats(0, 3), st.floats(0, 1e-3), st.floats(1, 1e300), st.just(0.0))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setups(), st.lists(ALPHAS, min_size=1, max_size=3))
def test_rows_equal_single_runs_for_random_setups_and_alphas(setup, alphas):
    for row in sweep(setup, alphas):
        assert_row_is_the_run(setup, row)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.05, 3), st.floats(-2, 2), st.floats(-2, 2), st.floats(0.02, 0.98))
def test_one_example_settles_below_the_cliff_and_grows_above(x, weight, goal, fraction):
    setup = Setup(examples=(Example((x, 0.5), goal),), weights=(weight, 0.1), alpha=0.1, max_steps=3000)
    delta = weight * x + 0.1 * 0.5 - goal
    if delta == 0:
        return
    setup = setup.replace(tolerance=delta**2 * 1e-12)
    cliff = alpha_marks(setup).cliff
    assert cliff == 2 / (x * x + 0.25) or math.isclose(cliff, 2 / (x * x + 0.25), rel_tol=1e-15)
    below = run_alpha(setup, fraction * cliff)
    assert below.outcome in ("converged", "stalled")
    above = run_alpha(setup, (2 - fraction) * cliff)  # mirrored above the cliff
    assert above.outcome == "diverged" or above.final_mse > delta**2


def test_alpha_marks_follow_the_closed_form():
    seed = seed_setup()
    marks = alpha_marks(seed)
    assert (marks.best, marks.cliff) == (1.0, 2.0)
    batch = Setup(examples=CONSISTENT, weights=(0.0, 0.0), alpha=0.1, order="batch")
    top = float(np.linalg.eigvalsh(np.array([e.inputs for e in CONSISTENT]).T
                                   @ np.array([e.inputs for e in CONSISTENT]) / 3).max())
    assert math.isclose(alpha_marks(batch).cliff, 2 / top, rel_tol=1e-12)
    cyclic = batch.replace(order="cyclic")
    assert alpha_marks(cyclic).cliff == 2 / 2.0  # the example (1, 1): sum(x**2) = 2
    nothing = Setup(examples=(Example((0.0,), 1.0),), weights=(0.0,), alpha=0.1)
    assert alpha_marks(nothing).cliff is None
    assert default_alphas(nothing)[-1] == 1.0


def test_default_alphas_reach_past_the_cliff():
    alphas = default_alphas(seed_setup())
    assert alphas[0] == 0.0 and len(alphas) == 61
    assert alphas[-1] == pytest.approx(2.2 * 2.0)


def test_cancel_stops_a_run_and_a_sweep():
    long = seed_setup().replace(stop_on_stall=False, max_steps=10_000_000)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    assert run_alpha(long, 1.5, cancelled) is None  # 1.5: the weight bounces for ever
    assert len(asked) == 3
    rows = list(sweep(long.replace(max_steps=10), [0.1, 0.2, 0.3], cancelled=lambda: False))
    assert len(rows) == 3
    assert list(sweep(long, [0.1, 0.2], cancelled=lambda: True)) == []


def test_best_measured_skips_alphas_that_do_not_learn():
    setup = seed_setup()
    rows = list(sweep(setup, [0.0, 0.5, 1.0, 1.5]))
    assert rows[0].steps == 1 and rows[0].outcome == "stalled"
    best = best_measured(rows, setup.weights)
    assert best.alpha == 1.0
    assert best_measured(rows) is rows[0]


# -- the spec --------------------------------------------------------------------------------------
def test_parse_sweep_spec():
    assert parse_sweep_spec("0:2:5") == (0.0, 2.0, 5)
    assert parse_sweep_spec("1e-3:0.5:2") == (0.001, 0.5, 2)
    assert parse_sweep_spec(f"0:1:{MAX_COUNT}")[2] == MAX_COUNT


BAD_SPECS = [
    ("1:0:5", "below"), ("1:1:5", "below"), ("-1:2:5", "negative"), ("0:2:1", "COUNT"),
    (f"0:2:{MAX_COUNT + 1}", "COUNT"), ("a:2:3", "not a number"), ("0:b:3", "not a number"),
    ("0:inf:3", "finite"), ("nan:1:3", "finite"), ("0:2", "FROM:TO:COUNT"), ("0:1:2:3", "FROM:TO:COUNT"),
    ("0:2:2.5", "whole"), ("0:2:x", "whole"), ("", "FROM:TO:COUNT"),
]


@pytest.mark.parametrize("spec, words", BAD_SPECS)
def test_bad_specs_are_refused(spec, words):
    with pytest.raises(SweepSpecError, match=words):
        parse_sweep_spec(spec)


# -- output ------------------------------------------------------------------------------------------
def test_csv_reads_back_exactly():
    setup = Setup(examples=DATA, weights=(0.1, 0.2), alpha=0.1, max_steps=500)
    rows = list(sweep(setup, sweep_alphas(0, 4, 9)))
    text = sweep_csv_text(rows, 2)
    stream = io.StringIO()
    write_sweep_csv_to(rows, 2, stream)
    assert stream.getvalue() == text
    lines = text.splitlines()
    assert lines[0] == "alpha,outcome,steps,final_mse,final_weight_1,final_weight_2"
    assert lines[0].split(",") == sweep_header(2)
    assert len(lines) == 1 + len(rows)
    for line, row in zip(lines[1:], rows):
        cells = line.split(",")
        assert float(cells[0]) == row.alpha and cells[1] == row.outcome and int(cells[2]) == row.steps
        assert same_float(float(cells[3]), row.final_mse)
        assert all(same_float(float(c), w) for c, w in zip(cells[4:], row.final_weights))


# -- the command ------------------------------------------------------------------------------------
def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_command_csv_rows_equal_single_runs(capsys):
    code, out, err = run_main(capsys, "--sweep-alpha", "0:2.5:11", "--csv", "-", "--steps", "400")
    assert code == 0
    setup = seed_setup().replace(max_steps=400)
    rows = list(sweep(setup, sweep_alphas(0, 2.5, 11)))
    assert out == sweep_csv_text(rows, 1)
    for row in rows:
        assert_row_is_the_run(setup, row)
    assert err.startswith("swept 11 alphas") and err.count("\n") == 1


def test_command_table_and_file(tmp_path, capsys):
    code, out, err = run_main(capsys, "--sweep-alpha", "0.5:1.5:3", "--order", "batch")
    rows = list(sweep(seed_setup().replace(order="batch"), [0.5, 1.0, 1.5]))
    assert code == 0 and out == sweep_table_text(rows, 1)
    assert out.splitlines()[0].split() == sweep_header(1)
    path = tmp_path / "sweep.csv"
    code, out, _ = run_main(capsys, "--sweep-alpha", "0.5:1.5:3", "--order", "batch", "--csv", str(path))
    assert code == 0 and out == ""
    assert path.read_bytes() == sweep_csv_text(rows, 1).encode("ascii")


@pytest.mark.parametrize("spec, words", BAD_SPECS[:-1])
def test_command_refuses_bad_specs_with_exit_2(spec, words, capsys):
    code, out, err = run_main(capsys, "--sweep-alpha", spec)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--sweep-alpha" in err and words in err
    assert "Traceback" not in err


def test_command_unwritable_csv_exits_1(tmp_path, capsys):
    code, _, err = run_main(capsys, "--sweep-alpha", "0:1:3", "--csv", str(tmp_path / "no" / "x.csv"))
    assert code == 1 and "does not exist" in err
