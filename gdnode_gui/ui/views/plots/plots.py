"""Live plots of a run: the weights, the mse (log scale), prediction vs goal, delta.

:class:`PlotsPanel` shows four pyqtgraph plots that share the step axis, a readout of the
exact value under the mouse and a "follow" switch.  It follows pyqtgraph's live-plot habits
(``examples/scrollingPlots.py``): one curve object per series, reused; data handed over as
views of the trace (rows never change) or of append-only buffers; clip-to-view.  The window
calls :meth:`PlotsPanel.refresh` about 30 times a second; each call costs in proportion to
the new steps and the plots' width, never to the length of the run: the new steps are
reduced into min/max buckets (:class:`~gdnode_gui.ui.views.plots.plot_parts.Series`), and a curve is
handed its exact values only when few of them are in view.  The readout always reads the
trace itself.  While following, the panel sets the step range itself, before the new data,
in small round steps, so the axes stay calm.  The user may zoom and pan the steps (the value
axis always fits what is visible); that stops following until the "Follow the newest steps"
box is ticked again.

The log-scale mse plot draws ``log10(mse)`` on an axis that labels powers of ten, so the
values it cannot draw stay visible: an exact zero is a marker below the curve with the
note "mse = 0 (exact)" (and the axis tick there reads 0), an overflow is a marker above
it with "overflow: inf".
"""

from __future__ import annotations

import math
from pathlib import Path
from xml.dom import minidom

import numpy as np
from pyqtgraph.exporters import SVGExporter
from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QBoxLayout, QCheckBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget,
)

from gdnode_gui.core.setup import Setup, write_atomically
from gdnode_gui.core.frame import Frame
from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.views.plots.plot_parts import Growing, Look, MseAxis, Plot, label_spacing, room_for
from gdnode_gui.ui.style.theme import LIGHT, Theme

MAX_GHOSTS = 3
MAX_EXAMPLE_SERIES = 7  # more examples than this: one prediction series, not one each
FEW_STEPS = 60  # a dot at every step while the run is no longer than this
MSE_COLOUR, DELTA_COLOUR, PREDICTION_COLOUR, ZERO_COLOUR = 5, 1, 0, 2
HINT = "Point at a plot to read the exact value of a step."
#: New steps per refresh from which the followed step axis leaves room for the next ones.
FAST_GROWTH = 100
SETTLE_MS = 300


# -- the four plots ------------------------------------------------------------------------------------
class _WeightsPlot(Plot):
    key, title, short_title = "weights", "weights", "weights"
    tip = ("How each weight changes, step by step. It settles where the prediction "
           "meets the goal (or keeps growing when alpha is too big).")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.curves = []
        for i in range(setup.n_inputs):
            name = setup.input_name(i) + (" (frozen)" if setup.frozen[i] else "")
            self.curves.append(self.add_series(Look(i, style=Theme.line_style(i), dots=True), name, first=0))

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        for i in range(trace.setup.n_inputs):
            self.add_series(Look(i, ghost=index), label if i == 0 else None, first=0).extend(
                trace.weight_path(i)[: n + 1])

    def update(self, n: int) -> None:
        for i, series in enumerate(self.curves):
            series.extend(self.trace.weight_path(i)[: n + 1])
        self.n = n
        self.place_legend(self.curves)

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        values = [float(trace.weight_path(i)[step]) for i in range(trace.setup.n_inputs)]
        i = 0
        if y is not None and len(values) > 1:
            i = min(range(len(values)), key=lambda j: abs(values[j] - y) if math.isfinite(values[j]) else math.inf)
        when = "start" if step == 0 else f"after step {step}"
        name = trace.setup.input_name(i)
        return f"{when} · weight_{i + 1} ({name}) = {values[i]!r}"


class _MsePlot(Plot):
    key, title, short_title = "mse", "mse (log scale)", "mse (log)"
    tip = ("The error of each step, mse = delta², on a log scale: 10⁻⁵ is ten times smaller "
           "than 10⁻⁴. An exact zero is drawn at the bottom (marked 0), an overflow at the top.")

    _markers: tuple = ()  # what the markers and notes show now

    def __init__(self) -> None:
        super().__init__(MseAxis("left"))
        self.axis = self.item.getAxis("left")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.epoch = setup.n_examples if (setup.order != "batch" and setup.n_examples > 1) else 0
        self.log = Growing()
        self.zero_x = Growing(np.int64)
        self.epoch_x, self.epoch_log = Growing(np.int64), Growing()
        self.min_positive = math.inf
        self.max_log = -math.inf
        self.bad: list[tuple[int, float]] = []  # (step, value) of inf/nan steps
        self._markers = ()
        self.line = self.add_series(Look(MSE_COLOUR, dots=True), "each step" if self.epoch else None)
        self.means = None
        if self.epoch:
            self.means = self.add_series(Look("foreground", style=Qt.PenStyle.DashLine, width=1.25), "epoch mean")
        self.zero_marks = self.add_marks(Look(ZERO_COLOUR, style=None, symbol="o", symbol_size=9))
        self.zeros = self.zero_marks.item
        self.overflow = self.curve(Look("warning", style=None, symbol="x", symbol_size=15))
        self.zero_note = self.text(ZERO_COLOUR, anchor=(0, 1.15))
        self.overflow_note = self.text("warning", anchor=(1.08, 0.5))
        self.axis.zero_level = None

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        with np.errstate(all="ignore"):
            log = np.log10(trace.mse[:n])
        finite = np.isfinite(log)
        if finite.any():
            log[~finite] = np.nan  # a cleaned copy, made once
            self.add_series(Look(MSE_COLOUR, ghost=index), label).extend(log)

    def update(self, n: int) -> None:
        a = self.n
        chunk = self.trace.mse[a:n]
        with np.errstate(all="ignore"):
            log = np.log10(chunk)
        finite = np.isfinite(log)
        if not finite.all():
            log[~finite] = np.nan
            for j in np.flatnonzero(~np.isfinite(chunk)).tolist():
                self.bad.append((a + j + 1, float(chunk[j])))
            self.zero_x.extend(np.flatnonzero(chunk == 0.0) + a + 1)
        if finite.any():
            self.min_positive = min(self.min_positive, float(chunk[finite].min()))
            self.max_log = max(self.max_log, float(log[finite].max()))
        self.log.extend(log)
        self.line.extend(self.log.view)
        # nothing a log axis can draw yet (no steps, or only exact zeros): no all-nan curve
        self.line.hidden = not math.isfinite(self.max_log)
        if self.epoch:
            self._update_means(n)
        self._update_markers(n)
        self.n = n
        if n:
            self.place_legend([self.line])

    def _update_means(self, n: int) -> None:
        m = self.epoch
        done, now = len(self.epoch_x), n // m
        if now > done:
            with np.errstate(all="ignore"):
                means = self.trace.mse[done * m : now * m].reshape(-1, m).mean(axis=1)
                log = np.log10(means)
            log[~np.isfinite(log)] = np.nan
            self.epoch_x.extend((np.arange(done, now, dtype=np.int64) + 1) * m)
            self.epoch_log.extend(log)
            self.means.extend(self.epoch_log.view, self.epoch_x.view)

    def _update_markers(self, n: int) -> None:
        """The zero and overflow markers and notes, set again only when they change."""
        low = math.floor(math.log10(self.min_positive)) - 1 if math.isfinite(self.min_positive) else -1
        high = self.max_log + 1 if math.isfinite(self.max_log) else 1.0
        zeros = self.zero_x.view
        first = int(zeros[0]) if zeros.shape[0] else 0
        self.zero_marks.level = float(low)
        self.zero_marks.extend(zeros)  # drawn (thinned when many) by sync()
        markers = (bool(zeros.shape[0]), low, first, first > n / 2, len(self.bad), high)
        if markers == self._markers:
            return
        self._markers = markers
        if zeros.shape[0]:
            self.axis.zero_level = float(low)
            self.zero_note.setText("mse = 0 (exact)")
            self.zero_note.setAnchor((1.05, 1.15) if first > n / 2 else (-0.05, 1.15))
            self.zero_note.setPos(first, low)
        self.zero_note.setVisible(bool(zeros.shape[0]))
        if self.bad:
            self.overflow.setData([s for s, _ in self.bad], [float(high)] * len(self.bad))
            step, value = self.bad[-1]
            self.overflow_note.setText("overflow: inf" if math.isinf(value) else "not a number: nan")
            self.overflow_note.setPos(step, high)
        self.overflow_note.setVisible(bool(self.bad))

    def y_marks(self) -> list[tuple[float, float, float]]:
        zeros, low, _, _, bad, high = self._markers or (False, 0, 0, False, 0, 0)
        return (([(low, low, self.zeros.pixelPadding())] if zeros else [])
                + ([(high, high, self.overflow.pixelPadding())] if bad else []))

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        value = float(trace.mse[step - 1])
        text = f"step {step}"
        if self.epoch:
            text += f" (example {int(trace.example[step - 1])})"
        text += f" · mse = {value!r}" + (" (exactly zero)" if value == 0.0 else "")
        epoch = (step - 1) // self.epoch + 1 if self.epoch else 0
        if epoch and epoch * self.epoch <= self.n:  # the mean of a whole epoch, as the stop rule sums it
            values = trace.mse[(epoch - 1) * self.epoch : epoch * self.epoch].tolist()
            text += f" · mean of epoch {epoch} = {math.fsum(values) / self.epoch!r}"
        return text


class _PredictionPlot(Plot):
    key, title, short_title = "prediction", "prediction vs goal", "prediction"
    tip = ("The node's prediction at each step (weight × input, added up) and the goal it "
           "should reach (dashed). With several examples, one colour per example; each dashed "
           "goal line is labelled with its example's number.")
    legend_wanted = False

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        m = setup.n_examples
        self.mode = "batch" if trace.batch else "single" if m == 1 else "each" if m <= MAX_EXAMPLE_SERIES else "many"
        self.per_example = []  # "each": (series, its steps, its predictions) of every example
        if self.mode == "batch":
            note = self.text("muted", fixed=True)
            note.setText("Batch order: every step uses all the examples at once, so there is "
                         "no single prediction per step. The mse plot shows their mean error.")
            return
        if self.mode == "single":
            self.line = self.add_series(Look(PREDICTION_COLOUR, dots=True))
            self.hline(setup.examples[0].goal, "goal", f"goal {setup.examples[0].goal!r}")
        elif self.mode == "each":
            for e, example in enumerate(setup.examples):
                series = self.add_series(Look(e, style=Theme.line_style(e), symbol=None, dots=True))
                self.per_example.append((series, Growing(np.int64), Growing()))
                self.hline(example.goal, e, f"goal {e + 1}", position=0.98 - label_spacing(m) * e, right=True)
        else:  # many examples: two bands, the predictions and the goals of each step's example
            self.goal_y = Growing()
            self.goal_points = self.add_series(Look("goal", width=0.5))
            self.line = self.add_series(Look(PREDICTION_COLOUR, width=0.5))
            self.legend.addItem(self.line.item, "prediction")
            self.legend.addItem(self.goal_points.item, "goal of the example")

    def fit(self) -> None:
        super().fit()
        if getattr(self, "mode", None) == "each":  # staggered labels: "goal 2", or "2" if tight
            room = label_spacing(len(self.lines)) * self.vb.width()
            for e, (line, _) in enumerate(self.lines):
                line.label.setFormat(f"goal {e + 1}")
                if line.label.boundingRect().width() * 1.05 > room:
                    line.label.setFormat(f"{e + 1}")
                line.label.setVisible(line.label.boundingRect().width() * 1.05 <= room)

    def update(self, n: int) -> None:
        trace, a = self.trace, self.n
        if self.mode == "single":
            self.line.extend(trace.prediction[:n])
        elif self.mode == "each":
            used = trace.example[a:n]
            prediction = trace.prediction[a:n]
            for e, (series, xs, ys) in enumerate(self.per_example):
                mine = np.flatnonzero(used == e + 1)
                if mine.shape[0]:
                    xs.extend(mine + a + 1)
                    ys.extend(prediction[mine])
                    series.extend(ys.view, xs.view)
        elif self.mode == "many":
            self.goal_y.extend(trace.goals[trace.example[a:n] - 1])
            self.line.extend(trace.prediction[:n])
            self.goal_points.extend(self.goal_y.view)
        self.n = n

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        if self.mode == "batch":
            return f"step {step} · batch order: no single prediction (see mse)"
        e = int(trace.example[step - 1])
        where = f"step {step}" + ("" if self.mode == "single" else f" (example {e})")
        return (f"{where} · prediction = {float(trace.prediction[step - 1])!r}"
                f" · goal = {float(trace.goals[e - 1])!r}")


class _DeltaPlot(Plot):
    key, title, short_title = "delta", "delta = prediction − goal", "delta"
    batch = False
    tip = ("How far off each prediction is: below zero the prediction is too low, above "
           "too high. It shrinks towards zero as the node learns.")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.batch = trace.batch
        self.heading = "weighted_delta (batch mean)" if self.batch else self.title
        self.short_heading = "weighted_delta" if self.batch else self.short_title
        self.hline(0.0, "muted")
        self.curves = []
        if self.batch:
            for i in range(setup.n_inputs):
                look = Look(i, style=Theme.line_style(i), dots=True)
                self.curves.append(self.add_series(look, setup.input_name(i) if setup.n_inputs > 1 else None))
        else:
            self.curves.append(self.add_series(Look(DELTA_COLOUR, dots=True)))

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        if self.batch:
            for i in range(trace.setup.n_inputs):
                self.add_series(Look(i, ghost=index)).extend(trace.weighted_delta(i)[:n])
        elif not trace.batch:
            self.add_series(Look(DELTA_COLOUR, ghost=index)).extend(trace.delta[:n])

    def update(self, n: int) -> None:
        if self.batch:
            for i, series in enumerate(self.curves):
                series.extend(self.trace.weighted_delta(i)[:n])
            if n:
                self.place_legend(self.curves)
        else:
            self.curves[0].extend(self.trace.delta[:n])
        self.n = n

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        if not self.batch:
            return f"step {step} · delta = {float(trace.delta[step - 1])!r}"
        values = [float(trace.weighted_delta(i)[step - 1]) for i in range(trace.setup.n_inputs)]
        i = 0 if y is None else min(range(len(values)), key=lambda j: abs(values[j] - y))
        return f"step {step} · weighted_delta_{i + 1} = {values[i]!r}"

# -- the panel -----------------------------------------------------------------------------------------
class PlotsPanel(QWidget):
    """The four live plots of the run, a readout of exact values and a follow switch.

    Implements the view interface of the window: :meth:`set_setup`, :meth:`set_trace`,
    :meth:`refresh`, :meth:`apply_theme`, :meth:`set_zoom`; plus kept runs
    (:meth:`keep_ghost`, :meth:`clear_ghosts`) and :meth:`export_image`.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("plotsPanel")
        self.setAccessibleName("plots")
        self.setAccessibleDescription(
            "Four plots of the run over the steps: the weights, the mse on a log scale, "
            "the prediction against the goal, and delta.")
        self._theme: Theme = LIGHT
        self._zoom = 1.0
        self._trace: Trace | None = None
        self._few = True
        self._x_end: float | None = None  # the end of the step axis while following
        self._growth = 0  # new steps at the last refresh
        self._x_loose = False  # the step axis has room for steps still to come
        # After a burst of fast refreshes, the step axis settles to a snug end.
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._on_settled)
        self._ghosts: list[tuple[Trace, int, str]] = []
        self.weights_plot, self.mse_plot = _WeightsPlot(), _MsePlot()
        self.prediction_plot, self.delta_plot = _PredictionPlot(), _DeltaPlot()
        self.plots = {p.key: p for p in (self.weights_plot, self.mse_plot, self.prediction_plot, self.delta_plot)}

        self.plot_area = QWidget(self)
        self.plot_area.setObjectName("plotArea")
        grid = QGridLayout(self.plot_area)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for plot, (row, col) in zip(self.plots.values(), ((0, 0), (0, 1), (1, 0), (1, 1))):
            grid.addWidget(plot.widget, row, col)
            if row == 1:
                plot.item.setLabel("bottom", "step")
            plot.widget.scene().sigMouseMoved.connect(lambda pos, p=plot: self._on_mouse_moved(p, pos))
            plot.vb.sigRangeChangedManually.connect(lambda mask, p=plot: self._on_range_changed_manually(p))

        self.readout = QLabel(HINT, self)
        self.readout.setObjectName("plotReadout")
        self.readout.setAccessibleName("plot readout")
        self.readout.setToolTip("The exact value of the step under the mouse, with every digit.")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long readout is cut at the right rather than widening the window.
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.follow_box = QCheckBox("Follow the newest steps", self)
        self.follow_box.setObjectName("followCheckBox")
        self.follow_box.setAccessibleName("follow the newest steps")
        self.follow_box.setToolTip(
            "On: the plots always show the whole run up to the newest step.\n"
            "Zooming (mouse wheel) or dragging a plot turns this off; tick it to follow again.")
        self.follow_box.setChecked(True)
        self.follow_box.toggled.connect(self._on_follow_toggled)
        self._bar = bar = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.readout, 1)
        bar.addWidget(self.follow_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot_area, 1)
        layout.addLayout(bar)
        self._restyle()

    # -- the view interface ------------------------------------------------------------------
    @property
    def trace(self) -> Trace | None:
        return self._trace

    def show_frame(self, frame: Frame) -> None:
        """Show ``frame`` (the view protocol): its run's trace up to its newest step."""
        if frame.trace is not self._trace:
            self.set_trace(frame.trace)
        self.refresh(frame.steps)

    def set_setup(self, setup: Setup) -> None:
        """Show the starting state of ``setup`` (the window then gives the run's trace)."""
        self.set_trace(Trace(setup, capacity=1))

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        self._few = True
        self._x_end = None
        self._growth = 0
        self._x_loose = False
        for plot in self.plots.values():
            plot.reset(trace, self._ghosts)
        self._restyle()
        if trace is not None:
            self._update(0)
        self.readout.setText(HINT)
        if not self.follow_box.isChecked():
            self.follow_box.setChecked(True)

    def refresh(self, n: int) -> None:
        """Show the steps up to ``n``; only the new steps are computed.  A refresh without
        new steps (the run ended or paused) gives the step axis its snug end at once."""
        if self._trace is None:
            return
        n = max(0, min(int(n), self._trace.n_steps))
        shown = self.weights_plot.n
        if n < shown:
            self.set_trace(self._trace)
        if n != shown:
            self._update(n)
        elif self._x_loose:
            self._settle_timer.stop()
            self._on_settled()

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._restyle()

    def set_zoom(self, factor: float) -> None:
        """Scale fonts, line widths, markers and legends (the app font is scaled by the window)."""
        self._zoom = max(0.25, float(factor))
        self._restyle()

    # -- kept runs ---------------------------------------------------------------------------
    @property
    def ghost_count(self) -> int:
        return len(self._ghosts)

    def keep_ghost(self, trace: Trace, label: str) -> None:
        """Keep a finished run, drawn faded and dashed under the next ones (at most 3;
        the oldest goes first).  ``label`` names it in the legends, e.g. "alpha 0.5 (kept)"."""
        self._ghosts = (self._ghosts + [(trace, trace.n_steps, label)])[-MAX_GHOSTS:]
        self._rebuild_keeping_data()

    def clear_ghosts(self) -> None:
        self._ghosts = []
        self._rebuild_keeping_data()

    def _rebuild_keeping_data(self) -> None:
        n = self.weights_plot.n
        for plot in self.plots.values():
            plot.reset(self._trace, self._ghosts)
        self._restyle()
        if self._trace is not None:
            self._update(n)

    # -- export ------------------------------------------------------------------------------
    def export_image(self, path: str, scale: float = 2.0) -> None:
        """Write the four plots as PNG (``scale`` times the size on screen, on the theme's
        background) or SVG, chosen by the file's suffix.

        Raises ValueError for another suffix or a panel without a size, OSError when the
        file cannot be written (a PNG is written to a temporary file, then renamed)."""
        suffix = Path(path).suffix.lower()
        if suffix not in (".png", ".svg"):
            raise ValueError(f"cannot export the plots as {suffix or 'a file without a suffix'!r}: "
                             "choose a name ending in .png or .svg")
        if self.plot_area.width() < 10 or self.plot_area.height() < 10:
            raise ValueError("the plots have no size yet: show them before exporting")
        crosshairs = [plot.crosshair.isVisible() for plot in self.plots.values()]
        for plot in self.plots.values():
            plot.crosshair.hide()
        try:
            data = self._png_bytes(scale) if suffix == ".png" else self._svg_bytes()
        finally:
            for plot, shown in zip(self.plots.values(), crosshairs):
                plot.crosshair.setVisible(shown)
        try:
            write_atomically(path, data)
        except OSError as error:
            failure = OSError(f"cannot write the image {path}: {error.strerror or error}")
            failure.errno = error.errno
            raise failure from error

    def _png_bytes(self, scale: float) -> bytes:
        if not (math.isfinite(scale) and 0.25 <= scale <= 8):
            raise ValueError(f"the image scale must be from 0.25 to 8, not {scale!r}")
        size = self.plot_area.size()
        image = QImage(round(size.width() * scale), round(size.height() * scale),
                       QImage.Format.Format_ARGB32_Premultiplied)
        if image.isNull():
            raise ValueError("the image would be too large; choose a smaller scale")
        image.setDevicePixelRatio(scale)
        image.fill(QColor(self._theme.background))
        self._restyle(line_zoom=self._zoom * scale)  # cosmetic pens do not scale by themselves
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for plot in self.plots.values():
                plot.cache_axes(False)  # drawn afresh at the image's scale
                target = QRectF(plot.widget.geometry())
                plot.widget.render(painter, target, plot.widget.viewport().rect())
        finally:
            painter.end()
            for plot in self.plots.values():
                plot.cache_axes(True)
            self._restyle()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise ValueError("the PNG image could not be encoded")
        return bytes(buffer.data())

    def _svg_bytes(self) -> bytes:
        size = self.plot_area.size()
        document = minidom.Document()
        root = document.createElement("svg")
        for name, value in (("xmlns", "http://www.w3.org/2000/svg"),
                            ("xmlns:xlink", "http://www.w3.org/1999/xlink"), ("version", "1.1"),
                            ("width", str(size.width())), ("height", str(size.height())),
                            ("viewBox", f"0 0 {size.width()} {size.height()}")):
            root.setAttribute(name, value)
        document.appendChild(root)
        background = document.createElement("rect")
        for name, value in (("width", "100%"), ("height", "100%"), ("fill", self._theme.background)):
            background.setAttribute(name, value)
        root.appendChild(background)
        for k, plot in enumerate(self.plots.values()):
            exporter = SVGExporter(plot.widget.scene())
            exporter.parameters()["background"] = QColor(self._theme.background)
            text = exporter.export(toBytes=True).decode("utf-8")
            for old in sorted(set(_svg_ids(text)), key=len, reverse=True):
                text = text.replace(f'id="{old}"', f'id="p{k}_{old}"').replace(f"#{old})", f"#p{k}_{old})")
            part = minidom.parseString(text.encode("utf-8")).documentElement
            group = document.createElement("g")
            geometry = plot.widget.geometry()
            group.setAttribute("transform", f"translate({geometry.x()},{geometry.y()})")
            group.setAttribute("id", f"{plot.key}Plot")
            for child in list(part.childNodes):
                if child.nodeType == child.ELEMENT_NODE and child.tagName in ("title", "desc", "style"):
                    continue
                if child.nodeType == child.ELEMENT_NODE and child.getAttribute("width") == "100%":
                    child.setAttribute("width", str(geometry.width()))  # the plot's background
                    child.setAttribute("height", str(geometry.height()))
                group.appendChild(document.importNode(child, True))
            root.appendChild(group)
        return document.toxml(encoding="utf-8")

    # -- handlers ------------------------------------------------------------------------------
    def readout_at(self, key: str, x: float, y: float | None = None) -> str:
        """The readout for the point ``(x, y)`` (plot coordinates) of plot ``key``."""
        plot = self.plots[key]
        step = plot.nearest(x, 0 if key == "weights" else 1)
        if step is None:
            return ""
        return plot.readout(step, y)

    def _on_mouse_moved(self, plot: Plot, scene_pos: QPointF) -> None:
        inside = plot.vb.sceneBoundingRect().contains(scene_pos)
        text = ""
        if inside and self._trace is not None:
            point = plot.vb.mapSceneToView(scene_pos)
            text = self.readout_at(plot.key, point.x(), point.y())
        for other in self.plots.values():
            other.crosshair.setVisible(bool(text))
            if text:
                other.crosshair.setPos(round(point.x()))
        self.readout.setText(text or HINT)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_bar()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the window zooms the application font
            self._update_bar()

    def _update_bar(self) -> None:
        """The readout beside the follow box, or above it when the panel is narrow."""
        wide = self.width() >= 2.5 * self.follow_box.sizeHint().width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._bar.direction() != direction:
            self._bar.setDirection(direction)

    def _on_range_changed_manually(self, source: Plot) -> None:
        x_range = source.vb.viewRange()[0]
        for plot in self.plots.values():
            if plot is not source:
                plot.vb.setXRange(*x_range, padding=0)
        if self.follow_box.isChecked():
            self.follow_box.blockSignals(True)
            self.follow_box.setChecked(False)
            self.follow_box.blockSignals(False)

    def _on_follow_toggled(self, on: bool) -> None:
        if on:
            self._x_end = None
            self._show_all_steps(self.weights_plot.n)

    def _show_all_steps(self, n: int, ahead: int = 0) -> None:
        """Following: the step axis shows 0 to a little past n, growing in small round steps
        (calmer axes, redrawn only when they change), with room for ``ahead`` more steps.
        Set here, before the new data, not by pyqtgraph's x auto-range after it."""
        end = self._x_end
        if end is None or n > end or n < end / 2:
            self._set_x_end(room_for(n + ahead))
            self._x_loose = self._x_end != room_for(n)

    def _set_x_end(self, end: float) -> None:
        self._x_end = end
        pad = 0.02 * end
        for plot in self.plots.values():
            plot.vb.setXRange(-pad, end + pad, padding=0)

    def _on_settled(self) -> None:
        """No new steps for a moment (the run ended or paused): a snug step axis again."""
        n = self.weights_plot.n
        if self.follow_box.isChecked() and self._x_loose:
            self._x_loose = False
            self._set_x_end(room_for(n))
            for plot in self.plots.values():
                plot.vb.prepareForPaint()

    @property
    def following(self) -> bool:
        return self.follow_box.isChecked()

    # -- updating -----------------------------------------------------------------------------
    def _update(self, n: int) -> None:
        few = n <= FEW_STEPS
        if few != self._few:
            self._few = few
            self._restyle()
        growth = max(0, n - self.weights_plot.n)
        # Steps arriving fast (a run at full speed): leave room for two more refreshes, so
        # that the step axis (costly to redraw) moves every few refreshes, not at each.
        steady = min(growth, self._growth)
        ahead = 2 * steady if steady >= max(FAST_GROWTH, 0.02 * n) else 0
        self._growth = growth
        if self.follow_box.isChecked():
            self._show_all_steps(n, ahead)
            if self._x_loose:
                self._settle_timer.start()  # restarted at every refresh of a fast run
        for plot in self.plots.values():
            plot.update(n)
            plot.sync()  # and fit the value range
            plot.vb.prepareForPaint()  # apply the new ranges now: one repaint per refresh, not two

    def _restyle(self, line_zoom: float | None = None) -> None:
        line_zoom = self._zoom if line_zoom is None else line_zoom
        for plot in self.plots.values():
            plot.restyle(self._theme, self._zoom, line_zoom, self._few)


def _svg_ids(text: str) -> list[str]:
    ids, start = [], 0
    while (start := text.find('id="', start)) >= 0:
        end = text.find('"', start + 4)
        ids.append(text[start + 4 : end])
        start = end
    return ids


__all__ = ["PlotsPanel", "MAX_GHOSTS"]

