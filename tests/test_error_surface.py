"""The error surface: the bowl, the contour map and the run's path (gdnode_gui.ui.views.error_surface)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox

from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.resources import load_preset
from gdnode_gui.ui.views.error_surface import (
    MAX_PATH_DOTS, MAX_PATH_POINTS, ErrorSurface, PathSample, contour_levels, path_indices, plot_range,
)
from gdnode_gui.ui.style.theme import DARK, HIGH_CONTRAST, LIGHT


@pytest.fixture
def surface(qtbot) -> ErrorSurface:
    widget = ErrorSurface()
    qtbot.addWidget(widget)
    widget.resize(600, 450)
    widget.show()
    return widget


def start(widget: ErrorSurface, setup: Setup) -> Run:
    run = Run(setup)
    widget.set_setup(setup)
    widget.set_trace(run.trace)
    widget.refresh(0)
    return run


def test_controls_are_named(surface: ErrorSurface) -> None:
    for name in ("surfaceWeightXCombo", "surfaceWeightYCombo"):
        combo = surface.findChild(QComboBox, name)
        assert combo is not None and combo.accessibleName() and combo.toolTip()
    assert surface.plotWidget.objectName() == "errorSurfacePlot"


def test_one_weight_bowl_has_its_lowest_point_at_goal_over_input(surface: ErrorSurface) -> None:
    setup = Setup(examples=(Example((2.0,), 0.6),), weights=(0.4,), alpha=0.1)
    start(surface, setup)
    assert surface.chosen == (0, None)
    assert not surface.surfaceWeightXCombo.isVisible()
    x, y = surface.bowl.getData()
    lowest = x[np.argmin(y)]
    assert lowest == pytest.approx(0.3, abs=(x[1] - x[0]))  # goal / input
    assert surface.minimumLine.value() == pytest.approx(0.3)
    # the mean mse of the bowl is (w * x - goal)**2
    assert np.allclose(y, (x * 2.0 - 0.6) ** 2)
    assert x.min() < 0.3 < x.max() and x.min() < 0.4 < x.max()


def test_the_path_is_the_traces_weights_on_the_bowl(surface: ErrorSurface) -> None:
    run = start(surface, seed_setup())
    run.advance(10)
    surface.refresh(10)
    xs, ys = surface.path_data()
    assert list(xs) == list(run.trace.weight_path(0)[:11])
    assert list(xs[:4]) == [0.4, 0.42000000000000004, 0.43800000000000006, 0.45420000000000005]
    assert np.allclose(ys, (xs - 0.6) ** 2)
    last_x, _ = surface.lastDot.getData()
    assert list(last_x) == [run.trace.weight_path(0)[10]]
    assert surface.lastDot.opts["size"] > surface.pathDots.opts["size"]


def test_refresh_redraws_only_the_path_while_it_stays_inside(surface: ErrorSurface) -> None:
    run = start(surface, seed_setup())
    computed = surface.surface_computations
    for _ in range(30):
        run.advance(10)
        surface.refresh(run.n_steps)
    assert surface.surface_computations == computed


def test_the_surface_follows_a_path_that_leaves_it(surface: ErrorSurface) -> None:
    run = start(surface, load_preset("death-spiral"))
    low, high = surface._x_range
    run.advance(12)
    surface.refresh(run.n_steps)
    surface.refresh(run.n_steps)  # the settled refresh at the end of a burst redraws
    weights = run.trace.weight_path(0)[: run.n_steps + 1]
    new_low, new_high = surface._x_range
    assert new_low <= weights.min() and weights.max() <= new_high
    assert (new_low, new_high) != (low, high)


def test_a_long_run_is_downsampled(surface: ErrorSurface) -> None:
    setup = seed_setup().replace(stop_on_stall=False, max_steps=20_000)
    run = start(surface, setup)
    run.advance()
    surface.refresh(run.n_steps)
    xs, _ = surface.path_data()
    assert len(xs) <= MAX_PATH_POINTS
    dots, _ = surface.pathDots.getData()
    assert 0 < len(dots) <= MAX_PATH_DOTS and set(dots) <= set(xs)
    assert xs[0] == 0.4 and xs[-1] == run.trace.weight_path(0)[-1]
    assert list(surface.lastDot.getData()[0]) == [xs[-1]]
    indices = path_indices(20_001)
    assert indices[0] == 0 and indices[-1] == 20_000 and len(indices) <= MAX_PATH_POINTS


@given(cuts=st.lists(st.integers(1, 30_000), max_size=8), limit=st.integers(4, 300))
@settings(max_examples=100, deadline=None)
def test_the_path_is_thinned_the_same_whatever_the_refreshes(cuts, limit) -> None:
    sample = PathSample(limit)
    for n_points in sorted(cuts):
        sample.extend(n_points)
        chosen = sample.with_last(n_points)
        assert np.array_equal(chosen, path_indices(n_points, limit))
        assert len(chosen) <= limit and chosen[0] == 0 and chosen[-1] == n_points - 1
        assert np.all(np.diff(chosen) > 0)


def test_a_long_path_keeps_its_zigzag_and_its_drawn_points(surface: ErrorSurface) -> None:
    # alpha 2: r = -1, the weight bounces between 0.4 and 0.8 for ever, every step
    setup = Setup(examples=(Example((1.0,), 0.6),), weights=(0.4,), alpha=2.0, max_steps=300_000,
                  stop_on_stall=False)
    run = start(surface, setup)
    before = stride = None
    while run.n_steps < 300_000:
        run.advance(30_000)
        surface.refresh(run.n_steps)
        xs, ys = surface.path_data()
        assert len(xs) <= MAX_PATH_POINTS
        if surface._line.stride == stride:  # the points drawn before stay put (no flicker)
            assert np.array_equal(xs[: len(before) - 1], before[:-1])
        before, stride = xs, surface._line.stride
    assert stride > 1
    late = xs[len(xs) // 2 :]
    assert (late < 0.5).sum() > 100 and (late > 0.7).sum() > 100  # on both sides of the bowl
    assert np.allclose(ys, (xs - 0.6) ** 2)


def test_two_weights_draw_a_contour_map_with_the_path(surface: ErrorSurface) -> None:
    setup = load_preset("small-data-set")
    run = start(surface, setup)
    assert surface.chosen == (0, 1)
    assert surface.surfaceWeightXCombo.isVisible()
    assert surface.surface is not None and surface.surface.shape == (len(surface.grid_x), len(surface.grid_y))
    assert len(surface.isocurves) >= 5
    assert surface.image.image is not None
    # the lowest point is the hidden rule 0.3, 0.5
    mx, my = surface.minimumMarker.getData()
    assert mx[0] == pytest.approx(0.3) and my[0] == pytest.approx(0.5)
    a, b = np.unravel_index(np.argmin(surface.surface), surface.surface.shape)
    step = surface.grid_x[1] - surface.grid_x[0]
    assert abs(surface.grid_x[a] - 0.3) <= step and abs(surface.grid_y[b] - 0.5) <= step
    run.advance(20)
    surface.refresh(20)
    xs, ys = surface.path_data()
    assert list(xs) == list(run.trace.weight_path(0)[:21])
    assert list(ys) == list(run.trace.weight_path(1)[:21])


def test_choosing_other_weights_redraws(surface: ErrorSurface) -> None:
    setup = load_preset("several-inputs")
    run = start(surface, setup)
    run.advance(5)
    surface.refresh(5)
    computed = surface.surface_computations
    surface.surfaceWeightYCombo.setCurrentIndex(2)
    assert surface.chosen == (0, 2)
    assert surface.surface_computations == computed + 1
    xs, ys = surface.path_data()
    assert list(ys) == list(run.trace.weight_path(2)[:6])
    assert "weight_3" in surface.plotWidget.getPlotItem().getAxis("left").labelText


def test_frozen_weights_are_not_chosen_first(surface: ErrorSurface) -> None:
    start(surface, load_preset("frozen-weight"))
    assert surface.chosen == (1, 2)
    assert surface.valley  # one example: every point of a line fits


def test_contour_levels_are_log_spaced_above_the_floor() -> None:
    grid = np.add.outer(np.linspace(-1, 1, 21) ** 2, np.linspace(-1, 1, 21) ** 2) + 0.5
    levels = contour_levels(grid, 5)
    above = levels - 0.5
    ratios = above[1:] / above[:-1]
    assert np.allclose(ratios, ratios[0]) and ratios[0] > 1
    assert levels.min() > 0.5 and levels.max() < grid.max()
    assert contour_levels(np.zeros((3, 3))).size == 0


def test_plot_range_is_centred_and_never_empty() -> None:
    low, high = plot_range(0.6, [0.4, 0.6])
    assert low < 0.4 and high > 0.8 and (low + high) / 2 == pytest.approx(0.6)
    low, high = plot_range(1.0, [1.0])
    assert high > low
    low, high = plot_range(0.0, [float("inf"), 2.0])
    assert low < -2.0 and high > 2.0


def test_theme_and_zoom_change_colours_fonts_and_sizes(surface: ErrorSurface) -> None:
    start(surface, seed_setup())
    surface.apply_theme(DARK)
    assert surface.plotWidget.backgroundBrush().color().name() == QColor(DARK.background).name()
    assert surface.bowl.opts["pen"].color().name() == QColor(DARK.curves[0]).name()
    axis = surface.plotWidget.getPlotItem().getAxis("bottom")
    size = axis.style["tickFont"].pixelSize()
    dot = surface.lastDot.opts["size"]
    surface.apply_theme(HIGH_CONTRAST)
    width = surface.bowl.opts["pen"].widthF()
    surface.set_zoom(2.0)
    assert axis.style["tickFont"].pixelSize() >= 2 * size - 1
    assert surface.lastDot.opts["size"] == pytest.approx(2 * dot)
    assert surface.bowl.opts["pen"].widthF() == pytest.approx(2 * width)
    surface.apply_theme(LIGHT)
    assert surface.plotWidget.backgroundBrush().color().name() == QColor(LIGHT.background).name()


def test_a_diverged_run_does_not_break_the_plot(surface: ErrorSurface) -> None:
    run = start(surface, load_preset("death-spiral"))
    run.advance()
    assert run.outcome == "diverged"
    surface.refresh(run.n_steps)
    surface.refresh(run.n_steps)
    xs, ys = surface.path_data()
    assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))
    assert len(xs) > 0
    map_run = run_to_end(load_preset("small-data-set").replace(alpha=0.9))
    assert map_run.outcome == "diverged"
    surface.set_setup(map_run.setup)
    surface.set_trace(map_run.trace)
    surface.refresh(map_run.n_steps)
    surface.refresh(map_run.n_steps)
    xs, ys = surface.path_data()
    assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))


@pytest.mark.parametrize("weights, inputs, alpha", [
    ((1.7e308,), (1.0,), 0.1),
    ((-1e308,), (1e308,), 1e308),
    ((0.0, 1e300), (1e200, 0.0), 0.0),
    ((1e-300, -1e-300), (1e-300, 1e-300), 1.0),
    ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), 0.5),
])
def test_extreme_numbers_draw_without_errors(surface: ErrorSurface, weights, inputs, alpha) -> None:
    setup = Setup(examples=(Example(inputs, 1.0), Example(tuple(0.5 * x for x in inputs), -1.0)),
                  weights=weights, alpha=alpha, max_steps=50)
    run = start(surface, setup)
    run.advance()
    surface.refresh(run.n_steps)
    surface.refresh(run.n_steps)
    low, high = surface._x_range
    assert np.isfinite(low) and np.isfinite(high) and low < high
    surface.grab()


def test_lowest_point_is_the_least_squares_weights() -> None:
    from gdnode_gui.core.analysis import least_squares
    from gdnode_gui.ui.views.error_surface import lowest_point

    setup = load_preset("small-data-set")
    assert lowest_point(setup, 0, 1, setup.weights) == pytest.approx(least_squares(setup)[0])
    assert lowest_point(seed_setup(), 0, None, (0.4,)) == pytest.approx((0.6,))
    # one example, two weights: a valley, no single lowest point
    assert lowest_point(load_preset("several-inputs"), 0, 1, (0.1, 0.2, -0.1)) is None
    # an input of 0 everywhere: a flat line
    flat = Setup(examples=(Example((0.0,), 0.2),), weights=(0.4,), alpha=0.1)
    assert lowest_point(flat, 0, None, (0.4,)) is None
    # three weights, the third held: the slice's own lowest point
    three = Setup(examples=(Example((1.0, 0.0, 1.0), 1.0), Example((0.0, 1.0, 1.0), 2.0),
                            Example((1.0, 1.0, 0.0), 0.5)), weights=(0.0, 0.0, 0.5), alpha=0.1)
    a, b = lowest_point(three, 0, 1, (0.0, 0.0, 0.5))
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    target = np.array([1.0, 2.0, 0.5]) - np.array([1.0, 1.0, 0.0]) * 0.5
    expected, *_ = np.linalg.lstsq(x, target, rcond=None)
    assert (a, b) == pytest.approx(tuple(expected))
