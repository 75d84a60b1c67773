"""Live plots of a run: the panel that holds them (:class:`PlotsPanel`).

:class:`PlotsPanel` shows up to four pyqtgraph plots
(:mod:`~gdnode_gui.ui.views.plots.four_plots`: the weights, the mse on a log scale,
prediction vs goal, delta), chosen by the teacher (:meth:`PlotsPanel.set_visible_plots`,
remembered), on one step axis; a readout of the exact value under the mouse; a "follow"
switch; a line at the step shown while it is not the newest, and a click asks for a step
(:attr:`PlotsPanel.stepRequested`).  Kept runs are drawn dashed in a secondary colour and
every curve is named by a direct label at its end (what differs between the runs, e.g.
"alpha 0.1" and "alpha 0.5"), in a room right of the newest step: never over the data.

It follows pyqtgraph's live-plot habits (``examples/scrollingPlots.py``): one curve object
per series, reused.  Each frame costs in proportion to the new steps and the plots' width,
never to the length of the run: the new steps are read from the trace by slices and reduced
into min/max buckets (:class:`~gdnode_gui.ui.views.plots.decimation.Series`), and a curve is
handed its exact values only when few of them are in view.  The readout always reads the
trace itself.  While following, the panel sets the step range itself, before the new data,
in round steps, so the axes stay calm; the value ranges keep room to grow while steps
arrive and fit snugly once they stop.  The user may zoom and pan the steps (the value axis
always fits what is visible); that stops following until the "Follow the newest steps"
box is ticked again.

The log-scale mse plot draws ``log10(mse)`` on an axis that labels powers of ten, so the
values it cannot draw stay visible: an exact zero is a marker below the curve with the
note "mse = 0 (exact)" (and the axis tick there reads 0), an overflow is a marker above
it with "overflow: inf"."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, QRectF, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget,
)

from gdnode_gui.core.setup import Setup, write_atomically
from gdnode_gui.core.frame import Frame
from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.controls import named
from gdnode_gui.ui.views.plots.axes import room_ahead, room_for
from gdnode_gui.ui.views.plots.captions import caption_lines, run_labels
from gdnode_gui.ui.views.plots.four_plots import DeltaPlot, MsePlot, PredictionPlot, WeightsPlot
from gdnode_gui.ui.views.plots.plot_parts import MOST_LABEL_ROOM, TICK_PT, Plot, make_font
from gdnode_gui.ui.style.theme import LIGHT, Theme

MAX_GHOSTS = 3
FEW_STEPS = 60  # a dot at every step while the run is no longer than this
HINT = "Point at a plot to read the exact value of a step."
#: As long as most readouts: the bar keeps room for it, on one line or (narrow) two.
READOUT_ROOM = "step 10000 · prediction = 0.5966923076923077 · goal = 0.61"
#: New steps per refresh from which the followed step axis leaves room for the next ones.
FAST_GROWTH = 100
SETTLE_MS = 300


# -- the panel -----------------------------------------------------------------------------------------
PLOT_KEYS = ("weights", "mse", "prediction", "delta")
VISIBLE_SETTING = "plots/visible"


class ReadoutBar(QWidget):
    """The readout beside the follow box, or above it when the panel is narrow, wrapped on
    two lines when a long readout would not fit on one (every digit of a value stays in
    sight at a projector's zoom).  Its height for a width is known before it is laid out
    (it places the two itself), so the plots above it get their size in one layout pass,
    not again after the bar turned; it does not change with the text, so the plots do not
    jump as the mouse moves."""

    MARGIN, SPACING = 4, 2  # as the panel's layout spaces its rows

    def __init__(self, readout: QLabel, follow: QCheckBox, parent: QWidget) -> None:
        super().__init__(parent)
        self.readout, self.follow = readout, follow
        readout.setParent(self)
        readout.setWordWrap(True)
        follow.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _room(self) -> int:
        return self.readout.fontMetrics().horizontalAdvance(READOUT_ROOM)

    def beside(self, width: int | None = None) -> bool:
        """Whether the readout is beside the follow box at ``width`` (now: the bar's)."""
        return (self.width() if width is None else width) >= 2.5 * self.follow.sizeHint().width()

    def readout_lines(self, width: int | None = None) -> int:
        """The lines the readout has at ``width``: two when a long readout would not fit on one."""
        width = self.width() if width is None else width
        room = width - 2 * self.MARGIN
        if self.beside(width):
            room -= self.follow.sizeHint().width() + self.SPACING
        return 1 if room >= self._room() else 2

    def _readout_height(self, lines: int) -> int:
        metrics, margins = self.readout.fontMetrics(), self.readout.contentsMargins()
        return metrics.height() + (lines - 1) * metrics.lineSpacing() + margins.top() + margins.bottom()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        readout, follow = self._readout_height(self.readout_lines(width)), self.follow.sizeHint().height()
        return max(readout, follow) if self.beside(width) else readout + self.SPACING + follow

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self._room() + self.follow.sizeHint().width() + self.SPACING + 2 * self.MARGIN
        return QSize(width, self.heightForWidth(max(width, self.width())))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.follow.sizeHint().width() + 2 * self.MARGIN, self.heightForWidth(0))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.place()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the window zooms the application font
            self.updateGeometry()
            self.place()

    def place(self) -> None:
        m, w, h = self.MARGIN, self.width(), self.height()
        readout, follow = self._readout_height(self.readout_lines()), self.follow.sizeHint()
        # A one-line text sits level with the box beside it, or on the box above it (the spare
        # line between it and the plots).
        level = Qt.AlignmentFlag.AlignVCenter if self.beside() else Qt.AlignmentFlag.AlignBottom
        self.readout.setAlignment(Qt.AlignmentFlag.AlignLeft | level)
        if self.beside():
            self.follow.setGeometry(w - m - follow.width(), (h - follow.height()) // 2, follow.width(), follow.height())
            self.readout.setGeometry(m, (h - readout) // 2, max(0, w - 2 * m - follow.width() - self.SPACING), readout)
        else:
            self.readout.setGeometry(m, 0, max(0, w - 2 * m), readout)
            self.follow.setGeometry(m, readout + self.SPACING, min(follow.width(), max(0, w - 2 * m)), follow.height())


class PlotsPanel(QWidget):
    """The live plots of the run (up to four, chosen with :meth:`set_visible_plots`), a
    readout of exact values and a follow switch.

    The view protocol: :meth:`show_frame`; plus :meth:`set_setup`, :meth:`set_trace`,
    :meth:`refresh`, :meth:`apply_theme`, :meth:`set_zoom`; kept runs (:meth:`keep_ghost`,
    :meth:`clear_ghosts`), :meth:`export_image` (with :meth:`caption`).  A click on a plot
    emits :attr:`stepRequested` with the step under the mouse.
    """

    #: The user clicked a plot at this step (0: the start): show it (``Session.show_step``).
    stepRequested = Signal(int)
    #: The plots shown changed (a list of keys, from :data:`PLOT_KEYS`).
    visiblePlotsChanged = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("plotsPanel")
        self.setAccessibleName("plots")
        self.setAccessibleDescription(
            "Up to four plots of the run over the steps: the weights, the mse on a log scale, "
            "the prediction against the goal, and delta.")
        self._theme: Theme = LIGHT
        self._zoom = 1.0
        self._trace: Trace | None = None
        self._frame: Frame | None = None
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
        self._style_stale = True  # see _restyle
        self.weights_plot, self.mse_plot = WeightsPlot(), MsePlot()
        self.prediction_plot, self.delta_plot = PredictionPlot(), DeltaPlot()
        self.plots = {p.key: p for p in (self.weights_plot, self.mse_plot, self.prediction_plot, self.delta_plot)}
        self._visible = list(PLOT_KEYS)
        self._layout_key: tuple = ()

        self.plot_area = QWidget(self)
        self.plot_area.setObjectName("plotArea")
        self._grid = QGridLayout(self.plot_area)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        for plot in self.plots.values():
            plot.widget.setParent(self.plot_area)
            plot.widget.scene().sigMouseMoved.connect(lambda pos, p=plot: self._on_mouse_moved(p, pos))
            plot.widget.scene().sigMouseClicked.connect(lambda event, p=plot: self._on_clicked(p, event))
            plot.vb.sigRangeChangedManually.connect(lambda mask, p=plot: self._on_range_changed_manually(p))
            plot.vb.sigResized.connect(self._on_plot_resized)
        self._setting_x = False
        self._label_room = 0.0  # of a plot's width, right of the newest step, for the end labels

        self.readout = QLabel(HINT, self)
        named(self.readout, "plotReadout", "plot readout",
              "The exact value of the step under the mouse, with every digit. "
              "Click a plot to show that step.")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The bar gives the readout its room (wrapped when narrow); a long one never widens the window.
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.follow_box = QCheckBox("Follow the newest steps", self)
        named(self.follow_box, "followCheckBox", "follow the newest steps",
              "On: the plots always show the whole run up to the newest step.\n"
              "Zooming (mouse wheel) or dragging a plot turns this off; tick it to follow again.")
        self.follow_box.setChecked(True)
        self.follow_box.toggled.connect(self._on_follow_toggled)
        self.bar = ReadoutBar(self.readout, self.follow_box, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot_area, 1)
        layout.addWidget(self.bar)
        self._visible = self.remembered_plots()
        self._lay_out()
        self._restyle()

    # -- which plots show ----------------------------------------------------------------------
    @staticmethod
    def remembered_plots() -> list[str]:
        """The plots chosen for the normal layout (QSettings ``plots/visible``), else all."""
        remembered = QSettings().value(VISIBLE_SETTING, "", str)
        keys = [k for k in remembered.split(",") if k in PLOT_KEYS] if remembered else []
        return keys or list(PLOT_KEYS)

    def visible_plots(self) -> list[str]:
        """The keys of the plots shown, in :data:`PLOT_KEYS` order."""
        return list(self._visible)

    def set_visible_plots(self, keys, remember: bool = True) -> None:
        """Show only the plots ``keys`` (from :data:`PLOT_KEYS`; at least one: an empty
        choice keeps the current one), remembered in QSettings (``plots/visible``) unless
        ``remember`` is False (the presentation layout keeps its own choice).

        Raises ValueError for an unknown key."""
        keys = list(keys)
        unknown = [k for k in keys if k not in self.plots]
        if unknown:
            raise ValueError(f"no plot called {unknown[0]!r}: choose from {', '.join(PLOT_KEYS)}")
        keys = [k for k in PLOT_KEYS if k in keys]
        if keys and remember:
            QSettings().setValue(VISIBLE_SETTING, ",".join(keys))
        if not keys or keys == self._visible:
            return
        self._visible = keys
        self._lay_out()
        if self._trace is not None:  # a plot shown again catches up with the steps it missed
            n = max(p.n for p in self.plots.values())
            for key in keys:
                plot = self.plots[key]
                if plot.n != n:
                    plot.update(n)
                plot.sync(snug=True)
        if self.follow_box.isChecked():
            self._x_end = None
            self._show_all_steps(self._steps_shown())
        self.visiblePlotsChanged.emit(list(keys))

    def _lay_out(self) -> None:
        """One plot: the whole area; two: side by side or stacked, as the area's shape asks;
        three or four: a grid (three: the last one across the bottom)."""
        keys = self._visible
        wide = self.plot_area.width() >= 1.2 * self.plot_area.height()
        layout_key = (tuple(keys), wide if len(keys) == 2 else None)
        if layout_key == self._layout_key:
            return
        self._layout_key = layout_key
        for plot in self.plots.values():
            self._grid.removeWidget(plot.widget)
            plot.widget.hide()
        if len(keys) == 1:
            places = [(0, 0, 1, 1)]
        elif len(keys) == 2:
            places = [(0, 0, 1, 1), (0, 1, 1, 1)] if wide else [(0, 0, 1, 1), (1, 0, 1, 1)]
        elif len(keys) == 3:
            places = [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 2)]
        else:
            places = [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1)]
        bottom_row = max(p[0] for p in places)
        for key, (row, col, rows, cols) in zip(keys, places):
            plot = self.plots[key]
            self._grid.addWidget(plot.widget, row, col, rows, cols)
            plot.item.setLabel("bottom", "step" if row == bottom_row else None)
            plot.widget.show()
        for r in range(3):
            self._grid.setRowStretch(r, 1 if r <= bottom_row else 0)
        for c in range(2):
            self._grid.setColumnStretch(c, 1 if c <= max(p[1] + p[3] - 1 for p in places) else 0)
        self._grid.activate()
        self._restyle()

    def _shown_plots(self) -> list[Plot]:
        return [self.plots[k] for k in self._visible]

    def _steps_shown(self) -> int:
        return max((p.n for p in self._shown_plots()), default=0)

    # -- the view interface ------------------------------------------------------------------
    @property
    def trace(self) -> Trace | None:
        return self._trace

    def show_frame(self, frame: Frame) -> None:
        """Show ``frame`` (the view protocol): its run's trace up to its newest step, and a
        line at the step shown while it is not the newest."""
        self._frame = frame
        if frame.trace is not self._trace:
            self.set_trace(frame.trace)
        self.refresh(frame.steps)
        self.mark_step(None if frame.latest else frame.shown)

    def mark_step(self, step: int | None) -> None:
        """A line on every plot at ``step`` (None: none)."""
        for plot in self.plots.values():
            if step is None:
                plot.shown_line.hide()
            else:
                plot.shown_line.setPos(step)
                plot.shown_line.show()

    def set_setup(self, setup: Setup) -> None:
        """Show the starting state of ``setup`` (the window then gives the run's trace)."""
        self.set_trace(Trace(setup, capacity=1))

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        self._few = True
        self._x_end = None
        self._growth = 0
        self._x_loose = False
        self._reset_plots()
        if trace is not None:
            self._update(0)
        self.readout.setText(HINT)
        if not self.follow_box.isChecked():
            self.follow_box.setChecked(True)

    def refresh(self, n: int) -> None:
        """Show the steps up to ``n``; only the new steps are computed.  A refresh without
        new steps (the run ended or paused) gives the axes their snug ranges at once."""
        if self._trace is None:
            return
        n = max(0, min(int(n), self._trace.n_steps))
        shown = self.weights_plot.n if "weights" in self._visible else self._steps_shown()
        if n < shown:
            self.set_trace(self._trace)
        if n != self._steps_shown():
            self._update(n)
        else:
            self._settle_timer.stop()
            self._on_settled()

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._restyle()

    def set_zoom(self, factor: float) -> None:
        """Scale fonts, line widths, markers and labels (the app font is scaled by the window)."""
        self._zoom = max(0.25, float(factor))
        self._restyle()
        self._x_end = None
        if self.follow_box.isChecked():
            self._show_all_steps(self._steps_shown())

    # -- kept runs ---------------------------------------------------------------------------
    @property
    def ghost_count(self) -> int:
        return len(self._ghosts)

    def keep_ghost(self, trace: Trace, label: str) -> None:
        """Keep a run, drawn dashed in a secondary colour under the next ones (at most 3;
        the oldest goes first), labelled at its end with what differs from the current run
        (e.g. "alpha 0.1"; ``label``, e.g. "alpha 0.1, stalled", when nothing does).  The
        step axis covers the kept runs and the current one."""
        self._ghosts = (self._ghosts + [(trace, trace.n_steps, label)])[-MAX_GHOSTS:]
        self._rebuild_keeping_data()

    def clear_ghosts(self) -> None:
        self._ghosts = []
        self._rebuild_keeping_data()

    def ghost_labels(self) -> list[str]:
        """The direct labels of the kept runs, oldest first."""
        return [label for _, _, label in self._labelled_ghosts()]

    def run_label(self) -> str | None:
        """The direct label of the current run (only while runs are kept)."""
        if not self._ghosts or self._trace is None:
            return None
        current, _ = run_labels(self._trace.setup, [g.setup for g, _, _ in self._ghosts])
        return current or "this run"

    def _labelled_ghosts(self) -> list[tuple[Trace, int, str]]:
        if self._trace is None:
            return list(self._ghosts)
        _, labels = run_labels(self._trace.setup, [g.setup for g, _, _ in self._ghosts])
        return [(g, n, short or given.removesuffix(" (kept)"))
                for (g, n, given), short in zip(self._ghosts, labels)]

    def _reset_plots(self) -> None:
        ghosts, current = self._labelled_ghosts(), self.run_label()
        for plot in self.plots.values():
            plot.run_label = current
            plot.reset(self._trace, ghosts)
        self._style_items()

    def _rebuild_keeping_data(self) -> None:
        n = self._steps_shown()
        self._reset_plots()
        self._x_end = None
        if self._trace is not None:
            self._update(n)
            self._on_settled()

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

    def caption(self) -> list[str]:
        """What an exported image says under the plots: the setup (inputs, weights, goal,
        alpha, order), the outcome and the step, and the kept runs."""
        trace = self._trace
        if trace is None:
            return []
        frame = self._frame if self._frame is not None and self._frame.trace is trace else None
        n = frame.steps if frame is not None else self._steps_shown()
        kept = [(steps, label) for _, steps, label in self._labelled_ghosts()]
        return caption_lines(trace, n, frame, kept)

    def _png_bytes(self, scale: float) -> bytes:
        if not (math.isfinite(scale) and 0.25 <= scale <= 8):
            raise ValueError(f"the image scale must be from 0.25 to 8, not {scale!r}")
        size = self.plot_area.size()
        margin = round(12 * self._zoom)
        font = make_font(10 * self._zoom)
        metrics = QFontMetricsF(font)
        text = "\n".join(self.caption())
        width = size.width() + 2 * margin
        box = metrics.boundingRect(QRectF(0, 0, size.width(), 10_000), int(Qt.TextFlag.TextWordWrap), text)
        caption_height = math.ceil(box.height()) + margin if text else 0
        height = size.height() + 2 * margin + caption_height
        image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32_Premultiplied)
        if image.isNull():
            raise ValueError("the image would be too large; choose a smaller scale")
        image.setDevicePixelRatio(scale)
        image.fill(QColor(self._theme.background))
        self._restyle(line_zoom=self._zoom * scale)  # cosmetic pens do not scale by themselves
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for plot in self._shown_plots():
                plot.cache_axes(False)  # drawn afresh at the image's scale
                target = QRectF(plot.widget.geometry()).translated(margin, margin)
                plot.widget.render(painter, target, plot.widget.viewport().rect())
            if text:
                painter.setFont(font)
                painter.setPen(QColor(self._theme.foreground))
                painter.drawText(QRectF(margin, margin + size.height() + margin / 2, size.width(), box.height() + 4),
                                 int(Qt.TextFlag.TextWordWrap), text)
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
        # Imported on first use: the window starts faster without the exporters.
        from xml.dom import minidom

        from pyqtgraph.exporters import SVGExporter

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
        for k, plot in enumerate(self._shown_plots()):
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
        caption = document.createElement("text")
        for name, value in (("id", "caption"), ("x", "4"), ("y", str(size.height() + 16)),
                            ("fill", self._theme.foreground), ("font-size", f"{10 * self._zoom:.0f}pt"),
                            ("font-family", "sans-serif")):
            caption.setAttribute(name, value)
        for k, line in enumerate(self.caption()):
            span = document.createElement("tspan")
            span.setAttribute("x", "4")
            span.setAttribute("dy", "0" if k == 0 else "1.3em")
            span.appendChild(document.createTextNode(line))
            caption.appendChild(span)
        root.appendChild(caption)
        root.setAttribute("height", str(size.height() + 24 + 22 * len(self.caption())))
        root.setAttribute("viewBox", f"0 0 {size.width()} {root.getAttribute('height')}")
        return document.toxml(encoding="utf-8")

    # -- handlers ------------------------------------------------------------------------------
    def readout_at(self, key: str, x: float, y: float | None = None) -> str:
        """The readout for the point ``(x, y)`` (plot coordinates) of plot ``key``."""
        plot = self.plots[key]
        step = plot.nearest(x, 0 if key == "weights" else 1)
        if step is None:
            return ""
        return plot.readout(step, None if y is None else plot.to_value(y))

    def step_at(self, key: str, x: float) -> int | None:
        """The step a click at ``x`` on plot ``key`` asks for (0: the start), or None."""
        plot = self.plots[key]
        return plot.nearest(x, 0)

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

    def _on_clicked(self, plot: Plot, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._trace is None:
            return
        scene_pos = event.scenePos()
        if not plot.vb.sceneBoundingRect().contains(scene_pos):
            return
        step = self.step_at(plot.key, plot.vb.mapSceneToView(scene_pos).x())
        if step is not None:
            self.stepRequested.emit(step)

    def _on_plot_resized(self, *_) -> None:
        if self._x_end is not None and self.follow_box.isChecked() and self._room_changed():
            self._set_x_end(self._x_end)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if len(self._visible) == 2:
            self._lay_out()

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
            self._show_all_steps(self._steps_shown())

    def _axis_end(self, n: int) -> int:
        """The last step the step axis must show: the run's newest and the kept runs' last."""
        return max([n] + [g_n for _, g_n, _ in self._ghosts])

    def _show_all_steps(self, n: int, ahead: int = 0) -> None:
        """Following: the step axis shows 0 to a little past n (and past the kept runs),
        growing in small round steps (calmer axes, redrawn only when they change), with
        room for ``ahead`` more steps.  Set here, before the new data, not by pyqtgraph's
        x auto-range after it."""
        n = self._axis_end(n)
        end = self._x_end
        if end is None or n > end or n < end / 2:
            self._set_x_end(room_ahead(n + ahead) if ahead else room_for(n))
            self._x_loose = self._x_end != room_for(n)

    def _set_x_end(self, end: float) -> None:
        """Every plot shows steps 0 to ``end``, and right of them the room its end labels need."""
        self._x_end = end
        # a little room left of step 0, enough for its label to show whole at any zoom
        width = max(60.0, min(p.vb.width() for p in self._shown_plots()))
        half_label = QFontMetricsF(make_font(TICK_PT * self._zoom)).horizontalAdvance("0") + 3
        pad = max(0.02, half_label / width) * end
        if self._setting_x:
            return
        self._setting_x = True
        try:
            for _ in range(3):  # a new range may widen an axis, and so the room: then again
                # the same steps at the same place on every plot: the room the widest labels need
                self._label_room = room = self._wanted_room()
                for plot in self.plots.values():
                    plot.vb.setXRange(-pad, -pad + (end + 2 * pad) / (1 - room), padding=0)
                if not self._room_changed():
                    break
        finally:
            self._setting_x = False

    def _wanted_room(self) -> float:
        return max([min(MOST_LABEL_ROOM, plot.label_room() / max(1.0, plot.vb.width()))
                    for plot in self._shown_plots()], default=0.0)

    def _room_changed(self) -> bool:
        """Do the end labels now need another room than the step axis leaves them?"""
        return abs(self._wanted_room() - self._label_room) > 0.01

    def _on_settled(self) -> None:
        """No new steps for a moment (the run ended or paused): a snug step axis and value
        ranges again."""
        n = self._steps_shown()
        if self.follow_box.isChecked() and self._x_loose:
            self._x_loose = False
            self._set_x_end(room_for(self._axis_end(n)))
        for plot in self._shown_plots():
            plot.settled = True
            plot.sync()
            plot.vb.prepareForPaint()

    @property
    def following(self) -> bool:
        return self.follow_box.isChecked()

    # -- updating -----------------------------------------------------------------------------
    def _update(self, n: int) -> None:
        few = self._axis_end(n) <= FEW_STEPS
        if few != self._few:
            self._few = few  # dots on the curves while the steps are few
            self._style_items()
        growth = max(0, n - self._steps_shown())
        # Steps arriving fast (a run at full speed): leave room for two more refreshes, so
        # that the step axis (costly to redraw) moves every few refreshes, not at each.
        steady = min(growth, self._growth)
        ahead = 2 * steady if steady >= max(FAST_GROWTH, 0.02 * n) else 0
        self._growth = growth
        if self.follow_box.isChecked():
            self._show_all_steps(n, ahead)
            if self._room_changed():  # a label came or went (e.g. "overflow: inf")
                self._set_x_end(self._x_end)
        # Steps keep coming: the value ranges keep room to grow (calm axes) until no new
        # steps came for SETTLE_MS (or a refresh brings none): then they fit snugly.
        settled = growth == 0 or n <= FEW_STEPS
        if not settled:
            self._settle_timer.start()  # restarted at every refresh of a running node
        for plot in self._shown_plots():
            plot.settled = settled
            plot.axis_end = self._axis_end(n)
            plot.update(n)
            plot.check_scale()
            plot.sync()  # and fit the value range
            plot.vb.prepareForPaint()  # apply the new ranges now: one repaint per refresh, not two

    def _style_items(self) -> None:
        """Style the curves, lines and labels (new ones, or dots that come or go); the plots
        keep their style."""
        if self._style_stale:
            self._restyle()
            return
        for plot in self.plots.values():
            plot.style_items(self._theme, self._zoom, self._zoom, self._few)
        if self._x_end is not None and self.follow_box.isChecked() and self._room_changed():
            self._set_x_end(self._x_end)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._style_stale:
            self._restyle()

    def _restyle(self, line_zoom: float | None = None) -> None:
        if line_zoom is None and not self.isVisible():
            # Styled once when shown, not at each change made while hidden (building the
            # window sets the theme, the zoom and the first trace before it is shown).
            self._style_stale = True
            return
        self._style_stale = False
        line_zoom = self._zoom if line_zoom is None else line_zoom
        for plot in self.plots.values():
            plot.restyle(self._theme, self._zoom, line_zoom, self._few)
        if self._x_end is not None and self.follow_box.isChecked() and self._room_changed():
            self._set_x_end(self._x_end)


def _svg_ids(text: str) -> list[str]:
    ids, start = [], 0
    while (start := text.find('id="', start)) >= 0:
        end = text.find('"', start + 4)
        ids.append(text[start + 4 : end])
        start = end
    return ids


__all__ = ["PlotsPanel", "MAX_GHOSTS"]

