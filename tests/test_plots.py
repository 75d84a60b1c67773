"""The live plots: exact data, visible zeros and overflows, kept runs, export, zoom,
theme, the hover readout and following the newest steps."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QImage

from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.resources import load_preset
from gdnode_gui.ui.views.plots.decimation import PeakDecimator
from gdnode_gui.ui.views.plots.plots import MAX_GHOSTS, PlotsPanel
from gdnode_gui.ui.style.theme import DARK, HIGH_CONTRAST, LIGHT

ONE_STEP = Setup(examples=(Example((2.0,), 0.6),), weights=(0.4,), alpha=0.25, max_steps=100)
SPIRAL = Setup(examples=(Example((2.0,), 0.6),), weights=(0.4,), alpha=0.6, max_steps=5000)
DATA_SET = Setup(
    examples=(Example((1.0, 0.5), 0.55), Example((0.5, 1.0), 0.65), Example((2.0, 0.2), 0.7)),
    weights=(0.0, 0.0), alpha=0.1, max_steps=300, input_names=("sunshine", "water"),
)


@pytest.fixture
def panel(qtbot):
    widget = PlotsPanel()
    qtbot.addWidget(widget)
    widget.resize(580, 450)  # what a 1024x768 window leaves for the plots
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show_run(panel: PlotsPanel, setup: Setup, steps: int | None = None) -> Run:
    run = Run(setup)
    panel.set_setup(setup)
    panel.set_trace(run.trace)
    run.advance(steps)
    panel.refresh(run.n_steps)
    return run


def data(curve) -> tuple[np.ndarray, np.ndarray]:
    """What a curve item (or a series' item) was handed to draw."""
    return getattr(curve, "item", curve).getOriginalDataset()


# -- the data on the curves ------------------------------------------------------------------------
def test_curves_hold_exactly_the_traces_values(panel):
    run = show_run(panel, seed_setup())
    trace, n = run.trace, run.n_steps
    x, y = data(panel.weights_plot.curves[0])
    assert np.array_equal(x, np.arange(n + 1)) and np.array_equal(y, trace.weight_path(0))
    assert y[318] == 0.5999999999999994
    x, y = data(panel.delta_plot.curves[0])
    assert np.array_equal(x, np.arange(1, n + 1)) and np.array_equal(y, trace.delta)
    x, y = data(panel.prediction_plot.line)
    assert np.array_equal(y, trace.prediction)
    x, y = data(panel.mse_plot.line)
    assert np.array_equal(y, np.log10(trace.mse))  # drawn on a log axis
    # The stored column (the weights) is handed over as a view of the trace, never copied;
    # delta, mse and prediction are derived from the weights when read (core/trace.py).
    assert np.shares_memory(data(panel.weights_plot.curves[0])[1], trace.weight_path(0))


def test_refresh_grows_the_curves_step_by_step(panel):
    run = show_run(panel, seed_setup(), steps=0)
    assert data(panel.weights_plot.curves[0])[1].tolist() == [0.4]  # the start, before any step
    for expected in (1, 2, 40):
        run.advance(expected - run.n_steps)
        panel.refresh(run.n_steps)
        assert len(data(panel.delta_plot.curves[0])[1]) == expected
        assert len(data(panel.mse_plot.line)[1]) == expected
    assert data(panel.weights_plot.curves[0])[1][-1] == run.trace.weight_path(0)[40]


def test_a_data_set_draws_each_examples_predictions_with_its_goal(panel):
    run = show_run(panel, DATA_SET, steps=30)
    plot = panel.prediction_plot
    assert plot.mode == "each" and len(plot.per_example) == 3
    item, _ = plot.per_example[1]
    x, y = data(item)
    assert x.tolist() == list(range(2, 31, 3))  # the steps that used example 2
    assert np.array_equal(y, run.trace.prediction[1:30:3])
    assert sorted(line.value() for line, _ in plot.lines) == [0.55, 0.65, 0.7]
    # the mean mse of each epoch (3 steps) is a second curve
    x, y = data(panel.mse_plot.means)
    assert x.tolist() == list(range(3, 31, 3))
    assert y[0] == pytest.approx(math.log10(run.trace.mse[:3].mean()))


def test_batch_order_shows_each_examples_prediction_against_its_goal(panel):
    run = show_run(panel, DATA_SET.replace(order="batch"), steps=20)
    plot = panel.prediction_plot
    assert plot.mode == "batch" and len(plot.per_example) == 3
    trace = run.trace
    for e, (series, _) in enumerate(plot.per_example):
        x, y = data(series)
        inputs = DATA_SET.examples[e].inputs
        # with the weights before each step, summed left to right as the core does
        expected = [trace.weight(0)[k] * inputs[0] + trace.weight(1)[k] * inputs[1] for k in range(20)]
        assert x.tolist() == list(range(1, 21)) and y.tolist() == expected
    assert sorted(line.value() for line, _ in plot.lines) == [0.55, 0.65, 0.7]
    assert [label.text for label in plot.end_labels] == ["goal 1", "goal 2", "goal 3"]
    assert "batch" in plot.title_text
    assert not [text for text, _ in plot.texts if text.isVisible()]  # no paragraph instead of a plot
    assert len(panel.delta_plot.curves) == 2  # weighted_delta of each weight


# -- what a log axis cannot draw stays visible --------------------------------------------------------
def test_an_exact_zero_mse_is_marked_and_labelled(panel):
    run = show_run(panel, ONE_STEP)
    assert run.outcome == "converged" and run.trace.mse[-1] == 0.0
    plot = panel.mse_plot
    x, y = data(plot.zeros)
    assert x.tolist() == [2]
    assert plot.zeros.isVisible() and plot.zeros.opts["symbol"] is not None
    assert plot.zero_note.isVisible() and plot.zero_note.toPlainText() == "mse = 0 (exact)"
    assert y[0] < np.nanmin(data(plot.line)[1])  # drawn below every real value
    low, high = plot.vb.viewRange()[1]
    major = plot.axis.tickValues(low, high, 200)[0][1]
    assert y[0] in major  # the axis has a tick there, and it reads 0
    assert plot.axis.tickStrings(major, 1, 1)[major.index(y[0])] == "0"
    assert "mse = 0.0" in panel.readout_at("mse", 2.0)


def test_an_overflow_is_marked_at_the_top(panel):
    run = show_run(panel, SPIRAL)
    assert run.outcome == "diverged" and math.isinf(run.trace.mse[-1])
    plot = panel.mse_plot
    x, y = data(plot.overflow)
    assert x.tolist() == [run.n_steps]
    assert y[0] > np.nanmax(data(plot.line)[1])
    assert plot.overflow_note.isVisible() and plot.overflow_note.toPlainText().split() == ["overflow:", "inf"]
    assert not plot.zero_note.isVisible()
    assert panel.readout_at("mse", run.n_steps).endswith("mse = inf")


@pytest.mark.parametrize("width", [580, 400, 330])
@pytest.mark.parametrize("setup", [ONE_STEP, SPIRAL], ids=["zero", "overflow"])
def test_the_zero_and_overflow_notes_are_never_cut_by_the_plots_edges(panel, qtbot, width, setup):
    # A narrow plot (the window at 1024x768 leaves ~200 px a plot): "mse = 0 (exact)" placed
    # left of its marker read "e = 0 (exact)"; a note slides along its line instead.
    panel.resize(width, 450)
    qtbot.waitUntil(lambda: panel.width() == width)
    show_run(panel, setup)
    plot = panel.mse_plot
    note = plot.zero_note if setup is ONE_STEP else plot.overflow_note
    assert note.isVisible()
    box, text = plot.vb.sceneBoundingRect(), note.textItem.mapRectToScene(note.textItem.boundingRect())
    assert box.left() - 0.5 <= text.left() and text.right() <= box.right() + 0.5, (width, box, text)


# -- kept runs ---------------------------------------------------------------------------------
def test_ghosts_are_kept_dashed_in_a_clear_colour_and_cleared(panel):
    show_run(panel, seed_setup())
    for k, alpha in enumerate((0.5, 0.3, 0.2, 0.15)):
        panel.keep_ghost(run_to_end(seed_setup().replace(alpha=alpha)).trace, f"alpha {alpha} (kept)")
        assert panel.ghost_count == min(k + 1, MAX_GHOSTS)
    labels = [label.text for label in panel.weights_plot.end_labels]
    assert "alpha 0.5" not in labels  # the oldest went first
    assert "alpha 0.15" in labels and "alpha 0.3" in labels  # what differs from this run
    ghosts = [item for item, look in panel.mse_plot.looks if look.ghost is not None]
    assert len(ghosts) == MAX_GHOSTS
    pen = ghosts[0].opts["pen"]
    assert pen.color().alphaF() >= 0.8 and pen.color().name() == LIGHT.muted  # not a pale 35% copy
    assert pen.dashPattern()  # dashed
    # A new run keeps the ghosts; clearing removes them.
    show_run(panel, seed_setup().replace(alpha=0.05), steps=10)
    assert panel.ghost_count == MAX_GHOSTS
    assert sum(look.ghost is not None for _, look in panel.delta_plot.looks) == MAX_GHOSTS
    panel.clear_ghosts()
    assert panel.ghost_count == 0
    assert not any(look.ghost is not None for plot in panel.plots.values() for _, look in plot.looks)
    assert not panel.weights_plot.end_labels  # one run: nothing to tell apart


def test_a_ghost_and_the_run_are_labelled_at_their_ends_with_what_differs(panel, qtbot):
    panel.keep_ghost(run_to_end(seed_setup()).trace, "alpha 0.1, stalled")  # 318 steps
    run = show_run(panel, seed_setup().replace(alpha=0.5))  # 51 steps
    assert run.n_steps < 100
    for key in ("weights", "mse", "delta"):
        plot = panel.plots[key]
        labels = {label.text: label for label in plot.end_labels if label.shown}
        assert set(labels) == {"alpha 0.1", "alpha 0.5"}, key
        ghost = labels["alpha 0.1"]
        assert ghost.item.isVisible() and ghost.item.pos().x() == 318
        assert labels["alpha 0.5"].item.pos().x() == 318  # right of both runs, off the kept one
        # the label sits right of the curve's end, inside the view: the step axis covers both runs
        x0, x1 = plot.vb.viewRange()[0]
        assert 318 < x1 and ghost.item.mapRectToView(ghost.item.boundingRect()).right() <= x1 + 1
    assert panel.ghost_labels() == ["alpha 0.1"] and panel.run_label() == "alpha 0.5"
    ghost = next(s for s in panel.weights_plot.series if s.count == 319)
    assert data(ghost)[0][-1] == 318  # the whole kept run is drawn, not cut at step 51


def test_labels_stay_off_the_data(panel):
    show_run(panel, seed_setup())
    plot = panel.prediction_plot
    label, = plot.end_labels
    assert label.text == "goal 0.6"
    box = label.item.mapRectToView(label.item.boundingRect())
    assert box.left() >= plot.n  # right of the newest step: no curve crosses it
    assert box.right() <= plot.vb.viewRange()[0][1] + 1
    assert not hasattr(plot, "legend")  # no legend box over the curves


# -- export ---------------------------------------------------------------------------------------
def test_export_png_at_twice_the_size_and_svg(panel, tmp_path):
    show_run(panel, seed_setup())
    png = tmp_path / "plots.png"
    panel.export_image(str(png), scale=2.0)
    image = QImage(str(png))
    assert not image.isNull()
    area = panel.plot_area.size()
    # the plots at twice their size, with margins, and a caption below them
    assert image.width() > 2 * area.width() and image.height() > 2 * area.height() + 40
    assert image.width() > panel.width()
    assert QImage(str(png)).pixelColor(2, 2).name() == LIGHT.background  # the theme's background
    assert not list(tmp_path.glob(".*part"))  # the temporary file was renamed

    svg = tmp_path / "plots.svg"
    panel.export_image(str(svg))
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))  # the four plots' ids do not clash
    assert {"weightsPlot", "msePlot", "predictionPlot", "deltaPlot"} <= set(ids)


def test_export_refuses_unknown_suffixes_and_unwritable_places(panel, tmp_path):
    show_run(panel, seed_setup(), steps=5)
    with pytest.raises(ValueError, match=".png or .svg"):
        panel.export_image(str(tmp_path / "plots.jpg"))
    with pytest.raises(OSError, match="^cannot write the image .*plots.png: No such file"):
        panel.export_image(str(tmp_path / "no such folder" / "plots.png"))


# -- zoom and theme -----------------------------------------------------------------------------
def test_zoom_scales_ticks_titles_legends_and_lines(panel):
    show_run(panel, DATA_SET, steps=30)
    axis = panel.weights_plot.item.getAxis("left")
    curve = panel.weights_plot.curves[0].item
    tick, width = axis.style["tickFont"].pointSizeF(), curve.opts["pen"].widthF()
    title = panel.weights_plot.item.titleLabel.opts["size"]
    panel.set_zoom(2.0)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(2 * tick)
    assert curve.opts["pen"].widthF() == pytest.approx(2 * width)
    assert panel.weights_plot.item.titleLabel.opts["size"] != title
    label = panel.weights_plot.end_labels[0]
    assert label.item.textItem.font().pointSizeF() == pytest.approx(18)
    panel.set_zoom(1.0)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(tick)


def test_theme_changes_background_axes_and_curves(panel):
    show_run(panel, seed_setup(), steps=20)
    plot = panel.weights_plot
    assert plot.widget.backgroundBrush().color().name() == LIGHT.background
    panel.apply_theme(DARK)
    assert plot.widget.backgroundBrush().color().name() == DARK.background
    assert plot.item.getAxis("left").textPen().color().name() == DARK.foreground
    assert plot.curves[0].item.opts["pen"].color().name() == DARK.curves[0].lower()
    panel.apply_theme(HIGH_CONTRAST)
    assert plot.curves[0].item.opts["pen"].widthF() == HIGH_CONTRAST.line_width


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=lambda t: t.name)
def test_grid_lines_pass_under_the_curves_and_leave_the_axis_line_whole(panel, theme):
    """The seed's weights settle on 0.6, a grid line: the line must not cut through the
    (thick, zoomed) curve, nor cut the axis line where it starts, and it stays visible."""
    panel.apply_theme(theme)
    panel.set_zoom(2.0)
    run = show_run(panel, seed_setup())
    plot = panel.weights_plot
    ticks = plot.item.getAxis("left").tickValues(*plot.vb.viewRange()[1], plot.vb.height())[0][1]
    late = run.n_steps * 3 // 4
    assert abs(run.trace.new_weight(0)[late - 1] - 0.6) < 1e-9 and any(abs(t - 0.6) < 1e-9 for t in ticks)
    image = plot.widget.grab().toImage()
    ratio = image.devicePixelRatio()
    background, curve = theme.background.lower(), theme.curves[0].lower()

    def place(step: float, value: float) -> tuple[int, int]:
        point = plot.widget.mapFromScene(plot.vb.mapViewToScene(QPointF(step, value)))
        return round(point.x() * ratio), round(point.y() * ratio)

    def column(x: int, top: int, bottom: int) -> list[str]:
        return [image.pixelColor(x, y).name() for y in range(top, bottom + 1)]

    other = min(ticks, key=lambda t: -abs(t - 0.6))  # a grid line away from the curve
    x, y_other = place(late, other)
    grid = {c for c in column(x, y_other - 3, y_other + 3)} - {background}
    assert len(grid) == 1  # that grid line, nothing else there
    _, y_top = place(late, 0.62)
    _, y_low = place(late, 0.58)
    around_curve = column(x, y_top, y_low)
    assert curve in around_curve and not grid & set(around_curve)  # the curve over the grid line
    # The axis line: left of the view, the first pixel that is not background in a row
    # without a grid line; in the grid line's rows it keeps its colour.
    left, _ = place(plot.vb.viewRange()[0][0], other)
    rows = [y for y in range(y_other - 3, y_other + 4) if image.pixelColor(left + 3, y).name() in grid]
    clear = (y_other + place(late, 0.6)[1]) // 2
    axis_x = next(x for x in range(left + 1, left - 10, -1) if image.pixelColor(x, clear).name() != background)
    axis_colour = image.pixelColor(axis_x, clear).name()
    assert rows and all(image.pixelColor(axis_x, y).name() == axis_colour for y in rows)


# -- reading values and following -----------------------------------------------------------------
def test_hover_reads_the_exact_value_of_the_nearest_step(panel, qtbot):
    show_run(panel, seed_setup())
    plot = panel.weights_plot
    qtbot.waitUntil(lambda: plot.vb.viewRange()[0][1] > 300)
    scene_pos = plot.vb.mapViewToScene(QPointF(318.3, 0.59))
    panel._on_mouse_moved(plot, scene_pos)
    assert panel.readout.text() == "after step 318 · weight_1 (stick) = 0.5999999999999994"
    assert all(p.crosshair.isVisible() and p.crosshair.value() == 318 for p in panel.plots.values())
    panel._on_mouse_moved(plot, QPointF(-50, -50))  # off the plot
    assert not plot.crosshair.isVisible()
    assert "Point at a plot" in panel.readout.text()
    assert panel.readout_at("delta", 1.2) == "step 1 · delta = -0.19999999999999996"
    assert panel.readout_at("weights", 0.0) == "start · weight_1 (stick) = 0.4"


def test_hover_on_several_weights_picks_the_nearest_curve(panel):
    run = show_run(panel, DATA_SET, steps=50)
    water = float(run.trace.weight_path(1)[50])
    assert panel.readout_at("weights", 50, water) == f"after step 50 · weight_2 (water) = {water!r}"
    text = panel.readout_at("prediction", 8)
    assert text.startswith("step 8 (example 2) · prediction = ") and "goal = 0.65" in text


def test_the_view_follows_new_steps_until_the_user_zooms(panel):
    run = show_run(panel, seed_setup(), steps=100)
    plot = panel.delta_plot
    assert panel.following and plot.vb.viewRange()[0][1] >= 100
    plot.vb.setXRange(10, 20, padding=0)
    plot.vb.sigRangeChangedManually.emit([True, False])  # as a mouse wheel zoom does
    assert not panel.following
    assert panel.weights_plot.vb.viewRange()[0] == pytest.approx([10, 20])  # steps stay aligned
    run.advance(100)
    panel.refresh(run.n_steps)
    assert plot.vb.viewRange()[0] == pytest.approx([10, 20])  # stays where the user looks
    panel.follow_box.setChecked(True)
    assert plot.vb.viewRange()[0][1] >= 200


def test_names_for_screen_readers(panel):
    assert panel.objectName() == "plotsPanel" and panel.accessibleName()
    assert panel.accessibleDescription()
    names = {plot.widget.accessibleName() for plot in panel.plots.values()}
    assert "weights plot" in names and "mse (log scale) plot" in names
    for widget in (panel.follow_box, panel.readout, *(p.widget for p in panel.plots.values())):
        assert widget.objectName() and widget.accessibleName() and widget.toolTip()


def test_a_ghost_keeps_the_steps_it_had_and_survives_an_empty_panel(panel):
    run = show_run(panel, seed_setup(), steps=50)
    panel.keep_ghost(run.trace, "paused run (kept)")
    run.advance(50)  # the kept run goes on: its ghost does not
    panel.set_trace(None)
    panel.set_setup(seed_setup().replace(alpha=0.2))
    ghost = next(item for item, look in panel.weights_plot.looks if look.ghost is not None)
    assert len(data(ghost)[1]) == 51
    assert panel.readout_at("weights", 3.0) == "start · weight_1 (stick) = 0.4"  # nothing run yet


def test_axes_stay_readable(panel):
    step_axis = panel.delta_plot.item.getAxis("bottom")
    assert step_axis.tickStrings([0, 500, 20_000, 1_500_000], 1, 1) == ["0", "500", "20k", "1.5M"]
    metrics = QFontMetricsF(step_axis.style["tickFont"])
    for width in (120, 200, 400):  # narrow plots: fewer labels, never touching, whole steps
        (step, values), = step_axis.tickValues(0, 1_000_000, width)
        labels = step_axis.tickStrings(values, 1, step)
        assert len(values) >= 2 and all(v == int(v) for v in values)
        assert sum(metrics.horizontalAdvance(t) for t in labels) + metrics.horizontalAdvance("0") * len(labels) <= width
    mse_axis = panel.mse_plot.axis
    major = mse_axis.tickValues(math.log10(0.02), math.log10(0.3), 200)[0][1]  # about one decade
    labels = [t for t in mse_axis.tickStrings(major, 1, 1) if t]
    assert len(labels) >= 2 and "0.1" in labels


def test_many_examples_draw_bands_of_predictions_and_goals(panel):
    examples = tuple(Example((1.0 + k / 10,), k / 10) for k in range(10))
    run = show_run(panel, Setup(examples=examples, weights=(0.0,), alpha=0.05, max_steps=200), steps=100)
    plot = panel.prediction_plot
    assert plot.mode == "many"
    assert np.array_equal(data(plot.line)[1], run.trace.prediction)
    assert np.array_equal(data(plot.goal_points)[1], run.trace.goal)


def test_moving_the_mouse_over_a_plot_updates_the_readout(panel, qtbot):
    run = show_run(panel, seed_setup())
    plot = panel.delta_plot
    qtbot.waitUntil(lambda: plot.vb.viewRange()[0][1] > 300)
    qtbot.wait(50)  # painted once: the value axis has taken the width its labels need
    viewport = plot.widget.viewport()
    start = plot.widget.mapFromScene(plot.vb.mapViewToScene(QPointF(30, -0.1)))
    target = plot.widget.mapFromScene(plot.vb.mapViewToScene(QPointF(100, -0.01)))
    qtbot.mouseMove(viewport, start)
    qtbot.waitUntil(lambda: panel.readout.text().startswith("step "))
    qtbot.wait(20)  # QTest drops a second move sent in the same instant
    qtbot.mouseMove(viewport, target)
    qtbot.waitUntil(lambda: abs(int(panel.readout.text().split()[1]) - 100) <= 3)  # ~a pixel's worth
    step = int(panel.readout.text().split()[1])
    assert panel.readout.text() == f"step {step} · delta = {float(run.trace.delta[step - 1])!r}"


def test_a_run_that_starts_at_the_goal_shows_only_the_zero(panel):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. numpy's "All-NaN slice" from an all-zero curve
        run = show_run(panel, Setup(examples=(Example((1.0,), 0.4),), weights=(0.4,), alpha=0.1))
        panel.grab()  # paint, too
    assert run.outcome == "converged" and run.n_steps == 1
    assert data(panel.mse_plot.zeros)[0].tolist() == [1]
    assert panel.mse_plot.zero_note.isVisible()


# -- long runs: min/max buckets, incremental, peaks never lost ------------------------------------------
def reference_buckets(y: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each bucket's lowest and highest value, nan skipped (the definition, computed plainly)."""
    lows, highs = [], []
    for start in range(0, len(y), size):
        chunk = y[start : start + size]
        finite = chunk[~np.isnan(chunk)]
        lows.append(finite.min() if finite.size else np.nan)
        highs.append(finite.max() if finite.size else np.nan)
    return np.array(lows), np.array(highs)


@given(values=st.lists(st.one_of(st.floats(-1e6, 1e6), st.sampled_from([math.nan, math.inf, -math.inf])),
                       min_size=1, max_size=400),
       cuts=st.lists(st.integers(0, 400), max_size=6), limit=st.integers(2, 12))
@settings(max_examples=150, deadline=None)
def test_peak_buckets_hold_every_points_extremes_whatever_the_chunks(values, cuts, limit):
    y = np.array(values)
    peaks = PeakDecimator(limit)
    for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(y)]):
        peaks.extend(y[min(a, len(y)) : min(b, len(y))])
    assert peaks.count == len(y) and peaks.full <= limit
    assert peaks.buckets == math.ceil(len(y) / peaks.size)
    lows, highs = reference_buckets(y, peaks.size)
    x, drawn = peaks.points(lambda i: i)
    pairs = drawn.reshape(-1, 2)  # each bucket: its lowest and highest value, in their order
    assert np.array_equal(np.fmin(pairs[:, 0], pairs[:, 1]), lows, equal_nan=True)
    assert np.array_equal(np.fmax(pairs[:, 0], pairs[:, 1]), highs, equal_nan=True)
    assert np.all(np.diff(x) >= 0) and np.array_equal(x // peaks.size, np.repeat(np.arange(peaks.buckets), 2))
    real = ~np.isnan(drawn)
    assert np.array_equal(y[x[real]], drawn[real])  # drawn where they are: real points
    finite = y[np.isfinite(y)]
    if finite.size:
        assert (peaks.low, peaks.high) == (finite.min(), finite.max())


@pytest.fixture(scope="module")
def long_run():
    """200,000 steps of the seed, with one step's delta made a lone spike."""
    run = run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=200_000))
    # delta is derived from the stored weight (delta = weight * 1.0 - 0.6), so the spike is
    # planted in the weight before step 123,457: 5.6 - 0.6 == 5.0.
    run.trace._weight[0, 123_456] = 5.6
    return run


def test_a_long_run_is_drawn_as_peaks_of_few_points_without_losing_one(panel, long_run):
    trace = long_run.trace
    panel.set_setup(trace.setup)
    panel.set_trace(trace)
    for n in range(0, 200_001, 25_000):  # as a fast run feeds it
        panel.refresh(n)
    series = panel.delta_plot.curves[0]
    assert series.peaks.count == 200_000  # every step was reduced once, not again at each refresh
    x, y = data(series)
    assert len(y) <= 2 * series.peaks.limit + 2  # a few points per pixel, not 200,000
    assert np.nanmax(y) == 5.0 and np.nanmin(y) == trace.delta.min()  # the spike and the start
    assert x[np.nanargmax(y)] == 123_457  # drawn at its own step
    assert np.array_equal(y[np.isfinite(y)], trace.delta[x[np.isfinite(y)] - 1])  # real values only
    low, high = panel.delta_plot.vb.viewRange()[1]
    assert low < trace.delta.min() and high > 5.0  # the value axis holds the spike
    # the same picture as one refresh of all the steps
    panel.set_trace(trace)
    panel.refresh(200_000)
    assert np.array_equal(data(panel.delta_plot.curves[0])[1], y)
    assert "delta = 5.0" in panel.readout_at("delta", 123_457)  # the readout reads the trace


def test_zooming_in_draws_the_exact_steps_in_view(panel, long_run):
    trace = long_run.trace
    panel.set_setup(trace.setup)
    panel.set_trace(trace)
    panel.refresh(200_000)
    plot, series = panel.delta_plot, panel.delta_plot.curves[0]
    plot.vb.setXRange(123_400, 123_500, padding=0)
    plot.vb.sigRangeChangedManually.emit([True, False])
    x, y = data(series)
    assert x[0] <= 123_400 and x[-1] >= 123_500 and len(x) < 110
    assert np.array_equal(y, trace.delta[x - 1])  # every step in view, exactly
    # zoomed in part way: buckets of the steps in view only, finer than the whole run's
    plot.vb.setXRange(100_000, 150_000, padding=0)
    plot.vb.sigRangeChangedManually.emit([True, False])
    x, y = data(series)
    assert 99_000 < x[0] and x[-1] < 151_000 and np.nanmax(y) == 5.0
    assert x[np.nanargmax(y)] == 123_457 and len(x) <= 2 * series.peaks.limit + 2
    assert series._local[2].size < series.peaks.size  # finer than the whole run's buckets
    assert plot.vb.viewRange()[1][1] > 5.0
    panel.follow_box.setChecked(True)
    assert np.nanmax(data(series)[1]) == 5.0 and len(data(series)[0]) <= 2 * series.peaks.limit + 2


@pytest.fixture(scope="module")
def long_plain_run():
    """200,000 steps of the seed as they are (the spike of ``long_run`` is in the weights)."""
    return run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=200_000))


def test_a_much_wider_plot_gets_finer_buckets(panel, long_plain_run, qtbot):
    trace = long_plain_run.trace
    panel.resize(400, 450)
    panel.set_setup(trace.setup)
    panel.set_trace(trace)
    panel.refresh(200_000)
    series = panel.weights_plot.curves[0]
    narrow = len(data(series)[0])
    panel.resize(1400, 700)  # fewer buckets than pixels now: reduced again, finer
    qtbot.waitUntil(lambda: len(data(series)[0]) > 1.5 * narrow)
    x, y = data(series)
    assert len(x) <= 2 * series.peaks.limit + 2
    assert np.nanmin(y) == 0.4 and np.nanmax(y) == trace.weight_path(0).max()


def test_a_fast_run_leaves_room_on_the_step_axis_then_settles(panel, qtbot):
    run = Run(seed_setup().replace(stop_on_stall=False, max_steps=100_000))
    panel.set_setup(run.setup)
    panel.set_trace(run.trace)
    ends = []
    while not run.finished:
        run.advance(5_000)
        panel.refresh(run.n_steps)
        ends.append(panel.weights_plot.vb.viewRange()[0][1])
        assert ends[-1] >= run.n_steps
    assert len(set(ends)) < len(ends) / 2  # the step axis moved at fewer than half the refreshes
    assert ends[-1] > 1.1 * 100_000
    # when no new steps come, a snug step axis again: 0 to 110k (two digits past 102k)
    # (and right of them the room the labels at the curves' ends take: "goal 0.6")
    assert 0 < panel._label_room < 0.5
    def snug() -> bool:
        x0, x1 = panel.weights_plot.vb.viewRange()[0]
        return x0 < 0 and x1 == pytest.approx(x0 + (110_000 - 2 * x0) / (1 - panel._label_room))

    qtbot.waitUntil(snug)
    assert panel.weights_plot.vb.viewRange()[0][0] >= -0.05 * 110_000


def test_many_exact_zeros_are_marked_without_a_marker_each(panel):
    # alpha 0.3: the weight lands exactly on 0.5, so examples 2 and 3 give mse 0 at every epoch
    run = Run(load_preset("three-little-pigs").replace(alpha=0.3, max_steps=60_000, stop_on_stall=False,
                                                        tolerance=0.0))
    run.advance()
    zeros = np.flatnonzero(run.trace.mse == 0.0) + 1
    assert len(zeros) > 30_000
    panel.set_setup(run.setup)
    panel.set_trace(run.trace)
    for n in range(0, 60_001, 7_500):
        panel.refresh(n)
    plot = panel.mse_plot
    x, y = data(plot.zeros)
    assert 0 < len(x) <= plot.pixels and np.all(y == plot.axis.zero_level)
    assert set(x) <= set(zeros)  # each marker is a real zero
    bins = np.unique(zeros // plot.zero_marks.width)
    assert np.array_equal(np.unique(x // plot.zero_marks.width), bins)  # no stretch of zeros unmarked
    assert "mse = 0.0" in panel.readout_at("mse", int(zeros[-1]))
    plot.vb.setXRange(44_400, 44_500, padding=0)  # zoomed in: every zero in view
    plot.vb.sigRangeChangedManually.emit([True, False])
    x, _ = data(plot.zeros)
    assert list(x) == [s for s in zeros if 44_400 <= s <= 44_500]


# -- the projector: fewer plots, readable scales, the shown step, a captioned export ------------------
def test_the_teacher_chooses_which_plots_show_and_it_is_remembered(qtbot):
    first = PlotsPanel()
    qtbot.addWidget(first)
    first.resize(580, 450)
    first.show()
    show_run(first, seed_setup(), steps=40)
    first.set_visible_plots(["mse", "weights"])
    assert first.visible_plots() == ["weights", "mse"]  # in the usual order
    assert first.weights_plot.widget.isVisible() and not first.delta_plot.widget.isVisible()
    a, b = first.weights_plot.widget.geometry(), first.mse_plot.widget.geometry()
    assert a.top() == b.top() and a.right() < b.left()  # a wide area: side by side
    first.set_visible_plots([])  # at least one always shows: an empty choice changes nothing
    assert first.visible_plots() == ["weights", "mse"]
    with pytest.raises(ValueError, match="no plot called 'loss'"):
        first.set_visible_plots(["loss"])
    first.set_visible_plots(["delta"])
    assert first.delta_plot.widget.geometry().size() == first.plot_area.size()  # the whole area
    assert first.delta_plot.n == 40  # a plot shown again caught up with the steps
    assert first.delta_plot.item.getAxis("bottom").labelText == "step"

    again = PlotsPanel()  # a new window: the choice was remembered
    qtbot.addWidget(again)
    assert again.visible_plots() == ["delta"]
    again.resize(300, 600)
    again.show()
    again.set_visible_plots(["prediction", "delta"])
    qtbot.waitUntil(lambda: again.prediction_plot.widget.geometry().bottom() < again.delta_plot.widget.geometry().top())


def test_a_death_spiral_switches_to_a_signed_log_scale_with_a_note(panel):
    run = show_run(panel, SPIRAL)
    assert run.outcome == "diverged" and run.n_steps > 1000
    for key in ("weights", "prediction", "delta"):
        plot = panel.plots[key]
        assert plot.signed_log and "signed log" in plot.title_text, key
    assert not panel.mse_plot.signed_log  # a log scale already
    plot = panel.delta_plot
    x, y = data(plot.curves[0])
    assert np.nanmax(np.abs(y)) < 400  # drawn as signed decades, not 1.6e154
    assert (y > 1).any() and (y < -1).any()  # both signs: a widening zigzag
    axis = plot.item.getAxis("left")
    low, high = plot.vb.viewRange()[1]
    (_, values), = axis.tickValues(low, high, 200)
    labels = axis.tickStrings(values, 1, 1)
    assert len(labels) >= 3 and "0" in labels and any(t.startswith("−10") for t in labels)
    # the readout still gives the exact value
    assert panel.readout_at("delta", run.n_steps) == f"step {run.n_steps} · delta = {float(run.trace.delta[-1])!r}"
    # a converging run keeps a linear scale
    show_run(panel, seed_setup())
    assert not any(p.signed_log for p in panel.plots.values())


def test_values_near_the_largest_float_are_plotted(panel):
    for setup in (Setup(examples=(Example((1.0,), 1e308),), weights=(0.4,), alpha=0.1, max_steps=50),
                  Setup(examples=(Example((1.0,), 0.6),), weights=(1e308,), alpha=0.1, max_steps=50),
                  Setup(examples=(Example((1.0,), -1e308),), weights=(1e308,), alpha=0.1, max_steps=50)):
        run = show_run(panel, setup)  # no "Cannot set range [-inf, inf]"
        assert run.n_steps > 0 and run.outcome is not None
        for plot in panel.plots.values():
            low, high = plot.vb.viewRange()[1]
            assert math.isfinite(low) and math.isfinite(high) and low < high, plot.key
    # a span too wide for a float (from -1e308 to 1e308) is shown on the signed log scale
    assert panel.prediction_plot.signed_log


def test_the_shown_step_is_marked_and_a_click_asks_for_a_step(panel, qtbot):
    from gdnode_gui.core.frame import Frame

    run = show_run(panel, seed_setup())
    trace = run.trace
    panel.show_frame(Frame(trace.setup, trace, run.n_steps, run.outcome, shown=40))
    assert all(p.shown_line.isVisible() and p.shown_line.value() == 40 for p in panel.plots.values())
    panel.show_frame(Frame(trace.setup, trace, run.n_steps, run.outcome))
    assert not any(p.shown_line.isVisible() for p in panel.plots.values())

    plot = panel.delta_plot
    qtbot.wait(50)  # painted once: the axes have their widths
    where = plot.widget.mapFromScene(plot.vb.mapViewToScene(QPointF(150, -0.1)))
    with qtbot.waitSignal(panel.stepRequested, timeout=2000) as signal:
        qtbot.mouseClick(plot.widget.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert abs(signal.args[0] - 150) <= 3  # about a pixel's worth of steps
    assert panel.step_at("weights", -3.0) == 0 and panel.step_at("mse", 1e9) == run.n_steps


def test_the_export_has_a_caption_and_labelled_kept_runs(panel, tmp_path):
    panel.keep_ghost(run_to_end(seed_setup()).trace, "alpha 0.1, stalled")
    from gdnode_gui.core.frame import Frame

    run = run_to_end(seed_setup().replace(alpha=0.5))
    panel.show_frame(Frame(run.setup, run.trace, run.n_steps, run.outcome))
    lines = panel.caption()
    weight = float(run.trace.weight_path(0)[-1])
    assert lines[0] == f"input (stick) 1 · goal 0.6 · weight 0.4 → {weight!r} · alpha 0.5"
    assert run.outcome and lines[1] == f"{run.outcome} after step {run.n_steps}"
    assert lines[2] == "dashed grey: kept runs: alpha 0.1 (318 steps)"
    panel.show_frame(Frame(run.setup, run.trace, run.n_steps, run.outcome, shown=12))
    assert panel.caption()[1].endswith("· marked: step 12")
    captioned = tmp_path / "captioned.png"
    panel.export_image(str(captioned), scale=1.0)
    image = QImage(str(captioned))
    area = panel.plot_area.size()
    assert image.height() >= area.height() + 3 * 14  # room for the caption's lines under the plots
    below = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2)
             for y in range(area.height() + 16, image.height() - 4, 2)}
    assert len(below) > 3  # the caption is drawn there (text, antialiased), not left empty
    # margins: nothing touches the edge
    edge = [image.pixelColor(x, y).name() for x in range(image.width()) for y in (0, image.height() - 1)]
    edge += [image.pixelColor(x, y).name() for y in range(image.height()) for x in (0, image.width() - 1)]
    assert set(edge) == {LIGHT.background}
    svg = tmp_path / "plots.svg"
    panel.export_image(str(svg))
    text = svg.read_text()
    assert "alpha 0.1 (318 steps)" in text and 'id="caption"' in text


@pytest.mark.parametrize("order", ["cyclic", "shuffled"])
def test_several_examples_draw_each_examples_mse_and_delta_and_the_epoch_mean_bold(panel, order):
    run = show_run(panel, DATA_SET.replace(order=order, seed=3), steps=60)
    trace = run.trace
    used = trace.example[:60]
    for plot, values in ((panel.mse_plot, np.log10(trace.mse[:60])), (panel.delta_plot, trace.delta[:60])):
        assert len(plot.per_example) == 3, plot.key
        for e, (series, mine) in enumerate(plot.per_example):
            x, y = data(series)
            steps = np.flatnonzero(used == e + 1) + 1
            assert x.tolist() == steps.tolist() and np.array_equal(y, values[steps - 1]), (plot.key, e)
            assert series.item.opts["pen"].color().name() == LIGHT.curve_colour(e).lower()  # its own colour
            assert mine.cyclic == (order == "cyclic")  # cyclic: read from the trace, nothing copied
        assert [label.text for label in plot.end_labels if label.shown][:3] == ["ex 1", "ex 2", "ex 3"]
    mean = panel.mse_plot.means.item
    assert mean.opts["pen"].widthF() > 1.5 * panel.mse_plot.per_example[0][0].item.opts["pen"].widthF()
    assert mean.zValue() > panel.mse_plot.per_example[0][0].item.zValue()  # on top


def test_the_mse_drawn_is_the_traces_where_it_shows(panel):
    # tiny deltas: their squares are subnormal or zero; a huge one: its square overflows
    for goal, weight in ((1e-155, 0.0), (3e-160, 0.0), (1e154, 0.0), (-1.5e154, 0.0)):
        setup = Setup(examples=(Example((1.0,), goal),), weights=(weight,), alpha=1e-300, max_steps=30,
                      stop_on_stall=False)
        run = show_run(panel, setup)
        plot = panel.mse_plot
        mse = np.asarray(run.trace.mse[: run.n_steps])
        zeros = np.flatnonzero(mse == 0.0) + 1
        marked = data(plot.zeros)[0] if plot.zeros is not None else None  # made at the first zero
        assert ([] if marked is None else marked.tolist()) == zeros.tolist(), goal
        assert [step for step, _ in plot.bad] == (np.flatnonzero(~np.isfinite(mse)) + 1).tolist(), goal
        x, y = data(plot.line)
        with np.errstate(divide="ignore"):
            expected = np.log10(mse)
        expected[~np.isfinite(expected)] = np.nan
        if np.isnan(expected).all():  # nothing a log axis can draw: no curve, only the markers
            assert y is None or len(y) == 0, goal
        else:
            assert np.array_equal(y, expected, equal_nan=True), goal


def test_axes_label_any_range_without_overflow(panel):
    value_axis = panel.delta_plot.item.getAxis("left")
    (_, values), = value_axis.tickValues(-1e306, 1e306, 200)  # a linear range near the limit
    assert len(values) >= 3 and all(math.isfinite(v) for v in values)
    value_axis.log_scale = 1.0  # a signed log axis still holding a linear range: no endless count
    (_, values), = value_axis.tickValues(-1e306, 1e306, 200)
    assert 3 <= len(values) <= 200
    assert "−10²⁰⁰" in value_axis.tickStrings(values, 1, 1)
    value_axis.log_scale = None
    mse_axis = panel.mse_plot.axis  # log10 of values next to the largest float
    major = mse_axis.tickValues(308.0, 308.25, 200)[0][1]
    labels = [t for t in mse_axis.tickStrings(major, 1, 1) if t]
    assert len(labels) >= 2 and all(t.endswith("10³⁰⁸") for t in labels) and "1.2×10³⁰⁸" in labels


def test_value_ticks_say_what_they_mark():
    from gdnode_gui.ui.views.plots.axes import linear_tick_texts

    assert linear_tick_texts([-2.5, 0, 2.5, 5], 2.5) == ["-2.5", "0", "2.5", "5.0"]  # not "-2" for -2.5
    assert linear_tick_texts([0.45, 0.5, 0.55], 0.05) == ["0.45", "0.50", "0.55"]
    assert linear_tick_texts([-5e153, 0, 5e153], 5e153) == ["-5e+153", "0", "5e+153"]
    assert linear_tick_texts([1e-7, 2e-7], 1e-7) == ["1e-07", "2e-07"]
