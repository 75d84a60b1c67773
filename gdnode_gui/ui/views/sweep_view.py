"""The Alpha sweep view: how many steps each alpha takes, and how its run ends.

One point per alpha (steps on a log scale), coloured *and* shaped by the outcome, with the
alphas the closed form predicts as labelled vertical lines (the best alpha and the cliff
beyond which the node blows up) and the current alpha marked.  Pointing at a point shows
its alpha, outcome and steps; clicking it asks for that alpha (:attr:`alphaRequested`).

The runs are made by :mod:`gdnode_gui.core.sweep` in a :class:`SweepWorker` thread that
lives only while it computes, shows its progress and can be cancelled; the rows are kept
per setup (ignoring alpha), so going back to a setup, or changing only alpha, costs nothing.
The view computes only while it is visible.
"""

from __future__ import annotations

import atexit
import math
import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QThread, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from gdnode_gui.core.number_text import maths, short
from gdnode_gui.core.frame import Frame
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.sweep import (
    AlphaMarks, SweepRow, alpha_marks, best_measured, default_alphas, row_text, sweep,
    where_alpha_text,
)

from gdnode_gui.ui.controls import named
from gdnode_gui.ui.style.theme import LIGHT, Theme
from gdnode_gui.ui.views.plots.plot_parts import step_text

#: How each outcome is drawn: (theme curve colour index, symbol, legend text).  Shape and
#: colour both differ, so nothing depends on colour alone.
OUTCOME_LOOKS = {
    "converged": (2, "o", "converged"),
    "stalled": (0, "s", "stalled"),
    "max_steps": (3, "t", "max_steps"),
    "diverged": (1, "x", "diverged"),
}
TICK_PT, LABEL_PT, LEGEND_PT = 9.0, 9.0, 9.0  # font sizes at zoom 1
LEGEND_SLACK = 12  # px beside the legend: the plot's margins and spacing
SYMBOL_SIZE = 9.0
#: Room above the highest point, as a part of the steps' span, for the labels of the lines.
HEADROOM = 0.32
PLOT_TIP = ("One point per alpha: how many steps the run took (log scale) and how it ended. "
            "Point at a point for its numbers; click it to use that alpha.")
#: Sweeps kept (the setups most recently shown).
CACHED_SETUPS = 16
#: A click or hover this many pixels (at zoom 1) from a point picks it.
PICK_PIXELS = 12.0

# Workers still running, held until they finish (a dropped running QThread aborts the process).
_RUNNING: set["SweepWorker"] = set()


def stop_all_workers() -> None:
    """Cancel and join every running sweep (at application quit and interpreter exit)."""
    for worker in list(_RUNNING):
        worker.cancel()
    for worker in list(_RUNNING):
        try:
            worker.wait()
        except RuntimeError:  # its C++ object is gone: not running
            pass
    _RUNNING.clear()


atexit.register(stop_all_workers)


class StepsAxis(pg.AxisItem):
    """The steps axis: the data are ``log10(steps)``; labels at 1, 10, 100, 1k ... (with 2
    and 5 between when only a few decades are shown), never ``2·10²``."""

    def tickValues(self, minVal, maxVal, size):
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0 or size <= 0:
            return []
        decades = [float(k) for k in range(math.ceil(lo), math.floor(hi) + 1)]
        between = [k + math.log10(m) for k in range(math.floor(lo), math.ceil(hi) + 1) for m in (2, 5)
                   if lo <= k + math.log10(m) <= hi]
        if len(decades) <= 3:
            return [(1.0, decades + between)]
        step = max(1, math.ceil(len(decades) / max(2, int(size / 40))))
        return [(float(step), decades[::step]), (1.0, [d for i, d in enumerate(decades) if i % step])]

    def tickStrings(self, values, scale, spacing):
        return [step_text(round(10.0**v)) for v in values]


def _level(row: SweepRow) -> float:
    """Where a row's point is drawn: ``log10(steps)``."""
    return math.log10(max(row.steps, 1))


def sweep_key(setup: Setup) -> tuple:
    """What a sweep depends on: everything in the setup but its alpha and its words."""
    return (setup.examples, setup.weights, setup.frozen, setup.max_steps, setup.tolerance,
            setup.stop_on_stall, setup.order, setup.seed)


class SweepWorker(QThread):
    """Runs a list of alphas of one setup, one :class:`SweepRow` at a time.

    Lives only while it computes.  :meth:`cancel` may be called from any thread; the
    worker notices within a few milliseconds (between blocks of steps).
    """

    rowFound = Signal(object, object)  # (sweep key, SweepRow)
    failed = Signal(str)

    def __init__(self, key: tuple, setup: Setup, alphas: list[float]) -> None:
        super().__init__()  # no parent: it is joined by its view, never destroyed while running
        self.setObjectName("sweepWorker")
        self.key = key
        self.setup = setup
        self.alphas = list(alphas)
        self._cancelled = threading.Event()
        _RUNNING.add(self)
        self.finished.connect(self._forget)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _forget(self) -> None:
        # ``finished`` comes from the thread just before it ends: join it before letting go,
        # or the last reference could go while the thread is still winding down.
        self.wait()
        _RUNNING.discard(self)

    def run(self) -> None:
        try:
            for row in sweep(self.setup, self.alphas, cancelled=self._cancelled.is_set):
                self.rowFound.emit(self.key, row)
        except Exception as error:  # noqa: BLE001 - shown to the user, never a crash
            self.failed.emit(f"the sweep failed: {error}")


def _stop_and_join(holder: list) -> None:
    """Stop and join the worker of a view that is being destroyed (holds no view reference)."""
    for worker in holder:
        worker.cancel()
        try:
            worker.wait()
        except RuntimeError:
            pass
    holder.clear()


class AlphaSweepView(QWidget):
    """Steps against alpha for the current setup; see the module docstring.

    Signals
    -------
    alphaRequested(float)
        The user clicked the point of this alpha.
    sweepFinished()
        Every alpha of the current setup's sweep has its row.
    """

    alphaRequested = Signal(float)
    sweepFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "alphaSweepView", "Alpha sweep",
              "How many steps the node takes for each alpha, and how each run ends")
        self._theme: Theme = LIGHT
        self._zoom = 1.0
        self._legend_fitted: tuple | None = None  # (room, zoom) the legend's columns were chosen for
        self._setup: Setup | None = None
        self._key: tuple | None = None
        self._alphas: tuple[float, ...] = ()
        self._marks = AlphaMarks(None, None, "")
        self._cache: dict[tuple, dict[float, SweepRow]] = {}
        self._worker: SweepWorker | None = None
        self._holder: list[SweepWorker] = []  # the running worker, for _stop_and_join
        self._shown_points: list[SweepRow] = []
        self._cancelled_key: tuple | None = None
        self._build()
        self.destroyed.connect(lambda *_, holder=self._holder: _stop_and_join(holder))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda holder=self._holder: _stop_and_join(holder))
        self.apply_theme(self._theme)

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.plot = pg.PlotWidget(axisItems={"left": StepsAxis("left")})
        named(self.plot, "sweepPlot", "Alpha sweep plot: steps against alpha", PLOT_TIP)
        self.plot.setMinimumSize(200, 150)
        self.item = self.plot.getPlotItem()
        self.vb = self.item.getViewBox()
        self.item.hideButtons()
        self.item.setMenuEnabled(False)
        self.vb.setMouseEnabled(x=False, y=False)
        self.item.showGrid(x=False, y=True, alpha=0.2)
        self.item.setLabel("bottom", "alpha")
        self.item.setLabel("left", "steps (log scale)")
        for side in ("left", "bottom"):
            self.item.getAxis(side).enableAutoSIPrefix(False)
        # One item per outcome, so the legend shows each outcome's colour and shape once.
        self.points: dict[str, pg.PlotDataItem] = {}
        # The legend sits below the plot, in the plot's own layout: it never covers a point.
        # Its columns follow the room (:meth:`_fit_legend`).
        self.legend = pg.LegendItem(colCount=len(OUTCOME_LOOKS), horSpacing=18)
        self.item.layout.addItem(self.legend, 4, 1)
        for outcome, (_, symbol, label) in OUTCOME_LOOKS.items():
            item = pg.PlotDataItem([], [], pen=None, symbol=symbol)
            self.item.addItem(item)
            self.points[outcome] = item
            self.legend.addItem(item, label)
        # The current alpha's own point (it is rarely one of the sweep's): a ring around it.
        self.current_point = pg.PlotDataItem([], [], pen=None, symbol="o")
        self.current_point.setZValue(20)
        self.item.addItem(self.current_point)
        self.best_line = self._vline("best")
        self.cliff_line = self._vline("cliff")
        self.alpha_line = self._vline("alpha")
        self.hover_text = pg.TextItem("", anchor=(0, 1))
        self.hover_text.setZValue(60)
        self.hover_text.hide()
        self.item.addItem(self.hover_text, ignoreBounds=True)
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        layout.addWidget(self.plot, 1)

        row = QHBoxLayout()
        self.summary_label = QLabel("")
        named(self.summary_label, "sweepSummaryLabel", "Where the current alpha stands",
              "How the run with the current alpha ends, and the alpha of the "
              "sweep that settled in the fewest steps")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.summary_label, 1)
        self.progress = QProgressBar()
        named(self.progress, "sweepProgressBar", "Sweep progress", "How many of the sweep's alphas have been run")
        self.progress.setFormat("%v of %m alphas")
        self.progress.setMaximumWidth(220)
        row.addWidget(self.progress)
        self.cancel_button = QPushButton("Cancel")
        named(self.cancel_button, "sweepCancelButton", "Cancel the sweep",
              "Stop running the alphas; the points found so far stay")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.cancel_button)
        self.run_button = QPushButton("Sweep")
        named(self.run_button, "sweepRunButton", "Run the sweep", "Run the alphas that have no point yet")
        self.run_button.clicked.connect(self._on_run_clicked)
        row.addWidget(self.run_button)
        layout.addLayout(row)
        self._set_running(False)

    def _vline(self, kind: str) -> pg.InfiniteLine:
        position = {"best": 0.965, "cliff": 0.915, "alpha": 0.865}[kind]  # in the headroom
        line = pg.InfiniteLine(angle=90, movable=False, label="",
                               labelOpts={"position": position, "anchors": [(0, 0.5), (0, 0.5)]})
        line.setZValue(-5)
        line.hide()
        self.item.addItem(line, ignoreBounds=True)
        return line

    # -- the frame ------------------------------------------------------------------------------
    def show_frame(self, frame: Frame) -> None:
        """Show the sweep of ``frame.setup`` (the view protocol): computed now if the view is
        visible and the setup (apart from alpha) changed, else when it becomes visible."""
        setup = frame.setup
        if setup is self._setup or setup == self._setup:
            return  # a new step of the same run: nothing here changes (called at every frame)
        key = sweep_key(setup)
        self._setup = setup
        if key != self._key:
            self._key = key
            self._marks = alpha_marks(setup)
            self._alphas = default_alphas(setup)
            self._cancelled_key = None
            self._cache[key] = self._cache.pop(key, {})  # the newest last; the oldest go
            while len(self._cache) > CACHED_SETUPS:
                del self._cache[next(iter(self._cache))]
        self._refresh()
        if self.isVisible():
            self._compute()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._setup is not None:
            self._compute()

    def hideEvent(self, event) -> None:
        """A hidden view does not compute: the worker stops (its rows stay) and the sweep
        goes on when the view is shown again."""
        super().hideEvent(event)
        if self._worker is not None:
            self._worker.cancel()

    def _missing(self) -> list[float]:
        """The alphas of the current setup without a row: the current alpha first."""
        if self._key is None or self._setup is None:
            return []
        rows = self._cache.get(self._key, {})
        wanted = [self._setup.alpha] + [a for a in self._alphas if a != self._setup.alpha]
        return [a for a in wanted if a not in rows]

    def _compute(self) -> None:
        """Start (or restart) the worker for what the current setup still lacks."""
        missing = self._missing()
        worker = self._worker
        if worker is not None and worker.key == self._key and not worker.cancelled:
            if set(missing) <= set(worker.alphas):
                return  # already on it
        if worker is not None:
            worker.cancel()  # its rows still count; the next worker starts when it ends
            return
        if not missing or self._cancelled_key == self._key:
            self._set_running(False)
            return
        self._start(missing)

    def _start(self, alphas: list[float]) -> None:
        assert self._setup is not None and self._key is not None
        worker = SweepWorker(self._key, self._setup, alphas)
        worker.rowFound.connect(self._on_row)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_worker_finished)
        self._worker = worker
        self._holder[:] = [worker]
        total = len(self._alphas) + (self._setup.alpha not in self._alphas)
        self.progress.setRange(0, total)
        self.progress.setValue(total - len(alphas))
        self._set_running(True)
        worker.start(QThread.Priority.LowPriority)

    def cancel(self) -> None:
        """Stop the sweep (the points found so far stay); :meth:`run_sweep` goes on."""
        self._cancelled_key = self._key
        if self._worker is not None:
            self._worker.cancel()
        self._refresh()

    def run_sweep(self) -> None:
        """Run the alphas that have no point yet (after a cancel)."""
        self._cancelled_key = None
        self._compute()

    def _on_run_clicked(self) -> None:
        self.run_sweep()

    @property
    def running(self) -> bool:
        """Whether a worker is computing."""
        return self._worker is not None

    @property
    def worker(self) -> SweepWorker | None:
        return self._worker

    def _on_row(self, key: Setup, row: SweepRow) -> None:
        if key not in self._cache:
            return  # a setup that has left the cache
        self._cache[key][row.alpha] = row
        if key == self._key:
            self.progress.setValue(min(self.progress.maximum(), self.progress.value() + 1))
            self._refresh()

    def _on_failed(self, message: str) -> None:
        self.summary_label.setText(message)

    def _on_worker_finished(self) -> None:
        worker, self._worker = self._worker, None
        self._holder.clear()
        if worker is not None:
            worker.wait()  # ended already (see SweepWorker._forget); dropped with the last reference
        self._set_running(False)
        self._refresh()
        if self.isVisible() and self._missing() and self._cancelled_key != self._key:
            self._compute()
        elif self._key is not None and not self._missing():
            self.sweepFinished.emit()

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.run_button.setVisible(not running and bool(self._missing()))

    # -- drawing --------------------------------------------------------------------------------
    @property
    def rows(self) -> list[SweepRow]:
        """The sweep's rows found so far for the current setup, in alpha order."""
        found = self._cache.get(self._key, {}) if self._key is not None else {}
        return [found[a] for a in self._alphas if a in found]

    def current_row(self) -> SweepRow | None:
        if self._key is None or self._setup is None:
            return None
        return self._cache.get(self._key, {}).get(self._setup.alpha)

    def _refresh(self) -> None:
        rows = self.rows
        self._shown_points = rows
        for outcome, item in self.points.items():
            chosen = [r for r in rows if r.outcome == outcome]
            item.setData(np.array([r.alpha for r in chosen], dtype=float),
                         np.array([_level(r) for r in chosen], dtype=float))
        current = self.current_row()
        if current is None:
            self.current_point.setData([], [])
        else:
            self.current_point.setData([current.alpha], [_level(current)])
        marks = self._marks
        if marks.rule:
            self.plot.setToolTip(f"{PLOT_TIP} The lines are the closed form's: best = {marks.best_rule}, "
                                 f"cliff = {marks.rule}.")
        for line, value, name in ((self.best_line, marks.best, "best"), (self.cliff_line, marks.cliff, "cliff")):
            if value is None:
                line.hide()
            else:
                line.setValue(value)
                line.label.setFormat(f"{name} {maths(short(value))}")
                line.show()
        if self._setup is not None:
            self.alpha_line.setValue(self._setup.alpha)
            self.alpha_line.label.setFormat(f"alpha {maths(short(self._setup.alpha))}")
            self.alpha_line.show()
        self._fit_x()
        self._update_summary(rows)
        if self._worker is None:
            self._set_running(False)

    def _fit_x(self) -> None:
        if not self._alphas:
            return
        low, high = self._alphas[0], self._alphas[-1]
        if self._setup is not None and math.isfinite(self._setup.alpha):
            high = max(high, self._setup.alpha)
        self.vb.setXRange(low, high, padding=0.03)
        # Steps from 1 up, with room above the points for the lines' labels.
        levels = [_level(r) for r in self._shown_points]
        current = self.current_row()
        if current is not None:
            levels.append(_level(current))
        top = max(levels, default=1.0)
        span = max(top, 1.0)
        self.vb.setYRange(-0.05 * span, top + HEADROOM * span, padding=0)

    def _update_summary(self, rows: list[SweepRow]) -> None:
        if self._setup is None:
            self.summary_label.setText("")
            return
        current = self.current_row()
        best = best_measured(rows, self._setup.weights)
        text = where_alpha_text(current, best)
        if current is None:
            state = "running…" if self.running else "not run yet"
            text = f"alpha {maths(short(self._setup.alpha))}: {state}" + (f"; {text}" if text else "")
        if self._cancelled_key == self._key and self._missing():
            text += f" (sweep cancelled: {len(rows)} of {len(self._alphas)} alphas)"
        self.summary_label.setText(text)

    # -- pointing -------------------------------------------------------------------------------
    def point_at(self, scene_pos: QPointF) -> SweepRow | None:
        """The row whose point is nearest ``scene_pos`` (within a few pixels), or None."""
        rows = self._shown_points
        if not rows or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        best, best_distance = None, PICK_PIXELS * self._zoom
        for row in rows:
            where = self.scene_position(row)
            distance = math.hypot(where.x() - scene_pos.x(), where.y() - scene_pos.y())
            if distance <= best_distance:
                best, best_distance = row, distance
        return best

    def scene_position(self, row: SweepRow) -> QPointF:
        """Where the point of ``row`` is drawn, in scene coordinates."""
        return self.vb.mapViewToScene(QPointF(row.alpha, _level(row)))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        row = self.point_at(scene_pos)
        if row is None:
            self.hover_text.hide()
            return
        self.hover_text.setText(row_text(row))
        self.hover_text.setPos(row.alpha, _level(row))
        # Keep the note inside the plot: to the left of points in the right half.
        (x0, x1), _ = self.vb.viewRange()
        self.hover_text.setAnchor((1, 1) if row.alpha > (x0 + x1) / 2 else (0, 1))
        self.hover_text.show()

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        row = self.point_at(event.scenePos())
        if row is not None:
            event.accept()
            self.alphaRequested.emit(row.alpha)

    @property
    def hover_note(self) -> str:
        """The text shown next to the point under the pointer ("" when none)."""
        return self.hover_text.textItem.toPlainText() if self.hover_text.isVisible() else ""

    # -- looks ----------------------------------------------------------------------------------
    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._restyle()

    def set_zoom(self, factor: float) -> None:
        """Scale fonts, line widths and markers (the app font is scaled by the window)."""
        self._zoom = max(0.25, float(factor))
        self._restyle()

    def _restyle(self) -> None:
        theme, zoom = self._theme, self._zoom
        foreground, muted = QColor(theme.foreground), QColor(theme.muted)
        self.plot.setBackground(theme.background)
        tick_font = pg.QtGui.QFont()
        tick_font.setPointSizeF(TICK_PT * zoom)
        for side in ("left", "bottom"):
            axis = self.item.getAxis(side)
            axis.setPen(pg.mkPen(muted, width=max(1.0, zoom)))
            axis.setTextPen(foreground)
            axis.setStyle(tickFont=tick_font, tickTextOffset=int(round(4 * zoom)),
                          tickLength=int(round(-5 * zoom)))
            axis.setLabel(axis.labelText, color=theme.foreground, **{"font-size": f"{LABEL_PT * zoom:.1f}pt"})
        for outcome, item in self.points.items():
            colour = QColor(theme.curve_colour(OUTCOME_LOOKS[outcome][0]))
            item.setSymbolBrush(colour)
            item.setSymbolPen(pg.mkPen(colour if outcome == "diverged" else foreground, width=max(1.0, zoom)))
            item.setSymbolSize(max(3, int(round(SYMBOL_SIZE * zoom))))
        self.legend.setBrush(pg.mkBrush(QColor(theme.background)))
        self.legend.setPen(pg.mkPen(None))
        self.legend.setLabelTextColor(foreground)
        self.legend.setLabelTextSize(f"{LEGEND_PT * zoom:.1f}pt")
        for _, label in self.legend.items:
            label.setText(label.text, color=theme.foreground, size=f"{LEGEND_PT * zoom:.1f}pt")
        label_font = pg.QtGui.QFont()
        label_font.setPointSizeF(LABEL_PT * zoom)
        fill = QColor(theme.background)
        fill.setAlpha(210)
        width = max(1.0, theme.line_width * zoom * 0.75)
        for line, colour, style in ((self.best_line, QColor(theme.curve_colour(2)), Qt.PenStyle.DashLine),
                                    (self.cliff_line, QColor(theme.warning), Qt.PenStyle.DashLine),
                                    (self.alpha_line, QColor(theme.goal), Qt.PenStyle.SolidLine)):
            line.setPen(pg.mkPen(colour, width=width, style=style))
            line.label.setColor(colour)
            line.label.fill = pg.mkBrush(fill)
            line.label.setFont(label_font)
        self.current_point.setSymbolBrush(pg.mkBrush(None))
        self.current_point.setSymbolPen(pg.mkPen(QColor(theme.goal), width=max(1.0, 2 * zoom)))
        self.current_point.setSymbolSize(max(6, int(round(2.2 * SYMBOL_SIZE * zoom))))
        self.hover_text.setColor(foreground)
        self.hover_text.fill = pg.mkBrush(fill)
        self.hover_text.border = pg.mkPen(muted)
        self.hover_text.setFont(label_font)
        self.legend.updateSize()
        self._fit_legend()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """As many legend columns as fit under the plot: one row when there is room, else
        two rows of two, else one entry a row.  A legend wider than the room widened the
        plot past its view, and the view cut off the plot's right side: the largest alphas,
        where the runs diverge (at 1024x768 everything right of alpha 3)."""
        room = self.plot.viewport().width() - self.item.getAxis("left").width() - LEGEND_SLACK
        if self._legend_fitted == (room, self._zoom):
            return  # a change of height, or of theme: the same columns
        self._legend_fitted = (room, self._zoom)
        entries, before = len(self.legend.items), self.legend.columnCount
        for columns in sorted({math.ceil(entries / rows) for rows in range(1, entries + 1)}, reverse=True):
            self.legend.setColumnCount(columns)  # lays the entries out again when it changes
            if self.legend.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).width() <= room:
                break
        if self.legend.columnCount != before:
            self.legend.updateSize()
        self.item.setGeometry(self.plot.range)  # the view's whole rect, now that the legend fits
