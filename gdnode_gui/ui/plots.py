"""Live plots of a run: the weights, the mse (log scale), prediction vs goal, delta.

:class:`PlotsPanel` shows four pyqtgraph plots that share the step axis, a readout of the
exact value under the mouse and a "follow" switch.  It follows pyqtgraph's live-plot habits
(``examples/scrollingPlots.py``): one curve object per series, reused; ``setData`` on views
of the trace, whose rows never change (or of this module's own append-only buffers, which
never overwrite what they handed out); peak downsampling and clip-to-view; the window
calls :meth:`PlotsPanel.refresh` about 30 times a second, and each call computes only the
values of the new steps.  While following, the panel sets the step range itself, before
the new data, in small round steps: each refresh then downsamples each curve once and
redraws each plot once, and the axes stay calm.  The user may zoom and pan
the steps (the value axis always fits what is visible); that stops following until the
"Follow the newest steps" box is ticked again.

The log-scale mse plot draws ``log10(mse)`` on an axis that labels powers of ten, so the
values it cannot draw stay visible: an exact zero is a marker below the curve with the
note "mse = 0 (exact)" (and the axis tick there reads 0), an overflow is a marker above
it with "overflow: inf".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from xml.dom import minidom

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import SVGExporter
from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import (
    QBoxLayout, QCheckBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget,
)

from gdnode_gui.core.setup import Setup, write_atomically
from gdnode_gui.core.trace import Trace

from .theme import LIGHT, Theme

TICK_PT, TITLE_PT, LEGEND_PT, NOTE_PT = 9.0, 10.0, 9.0, 9.0  # font sizes at zoom 1
MAX_GHOSTS = 3
MAX_EXAMPLE_SERIES = 7  # more examples than this: one prediction series, not one each
FEW_STEPS = 60  # a dot at every step while the run is no longer than this
GHOST_DASHES = ([5.0, 3.0], [1.5, 2.5], [7.0, 2.5, 1.5, 2.5])
MSE_COLOUR, DELTA_COLOUR, PREDICTION_COLOUR, ZERO_COLOUR = 5, 1, 0, 2
HINT = "Point at a plot to read the exact value of a step."


# -- small building blocks ---------------------------------------------------------------------------
class _Growing:
    """Append-only numpy buffer, grown by doubling into a new array: a view handed out
    earlier keeps its values (never hand pyqtgraph a buffer you will overwrite)."""

    def __init__(self, dtype=np.float64) -> None:
        self._data = np.empty(1024, dtype=dtype)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def extend(self, values) -> None:
        values = np.asarray(values)
        need = self._n + values.shape[0]
        if need > self._data.shape[0]:
            capacity = self._data.shape[0]
            while capacity < need:
                capacity *= 2
            bigger = np.empty(capacity, dtype=self._data.dtype)
            bigger[: self._n] = self._data[: self._n]
            self._data = bigger
        self._data[self._n : need] = values
        self._n = need

    @property
    def view(self) -> np.ndarray:
        return self._data[: self._n]


class _Steps:
    """The shared x values 0, 1, 2, ... (int64, so pyqtgraph skips its finiteness check)."""

    def __init__(self) -> None:
        self._data = np.arange(1025, dtype=np.int64)

    def upto(self, last: int) -> np.ndarray:
        """Steps 0..last."""
        if last >= self._data.shape[0]:
            self._data = np.arange(max(last + 1, 2 * self._data.shape[0]), dtype=np.int64)
        return self._data[: last + 1]


@dataclass(frozen=True)
class _Look:
    """How a data item is drawn, in theme terms (resolved again on theme or zoom changes)."""

    colour: int | str  # index into the theme's curve colours, or a Theme field name
    style: Qt.PenStyle | None = Qt.PenStyle.SolidLine  # None: markers only
    width: float = 1.0  # times the theme's line width
    ghost: int | None = None  # index of a kept run: faded, dashed
    symbol: str | None = None  # a marker at every point, always
    symbol_size: float = 8.0
    dots: bool = False  # a dot at every step while the run is short


def _colour(theme: Theme, key: int | str) -> QColor:
    return QColor(theme.curve_colour(key) if isinstance(key, int) else getattr(theme, key))


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class _MseAxis(pg.AxisItem):
    """The mse plot's left axis: the data are ``log10(mse)``, the labels powers of ten
    (or plain numbers within one decade); the tick at the zero markers' level reads 0."""

    zero_level: float | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._labelled: set[float] = set()

    def tickValues(self, minVal, maxVal, size):
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0 or size <= 0:
            return []
        height = QFontMetricsF(self.style["tickFont"] or QFont()).height()
        most = max(2, int(size / (height * 2.2)))
        minor: list[float] = []
        if hi - lo >= 3.0:  # whole decades: 1, 2, 5, 10, ... decades apart
            step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if (hi - lo) / s <= most), 200)
            major = [float(k) for k in range(math.ceil(lo / step) * step, math.floor(hi) + 1, step)]
            minor = [float(k) for k in range(math.ceil(lo), math.floor(hi) + 1) if k % step]
        else:  # a few decades: 1, 2 and 5 times a power of ten, or plain numbers
            major = []
            for mantissas in ((1, 2, 5), (1,)):
                major = [math.log10(m) + k for k in range(math.floor(lo) - 1, math.ceil(hi) + 1)
                         for m in mantissas if lo <= math.log10(m) + k <= hi]
                if 2 <= len(major) <= most:
                    break
            if len(major) < 2:
                low, high = 10.0**lo, 10.0**hi
                rough = (high - low) / most
                unit = 10.0 ** math.floor(math.log10(rough))
                step = next(u * unit for u in (1, 2, 5, 10) if u * unit >= rough)
                values = np.arange(math.ceil(low / step) * step, high, step)
                major = [math.log10(v) for v in values if v > 0]
        if self.zero_level is not None and lo <= self.zero_level <= hi and self.zero_level not in major:
            major.append(self.zero_level)
        self._labelled = {round(v, 9) for v in major}
        return [(1.0, major), (0.5, minor)]

    def tickStrings(self, values, scale, spacing):
        strings = []
        for v in values:
            if round(v, 9) not in self._labelled:
                strings.append("")
            elif self.zero_level is not None and abs(v - self.zero_level) < 1e-9:
                strings.append("0")
            elif abs(v - round(v)) < 1e-9:
                strings.append(_decade(int(round(v))))
            else:
                strings.append(f"{10.0 ** v:.3g}")
        return strings


class _StepAxis(pg.AxisItem):
    """The step axis: labels at whole, round steps (1, 2, 2.5 or 5 times a power of ten apart),
    as many as fit without touching, written 20k and 1.5M once they are long."""

    def tickValues(self, minVal, maxVal, size):
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0 or size <= 0:
            return []
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        gap = metrics.horizontalAdvance("0")
        most = int(size / (2 * gap)) + 1  # no label is narrower than a digit and a gap
        unit = 10.0 ** max(0, math.floor(math.log10(max(hi - lo, 1.0))) - 2)
        values: list[float] = []
        while unit < 1e12:
            for m in (1, 2, 2.5, 5) if unit >= 10 else (1, 2, 5):
                step = m * unit
                first, last = math.ceil(lo / step), math.floor(hi / step)
                if last - first + 1 > most:
                    continue
                values = [v * step for v in range(first, last + 1)]
                widths = [metrics.horizontalAdvance(_step_text(v)) for v in values]
                if sum(widths) + gap * len(values) <= size:
                    return [(step, values)]
            unit *= 10
        return [(hi - lo, values[:1])]

    def tickStrings(self, values, scale, spacing):
        return [_step_text(v) for v in values]


def _room_for(n: int) -> float:
    """The end of the step axis while following: n itself for a short run, else a little
    past n, rounded up to two significant digits (148 -> 160, 4321 -> 4500)."""
    if n <= 12:
        return float(max(n, 1))
    want = 1.02 * n
    unit = 10.0 ** (math.floor(math.log10(want)) - 1)
    return math.ceil(want / unit) * unit


def _step_text(step: float) -> str:
    size = abs(step)
    if size < 10_000:
        return f"{step:.0f}"
    if size < 1_000_000:
        return f"{step / 1000:g}k"
    return f"{step / 1_000_000:g}M"


def _label_spacing(count: int) -> float:
    """How far apart (a fraction of the plot's width) the goal labels of examples are."""
    return min(0.19, 0.92 / max(1, count - 1))


def _let_title_shrink(label: pg.LabelItem) -> None:
    """A long title (zoomed text, narrow plot) is cut off instead of widening the plot
    beyond its place in the grid."""
    update_min = label.updateMin

    def updateMin() -> None:
        update_min()
        label.setMinimumWidth(0)
        label._sizeHint[Qt.SizeHint.MinimumSize] = (0, label._sizeHint[Qt.SizeHint.MinimumSize][1])
        label._sizeHint[Qt.SizeHint.PreferredSize] = (0, label._sizeHint[Qt.SizeHint.PreferredSize][1])

    label.updateMin = updateMin


def _decade(k: int) -> str:
    """``10⁻³⁰`` for -30; 1, 10 and 0.1 written plainly."""
    return {0: "1", 1: "10", -1: "0.1"}.get(k, "10" + str(k).translate(_SUPERSCRIPT))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class _Sample(pg.ItemSample):
    """A legend sample that grows with the zoom factor."""

    zoom = 1.0

    def set_zoom(self, zoom: float) -> None:
        self.prepareGeometryChange()
        self.zoom = zoom
        self.setFixedWidth(22 * zoom)
        self.setFixedHeight(20 * zoom)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 22 * self.zoom, 20 * self.zoom)

    def paint(self, p, *args) -> None:
        p.scale(self.zoom, self.zoom)
        super().paint(p, *args)


# -- one plot ------------------------------------------------------------------------------------
class _Plot:
    """One PlotWidget and the items on it; subclasses fill in the data."""

    key = ""
    title = ""
    short_title = ""  # when the title does not fit (a narrow plot, a big zoom)
    tip = ""
    legend_wanted = True

    def __init__(self, left_axis: pg.AxisItem | None = None) -> None:
        axes = {"bottom": _StepAxis("bottom")}
        if left_axis is not None:
            axes["left"] = left_axis
        self.widget = pg.PlotWidget(axisItems=axes)
        self.widget.setObjectName(f"{self.key}Plot")
        self.widget.setAccessibleName(f"{self.title} plot")
        self.widget.setToolTip(self.tip)
        self.widget.setMinimumSize(120, 90)
        self.item = self.widget.getPlotItem()
        self.vb = self.item.getViewBox()
        _let_title_shrink(self.item.titleLabel)
        self.item.hideButtons()
        self.item.setMenuEnabled(False)  # its Export dialog writes rounded CSV
        self.vb.setMouseEnabled(x=True, y=False)  # zoom and pan the steps; y fits itself
        self.vb.enableAutoRange(x=False, y=True)  # x: the panel follows the newest step
        self.vb.setAutoVisible(y=True)
        self.item.showGrid(x=False, y=True, alpha=0.2)  # value lines; an x grid costs ~2 ms a paint
        self.item.setDownsampling(auto=True, mode="peak")  # ~2 points per pixel column
        self.item.setClipToView(True)  # once zoomed in, draw only the visible steps
        for side in ("left", "bottom"):
            self.item.getAxis(side).enableAutoSIPrefix(False)
        self.legend = pg.LegendItem(offset=(-6, 4), sampleType=_Sample, verSpacing=-6)
        self.legend.setParentItem(self.vb)
        self.crosshair = pg.InfiniteLine(angle=90, movable=False)
        self.crosshair.setZValue(50)
        self.crosshair.hide()
        self.item.addItem(self.crosshair, ignoreBounds=True)
        self.vb.sigResized.connect(self._on_resized)
        self.looks: list[tuple[pg.PlotDataItem, _Look]] = []
        self.lines: list[tuple[pg.InfiniteLine, int | str]] = []
        self.texts: list[tuple[pg.TextItem, int | str]] = []
        self.trace: Trace | None = None
        self.n = 0
        self.heading = self.title
        self.short_heading = self.short_title
        self._title_text = ""
        self._title_style: dict = {}
        self._legend_corner = "top"

    # -- items ------------------------------------------------------------------------------
    def curve(self, look: _Look, name: str | None = None) -> pg.PlotDataItem:
        item = pg.PlotDataItem(connect="finite")
        if look.ghost is not None:
            item.setZValue(-10)
        self.item.addItem(item)  # takes the plot's peak downsampling and clip-to-view
        # y always fits the visible data, so pyqtgraph's clipping of far-off values is not
        # needed, and without it a change of the y range does not downsample everything again.
        item.setDynamicRangeLimit(None)
        self.looks.append((item, look))
        if name is not None and self.legend_wanted:
            self.legend.addItem(item, name)
        return item

    def hline(self, y: float, colour: int | str, label: str = "", position: float = 0.04,
              right: bool = False) -> pg.InfiniteLine:
        side = 1 if right else 0
        opts = {"position": position, "anchors": [(side, 0), (side, 1)], "movable": False}
        line = pg.InfiniteLine(pos=y, angle=0, movable=False, label=label or None, labelOpts=opts)
        line.setZValue(-5)  # under the curves, label included
        self.item.addItem(line, ignoreBounds=False)
        self.lines.append((line, colour))
        return line

    def text(self, colour: int | str, anchor=(0, 0), fixed: bool = False) -> pg.TextItem:
        item = pg.TextItem("", anchor=anchor)
        item.setZValue(40)
        if fixed:  # pixels from the plot's top-left corner, whatever the range
            item.setParentItem(self.vb)
            item.setPos(8, 8)
            item.setTextWidth(max(60.0, self.vb.width() - 16))
        else:
            self.item.addItem(item, ignoreBounds=True)
        self.texts.append((item, colour))
        return item

    def clear(self) -> None:
        """Remove every data item, line and note (for a new trace or new ghosts)."""
        for item, _ in self.looks:
            self.item.removeItem(item)
        for line, _ in self.lines:
            self.item.removeItem(line)
        for text, _ in self.texts:
            if text.parentItem() is self.vb:
                text.setParentItem(None)
                if text.scene() is not None:
                    text.scene().removeItem(text)
            else:
                self.item.removeItem(text)
        self.legend.clear()
        self.looks, self.lines, self.texts = [], [], []

    def _on_resized(self, *_) -> None:
        self.fit()

    def fit(self) -> None:
        """Shorten the title, wrap fixed notes and hide a legend that would cover the plot,
        as the plot's size asks."""
        if self._title_style:
            room = self.vb.width() + 8  # the title is centred over the plot area
            fits = QFontMetricsF(self._title_font).horizontalAdvance(self.heading) <= room
            text = self.heading if fits or not self.short_heading else self.short_heading
            if text != self._title_text:
                self._title_text = text
                self.item.setTitle(text, **self._title_style)
        for text, _ in self.texts:
            if text.parentItem() is self.vb:
                text.setTextWidth(max(60.0, self.vb.width() - 16))
        self.legend.updateSize()
        width, height = self.vb.width(), self.vb.height()
        small = (self.legend.width() <= 0.9 * width and self.legend.height() <= 0.6 * height
                 and self.legend.width() * self.legend.height() <= 0.35 * width * height)
        self.legend.setVisible(bool(self.legend.items) and small)

    # -- looks ------------------------------------------------------------------------------
    def restyle(self, theme: Theme, zoom: float, line_zoom: float, few: bool) -> None:
        foreground, muted = QColor(theme.foreground), QColor(theme.muted)
        self.widget.setBackground(theme.background)
        self._title_style = {"color": theme.foreground, "size": f"{TITLE_PT * zoom:.1f}pt"}
        self._title_font = _font(TITLE_PT * zoom)
        self._title_text = ""
        title_height = QFontMetricsF(self._title_font).height() + 6 * zoom
        self.item.layout.setRowFixedHeight(0, title_height)
        self.item.titleLabel.setMaximumHeight(title_height)
        tick_font = _font(TICK_PT * zoom)
        for side in ("left", "bottom"):
            axis = self.item.getAxis(side)
            axis.setPen(pg.mkPen(muted, width=max(1.0, line_zoom)))
            axis.setTextPen(foreground)
            axis.setStyle(tickFont=tick_font, tickTextOffset=int(round(4 * zoom)),
                          tickLength=int(round(-5 * zoom)))
            if axis.labelText:
                axis.setLabel(axis.labelText, color=theme.foreground, **{"font-size": f"{TICK_PT * zoom:.1f}pt"})
        self.legend.setBrush(pg.mkBrush(QColor(theme.background).darker(104) if not theme.dark
                                        else QColor(theme.background).lighter(120)))
        self.legend.setPen(pg.mkPen(muted))
        self.legend.setLabelTextColor(foreground)
        self.legend.setLabelTextSize(f"{LEGEND_PT * zoom:.1f}pt")
        for sample, label in self.legend.items:
            sample.set_zoom(zoom)
            label.setText(label.text, color=theme.foreground, size=f"{LEGEND_PT * zoom:.1f}pt")
        for item, look in self.looks:
            self.apply_look(item, look, theme, zoom, line_zoom, few)
        for line, colour in self.lines:
            line.setPen(pg.mkPen(_colour(theme, colour), width=max(1.0, theme.line_width * line_zoom * 0.75),
                                 style=Qt.PenStyle.DashLine))
            if getattr(line, "label", None) is not None:
                line.label.setColor(_colour(theme, colour))
                fill = QColor(theme.background)
                fill.setAlpha(210)
                line.label.fill = pg.mkBrush(fill)
                line.label.setFont(_font(NOTE_PT * zoom))
        for text, colour in self.texts:
            text.setColor(_colour(theme, colour))
            text.setFont(_font(NOTE_PT * zoom, bold=True))
        self.crosshair.setPen(pg.mkPen(muted, width=max(1.0, line_zoom), style=Qt.PenStyle.DotLine))
        self.fit()

    @staticmethod
    def apply_look(item: pg.PlotDataItem, look: _Look, theme: Theme, zoom: float, line_zoom: float,
                   few: bool) -> None:
        """Pens get ``line_zoom`` (an export at scale 2 doubles it), markers ``zoom``."""
        colour = _colour(theme, look.colour)
        if look.ghost is not None:
            colour.setAlphaF(theme.ghost_opacity)
        if look.style is None:
            item.setPen(None)
        else:
            pen = pg.mkPen(colour, width=max(1.0, theme.line_width * line_zoom * look.width), style=look.style)
            if look.ghost is not None:
                pen.setDashPattern(GHOST_DASHES[look.ghost % len(GHOST_DASHES)])
            item.setPen(pen)
        symbol = look.symbol or ("o" if look.dots and few else None)
        item.setSymbol(symbol)
        if symbol is not None:
            size = look.symbol_size if look.symbol else 5.0
            item.setSymbolSize(max(3, int(round(size * zoom))))
            item.setSymbolBrush(colour)
            item.setSymbolPen(pg.mkPen(theme.foreground if look.symbol else colour, width=max(1.0, line_zoom)))

    # -- data -------------------------------------------------------------------------------
    def reset(self, trace: Trace | None, ghosts: list) -> None:
        """Build the items for ``trace`` (its setup decides which) and the kept runs."""
        self.clear()
        self.trace = trace
        self.n = 0
        if trace is not None:
            self.build(trace)
        for g, (ghost, n, label) in enumerate(ghosts):
            self.build_ghost(ghost, n, label, g)
        self.fit()

    def build(self, trace: Trace) -> None:
        raise NotImplementedError

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        """Draw the first ``n`` steps of a kept run (rows that never change)."""

    def update(self, n: int, steps: _Steps) -> None:
        raise NotImplementedError

    def readout(self, step: int, y: float | None = None) -> str:
        """The exact values at ``step``; ``y`` picks the nearest of several curves."""
        raise NotImplementedError

    # helpers for subclasses
    def place_legend(self, last_values: list[float], items: list[pg.PlotDataItem]) -> None:
        """Move the legend to the right-hand corner that the newest values leave free."""
        rects = [r for r in (item.dataRect() for item in items) if r is not None]
        if not self.legend.isVisible() or not rects:
            return
        low, high = min(r.top() for r in rects), max(r.bottom() for r in rects)
        upper = [v > (low + high) / 2 for v in last_values if math.isfinite(v)]
        corner = "bottom" if upper and sum(upper) * 2 >= len(upper) else "top"
        if corner != self._legend_corner:
            self._legend_corner = corner
            if corner == "top":
                self.legend.anchor((1, 0), (1, 0), (-6, 4))
            else:
                self.legend.anchor((1, 1), (1, 1), (-6, -4))

    def nearest(self, x: float, first: int) -> int | None:
        """The step nearest to ``x``, from ``first`` (0 or 1) to the last shown, or None."""
        if self.trace is None or self.n < first or not math.isfinite(x):
            return None
        return int(min(max(round(x), first), self.n))


# -- the four plots ------------------------------------------------------------------------------------
class _WeightsPlot(_Plot):
    key, title, short_title = "weights", "weights", "weights"
    tip = ("How each weight changes, step by step. It settles where the prediction "
           "meets the goal (or keeps growing when alpha is too big).")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.curves = []
        for i in range(setup.n_inputs):
            name = setup.input_name(i) + (" (frozen)" if setup.frozen[i] else "")
            look = _Look(i, style=Theme.line_style(i), dots=True)
            self.curves.append(self.curve(look, name))

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        x = np.arange(n + 1, dtype=np.int64)
        for i in range(trace.setup.n_inputs):
            item = self.curve(_Look(i, ghost=index), label if i == 0 else None)
            item.setData(x, trace.weight_path(i)[: n + 1])

    def update(self, n: int, steps: _Steps) -> None:
        x = steps.upto(n)
        for i, item in enumerate(self.curves):
            item.setData(x, self.trace.weight_path(i)[: n + 1])
        self.n = n
        self.place_legend([float(self.trace.weight_path(i)[n]) for i in range(len(self.curves))], self.curves)

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        values = [float(trace.weight_path(i)[step]) for i in range(trace.setup.n_inputs)]
        i = 0
        if y is not None and len(values) > 1:
            i = min(range(len(values)), key=lambda j: abs(values[j] - y) if math.isfinite(values[j]) else math.inf)
        when = "start" if step == 0 else f"after step {step}"
        name = trace.setup.input_name(i)
        return f"{when} · weight_{i + 1} ({name}) = {values[i]!r}"


class _MsePlot(_Plot):
    key, title, short_title = "mse", "mse (log scale)", "mse (log)"
    tip = ("The error of each step, mse = delta², on a log scale: 10⁻⁵ is ten times smaller "
           "than 10⁻⁴. An exact zero is drawn at the bottom (marked 0), an overflow at the top.")

    def __init__(self) -> None:
        super().__init__(_MseAxis("left"))
        self.axis = self.item.getAxis("left")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.epoch = setup.n_examples if (setup.order != "batch" and setup.n_examples > 1) else 0
        self.log = _Growing()
        self.zero_x = _Growing(np.int64)
        self.epoch_x, self.epoch_log = _Growing(np.int64), _Growing()
        self.min_positive = math.inf
        self.max_log = -math.inf
        self.bad: list[tuple[int, float]] = []  # (step, value) of inf/nan steps
        name = "each step"
        self.line = self.curve(_Look(MSE_COLOUR, dots=True), name if self.epoch else None)
        self.means = None
        if self.epoch:
            self.means = self.curve(_Look("foreground", style=Qt.PenStyle.DashLine, width=1.25), "epoch mean")
        self.zeros = self.curve(_Look(ZERO_COLOUR, style=None, symbol="o", symbol_size=9))
        self.overflow = self.curve(_Look("warning", style=None, symbol="x", symbol_size=15))
        self.zero_note = self.text(ZERO_COLOUR, anchor=(0, 1.15))
        self.overflow_note = self.text("warning", anchor=(1.08, 0.5))
        self.axis.zero_level = None

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        with np.errstate(all="ignore"):
            log = np.log10(trace.mse[:n])
        finite = np.isfinite(log)
        if finite.any():
            log[~finite] = np.nan  # a cleaned copy, made once
            self.curve(_Look(MSE_COLOUR, ghost=index), label).setData(np.arange(1, n + 1, dtype=np.int64), log)

    def update(self, n: int, steps: _Steps) -> None:
        a = self.n
        mse = self.trace.mse
        chunk = mse[a:n]
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
        if math.isfinite(self.max_log):
            self.line.setData(steps.upto(n)[1:], self.log.view)
        else:  # nothing a log axis can draw yet (no steps, or only exact zeros)
            self.line.setData([], [])
        if self.epoch:
            self._update_means(n)
        self._update_markers(n)
        self.n = n
        if n:
            self.place_legend([float(self.log.view[-1])], [self.line])

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
            self.means.setData(self.epoch_x.view, self.epoch_log.view)

    def _update_markers(self, n: int) -> None:
        low = math.floor(math.log10(self.min_positive)) - 1 if math.isfinite(self.min_positive) else -1
        high = self.max_log + 1 if math.isfinite(self.max_log) else 1.0
        zeros = self.zero_x.view
        if zeros.shape[0]:
            self.axis.zero_level = float(low)
            self.zeros.setData(zeros, np.full(zeros.shape[0], float(low)))
            first = int(zeros[0])
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


class _PredictionPlot(_Plot):
    key, title, short_title = "prediction", "prediction vs goal", "prediction"
    tip = ("The node's prediction at each step (weight × input, added up) and the goal it "
           "should reach (dashed). With several examples, one colour per example; each dashed "
           "goal line is labelled with its example's number.")
    legend_wanted = False

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        m = setup.n_examples
        self.mode = "batch" if trace.batch else "single" if m == 1 else "each" if m <= MAX_EXAMPLE_SERIES else "many"
        self.series = []
        if self.mode == "batch":
            note = self.text("muted", fixed=True)
            note.setText("Batch order: every step uses all the examples at once, so there is "
                         "no single prediction per step. The mse plot shows their mean error.")
            return
        if self.mode == "single":
            self.line = self.curve(_Look(PREDICTION_COLOUR, dots=True))
            self.hline(setup.examples[0].goal, "goal", f"goal {setup.examples[0].goal!r}")
        elif self.mode == "each":
            for e, example in enumerate(setup.examples):
                look = _Look(e, style=Theme.line_style(e), symbol=None, dots=True)
                self.series.append((self.curve(look), _Growing(np.int64), _Growing()))
                self.hline(example.goal, e, f"goal {e + 1}", position=0.98 - _label_spacing(m) * e, right=True)
        else:  # many examples: two bands, the predictions and the goals of each step's example
            self.goal_y = _Growing()
            self.goal_points = self.curve(_Look("goal", width=0.5))
            self.line = self.curve(_Look(PREDICTION_COLOUR, width=0.5))
            self.legend.addItem(self.line, "prediction")
            self.legend.addItem(self.goal_points, "goal of the example")

    def fit(self) -> None:
        super().fit()
        if getattr(self, "mode", None) == "each":  # staggered labels: "goal 2", or "2" if tight
            room = _label_spacing(len(self.lines)) * self.vb.width()
            for e, (line, _) in enumerate(self.lines):
                line.label.setFormat(f"goal {e + 1}")
                if line.label.boundingRect().width() * 1.05 > room:
                    line.label.setFormat(f"{e + 1}")
                line.label.setVisible(line.label.boundingRect().width() * 1.05 <= room)

    def update(self, n: int, steps: _Steps) -> None:
        trace, a = self.trace, self.n
        if self.mode == "single":
            self.line.setData(steps.upto(n)[1:], trace.prediction[:n])
        elif self.mode == "each":
            used = trace.example[a:n]
            prediction = trace.prediction[a:n]
            for e, (item, xs, ys) in enumerate(self.series):
                mine = np.flatnonzero(used == e + 1)
                if mine.shape[0]:
                    xs.extend(mine + a + 1)
                    ys.extend(prediction[mine])
                    item.setData(xs.view, ys.view)
        elif self.mode == "many":
            self.goal_y.extend(trace.goals[trace.example[a:n] - 1])
            x = steps.upto(n)[1:]
            self.line.setData(x, trace.prediction[:n])
            self.goal_points.setData(x, self.goal_y.view)
        self.n = n

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        if self.mode == "batch":
            return f"step {step} · batch order: no single prediction (see mse)"
        e = int(trace.example[step - 1])
        where = f"step {step}" + ("" if self.mode == "single" else f" (example {e})")
        return (f"{where} · prediction = {float(trace.prediction[step - 1])!r}"
                f" · goal = {float(trace.goals[e - 1])!r}")


class _DeltaPlot(_Plot):
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
                look = _Look(i, style=Theme.line_style(i), dots=True)
                self.curves.append(self.curve(look, setup.input_name(i) if setup.n_inputs > 1 else None))
        else:
            self.curves.append(self.curve(_Look(DELTA_COLOUR, dots=True)))

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        x = np.arange(1, n + 1, dtype=np.int64)
        if self.batch:
            for i in range(trace.setup.n_inputs):
                self.curve(_Look(i, ghost=index)).setData(x, trace.weighted_delta(i)[:n])
        elif not trace.batch:
            self.curve(_Look(DELTA_COLOUR, ghost=index)).setData(x, trace.delta[:n])

    def update(self, n: int, steps: _Steps) -> None:
        x = steps.upto(n)[1:]
        if self.batch:
            for i, item in enumerate(self.curves):
                item.setData(x, self.trace.weighted_delta(i)[:n])
            if n:
                self.place_legend([float(self.trace.weighted_delta(i)[n - 1]) for i in range(len(self.curves))],
                                  self.curves)
        else:
            self.curves[0].setData(x, self.trace.delta[:n])
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
        self._steps = _Steps()
        self._few = True
        self._x_end: float | None = None  # the end of the step axis while following
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

    def set_setup(self, setup: Setup) -> None:
        """Show the starting state of ``setup`` (the window then gives the run's trace)."""
        self.set_trace(Trace(setup, capacity=1))

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        self._few = True
        self._x_end = None
        for plot in self.plots.values():
            plot.reset(trace, self._ghosts)
        self._restyle()
        if trace is not None:
            self._update(0)
        self.readout.setText(HINT)
        if not self.follow_box.isChecked():
            self.follow_box.setChecked(True)

    def refresh(self, n: int) -> None:
        """Show the steps up to ``n``; only the new steps are computed."""
        if self._trace is None:
            return
        n = max(0, min(int(n), self._trace.n_steps))
        shown = self.weights_plot.n
        if n < shown:
            self.set_trace(self._trace)
        if n != shown:
            self._update(n)

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
                target = QRectF(plot.widget.geometry())
                plot.widget.render(painter, target, plot.widget.viewport().rect())
        finally:
            painter.end()
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

    def _on_mouse_moved(self, plot: _Plot, scene_pos: QPointF) -> None:
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

    def _on_range_changed_manually(self, source: _Plot) -> None:
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
            for plot in self.plots.values():
                plot.vb.enableAutoRange(y=True)
            self._x_end = None
            self._show_all_steps(self.weights_plot.n)

    def _show_all_steps(self, n: int) -> None:
        """Following: the step axis shows 0 to a little past n, growing in small round steps
        (calmer axes, redrawn only when they change).  Set here, before the new data, not by
        pyqtgraph's x auto-range after it, which would downsample every curve a second time."""
        end = self._x_end
        if end is None or n > end or n < end / 2:
            end = _room_for(n)
            self._x_end = end
            pad = 0.02 * end
            for plot in self.plots.values():
                plot.vb.setXRange(-pad, end + pad, padding=0)

    @property
    def following(self) -> bool:
        return self.follow_box.isChecked()

    # -- updating -----------------------------------------------------------------------------
    def _update(self, n: int) -> None:
        few = n <= FEW_STEPS
        if few != self._few:
            self._few = few
            self._restyle()
        if self.follow_box.isChecked():
            self._show_all_steps(n)
        for plot in self.plots.values():
            plot.update(n, self._steps)
            plot.vb.prepareForPaint()  # fit y now: one repaint per refresh, not two

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
