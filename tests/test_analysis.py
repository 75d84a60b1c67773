"""The closed-form analysis against hand-made numbers and against real runs."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gdnode_gui.core import Example, Setup, run_to_end, seed_setup
from gdnode_gui.core import analysis
from gdnode_gui.resources import load_preset
from gdnode_gui.core.analysis import (
    REGIMES,
    Analysis,
    analyse,
    batch_eigenvalues,
    best_alpha,
    epoch_factor,
    factor_r,
    first_delta,
    float_stall_explanation,
    least_squares,
    max_stable_alpha,
    mean_mse,
    mse_surface,
    per_example_r,
    predicted_batch_steps,
    predicted_steps,
    regime,
    sum_x_squared,
)


def single(x, w, goal, alpha, **more) -> Setup:
    """A one-example setup."""
    x = tuple(float(v) for v in (x if isinstance(x, (list, tuple)) else [x]))
    w = tuple(float(v) for v in (w if isinstance(w, (list, tuple)) else [w]))
    return Setup(examples=(Example(x, goal),), weights=w, alpha=alpha, **more)


#: Four examples that no pair of weights fits exactly (min mse > 0).
NOISY = (
    Example((1.0, 2.0), 1.0),
    Example((3.0, 1.0), 2.0),
    Example((2.0, 2.0), 2.5),
    Example((0.5, -1.0), 0.0),
)
#: Three examples that weights (0.5, 0.25) fit exactly.
EXACT = (
    Example((1.0, 2.0), 1.0),
    Example((3.0, 1.0), 1.75),
    Example((2.0, 2.0), 1.5),
)


def batch(examples=NOISY, **more) -> Setup:
    values = dict(weights=(0.0, 0.0), alpha=0.05, order="batch", max_steps=100_000)
    values.update(more)
    return Setup(examples=examples, **values)


# -- the helpers, on hand-made numbers ---------------------------------------------------------
def test_sum_x_squared_counts_only_learning_weights():
    setup = single([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], 1.0, 0.1)
    assert sum_x_squared(setup) == 14.0
    assert sum_x_squared(setup.replace(frozen=(False, True, False))) == 10.0
    assert sum_x_squared(setup.replace(frozen=(True, True, True))) == 0.0
    two = Setup(examples=(Example((1.0,), 0.0), Example((3.0,), 0.0)), weights=(0.0,), alpha=0.1)
    assert sum_x_squared(two, 2) == 9.0
    with pytest.raises(IndexError):
        sum_x_squared(two, 3)


def test_factor_r_and_regime_words():
    assert factor_r(0.1, 1.0) == 0.9
    assert factor_r(0.25, 4.0) == 0.0
    assert factor_r(0.0, math.inf) == 1.0  # alpha 0: nothing learns, never nan
    assert factor_r(0.5, 0.0) == 1.0
    assert factor_r(1e300, 1e300) == -math.inf
    assert regime(0.9) == "steady"
    assert regime(1e-300) == "steady"
    assert regime(0.0) == "one step"
    assert regime(-0.5) == "oscillating"
    assert regime(-1.0) == "bouncing"
    assert regime(-1.5) == "diverging"
    assert regime(1.5) == "diverging"
    assert regime(-math.inf) == "diverging"
    assert regime(math.nan) == "diverging"
    assert regime(1.0) == "not learning"
    assert set(map(regime, (0.5, 0.0, -0.5, -1.0, -2.0, 1.0))) == set(REGIMES)


def test_alpha_limits():
    assert max_stable_alpha(1.0) == 2.0
    assert best_alpha(1.0) == 1.0
    assert max_stable_alpha(4.0) == 0.5
    assert best_alpha(4.0) == 0.25
    assert max_stable_alpha(0.0) == math.inf
    assert best_alpha(0.0) == math.inf


def test_predicted_steps_by_hand():
    # mse of step k is (delta1 * r**(k-1))**2: 0.04, 0.0324, 0.026244, ...
    assert predicted_steps(-0.2, 0.9, 0.05) == 1  # 0.04 is below already
    assert predicted_steps(-0.2, 0.9, 0.04) == 2  # 0.04 is not below 0.04; 0.0324 is
    assert predicted_steps(-0.2, 0.9, 0.0324001) == 2
    assert predicted_steps(-0.2, 0.9, 0.0324) == 3
    assert predicted_steps(1.0, 0.5, 0.25 ** 3) == 5  # 1, 1/4, 1/16, 1/64, 1/256
    assert predicted_steps(1.0, -0.5, 0.25 ** 3) == 5  # the sign of r does not matter
    # the closed form itself: s = 1 + floor(log(tol / d**2) / log(r**2)) + 1
    d, r, tol = 0.7, 0.93, 1e-9
    assert predicted_steps(d, r, tol) == 2 + math.floor(math.log(tol / d**2) / math.log(r**2))


@pytest.mark.parametrize(
    "delta1, r, tolerance, expected",
    [
        (0.0, 0.9, 0.0, 1),  # already at the goal: mse 0 at step 1
        (0.0, -3.0, 0.0, 1),
        (1e-200, 0.9, 0.0, 1),  # delta**2 underflows to 0, as in the run
        (0.5, 0.0, 0.0, 2),  # one step: step 2 has delta 0
        (0.5, 0.0, 1e-3, 2),
        (0.5, 0.0, 1.0, 1),
        (0.5, 0.9, 0.0, None),  # tolerance 0: delta only shrinks towards 0
        (0.5, 1.0, 1e-3, None),  # not learning
        (0.5, -1.0, 1e-3, None),  # bouncing
        (0.5, -1.0, 1.0, 1),  # ... but already below the tolerance at step 1
        (0.5, -1.5, 1e-3, None),  # diverging
        (1e200, 0.5, 1e-3, None),  # delta**2 overflows: the first step diverges
    ],
)
def test_predicted_steps_edges(delta1, r, tolerance, expected):
    assert predicted_steps(delta1, r, tolerance) == expected


def test_predicted_steps_refuses_nonsense():
    with pytest.raises(ValueError):
        predicted_steps(0.1, 0.5, -1.0)
    with pytest.raises(ValueError):
        predicted_steps(math.nan, 0.5, 1e-3)


def test_first_delta_is_the_runs_first_delta():
    setup = single([0.1, 0.2, 0.3], [0.7, -0.3, 0.11], 0.05, 0.1)
    run = run_to_end(setup.replace(max_steps=1))
    assert first_delta(setup) == run.trace.delta[0]


# -- every regime on a real run -------------------------------------------------------------
def deltas_of(setup: Setup) -> np.ndarray:
    return run_to_end(setup).trace.delta.copy()


def test_steady_on_the_seed():
    setup = seed_setup()
    a = analyse(setup)
    assert isinstance(a, Analysis)
    assert (a.sum_x_squared, a.r, a.regime) == (1.0, 0.9, "steady")
    assert a.regime_sentence == (
        "Each step shrinks delta to 0.9 of itself: the weight creeps steadily towards the goal."
    )
    assert (a.max_stable_alpha, a.best_alpha) == (2.0, 1.0)
    assert a.will_diverge is False
    assert a.predicted_steps is None  # the seed's tolerance is 0: it stalls instead
    assert a.least_squares_weights == pytest.approx((0.6,)) and a.min_mse == 0.0 and a.fits_exactly
    d = deltas_of(setup)[:300]
    assert np.all(d < 0)  # delta keeps its sign ...
    assert np.all(np.abs(d[1:]) < np.abs(d[:-1]))  # ... and shrinks
    assert np.allclose(d[1:20] / d[:19], 0.9)


def test_oscillating():
    setup = single(1.0, 0.4, 0.6, 1.5, max_steps=40)
    a = analyse(setup)
    assert (a.r, a.regime, a.will_diverge) == (-0.5, "oscillating", False)
    assert "flips the sign of delta" in a.regime_sentence
    d = deltas_of(setup)[:30]
    assert np.all(np.sign(d[1:]) == -np.sign(d[:-1]))
    assert np.all(np.abs(d[1:]) < np.abs(d[:-1]))
    assert np.allclose(d[1:] / d[:-1], -0.5)


def test_one_step():
    setup = single(2.0, 0.0, 1.0, 0.25)
    a = analyse(setup)
    assert (a.sum_x_squared, a.r, a.regime) == (4.0, 0.0, "one step")
    assert a.best_alpha == 0.25 and a.max_stable_alpha == 0.5
    assert a.predicted_steps == 2
    run = run_to_end(setup)
    assert run.trace.delta[0] == -1.0 and run.trace.delta[1] == 0.0
    assert (run.outcome, run.n_steps) == ("converged", 2)


def test_bouncing():
    setup = single(1.0, 0.5, 1.0, 2.0, max_steps=200, stop_on_stall=False)
    a = analyse(setup)
    assert (a.r, a.regime, a.will_diverge, a.predicted_steps) == (-1.0, "bouncing", False, None)
    assert a.max_stable_alpha == setup.alpha  # right on the limit
    run = run_to_end(setup)
    d = run.trace.delta
    assert np.all(np.abs(d) == 0.5)
    assert np.all(np.sign(d[1:]) == -np.sign(d[:-1]))
    assert run.outcome == "max_steps"


def test_diverging():
    setup = single(1.0, 0.4, 0.6, 2.5, max_steps=10_000)
    a = analyse(setup)
    assert (a.r, a.regime, a.will_diverge) == (-1.5, "diverging", True)
    assert a.alpha > a.max_stable_alpha
    run = run_to_end(setup)
    assert run.outcome == "diverged"
    d = run.trace.delta[:50]
    assert np.all(np.abs(d[1:]) > np.abs(d[:-1]))


def test_diverging_needs_a_delta():
    # Starting exactly at the goal nothing moves, whatever alpha.
    a = analyse(single(1.0, 0.5, 0.5, 10.0))
    assert a.regime == "diverging" and not a.will_diverge and a.predicted_steps == 1


def test_first_mse_overflowing_diverges_at_once():
    setup = single(1e200, 1.0, 0.0, 0.0)
    a = analyse(setup)
    assert a.will_diverge and a.predicted_steps is None
    assert run_to_end(setup).outcome == "diverged"


@pytest.mark.parametrize(
    "setup, reason",
    [
        (single(1.0, 0.4, 0.6, 0.0), "alpha is 0"),
        (single(0.0, 0.4, 0.6, 0.1), "every input of a learning weight is 0"),
        (single([1.0, 2.0], [0.4, 0.1], 0.6, 0.1, frozen=(True, True)), "every weight is frozen"),
    ],
)
def test_not_learning(setup, reason):
    a = analyse(setup.replace(max_steps=20, stop_on_stall=False))
    assert (a.r, a.regime, a.will_diverge, a.predicted_steps) == (1.0, "not learning", False, None)
    assert reason in a.regime_sentence
    d = deltas_of(setup.replace(max_steps=20, stop_on_stall=False))
    assert np.all(d == d[0])
    assert run_to_end(setup.replace(max_steps=20)).outcome == "stalled"


def test_frozen_weights_leave_the_sum():
    # inputs (1, 2): with both learning, alpha 0.2 is one step (r = 1 - 0.2 * 5 = 0);
    # with the second weight frozen only 1**2 counts: r = 0.8.
    setup = single([1.0, 2.0], [0.1, 0.3], 1.0, 0.2, max_steps=30)
    assert analyse(setup).regime == "one step"
    frozen = setup.replace(frozen=(False, True))
    a = analyse(frozen)
    assert (a.sum_x_squared, a.r, a.regime) == (1.0, 0.8, "steady")
    d = deltas_of(frozen)
    assert np.allclose(d[1:] / d[:-1], 0.8)
    assert a.least_squares_weights == pytest.approx((0.4, 0.3))  # the frozen one stays 0.3


# -- predicted steps against measured runs ------------------------------------------------------
def measured_converged_step(setup: Setup, tolerance: float) -> int:
    run = run_to_end(setup.replace(tolerance=tolerance, stop_on_stall=False, max_steps=1_000_000))
    assert run.outcome == "converged"
    return run.n_steps


@pytest.mark.parametrize(
    "setup, tolerance, expected",
    [
        (seed_setup(), 1e-10, 95),
        (seed_setup(), 1e-20, 205),
        (seed_setup(), 1e-30, 314),
        (seed_setup().replace(alpha=0.01), 1e-10, 987),
        (seed_setup().replace(alpha=1.9), 1e-10, 95),  # r = -0.9: the same sizes as 0.9
        (seed_setup().replace(alpha=0.7), 1e-12, 12),
        (single([0.5, -1.5, 2.0], [0.3, 0.2, -0.1], 1.25, 0.05), 1e-14, 44),
        (single([3.0, 0.2], [0.0, 0.0], -2.0, 0.1, frozen=(False, True)), 1e-16, 10),
    ],
)
def test_predicted_steps_match_runs(setup, tolerance, expected):
    a = analyse(setup, tolerance)
    assert a.tolerance == tolerance
    measured = measured_converged_step(setup, tolerance)
    assert abs(a.predicted_steps - measured) <= 1
    assert measured == expected  # the figures reported with this module


def test_seed_stalls_before_the_closed_form_converges():
    # In exact arithmetic the seed's mse falls below 1e-31 at step 325; in floats the
    # weight stalls at step 318 with mse 3.1e-31, and a run with that tolerance never ends
    # converged.
    assert analyse(seed_setup(), 1e-31).predicted_steps == 325
    run = run_to_end(seed_setup())
    assert (run.outcome, run.n_steps) == ("stalled", 318)
    assert run.trace.mse[-1] == pytest.approx(3.08e-31, rel=1e-2)
    assert run_to_end(seed_setup().replace(tolerance=1e-31)).outcome == "stalled"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 3),
    data=st.data(),
    r=st.floats(0.02, 0.98),
    drop=st.floats(0.5, 20.0),
    negative=st.booleans(),
)
def test_predicted_steps_within_one_of_random_runs(n, data, r, drop, negative):
    """Random one-example setups with 0 < |r| < 1: the prediction is within one step."""
    inputs = data.draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n))
    weights = data.draw(st.lists(st.floats(-2, 2), min_size=n, max_size=n))
    goal = data.draw(st.floats(-2, 2))
    s = math.fsum(x * x for x in inputs)
    assume(s > 1e-3)
    factor = -r if negative else r
    setup = single(inputs, weights, goal, (1 - factor) / s)
    a = analyse(setup)
    assume(a.regime in ("steady", "oscillating"))
    delta1 = first_delta(setup)
    assume(abs(delta1) > 1e-6)
    tolerance = delta1**2 * 10.0 ** (-drop)
    # Stay well above float noise, which near the goal is about eps * scale / (1 - |r|).
    scale = abs(goal) + sum(abs(x) * (abs(w) + 3) for x, w in zip(inputs, weights))
    assume(math.sqrt(tolerance) > 1e-10 * scale / (1 - abs(a.r)))
    predicted = analyse(setup, tolerance).predicted_steps
    assume(predicted is not None and predicted < 50_000)
    assert abs(predicted - measured_converged_step(setup, tolerance)) <= 1


# -- several examples ------------------------------------------------------------------------
def test_batch_eigenvalues_and_limits():
    setup = batch()
    x = np.array([e.inputs for e in NOISY])
    expected = np.linalg.eigvalsh(x.T @ x / 4)
    assert np.allclose(batch_eigenvalues(setup), expected)
    a = analyse(setup)
    assert a.lambda_max == pytest.approx(expected[-1]) and a.lambda_min == pytest.approx(expected[0])
    assert a.max_stable_alpha == pytest.approx(2 / expected[-1])
    assert a.best_alpha == pytest.approx(2 / (expected[0] + expected[-1]))
    assert a.r_at_lambda_max == pytest.approx(1 - 0.05 * expected[-1])
    assert a.r_at_lambda_min == pytest.approx(1 - 0.05 * expected[0])
    assert a.r == a.r_at_lambda_min  # the slow direction decides at this small alpha
    assert a.regime == "steady" and not a.will_diverge
    at_best = analyse(setup.replace(alpha=a.best_alpha))
    assert at_best.r_at_lambda_max == pytest.approx(-at_best.r_at_lambda_min)
    fast = analyse(setup.replace(alpha=0.9 * a.max_stable_alpha))
    assert fast.regime == "oscillating" and fast.r == fast.r_at_lambda_max


def test_batch_frozen_column_is_left_out():
    setup = batch(frozen=(False, True))
    assert batch_eigenvalues(setup) == pytest.approx([np.mean([e.inputs[0] ** 2 for e in NOISY])])


@pytest.mark.parametrize("factor, diverges", [(0.98, False), (1.02, True)])
def test_batch_stability_boundary(factor, diverges):
    setup = batch()
    limit = analyse(setup).max_stable_alpha
    tried = setup.replace(alpha=factor * limit)
    a = analyse(tried)
    assert a.will_diverge is diverges
    assert a.regime == ("diverging" if diverges else "oscillating")
    run = run_to_end(tried)
    assert (run.outcome == "diverged") is diverges
    if not diverges:
        # It settles at the least-squares weights (oscillating inside the last bits).
        assert run.weights == pytest.approx(a.least_squares_weights, abs=1e-9)


def test_least_squares_and_min_mse():
    weights, min_mse = least_squares(batch())
    x = np.array([e.inputs for e in NOISY])
    g = np.array([e.goal for e in NOISY])
    expected, *_ = np.linalg.lstsq(x, g, rcond=None)
    assert weights == pytest.approx(tuple(expected))
    assert min_mse == pytest.approx(np.mean((x @ expected - g) ** 2))
    assert min_mse > 0.1  # these examples cannot all be fitted
    a = analyse(batch(EXACT))
    assert a.fits_exactly and a.min_mse == 0.0
    assert a.least_squares_weights == pytest.approx((0.5, 0.25))
    assert mean_mse(batch(EXACT), (0.5, 0.25)) == 0.0


def test_least_squares_nearest_the_start_when_underdetermined():
    # One example, two weights: a whole line of weights fits; descent goes to the nearest.
    setup = single([1.0, 1.0], [0.3, 0.1], 1.0, 0.1, order="batch", max_steps=10_000)
    weights, min_mse = least_squares(setup)
    assert weights == pytest.approx((0.6, 0.4)) and min_mse == pytest.approx(0.0, abs=1e-30)
    run = run_to_end(setup)
    assert run.weights == pytest.approx(weights)


@pytest.mark.parametrize(
    "examples, alpha, tolerance",
    [
        (NOISY, 0.02, 0.11410242348754447),
        (NOISY, 0.05, 0.11410142448754447),
        (NOISY, 0.1, 0.5),
        (NOISY, 0.3, 0.115),
        (EXACT, 0.05, 1e-6),
        (EXACT, 0.05, 1e-20),
        (EXACT, 0.2, 1e-12),
    ],
)
def test_predicted_batch_steps_match_runs(examples, alpha, tolerance):
    setup = batch(examples, alpha=alpha)
    predicted = analyse(setup, tolerance).predicted_steps
    assert predicted == predicted_batch_steps(setup, tolerance)
    assert abs(predicted - measured_converged_step(setup, tolerance)) <= 1


def test_predicted_batch_steps_never():
    setup = batch()
    _, min_mse = least_squares(setup)
    assert predicted_batch_steps(setup, min_mse * 0.99) is None  # below what is reachable
    assert predicted_batch_steps(setup, 0.0) is None
    assert predicted_batch_steps(setup.replace(alpha=1.0), 0.2) is None  # diverges
    assert predicted_batch_steps(setup, 100.0) == 1


def test_one_example_in_batch_order_is_the_one_example_case():
    setup = seed_setup().replace(order="batch")
    a = analyse(setup, 1e-10)
    assert (a.lambda_max, a.r, a.regime, a.predicted_steps) == (1.0, 0.9, "steady", 95)
    assert predicted_batch_steps(setup, 1e-10) == 95


def test_cyclic_per_example_r_and_worst():
    setup = Setup(examples=NOISY, weights=(0.0, 0.0), alpha=0.05)
    a = analyse(setup)
    assert per_example_r(setup) == (0.75, 0.5, 0.6, 0.9375) == a.per_example_r
    assert a.worst_example == 4 and a.worst_r == 0.9375 and a.regime == "steady"
    assert a.max_stable_alpha == 2 / 10 and a.best_alpha == 1 / 10  # example 2: 9 + 1
    assert a.predicted_steps is None  # no closed form with several examples one at a time
    assert "example 4" in a.regime_sentence


def test_cyclic_epoch_factor_decides_divergence():
    # One weight: examples with inputs 1 and 0.5, alpha 2.5: r = -1.5 and 0.375.
    # Example 1 alone would blow up, but a pass multiplies the error by 0.5625.
    setup = Setup(examples=(Example((1.0,), 0.0), Example((0.5,), 0.5)), weights=(0.0,),
                  alpha=2.5, max_steps=5000)
    a = analyse(setup)
    assert a.per_example_r == (-1.5, 0.375) and a.regime == "diverging"
    assert a.epoch_factor == pytest.approx(0.5625)
    assert not a.will_diverge and "does not blow up" in a.regime_sentence
    assert run_to_end(setup).outcome != "diverged"
    assert run_to_end(setup.replace(order="shuffled")).outcome != "diverged"
    # alpha 6: r = -5 and -0.5, a pass multiplies the error by 2.5.
    worse = analyse(setup.replace(alpha=6.0))
    assert worse.epoch_factor == pytest.approx(2.5) and worse.will_diverge
    assert "blows up" in worse.regime_sentence
    assert run_to_end(setup.replace(alpha=6.0)).outcome == "diverged"
    assert run_to_end(setup.replace(alpha=6.0, order="shuffled")).outcome == "diverged"


@pytest.mark.parametrize("alpha, diverges", [(0.2, False), (0.3, True)])
def test_cyclic_epoch_factor_with_two_weights(alpha, diverges):
    setup = Setup(examples=NOISY, weights=(0.0, 0.0), alpha=alpha, max_steps=100_000)
    factor = epoch_factor(setup)
    x = np.array([e.inputs for e in NOISY])
    product = np.eye(2)
    for row in x:
        product = (np.eye(2) - alpha * np.outer(row, row)) @ product
    assert factor == pytest.approx(max(abs(np.linalg.eigvals(product))))
    a = analyse(setup)
    assert a.will_diverge is diverges
    assert (run_to_end(setup).outcome == "diverged") is diverges
    assert epoch_factor(setup.replace(order="shuffled")) is None


def test_all_deltas_zero_converges_after_one_pass():
    setup = Setup(examples=EXACT, weights=(0.5, 0.25), alpha=0.1)
    a = analyse(setup)
    assert a.predicted_steps == 3
    run = run_to_end(setup)
    assert (run.outcome, run.n_steps) == ("converged", 3)


# -- the error bowl ---------------------------------------------------------------------------
def brute_force_mse(setup: Setup, weights) -> float:
    x = np.array([e.inputs for e in setup.examples])
    g = np.array([e.goal for e in setup.examples])
    return float(np.mean((x @ np.array(weights) - g) ** 2))


def test_mse_surface_1d_is_the_seed_parabola():
    setup = seed_setup()
    grid = np.linspace(0.0, 1.2, 121)
    surface = mse_surface(setup, grid, 0)
    assert surface.shape == grid.shape
    assert np.allclose(surface, (grid - 0.6) ** 2, atol=1e-15)
    assert grid[np.argmin(surface)] == pytest.approx(0.6)
    assert surface.min() >= 0


def test_mse_surface_2d_minimum_at_least_squares():
    setup = batch()
    best, min_mse = least_squares(setup)
    gi = np.linspace(best[0] - 1, best[0] + 1, 201)
    gj = np.linspace(best[1] - 1, best[1] + 1, 161)
    surface = mse_surface(setup, gi, 0, 1, gj)
    assert surface.shape == (201, 161)
    a, b = np.unravel_index(np.argmin(surface), surface.shape)
    assert (gi[a], gj[b]) == pytest.approx(best, abs=1e-9)  # the grids are centred on it
    assert surface[a, b] == pytest.approx(min_mse)
    # against the plain definition at scattered points, also through np.meshgrid
    wi, wj = np.meshgrid(gi[::40], gj[::40])
    meshed = mse_surface(setup, wi, 0, 1, wj)
    for p, q, value in zip(wi.ravel(), wj.ravel(), meshed.ravel()):
        assert value == pytest.approx(brute_force_mse(setup, (p, q)), rel=1e-12)


def test_mse_surface_holds_the_other_weights():
    examples = (Example((1.0, 2.0, -1.0), 1.0), Example((0.5, 1.0, 3.0), -2.0),
                Example((2.0, 0.0, 1.0), 0.5))
    setup = Setup(examples=examples, weights=(0.1, 0.2, 0.3), alpha=0.01)
    grid = np.linspace(-2, 2, 9)
    fixed = (0.7, -0.4, 0.25)
    one = mse_surface(setup, grid, 1, fixed_weights=fixed)
    for w, value in zip(grid, one):
        assert value == pytest.approx(brute_force_mse(setup, (0.7, w, 0.25)), rel=1e-12)
    two = mse_surface(setup, grid, 2, 0, grid[:5], fixed_weights=fixed)
    assert two.shape == (9, 5)
    assert two[3, 4] == pytest.approx(brute_force_mse(setup, (grid[4], -0.4, grid[3])), rel=1e-12)
    with pytest.raises(IndexError):
        mse_surface(setup, grid, 3)
    with pytest.raises(IndexError):
        mse_surface(setup, grid, 1, 1, grid)
    with pytest.raises(ValueError):
        mse_surface(setup, grid, 1, 2)


def test_mse_surface_is_fast_for_many_examples():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10_000, 2))
    examples = tuple(Example(tuple(row), float(row @ (0.3, -0.2) + 0.01 * rng.normal()))
                     for row in x)
    setup = Setup(examples=examples, weights=(0.0, 0.0), alpha=0.01, order="batch")
    grid = np.linspace(-1, 1, 300)
    surface = mse_surface(setup, grid, 0, 1, grid)  # 90,000 points x 10,000 examples
    best, min_mse = least_squares(setup)
    assert surface.min() >= min_mse * (1 - 1e-9)


# -- floating point --------------------------------------------------------------------------
def test_float_stall_explanation_for_the_seed():
    run = run_to_end(seed_setup())
    assert (run.outcome, run.n_steps) == ("stalled", 318)
    last = run.trace.row(318)
    weight, alpha_delta = last["weight_1"], last["alpha_delta_1"]
    assert weight == 0.5999999999999994 == last["new_weight_1"]
    # The update is exactly half the gap between floats near 0.6: a tie, which rounds
    # to the float whose last bit is even, the weight itself.
    assert abs(alpha_delta) == math.ulp(weight) / 2 == 2.0**-54
    sentence = float_stall_explanation(weight, alpha_delta)
    assert sentence == (
        "The weight stays at 0.5999999999999994: the update alpha_delta (5.55e\u221217) is exactly "
        "half the gap between neighbouring floats near 0.6 (1.11e\u221216); such a tie rounds to the "
        "float whose last bit is even, which is the weight itself."
    )
    # One step earlier the update (6.7e-17) was more than half the spacing: the weight moved.
    before = run.trace.row(317)
    assert abs(before["alpha_delta_1"]) > math.ulp(0.6) / 2
    assert float_stall_explanation(before["weight_1"], before["alpha_delta_1"]) is None


def test_float_stall_explanation_smaller_than_half():
    sentence = float_stall_explanation(0.6, 2e-17)
    assert sentence == ("The weight stays at 0.6: the update alpha_delta (2e\u221217) is smaller than "
                        "half the gap between neighbouring floats near 0.6 (1.11e\u221216), so "
                        "weight \u2212 alpha_delta rounds back to the same weight.")
    # Just below a power of two the floats are twice as close as above it: what counts is
    # the gap in the direction the update pushes, not math.ulp(weight) alone.
    assert math.ulp(1.0) / 2 == 2.0**-53
    assert float_stall_explanation(1.0, -1e-16) is not None and 1.0 + 1e-16 == 1.0  # up
    assert float_stall_explanation(1.0, 1e-16) is None and 1.0 - 1e-16 != 1.0  # down
    assert "smaller than half the gap between neighbouring floats near 1 (1.11e\u221216)" in \
        float_stall_explanation(1.0, 3e-17)
    assert float_stall_explanation(0.6, 0.0) is None  # no update: nothing to explain
    assert float_stall_explanation(0.6, 1e-3) is None  # the weight moves
    assert float_stall_explanation(math.inf, 1e-3) is None


# -- the core stays free of Qt ----------------------------------------------------------------
def test_analysis_imports_no_qt():
    tree = ast.parse(Path(analysis.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    assert names <= {"__future__", "math", "dataclasses", "typing", "numpy"}


# -- any setup ---------------------------------------------------------------------------------
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 4),
    m=st.integers(1, 5),
    order=st.sampled_from(["cyclic", "shuffled", "batch"]),
    alpha=st.one_of(st.just(0.0), st.floats(1e-3, 10.0)),
    data=st.data(),
)
def test_analyse_any_setup_and_divergence_agrees_with_the_run(n, m, order, alpha, data):
    number = st.floats(-3, 3, allow_subnormal=False)
    examples = tuple(
        Example(tuple(data.draw(st.lists(number, min_size=n, max_size=n))), data.draw(number))
        for _ in range(m)
    )
    setup = Setup(
        examples=examples,
        weights=tuple(data.draw(st.lists(number, min_size=n, max_size=n))),
        frozen=tuple(data.draw(st.lists(st.booleans(), min_size=n, max_size=n))),
        alpha=alpha, order=order, max_steps=60_000, stop_on_stall=False,
        tolerance=data.draw(st.sampled_from([0.0, 1e-6])),
    )
    a = analyse(setup)
    assert a.regime in REGIMES and a.regime_sentence.endswith(".")
    assert len(a.per_example_r) == m and 1 <= a.worst_example <= m
    assert a.min_mse >= 0 and a.min_mse <= a.initial_mse * (1 + 1e-9) + 1e-300
    assert a.max_stable_alpha >= a.best_alpha > 0
    if a.regime == "not learning":
        assert not a.will_diverge
    factor = a.epoch_factor
    if factor is None or abs(factor - 1) < 0.05 or (a.will_diverge and a.initial_mse < 1e-12):
        return  # too slow to tell within max_steps, or no closed form (shuffled, 2+ weights)
    learning = [i for i in range(n) if not setup.frozen[i]]

    def fitted_for_ever(e: Example) -> bool:  # its mse never changes and already ends a run
        mse = (sum(w * x for w, x in zip(setup.weights, e.inputs)) - e.goal) ** 2
        return all(e.inputs[i] == 0 for i in learning) and (mse == 0 or mse < setup.tolerance)

    if order == "shuffled" and m > 1 and any(fitted_for_ever(e) for e in examples):
        # Such an example's mse stays 0 (or under the tolerance) at every step; shuffled, two
        # of its steps can meet across an epoch boundary, and a window of m such steps ends the
        # run converged (DESIGN's rule), whatever the epoch product says about the others.
        return
    run = run_to_end(setup)
    assert (run.outcome == "diverged") is a.will_diverge
    if a.predicted_steps is not None and a.regime != "not learning" and setup.tolerance > 0:
        if run.outcome == "converged":
            assert abs(run.n_steps - a.predicted_steps) <= 1


def test_an_example_with_input_zero_does_not_make_a_data_set_not_learning():
    """The three little pigs: straw (input 0) cannot teach, stick and stone can."""
    from gdnode_gui.resources import load_preset

    pigs = load_preset("three-little-pigs")
    result = analyse(pigs)
    assert result.regime == "steady"
    assert result.worst_example == 2  # stick: r = 1 - 0.1 * 1 = 0.9
    run = run_to_end(pigs)
    assert run.trace.weight_path(0)[-1] != pigs.weights[0]


# -- plain words first, the mathematics in details (issue 13) ---------------------------------------
def test_batch_sentence_is_plain_and_the_eigenvalues_are_in_details():
    pigs = load_preset("three-little-pigs").replace(order="batch")
    a = analyse(pigs)
    assert a.regime == "steady"
    for word in ("λ", "XᵀX", "X^T X", "eigen", "direction", "steepest", "gentlest"):
        assert word not in a.regime_sentence, word
    assert a.regime_sentence.startswith("Each step learns from all 3 examples at once")
    assert "0.833" in a.regime_sentence and a.regime_sentence.count("0.833") == 1
    # one weight: one direction, said once
    assert "λ = 1.67" in a.details and "XᵀX ÷ 3" in a.details and "0.833" in a.details
    assert "gentlest" not in a.details
    two = analyse(load_preset("small-data-set").replace(order="batch"))
    assert "λ" not in two.regime_sentence and "0.93" in two.regime_sentence
    assert "λmax = " in two.details and "λmin = " in two.details and "0.768" in two.details
    assert "gentlest" in two.details


def test_details_of_one_example_and_of_examples_in_turn():
    a = analyse(seed_setup())
    assert a.details.startswith("r = 1 \u2212 alpha × Σx² = 1 \u2212 0.1 × 1 = 0.9")
    b = analyse(load_preset("small-data-set"))
    assert b.details.startswith("Each example on its own: r = 1 \u2212 alpha × its Σx² = ")


def test_sentences_write_numbers_one_way():
    spiral = analyse(load_preset("death-spiral"))
    assert "by \u22121.4:" in spiral.regime_sentence  # a real minus sign, 3 digits
    nothing = analyse(seed_setup().replace(alpha=0.0))
    assert "infinity" not in nothing.regime_sentence + nothing.details
