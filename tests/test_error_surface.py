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


# -- issue 13: the step shown, the draggable start, the slope, kept runs ------------------------------
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QImage, QMouseEvent, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gdnode_gui.core.data_set_analysis import mse_slopes, round_to_span, same_error_surface  # noqa: E402
from gdnode_gui.core.frame import Frame, preview_row  # noqa: E402
from gdnode_gui.core.number_text import maths, short  # noqa: E402
from gdnode_gui.ui.style.zoom import set_application_zoom  # noqa: E402
from gdnode_gui.ui.views.surface_marks import label_spot, obstacle_points, screen_direction  # noqa: E402


def show(widget: ErrorSurface, run: Run, shown: int = -1, running: bool = False) -> Frame:
    frame = Frame(run.setup, run.trace, run.n_steps, None, shown, running)
    widget.show_frame(frame)
    return frame


def test_round_to_span_keeps_three_digits_of_the_span() -> None:
    assert round_to_span(0.2503918, 1.6) == 0.25
    assert round_to_span(0.2503918, 0.52) == 0.25
    assert round_to_span(0.2563918, 0.52) == 0.256
    assert round_to_span(123.456, 400) == 123.0
    assert round_to_span(-0.0001, 2.0) == 0.0 and str(round_to_span(-0.0001, 2.0)) == "0.0"
    assert round_to_span(1.5, 0.0) == 1.5 and round_to_span(1.5, float("nan")) == 1.5
    assert round_to_span(float("inf"), 1.0) == float("inf")


def test_the_slope_is_twice_weighted_delta_exactly() -> None:
    run = Run(load_preset("small-data-set"))
    run.advance(3)
    row = run.trace.row(3)
    slopes = mse_slopes(row, 2)
    assert slopes == (2 * row["weighted_delta_1"], 2 * row["weighted_delta_2"])
    # the slope of the mse, numerically: (mse(w + h) - mse(w - h)) / 2h for the step's example
    x = np.array(run.setup.examples[row["example"] - 1].inputs)
    goal = run.setup.examples[row["example"] - 1].goal
    w = np.array([row["weight_1"], row["weight_2"]])
    h = 1e-6
    numeric = [(((w + h * e) @ x - goal) ** 2 - ((w - h * e) @ x - goal) ** 2) / (2 * h) for e in np.eye(2)]
    assert numeric == pytest.approx(slopes, rel=1e-6)


def test_same_error_surface_means_the_same_examples() -> None:
    setup = load_preset("small-data-set")
    assert same_error_surface(setup, setup.replace(alpha=0.5, weights=(1.0, 2.0), order="batch"))
    assert same_error_surface(setup, setup.replace(examples=tuple(reversed(setup.examples))))
    other = setup.replace(examples=setup.examples[:-1] + (Example((1.0, 1.0), 9.0),))
    assert not same_error_surface(setup, other)
    assert not same_error_surface(setup, seed_setup())


def test_the_shown_step_is_ringed_apart_from_the_newest(surface: ErrorSurface) -> None:
    run = start(surface, seed_setup())
    run.advance(10)
    show(surface, run)
    path = run.trace.weight_path(0)
    # the newest step (10) is shown: the ring is on its weights (before the step), the
    # newest dot on the weights after it
    x, y = surface.shown_point()
    assert x == path[9] and y == pytest.approx((path[9] - 0.6) ** 2)
    assert list(surface.lastDot.getData()[0]) == [path[10]]
    assert list(surface.stepLine.getData()[0]) == [path[9], path[10]]
    show(surface, run, shown=4)
    assert surface.shown_point()[0] == run.trace.row(4)["weight_1"] == path[3]
    assert list(surface.lastDot.getData()[0]) == [path[10]]  # the newest stays where it is
    show(surface, run, shown=0)  # before the first step: the start, and no step taken yet
    assert surface.shown_point()[0] == 0.4 and surface.stepLine.getData()[0] is None
    assert surface.shownRing.opts["size"] > surface.lastDot.opts["size"]
    assert surface.shownRing.opts["pen"].color().name() != surface.lastDot.opts["brush"].color().name()


def test_the_shown_step_on_the_map(surface: ErrorSurface) -> None:
    run = start(surface, load_preset("small-data-set"))
    run.advance(12)
    show(surface, run, shown=5)
    row = run.trace.row(5)
    assert surface.shown_point() == (row["weight_1"], row["weight_2"])
    assert surface.stepLine.getData()[0][-1] == row["new_weight_1"]
    assert surface.stepLine.getData()[1][-1] == row["new_weight_2"]


def test_dragging_the_start_asks_for_rounded_starting_weights(surface: ErrorSurface, qtbot) -> None:
    run = start(surface, seed_setup())
    show(surface, run)
    (x0, x1), _ = surface.plotWidget.getPlotItem().getViewBox().viewRange()
    assert 0.1 < x1 - x0 < 1 and x0 < 0.35 and x1 > 0.75
    assert surface.drag_start_point("start", 0.4, 0.04)
    surface.drag_start_point("move", 0.3503918, 0.2)
    assert surface.start_point() == (0.35, pytest.approx(0.0625))  # on the bowl, rounded
    assert surface.dragLabel.isVisible() and "weight_1 = 0.35" in surface.dragLabel.toPlainText()
    assert not surface.startLabel.isVisible()
    with qtbot.waitSignal(surface.startWeightsRequested) as signal:
        surface.drag_start_point("finish", 0.7503918, 0.0)
    assert signal.args == [(round_to_span(0.7503918, x1 - x0),)]
    assert signal.args == [(0.75,)]  # a span of about 0.5: the student gets 0.75
    assert not surface.dragLabel.isVisible()
    assert surface.start_point()[0] == 0.4  # until the window changes the setup


def test_dragging_the_start_on_the_map_keeps_the_other_weights(surface: ErrorSurface, qtbot) -> None:
    setup = load_preset("several-inputs")
    run = start(surface, setup)
    show(surface, run)
    i, j = surface.chosen
    assert surface.drag_start_point("start", *surface.start_point())
    with qtbot.waitSignal(surface.startWeightsRequested) as signal:
        surface.drag_start_point("finish", 0.123456, -0.3333333)
    (x0, x1), (y0, y1) = surface.plotWidget.getPlotItem().getViewBox().viewRange()
    expected = list(setup.weights)
    expected[i], expected[j] = round_to_span(0.123456, x1 - x0), round_to_span(-0.3333333, y1 - y0)
    assert signal.args == [tuple(expected)]
    assert len(repr(expected[i])) <= 6 and len(repr(expected[j])) <= 6


def test_dragging_after_an_edit_keeps_the_edited_weights(surface: ErrorSurface, qtbot) -> None:
    setup = load_preset("several-inputs")
    run = start(surface, setup)
    run.advance(3)
    edited = setup.replace(weights=setup.weights[:2] + (0.75,))
    surface.show_frame(Frame(edited, run.trace, 3))
    i, j = surface.chosen
    assert (i, j) == (0, 1)
    surface.drag_start_point("start", *surface.start_point())
    with qtbot.waitSignal(surface.startWeightsRequested) as signal:
        surface.drag_start_point("finish", 0.2, 0.1)
    assert signal.args[0][2] == 0.75


def test_the_start_cannot_be_dragged_while_running(surface: ErrorSurface, qtbot) -> None:
    run = start(surface, seed_setup())
    run.advance(3)
    show(surface, run, running=True)
    with qtbot.assertNotEmitted(surface.startWeightsRequested):
        assert not surface.drag_start_point("start", 0.4, 0.04)
        surface.drag_start_point("move", 0.3, 0.0)
        surface.drag_start_point("finish", 0.3, 0.0)
    assert not surface.startHandle.movable
    assert surface.start_point()[0] == 0.4
    show(surface, run, running=False)
    assert surface.startHandle.movable


def _viewport_point(surface: ErrorSurface, x: float, y: float) -> QPoint:
    item = surface.startHandle
    scene = item.mapToScene(QPointF(x, y))
    return surface.plotWidget.mapFromScene(scene)


def _mouse_drag(surface: ErrorSurface, start: QPoint, end: QPoint) -> None:
    """Press at ``start``, move in five steps to ``end``, release: mouse events to the
    plot's viewport, through pyqtgraph's own drag logic (its limit on mouse moves per
    second is lifted, as the events come faster than a hand)."""
    viewport = surface.plotWidget.viewport()
    left, none, plain = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier

    def send(kind: QEvent.Type, point: QPoint, button, buttons) -> None:
        at = QPointF(point)
        QApplication.sendEvent(viewport, QMouseEvent(kind, at, at, QPointF(viewport.mapToGlobal(point)),
                                                     button, buttons, plain))

    limit = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", 0)
    try:
        send(QEvent.Type.MouseMove, start, none, none)
        send(QEvent.Type.MouseButtonPress, start, left, left)
        for k in range(1, 6):
            send(QEvent.Type.MouseMove, start + (end - start) * (k / 5), none, left)
        send(QEvent.Type.MouseButtonRelease, end, left, none)
    finally:
        pg.setConfigOption("mouseRateLimit", limit)


def test_the_mouse_drags_the_start(surface: ErrorSurface, qtbot) -> None:
    run = start(surface, load_preset("small-data-set"))
    show(surface, run)
    qtbot.waitExposed(surface)
    sx, sy = surface.start_point()
    begin = _viewport_point(surface, sx, sy)
    (x0, x1), (y0, y1) = surface.plotWidget.getPlotItem().getViewBox().viewRange()
    target = _viewport_point(surface, sx + 0.3 * (x1 - x0), sy + 0.2 * (y1 - y0))
    with qtbot.waitSignal(surface.startWeightsRequested, timeout=2000) as signal:
        _mouse_drag(surface, begin, target)
    (w1, w2), = signal.args
    assert w1 == round_to_span(w1, x1 - x0) and w2 == round_to_span(w2, y1 - y0)
    assert w1 == pytest.approx(sx + 0.3 * (x1 - x0), abs=0.02 * (x1 - x0))
    assert w2 == pytest.approx(sy + 0.2 * (y1 - y0), abs=0.02 * (y1 - y0))
    show(surface, run, running=True)
    with qtbot.assertNotEmitted(surface.startWeightsRequested):
        _mouse_drag(surface, begin, target)
    # far from the start the mouse does not take it
    show(surface, run, running=False)
    with qtbot.assertNotEmitted(surface.startWeightsRequested):
        _mouse_drag(surface, _viewport_point(surface, sx + 0.5 * (x1 - x0), sy + 0.5 * (y1 - y0)), target)


@pytest.mark.parametrize("shown", [0, 1, 6])
def test_the_slope_label_is_twice_weighted_delta(surface: ErrorSurface, shown: int) -> None:
    run = start(surface, seed_setup())
    run.advance(6)
    show(surface, run, shown=shown)
    row = run.trace.row(shown) if shown else preview_row(run.setup)
    slope = 2 * row["weighted_delta_1"]
    assert f"= {maths(short(slope))}" in surface.slope_text
    assert "2 × weighted_delta" in surface.slope_text
    assert surface.slopeLabel.isVisible() and surface.slopeLabel.toPlainText() == surface.slope_text
    # the tangent has that slope and its arrow points downhill (the weight is below 0.6)
    xs, ys = surface.slopeLine.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(slope)
    assert xs[1] > xs[0]  # downhill: towards larger weights
    head = surface.slopeHead.pos()
    assert (head.x(), head.y()) == pytest.approx((xs[1], ys[1]))


def test_the_slope_arrow_on_the_map_points_downhill(surface: ErrorSurface) -> None:
    setup = load_preset("small-data-set").replace(order="batch")
    run = start(surface, setup)
    run.advance(4)
    show(surface, run, shown=2)
    row = run.trace.row(2)
    s1, s2 = 2 * row["weighted_delta_1"], 2 * row["weighted_delta_2"]
    for value in (s1, s2):
        assert maths(short(value)) in surface.slope_text
    assert "(example" not in surface.slope_text  # batch: the slope of the mean mse itself
    xs, ys = surface.slopeLine.getData()
    assert (xs[0], ys[0]) == (row["weight_1"], row["weight_2"])
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    assert dx * s1 + dy * s2 < 0  # against the slope
    assert dx * s2 - dy * s1 == pytest.approx(0, abs=1e-9 * (abs(dx) + abs(dy)) * (abs(s1) + abs(s2)))
    # and the mean mse falls that way
    from gdnode_gui.core.analysis import mean_mse
    assert mean_mse(setup, (xs[0] + 1e-3 * dx, ys[0] + 1e-3 * dy)) < mean_mse(setup, (xs[0], ys[0]))


def test_cyclic_order_says_whose_slope_it_is(surface: ErrorSurface) -> None:
    run = start(surface, load_preset("small-data-set"))
    run.advance(4)
    show(surface, run, shown=3)
    assert f"(example {run.trace.row(3)['example']})" in surface.slope_text


def test_kept_runs_are_drawn_with_their_label(surface: ErrorSurface) -> None:
    setup = load_preset("small-data-set")
    kept = run_to_end(setup.replace(alpha=0.3, max_steps=40))
    run = start(surface, setup)
    run.advance(5)
    show(surface, run)
    surface.keep_ghost(kept.trace, "alpha 0.3")
    assert len(surface.ghostItems) == 1
    line, label, name = surface.ghostItems[0]
    assert name == "alpha 0.3" and label.toPlainText() == "alpha 0.3" and label.isVisible()
    xs, ys = line.getData()
    assert xs[0] == kept.trace.weight_path(0)[0] and xs[-1] == kept.trace.weight_path(0)[kept.n_steps]
    assert ys[-1] == kept.trace.weight_path(1)[kept.n_steps]
    assert line.opts["pen"].color().alphaF() == pytest.approx(LIGHT.ghost_opacity, abs=0.01)
    # a run of other examples makes another bowl: not drawn, and the tooltip says so
    other = run_to_end(seed_setup().replace(max_steps=20))
    surface.keep_ghost(other.trace, "the stick")
    assert [n for _, _, n in surface.ghostItems] == ["alpha 0.3"]
    assert surface.skipped_ghosts == ["the stick"]
    assert "the stick" in surface.plotWidget.toolTip() and "other examples" in surface.plotWidget.toolTip()
    # a new run keeps them; other weights chosen redraws them
    run2 = Run(setup.replace(alpha=0.2))
    surface.show_frame(Frame(run2.setup, run2.trace, 0))
    assert len(surface.ghostItems) == 1
    surface.keep_ghost(kept.trace, "first steps", steps=10)
    xs, _ = surface.ghostItems[-1][0].getData()
    assert len(xs) == 11 and xs[-1] == kept.trace.weight_path(0)[10]
    surface.keep_ghost(kept.trace, "fourth")  # at most MAX_GHOSTS: the oldest goes
    assert surface.ghost_count == 3 and [n for _, _, n in surface.ghostItems] == ["first steps", "fourth"]
    surface.keep_ghost(kept.trace, "fifth")
    assert surface.skipped_ghosts == [] and "the stick" not in surface.plotWidget.toolTip()
    surface.clear_ghosts()
    assert surface.ghostItems == [] and surface.skipped_ghosts == []
    assert "the stick" not in surface.plotWidget.toolTip()


def test_a_kept_run_on_the_bowl_follows_the_bowl(surface: ErrorSurface) -> None:
    kept = run_to_end(seed_setup().replace(alpha=0.5, max_steps=30))
    run = start(surface, seed_setup())
    surface.keep_ghost(kept.trace, "alpha 0.5")
    xs, ys = surface.ghostItems[0][0].getData()
    assert np.allclose(ys, (xs - 0.6) ** 2)
    for theme in (LIGHT, DARK, HIGH_CONTRAST):
        surface.apply_theme(theme)
        pen = surface.ghostItems[0][0].opts["pen"]
        assert pen.color().alphaF() == pytest.approx(theme.ghost_opacity, abs=0.01)
        assert surface.ghostItems[0][1].color.name() == QColor(theme.muted).name()


def test_label_spot_avoids_the_path() -> None:
    # a path along the right of the point: the label goes elsewhere
    path = obstacle_points([100, 300], [100, 100])
    left, top, right, bottom = label_spot((100, 100), (80, 20), 5, (400, 300), path)
    assert not np.any((path[:, 0] >= left) & (path[:, 0] <= right) & (path[:, 1] >= top) & (path[:, 1] <= bottom))
    # at the edge, the label stays inside
    left, top, right, bottom = label_spot((395, 5), (80, 20), 5, (400, 300), np.empty((0, 2)))
    assert 0 <= left and right <= 400 and 0 <= top and bottom <= 300
    assert screen_direction(1.0, 0.0, (0.01, 0.01)) == (1.0, 0.0)
    assert screen_direction(0.0, 1.0, (0.01, 0.02)) == (0.0, -1.0)  # up on the screen
    assert screen_direction(0.0, 0.0, (0.01, 0.01)) is None


def _tick_texts(axis) -> list[str]:
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _, _, text in specs[2]] if specs else []


@pytest.mark.parametrize("preset", ["seed", "small-data-set"])
def test_readable_at_zoom_2_on_a_small_screen(qtbot, qapp, preset) -> None:
    set_application_zoom(2.0, qapp)
    widget = ErrorSurface()
    qtbot.addWidget(widget)
    widget.resize(560, 600)
    widget.set_zoom(2.0)
    widget.show()
    qtbot.waitExposed(widget)
    setup = seed_setup() if preset == "seed" else load_preset(preset)
    kept = run_to_end(setup.replace(alpha=setup.alpha * 3, max_steps=30))
    widget.keep_ghost(kept.trace, f"alpha {kept.setup.alpha!r}")
    run = start(widget, setup)
    run.advance(6)
    show(widget, run, shown=4)
    plot = widget.plotWidget.getPlotItem()
    view = plot.getViewBox()
    qtbot.waitUntil(lambda: view.height() > 250)  # laid out
    show(widget, run, shown=4)
    widget.grab()  # painted once: the axes take the room their tick labels need
    qtbot.waitUntil(lambda: plot.getAxis("left").width() > 60)
    show(widget, run, shown=4)
    for name in ("left", "bottom"):
        assert len(_tick_texts(plot.getAxis(name))) >= 3
    width, height = view.width(), view.height()
    path = obstacle_points(*widget._to_px(*widget.path_data()))
    for label in [widget.slopeLabel, widget.startLabel] + [g[1] for g in widget.ghostItems]:
        if not label.isVisible():
            continue
        rect = label.textItem.boundingRect()
        px, py = widget._to_px([label.pos().x()], [label.pos().y()])
        left, top = float(px[0]), float(py[0])
        assert -1 <= left and left + rect.width() <= width + 1 and -1 <= top and top + rect.height() <= height + 1
        inside = (path[:, 0] > left) & (path[:, 0] < left + rect.width()) & \
            (path[:, 1] > top) & (path[:, 1] < top + rect.height())
        assert inside.sum() == 0, label.toPlainText()
    assert widget.captionLabel.height() < 0.2 * widget.height()
