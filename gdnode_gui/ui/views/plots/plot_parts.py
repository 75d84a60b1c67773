"""Building blocks of the live plots (:mod:`gdnode_gui.ui.views.plots.plots`).

- small helpers: the append-only :class:`Growing` buffer, :class:`Look`, fonts, colours and
  step texts;
- the axes (:class:`StepAxis`, :class:`MseAxis`), the legend sample (:class:`Sample`);
- :class:`Marks`: markers at steps, all at one height, thinned to about one per pixel;
- :class:`Plot`: one PlotWidget with its curves, lines and notes; the four plots of
  :mod:`gdnode_gui.ui.views.plots.plots` fill in the data.

What a curve is handed, a long series reduced into min/max buckets (:class:`Series`,
:class:`PeakDecimator`), is in :mod:`gdnode_gui.ui.views.plots.decimation`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem

from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.views.plots.decimation import BUCKETS_PER_PIXEL, Series
from gdnode_gui.ui.style.theme import Theme

TICK_PT, TITLE_PT, LEGEND_PT, NOTE_PT = 9.0, 10.0, 9.0, 9.0  # font sizes at zoom 1
GHOST_DASHES = ([5.0, 3.0], [1.5, 2.5], [7.0, 2.5, 1.5, 2.5])
MIN_PIXELS = 100

# -- small building blocks ---------------------------------------------------------------------------
class Growing:
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


@dataclass(frozen=True)
class Look:
    """How a data item is drawn, in theme terms (resolved again on theme or zoom changes)."""

    colour: int | str  # index into the theme's curve colours, or a Theme field name
    style: Qt.PenStyle | None = Qt.PenStyle.SolidLine  # None: markers only
    width: float = 1.0  # times the theme's line width
    ghost: int | None = None  # index of a kept run: faded, dashed
    symbol: str | None = None  # a marker at every point, always
    symbol_size: float = 8.0
    dots: bool = False  # a dot at every step while the run is short


def theme_colour(theme: Theme, key: int | str) -> QColor:
    return QColor(theme.curve_colour(key) if isinstance(key, int) else getattr(theme, key))


def make_font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class MseAxis(pg.AxisItem):
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
                strings.append(decade(int(round(v))))
            else:
                strings.append(f"{10.0 ** v:.3g}")
        return strings


class StepAxis(pg.AxisItem):
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
                widths = [metrics.horizontalAdvance(step_text(v)) for v in values]
                if sum(widths) + gap * len(values) <= size:
                    return [(step, values)]
            unit *= 10
        return [(hi - lo, values[:1])]

    def tickStrings(self, values, scale, spacing):
        return [step_text(v) for v in values]


def room_for(n: int) -> float:
    """The end of the step axis while following: n itself for a short run, else a little
    past n, rounded up to two significant digits (148 -> 160, 4321 -> 4500)."""
    if n <= 12:
        return float(max(n, 1))
    want = 1.02 * n
    unit = 10.0 ** (math.floor(math.log10(want)) - 1)
    return math.ceil(want / unit) * unit


def step_text(step: float) -> str:
    size = abs(step)
    if size < 10_000:
        return f"{step:.0f}"
    if size < 1_000_000:
        return f"{step / 1000:g}k"
    return f"{step / 1_000_000:g}M"


def label_spacing(count: int) -> float:
    """How far apart (a fraction of the plot's width) the goal labels of examples are."""
    return min(0.19, 0.92 / max(1, count - 1))


def let_title_shrink(label: pg.LabelItem) -> None:
    """A long title (zoomed text, narrow plot) is cut off instead of widening the plot
    beyond its place in the grid."""
    update_min = label.updateMin

    def updateMin() -> None:
        update_min()
        label.setMinimumWidth(0)
        label._sizeHint[Qt.SizeHint.MinimumSize] = (0, label._sizeHint[Qt.SizeHint.MinimumSize][1])
        label._sizeHint[Qt.SizeHint.PreferredSize] = (0, label._sizeHint[Qt.SizeHint.PreferredSize][1])

    label.updateMin = updateMin


def decade(k: int) -> str:
    """``10⁻³⁰`` for -30; 1, 10 and 0.1 written plainly."""
    return {0: "1", 1: "10", -1: "0.1"}.get(k, "10" + str(k).translate(_SUPERSCRIPT))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class Sample(pg.ItemSample):
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


# -- markers at one height ---------------------------------------------------------------------------
class Marks:
    """Markers at some steps (increasing), all at one height ``level``: the mse plot's exact
    zeros.  Every one while they are few (or few are in view); else the first of each bin
    of steps, the bins a power of two wide, at most ``limit`` of them (about one per
    pixel: a marker is wider than that), kept incrementally.  A lone marker always shows."""

    def __init__(self, item: pg.PlotDataItem, limit: int) -> None:
        self.item = item
        self.limit = max(2, int(limit))
        self.level = math.nan
        self.steps = np.empty(0, np.int64)
        self.width = 1  # steps per bin
        self.kept = Growing(np.int64)
        self._shown: tuple | None = None

    def extend(self, steps: np.ndarray) -> None:
        """The marks are now at ``steps``: those after the ones it had are new."""
        new = steps[self.steps.shape[0] :]
        self.steps = steps
        if new.shape[0]:
            last = self.kept.view[-1:] // self.width
            self.kept.extend(new[_first_of_bins(new // self.width, last)])
            while len(self.kept) > self.limit:
                self.width *= 2
                kept = self.kept.view
                self.kept = Growing(np.int64)
                self.kept.extend(kept[_first_of_bins(kept // self.width)])

    def set_limit(self, limit: int) -> None:
        if limit != self.limit:
            self.limit, self.width, self.kept, self._shown = max(2, int(limit)), 1, Growing(np.int64), None
            steps, self.steps = self.steps, np.empty(0, np.int64)
            self.extend(steps)

    def show(self, x0: float, x1: float) -> None:
        steps, n = self.steps, self.steps.shape[0]
        a = int(np.searchsorted(steps, np.int64(math.floor(max(x0, -1e15)))))
        b = int(np.searchsorted(steps, np.int64(math.ceil(min(x1, 1e15))), side="right"))
        if n <= self.limit or b - a <= self.limit:
            key, shown = ("some", a, b, self.level), lambda: steps[a:b] if n > self.limit else steps
        elif (x1 - x0) / self.limit >= self.width / 2:  # the bins are not too wide for the view
            key, shown = ("bins", len(self.kept), self.level), lambda: self.kept.view
        else:  # zoomed in on many: bins of the marks in view, once for this range
            key, shown = ("local", a, b, self.level), lambda: _thinned(steps[a:b], self.limit)
        if key != self._shown:
            self._shown = key
            x = shown()
            self.item.setData(x, np.full(x.shape[0], self.level))


def _first_of_bins(bins: np.ndarray, before: np.ndarray | None = None) -> np.ndarray:
    """Which of the (increasing) ``bins`` start a new bin (``before``: the last bin so far)."""
    first = np.ones(bins.shape[0], dtype=bool)
    first[1:] = bins[1:] != bins[:-1]
    if before is not None and before.shape[0] and bins.shape[0]:
        first[0] = bins[0] != before[0]
    return first


def _thinned(steps: np.ndarray, limit: int) -> np.ndarray:
    width = 1
    while True:
        kept = steps[_first_of_bins(steps // width)]
        if kept.shape[0] <= limit:
            return kept
        width *= 2


#: The widest value range pyqtgraph can be given: it adds and subtracts the ends and pads
#: the span, so ends near 1e308 would overflow to inf ("Cannot set range [-inf, inf]").
Y_LIMIT = 4e307


def _showable(low: float, high: float) -> tuple[float, float]:
    """(low, high) within +-Y_LIMIT, still low < high: values beyond it are drawn off the
    edge rather than stopping the plot."""
    low = min(max(low, -Y_LIMIT), Y_LIMIT)
    high = min(max(high, -Y_LIMIT), Y_LIMIT)
    if high <= low:  # all of it beyond one edge (or one value): show that edge's end
        if high >= Y_LIMIT / 2:
            low, high = Y_LIMIT / 2, Y_LIMIT
        elif low <= -Y_LIMIT / 2:
            low, high = -Y_LIMIT, -Y_LIMIT / 2
        else:
            return low, high  # one ordinary value: pyqtgraph keeps the scale around it
    return low, high


# -- one plot ------------------------------------------------------------------------------------
class Plot:
    """One PlotWidget and the items on it; subclasses fill in the data (:meth:`build`,
    :meth:`update`) as :class:`Series`, which :meth:`sync` hands to their curves."""

    key = ""
    title = ""
    short_title = ""  # when the title does not fit (a narrow plot, a big zoom)
    tip = ""
    legend_wanted = True

    def __init__(self, left_axis: pg.AxisItem | None = None) -> None:
        axes = {"bottom": StepAxis("bottom")}
        if left_axis is not None:
            axes["left"] = left_axis
        self.widget = pg.PlotWidget(axisItems=axes)
        self.widget.setObjectName(f"{self.key}Plot")
        self.widget.setAccessibleName(f"{self.title} plot")
        self.widget.setToolTip(self.tip)
        self.widget.setMinimumSize(120, 90)
        self.item = self.widget.getPlotItem()
        self.vb = self.item.getViewBox()
        let_title_shrink(self.item.titleLabel)
        self.item.hideButtons()
        self.item.setMenuEnabled(False)  # its Export dialog writes rounded CSV
        self.vb.setMouseEnabled(x=True, y=False)  # zoom and pan the steps; y fits itself
        # The panel sets the step range (following the newest step), :meth:`fit_y` the value
        # range from the series' extents: pyqtgraph's auto-range would scan every item.
        self.vb.enableAutoRange(x=False, y=False)
        self.item.showGrid(x=False, y=True, alpha=0.2)  # value lines; an x grid costs ~2 ms a paint
        # No pyqtgraph downsampling or clip-to-view: a Series hands its curve only the values
        # in view, or its min/max buckets, so nothing needs reducing when the range changes.
        for side in ("left", "bottom"):
            self.item.getAxis(side).enableAutoSIPrefix(False)
        self.cache_axes(True)
        self.legend = pg.LegendItem(offset=(-6, 4), sampleType=Sample, verSpacing=-6)
        self.legend.setParentItem(self.vb)
        self.crosshair = pg.InfiniteLine(angle=90, movable=False)
        self.crosshair.setZValue(50)
        self.crosshair.hide()
        self.item.addItem(self.crosshair, ignoreBounds=True)
        self.vb.sigResized.connect(self._on_resized)
        self.vb.sigXRangeChanged.connect(self._on_x_range_changed)
        self.series: list[Series] = []
        self.marks: list[Marks] = []
        self._y_fitted: tuple | None = None  # what the value range was last fitted to
        self.looks: list[tuple[pg.PlotDataItem, Look]] = []
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
    def curve(self, look: Look, name: str | None = None) -> pg.PlotDataItem:
        item = pg.PlotDataItem(connect="finite")
        if look.ghost is not None:
            item.setZValue(-10)
        self.item.addItem(item)  # takes the plot's clip-to-view
        # y always fits the visible data, so pyqtgraph's clipping of far-off values is not
        # needed, and without it a change of the y range does not touch the data again.
        item.setDynamicRangeLimit(None)
        self.looks.append((item, look))
        if name is not None and self.legend_wanted:
            self.legend.addItem(item, name)
        return item

    def cache_axes(self, on: bool) -> None:
        """Keep each axis (the left one draws the grid, too) as a pixmap, redrawn only when
        its range or style changes, not at every new step of a curve."""
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        for side in ("left", "bottom"):
            self.item.getAxis(side).setCacheMode(mode)

    def add_series(self, look: Look, name: str | None = None, first: int = 1) -> Series:
        """A curve for values at steps ``first``, ``first + 1``, ... (or at the steps
        given to :meth:`Series.extend`)."""
        series = Series(self.curve(look, name), first, self.limit)
        self.series.append(series)
        return series

    def add_marks(self, look: Look) -> Marks:
        """Markers at steps, all at one height (see :class:`Marks`)."""
        marks = Marks(self.curve(look), int(self.pixels))
        self.marks.append(marks)
        return marks

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
        self.looks, self.lines, self.texts, self.series, self.marks = [], [], [], [], []

    def _on_resized(self, *_) -> None:
        self.fit()
        limit = self.limit
        for series in self.series:
            series.set_limit(limit)
        for marks in self.marks:
            marks.set_limit(int(self.pixels))
        self.sync()

    def _on_x_range_changed(self, *_) -> None:
        self.sync()

    @property
    def pixels(self) -> float:
        """The plot area's width in device pixels."""
        return max(float(MIN_PIXELS), self.vb.width() * self.widget.devicePixelRatioF())

    @property
    def limit(self) -> int:
        """Most points a series is handed as they are; beyond, min/max buckets."""
        return int(BUCKETS_PER_PIXEL * self.pixels)

    def sync(self) -> None:
        """Hand every curve what it should draw for the steps now in view."""
        (x0, x1), pixels = self.vb.viewRange()[0], self.pixels
        for series in self.series:
            series.show(x0, x1, pixels)
        for marks in self.marks:
            marks.show(x0, x1)
        self.fit_y()

    def fit_y(self) -> None:
        """Fit the value range to what is in view: the series, the lines and
        :meth:`y_marks`, with room for their pens and markers and pyqtgraph's padding (as
        its auto-range does, without scanning the data)."""
        spans = [(*s.extent, s.item.pixelPadding()) for s in self.series]
        spans += [(line.value(), line.value(), 0.0) for line, _ in self.lines] + self.y_marks()
        spans = [span for span in spans if math.isfinite(span[0]) and math.isfinite(span[1])]
        if not spans:
            return
        height = max(1.0, self.vb.height())
        fitted = (tuple(spans), height)
        if fitted == self._y_fitted:
            return
        self._y_fitted = fitted
        low, high = _showable(min(s[0] for s in spans), max(s[1] for s in spans))
        pixel = (high - low) * (1 + 2 * self.vb.suggestPadding(1)) / height  # about, once set
        self.vb.setYRange(*_showable(min(s[0] - s[2] * pixel for s in spans),
                                     max(s[1] + s[2] * pixel for s in spans)))

    def y_marks(self) -> list[tuple[float, float, float]]:
        """Other values the value range must hold: (low, high, pixels of room), e.g. markers."""
        return []

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
        self._title_font = make_font(TITLE_PT * zoom)
        self._title_text = ""
        title_height = QFontMetricsF(self._title_font).height() + 6 * zoom
        self.item.layout.setRowFixedHeight(0, title_height)
        self.item.titleLabel.setMaximumHeight(title_height)
        tick_font = make_font(TICK_PT * zoom)
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
            line.setPen(pg.mkPen(theme_colour(theme, colour), width=max(1.0, theme.line_width * line_zoom * 0.75),
                                 style=Qt.PenStyle.DashLine))
            if getattr(line, "label", None) is not None:
                line.label.setColor(theme_colour(theme, colour))
                fill = QColor(theme.background)
                fill.setAlpha(210)
                line.label.fill = pg.mkBrush(fill)
                line.label.setFont(make_font(NOTE_PT * zoom))
        for text, colour in self.texts:
            text.setColor(theme_colour(theme, colour))
            text.setFont(make_font(NOTE_PT * zoom, bold=True))
        self.crosshair.setPen(pg.mkPen(muted, width=max(1.0, line_zoom), style=Qt.PenStyle.DotLine))
        self.fit()

    @staticmethod
    def apply_look(item: pg.PlotDataItem, look: Look, theme: Theme, zoom: float, line_zoom: float,
                   few: bool) -> None:
        """Pens get ``line_zoom`` (an export at scale 2 doubles it), markers ``zoom``."""
        colour = theme_colour(theme, look.colour)
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
        self.sync()

    def build(self, trace: Trace) -> None:
        raise NotImplementedError

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        """Draw the first ``n`` steps of a kept run (rows that never change)."""

    def update(self, n: int) -> None:
        """Take in the steps up to ``n`` (the panel then calls :meth:`sync`)."""
        raise NotImplementedError

    def readout(self, step: int, y: float | None = None) -> str:
        """The exact values at ``step``; ``y`` picks the nearest of several curves."""
        raise NotImplementedError

    # helpers for subclasses
    def place_legend(self, series: list[Series]) -> None:
        """Move the legend to the right-hand corner that the newest values leave free."""
        low = min((s.peaks.low for s in series), default=math.inf)
        high = max((s.peaks.high for s in series), default=-math.inf)
        if not self.legend.isVisible() or not (math.isfinite(low) and math.isfinite(high)):
            return
        upper = [s.last > (low + high) / 2 for s in series if math.isfinite(s.last)]
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


