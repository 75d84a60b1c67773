"""The Alpha sweep view (gdnode_gui.ui.views.sweep_view): points, pointing, the worker's life."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton
from shiboken6 import Shiboken

from gdnode_gui.core.frame import Frame
from gdnode_gui.core.run import run_to_end
from gdnode_gui.core.setup import Example, Setup, seed_setup
from gdnode_gui.core.sweep import alpha_marks, default_alphas, row_text
from gdnode_gui.core.trace import Trace
from gdnode_gui.ui.views.sweep_view import OUTCOME_LOOKS, AlphaSweepView
from gdnode_gui.ui.style.theme import THEMES

WAIT_MS = 20_000
DATA = (Example((1.0, 0.5), 0.3), Example((0.2, -1.0), 0.8), Example((-0.7, 0.4), -0.1))


def frame_of(setup: Setup) -> Frame:
    return Frame(setup, Trace(setup), 0)


def slow_setup() -> Setup:
    """A sweep that takes many seconds: every alpha runs ten million steps."""
    return seed_setup().replace(max_steps=10_000_000, stop_on_stall=False)


@pytest.fixture
def view(qtbot):
    widget = AlphaSweepView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def finish(qtbot, view: AlphaSweepView, setup: Setup) -> None:
    with qtbot.waitSignal(view.sweepFinished, timeout=WAIT_MS):
        view.show_frame(frame_of(setup))
    qtbot.waitUntil(lambda: not view.running, timeout=WAIT_MS)


def drawn_points(view: AlphaSweepView) -> dict[str, list[tuple[float, float]]]:
    points = {}
    for outcome, item in view.points.items():
        x, y = item.getData()
        points[outcome] = [] if x is None else list(zip(x.tolist(), y.tolist()))
    return points


def viewport_pos(view: AlphaSweepView, row) -> QPoint:
    return view.plot.mapFromScene(view.scene_position(row))


# -- points -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("setup", [seed_setup(), Setup(examples=DATA, weights=(0.1, 0.2), alpha=0.1,
                                                       order="batch", max_steps=2000)],
                         ids=["one example", "batch"])
def test_shows_a_point_per_alpha_after_the_sweep(qtbot, view, setup):
    finish(qtbot, view, setup)
    alphas = default_alphas(setup)
    rows = view.rows
    assert [row.alpha for row in rows] == list(alphas)
    points = drawn_points(view)
    assert sum(len(p) for p in points.values()) == len(alphas)
    for row in rows:  # each point at its alpha and log10(steps), in its outcome's item
        assert (row.alpha, math.log10(row.steps)) in points[row.outcome]
    for row in rows[::10]:  # and each is what a single run gives
        run = run_to_end(setup.replace(alpha=row.alpha))
        assert (row.outcome, row.steps) == (run.outcome, run.n_steps)
    assert {row.outcome for row in rows} >= {"diverged"}


def test_lines_mark_best_cliff_and_current_alpha(qtbot, view):
    setup = seed_setup().replace(alpha=0.3)
    finish(qtbot, view, setup)
    marks = alpha_marks(setup)
    assert view.best_line.isVisible() and view.best_line.value() == marks.best == 1.0
    assert view.cliff_line.isVisible() and view.cliff_line.value() == marks.cliff == 2.0
    assert view.alpha_line.value() == 0.3
    assert "cliff 2" in view.cliff_line.label.toPlainText()
    assert "cliff = 2 / sum(input**2)" in view.plot.toolTip()
    current = view.current_row()
    run = run_to_end(setup)
    assert (current.alpha, current.outcome, current.steps) == (0.3, run.outcome, run.n_steps)
    assert view.summary_label.text().startswith(f"alpha 0.3: {run.outcome} in {run.n_steps} steps")
    assert "best measured: alpha" in view.summary_label.text()


def test_clicking_a_point_requests_its_alpha(qtbot, view):
    finish(qtbot, view, seed_setup())
    row = view.rows[len(view.rows) // 3]
    with qtbot.waitSignal(view.alphaRequested, timeout=2000) as blocker:
        qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(view, row))
    assert blocker.args == [row.alpha]


def test_clicking_beside_the_points_requests_nothing(qtbot, view):
    finish(qtbot, view, seed_setup())
    requested = []
    view.alphaRequested.connect(requested.append)
    corner = view.plot.mapFromScene(view.vb.sceneBoundingRect().topLeft()) + QPoint(3, 3)
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    assert requested == []


def test_pointing_shows_alpha_outcome_and_steps(qtbot, view):
    finish(qtbot, view, seed_setup())
    row = view.rows[-1]
    qtbot.mouseMove(view.plot.viewport(), viewport_pos(view, row))
    qtbot.waitUntil(lambda: view.hover_note != "", timeout=2000)
    assert view.hover_note == row_text(row)
    assert row.outcome in view.hover_note and f"{row.steps:,}" in view.hover_note


# -- cache and visibility -------------------------------------------------------------------------------
def test_cached_per_setup_ignoring_alpha(qtbot, view):
    setup = seed_setup()
    finish(qtbot, view, setup)
    first_rows = view.rows
    chosen = view.rows[20].alpha
    view.show_frame(frame_of(setup.replace(alpha=chosen)))  # an alpha of the sweep: nothing to run
    assert not view.running
    assert view.current_row() is view.rows[20]
    assert view.summary_label.text().startswith(row_text(view.rows[20]))
    finish(qtbot, view, setup.replace(weights=(0.1,)))  # another setup: another sweep
    assert view.rows != first_rows
    view.show_frame(frame_of(setup.replace(alpha=0.1)))  # back: everything is known
    assert not view.running
    assert view.rows == first_rows


def test_computes_only_while_visible(qtbot):
    widget = AlphaSweepView()
    qtbot.addWidget(widget)
    widget.show_frame(frame_of(seed_setup()))
    assert not widget.running and widget.rows == []
    with qtbot.waitSignal(widget.sweepFinished, timeout=WAIT_MS):
        widget.show()
    assert len(widget.rows) == len(default_alphas(seed_setup()))


# -- the worker ------------------------------------------------------------------------------------------
def test_cancel_stops_the_worker(qtbot, view):
    view.show_frame(frame_of(slow_setup()))
    assert view.running
    worker = view.worker
    cancel = view.findChild(QPushButton, "sweepCancelButton")
    assert cancel.isVisible()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.running, timeout=5000)
    assert worker.isFinished()
    assert len(view.rows) < len(default_alphas(slow_setup()))
    assert "cancelled" in view.summary_label.text()
    assert not cancel.isVisible()
    again = view.findChild(QPushButton, "sweepRunButton")
    assert again.isVisible()
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    assert view.running
    view.cancel()
    qtbot.waitUntil(lambda: not view.running, timeout=5000)


def test_hiding_pauses_the_sweep_and_showing_resumes_it(qtbot, view):
    view.show_frame(frame_of(slow_setup()))
    assert view.running
    view.hide()
    qtbot.waitUntil(lambda: not view.running, timeout=5000)
    found = len(view.rows)
    assert found < len(default_alphas(slow_setup()))
    view.show()
    assert view.running
    assert set(view.worker.alphas).isdisjoint(row.alpha for row in view.rows[:found])
    view.cancel()
    qtbot.waitUntil(lambda: not view.running, timeout=5000)


def test_a_new_setup_mid_sweep_replaces_the_worker(qtbot, view):
    view.show_frame(frame_of(slow_setup()))
    first = view.worker
    finish(qtbot, view, seed_setup())
    assert first.isFinished()
    assert len(view.rows) == len(default_alphas(seed_setup()))


@pytest.mark.parametrize("how", ["deleted", "dropped"])
def test_destroying_the_view_mid_sweep_leaves_no_thread(qtbot, how):
    widget = AlphaSweepView()
    widget.show()
    widget.show_frame(frame_of(slow_setup()))
    worker = widget.worker
    assert worker is not None and worker.isRunning()
    if how == "deleted":
        Shiboken.delete(widget)
    else:
        del widget
        gc.collect()
    assert not worker.isRunning()


def test_interpreter_exit_mid_sweep_does_not_abort(tmp_path):
    script = textwrap.dedent("""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from gdnode_gui.core.frame import Frame
        from gdnode_gui.core.trace import Trace
        from gdnode_gui.core.setup import seed_setup
        from gdnode_gui.ui.views.sweep_view import AlphaSweepView
        app = QApplication([])
        setup = seed_setup().replace(max_steps=10_000_000, stop_on_stall=False)
        view = AlphaSweepView()
        view.show()
        view.show_frame(Frame(setup, Trace(setup), 0))
        assert view.running
        QTimer.singleShot(300, app.quit)
        app.exec()
        print("quit", view.running)
        other = AlphaSweepView()
        other.show()
        other.show_frame(Frame(setup, Trace(setup), 0))
        print("exiting while", other.running)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "exiting while True" in done.stdout
    assert "Destroyed while thread" not in done.stderr


# -- looks and accessibility ------------------------------------------------------------------------------
def test_theme_and_zoom(qtbot, view):
    finish(qtbot, view, seed_setup())
    for theme in THEMES.values():
        view.apply_theme(theme)
        assert view.plot.backgroundBrush().color() == QColor(theme.background)
        colour, _, _ = OUTCOME_LOOKS["converged"]
        assert view.points["converged"].opts["symbolBrush"].color() == QColor(theme.curve_colour(colour))
        assert view.cliff_line.pen.color() == QColor(theme.warning)
    size = view.points["stalled"].opts["symbolSize"]
    view.set_zoom(2.0)
    assert view.points["stalled"].opts["symbolSize"] == 2 * size
    assert view.item.getAxis("left").style["tickFont"].pointSizeF() == pytest.approx(18.0)
    view.set_zoom(1.0)
    assert view.points["stalled"].opts["symbolSize"] == size


def out_of_sight(view: AlphaSweepView) -> list[str]:
    """What of the sweep is not in the plot's view: the largest alpha's point, a legend entry."""
    visible = view.plot.viewport().rect()
    largest = max(view.rows, key=lambda row: row.alpha)
    missing = [] if visible.contains(viewport_pos(view, largest)) else [f"alpha {largest.alpha}"]
    for sample, label in view.legend.items:  # each entry: its symbol and its word
        for part in (sample, label.item):
            if not visible.contains(view.plot.mapFromScene(part.sceneBoundingRect()).boundingRect()):
                missing.append(label.text)
    return missing


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_a_narrow_view_shows_every_alpha_and_the_whole_legend(qtbot, view, zoom):
    # A legend wider than the view widened the plot past it: at 1024x768 (a view ~390 px
    # wide) everything right of alpha 3 was cut off, the diverging runs among it.
    finish(qtbot, view, seed_setup())
    assert max(view.rows, key=lambda row: row.alpha).outcome == "diverged"
    view.set_zoom(zoom)
    wide = True if zoom == 1.0 else None  # at 2x one row may not fit in 900 px
    for width, one_row in ((900, wide), (390, False), (900, wide)):
        view.resize(width, 500)
        qtbot.waitUntil(lambda w=width: view.plot.viewport().width() == w - 8)  # the view's margins
        qtbot.wait(30)  # the plot's layout settled
        assert view.item.geometry().width() <= view.plot.viewport().width()
        assert out_of_sight(view) == []
        if one_row is not None:
            assert (view.legend.columnCount == len(OUTCOME_LOOKS)) is one_row


def test_every_control_is_named_and_explained(view):
    for kind, name in ((QLabel, "sweepSummaryLabel"), (QProgressBar, "sweepProgressBar"),
                       (QPushButton, "sweepCancelButton"), (QPushButton, "sweepRunButton")):
        control = view.findChild(kind, name)
        assert control is not None, name
        assert control.accessibleName() and control.toolTip(), name
    assert view.plot.objectName() == "sweepPlot" and view.plot.accessibleName() and view.plot.toolTip()
    assert view.objectName() == "alphaSweepView" and view.accessibleName() and view.toolTip()
