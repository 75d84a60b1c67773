"""Building blocks of the live plots (:mod:`gdnode_gui.ui.views.plots.plots`).

- small helpers: the append-only :class:`Growing` buffer, :class:`Look`, fonts and colours;
- :class:`Marks`: markers at steps, all at one height, thinned to about one per pixel;
- :class:`EndLabel`: a direct label right of a curve's end (no legend box over the data);
- :class:`Plot`: one plot with its curves, lines, labels and notes, its value range and its
  signed log scale; the four plots of :mod:`gdnode_gui.ui.views.plots.four_plots` fill in
  the data.

The axes are in :mod:`gdnode_gui.ui.views.plots.axes`, the frame of a plot (title, axes,
view box) in :mod:`gdnode_gui.ui.views.plots.plot_area`.

What a curve is handed, a long series reduced into min/max buckets (:class:`Series`,
:class:`PeakDecimator`), is in :mod:`gdnode_gui.ui.views.plots.decimation`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy

from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.controls import named
from gdnode_gui.ui.views.plots.axes import StepAxis, ValueAxis, signed_log, signed_log_scale_for
from gdnode_gui.ui.views.plots.axes import step_text  # noqa: F401 - the sweep view imports it from here
from gdnode_gui.ui.views.plots.decimation import BUCKETS_PER_PIXEL, Series
from gdnode_gui.ui.views.plots.plot_area import PlotArea
from gdnode_gui.ui.style.theme import Theme

TICK_PT, TITLE_PT, LABEL_PT, NOTE_PT = 9.0, 10.0, 9.0, 9.0  # font sizes at zoom 1
GHOST_DASHES = ([4.0, 2.0], [1.0, 1.5], [6.0, 2.0, 1.0, 2.0])
GHOST_OPACITY = 0.85  # a kept run: the theme's secondary colour, dashed, nearly opaque
#: Values in a linear plot that grow beyond this many times their first size switch it to a
#: signed log scale (a death spiral reads as a widening zigzag, not a flat line and a spike).
DECADES_FOR_LOG = 3
#: pyqtgraph's view boxes hold values up to 1e307: beyond, a linear plot shows a signed log scale.
LINEAR_LIMIT = 1e306
MOST_LABEL_ROOM = 0.4  # of a plot's width, for the labels at the curves' ends
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
class EndLabel:
    """A direct label at the right end of a curve (or of a horizontal line), in the room
    the panel leaves right of the newest step: never over the data."""

    def __init__(self, item: pg.TextItem, colour: int | str, series: Series | None = None,
                 value: float | None = None) -> None:
        self.item, self.colour, self.series, self.value = item, colour, series, value
        self.shown = True  # False: a note not needed now (e.g. no overflow yet)

    @property
    def text(self) -> str:
        return self.item.toPlainText()


class Plot:
    """One plot (:attr:`widget`, a view showing the :class:`PlotArea` :attr:`item`) and the
    items on it; subclasses fill in the data (:meth:`build`, :meth:`update`) as
    :class:`Series`, which :meth:`sync` hands to their curves."""

    key = ""
    title = ""
    short_title = ""  # when the title does not fit (a narrow plot, a big zoom)
    tip = ""
    #: May this plot switch to a signed log scale (values growing over many decades)?
    may_use_signed_log = True

    def __init__(self, left_axis: pg.AxisItem | None = None) -> None:
        # A view box without its context menu (its Export dialog writes rounded CSV), in a
        # PlotArea: pyqtgraph's PlotItem without its options menu and hidden axes.
        self.vb = pg.ViewBox(enableMenu=False)
        self.item = PlotArea(left_axis if left_axis is not None else ValueAxis("left"), StepAxis("bottom"), self.vb)
        self.widget = pg.GraphicsView()
        self.widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.widget.enableMouse(False)  # the view box zooms and pans, not the view
        self.widget.setCentralItem(self.item)
        named(self.widget, f"{self.key}Plot", f"{self.title} plot", self.tip)
        self.widget.setMinimumSize(120, 90)
        let_title_shrink(self.item.titleLabel)
        self.vb.setMouseEnabled(x=True, y=False)  # zoom and pan the steps; y fits itself
        # The panel sets the step range (following the newest step), :meth:`fit_y` the value
        # range from the series' extents: pyqtgraph's auto-range would scan every item.
        self.vb.enableAutoRange(x=False, y=False)
        self.item.showGrid(alpha=0.2)  # value lines; an x grid costs ~2 ms a paint
        # No pyqtgraph downsampling or clip-to-view: a Series hands its curve only the values
        # in view, or its min/max buckets, so nothing needs reducing when the range changes.
        for side in ("left", "bottom"):
            self.item.getAxis(side).enableAutoSIPrefix(False)
        self.cache_axes(True)
        self.crosshair = pg.InfiniteLine(angle=90, movable=False)
        self.crosshair.setZValue(50)
        self.crosshair.hide()
        self.item.addItem(self.crosshair, ignoreBounds=True)
        # the step the node panel shows, while it is not the newest one
        self.shown_line = pg.InfiniteLine(angle=90, movable=False)
        self.shown_line.setZValue(45)
        self.shown_line.hide()
        self.item.addItem(self.shown_line, ignoreBounds=True)
        self.vb.sigResized.connect(self._on_resized)
        self.vb.sigXRangeChanged.connect(self._on_x_range_changed)
        self.series: list[Series] = []
        self.marks: list[Marks] = []
        self.end_labels: list[EndLabel] = []
        self._y_range: tuple[float, float] | None = None  # the value range set last
        self._y_height = 0.0
        self.settled = True  # no steps arriving: value ranges fit snugly
        self.axis_end = 0  # the last step of the step axis (the run's or a kept run's)
        self.looks: list[tuple[pg.PlotDataItem, Look]] = []
        self.lines: list[tuple[pg.InfiniteLine, int | str]] = []
        self.texts: list[tuple[pg.TextItem, int | str]] = []
        self.trace: Trace | None = None
        self.n = 0
        self.transform = None  # the signed log scale, once the values call for it
        self.heading = self.title
        self.short_heading = self.short_title
        self._title_text = ""
        self._title_style: dict = {}
        self._label_font = make_font(LABEL_PT)
        self._item_style: tuple | None = None  # (theme, zoom, line zoom, few) of style_items

    # -- items ------------------------------------------------------------------------------
    def curve(self, look: Look) -> pg.PlotDataItem:
        item = pg.PlotDataItem(connect="finite")
        if look.ghost is not None:
            item.setZValue(-10)
        elif look.width > 1.5:
            item.setZValue(5)  # a bold line (an epoch mean) on top of the thin ones
        self.item.addItem(item)
        # y always fits the visible data, so pyqtgraph's clipping of far-off values is not
        # needed, and without it a change of the y range does not touch the data again.
        item.setDynamicRangeLimit(None)
        self.looks.append((item, look))
        return item

    def cache_axes(self, on: bool) -> None:
        """Keep each axis (the left one draws the grid, too) as a pixmap, redrawn only when
        its range or style changes, not at every new step of a curve."""
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        for side in ("left", "bottom"):
            self.item.getAxis(side).setCacheMode(mode)

    def add_series(self, look: Look, name: str | None = None, first: int = 1) -> Series:
        """A curve for values at steps ``first``, ``first + 1``, ... (or at the steps
        given to :meth:`Series.follow`); ``name`` labels its end."""
        series = Series(self.curve(look), first, self.limit)
        self.series.append(series)
        if name:
            self.end_label(name, "muted" if look.ghost is not None else look.colour, series=series)
        return series

    def end_label(self, text: str, colour: int | str, series: Series | None = None,
                  value: float | None = None) -> EndLabel:
        """A label right of the end of ``series`` (or of the horizontal line at ``value``)."""
        item = pg.TextItem(text, anchor=(-0.04, 0.5))  # a few pixels right of the step
        item.setZValue(40)
        self.item.addItem(item, ignoreBounds=True)
        label = EndLabel(item, colour, series, value)
        self.end_labels.append(label)
        return label

    def add_marks(self, look: Look) -> Marks:
        """Markers at steps, all at one height (see :class:`Marks`)."""
        marks = Marks(self.curve(look), int(self.pixels))
        self.marks.append(marks)
        return marks

    def hline(self, y: float, colour: int | str, label: str = "") -> pg.InfiniteLine:
        """A dashed horizontal line (a goal, zero), its label at its right end."""
        line = pg.InfiniteLine(pos=y, angle=0, movable=False)
        line.value_y = y  # the real value (the line moves on a signed log scale)
        line.setZValue(-5)  # under the curves
        self.item.addItem(line, ignoreBounds=False)
        self.lines.append((line, colour))
        if label:
            self.end_label(label, colour, value=y)
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
        """Remove every data item, line, label and note (for a new trace or new ghosts)."""
        for item, _ in self.looks:
            self.item.removeItem(item)
        for line, _ in self.lines:
            self.item.removeItem(line)
        for label in self.end_labels:
            self.item.removeItem(label.item)
        for text, _ in self.texts:
            if text.parentItem() is self.vb:
                text.setParentItem(None)
                if text.scene() is not None:
                    text.scene().removeItem(text)
            else:
                self.item.removeItem(text)
        self.looks, self.lines, self.texts, self.series, self.marks = [], [], [], [], []
        self.end_labels = []
        self.transform = None
        self.item.getAxis("left").log_scale = None
        self._y_range = None

    def _on_resized(self, *_) -> None:
        self.fit()
        limit = self.limit
        for series in self.series:
            series.set_limit(limit)
        for marks in self.marks:
            marks.set_limit(int(self.pixels))
        self.sync(self.settled)  # a new height refits the values; a new width alone does not

    def _on_x_range_changed(self, *_) -> None:
        self.sync(self.settled)

    @property
    def pixels(self) -> float:
        """The plot area's width in device pixels."""
        return max(float(MIN_PIXELS), self.vb.width() * self.widget.devicePixelRatioF())

    @property
    def limit(self) -> int:
        """Most points a series is handed as they are; beyond, min/max buckets."""
        return int(BUCKETS_PER_PIXEL * self.pixels)

    @property
    def data_end(self) -> int:
        """The last step any curve (the run's or a kept run's) reaches."""
        return max([self.n] + [s.last_step for s in self.series if s.count])

    def sync(self, snug: bool | None = None) -> None:
        """Hand every curve what it should draw for the steps now in view, fit the value
        range (``snug``: exactly, the run has settled) and place the end labels."""
        snug = self.settled if snug is None else snug
        (x0, x1), pixels = self.vb.viewRange()[0], self.pixels
        for series in self.series:
            series.show(x0, x1, pixels)
        for marks in self.marks:
            marks.show(x0, x1)
        self.fit_y(snug)
        self.place_labels()

    # -- the value range ----------------------------------------------------------------------
    def fit_y(self, snug: bool = False) -> None:
        """Fit the value range to what is in view: the series, the lines and
        :meth:`y_marks`, with room for their pens and markers and pyqtgraph's padding (as
        its auto-range does, without scanning the data).

        While the run grows (``snug`` False) the range is kept as long as it holds the data
        and the data fill at least 60% of it (axes and grid are redrawn only when it
        changes); a new range leaves some room to grow.  Computed without overflow: values
        near ±1e308 give a finite range; a span too wide for a float, or values beyond
        what pyqtgraph's view box holds (1e307), switch the plot to its signed log scale
        (the mse plot, a log scale already, never needs it)."""
        spans = [(*s.extent, s.item.pixelPadding()) for s in self.series]
        spans += [(line.value(), line.value(), 0.0) for line, _ in self.lines] + self.y_marks()
        spans = [span for span in spans if math.isfinite(span[0]) and math.isfinite(span[1])]
        if not spans:
            return
        low, high = min(s[0] for s in spans), max(s[1] for s in spans)
        height = max(1.0, self.vb.height())
        half = high / 2 - low / 2
        too_wide = not math.isfinite(high - low) or max(abs(low), abs(high)) > LINEAR_LIMIT
        if too_wide and self.transform is None and self.may_use_signed_log:
            self.use_signed_log(1.0)  # the span overflows a float: shown on a signed log scale
            return self.sync(snug)
        up = down = 0.0 if snug else 0.1  # room to grow, a fraction of the span, each side
        if self._y_range is not None and height == self._y_height and not snug:
            r0, r1 = self._y_range
            if r0 <= low and high <= r1 and half >= 0.6 * (r1 / 2 - r0 / 2):
                return  # the data fit and fill the range well: keep it
            if high > r1 or low < r0:  # the data grew out of it: room ahead, where they grow
                up, down = (0.6, 0.0) if low >= r0 else (0.0, 0.6) if high <= r1 else (0.3, 0.3)
        pad = self.vb.suggestPadding(1)
        pixel = 2 * half * (1 + 2 * pad + up + down) / height  # the value of a pixel, about
        if half == 0:
            pixel = max(abs(low), 1.0) * 1e-3
        top = max(s[1] + s[2] * pixel for s in spans) + 2 * half * up
        bottom = min(s[0] - s[2] * pixel for s in spans) - 2 * half * down
        if not (math.isfinite(top) and math.isfinite(bottom)) or top <= bottom:
            return
        bottom, top = _showable(bottom, top)  # within what pyqtgraph can be given
        if self._y_range == (bottom, top) and height == self._y_height:
            return
        self._y_range, self._y_height = (bottom, top), height
        # pyqtgraph's own padding on top of ours, kept in range for values near 1e308
        padding = self.vb.suggestPadding(1) if (top / 2 - bottom / 2) < 4e307 else 0.0
        self.vb.setYRange(bottom, top, padding=padding)

    def y_marks(self) -> list[tuple[float, float, float]]:
        """Other values the value range must hold: (low, high, pixels of room), e.g. markers."""
        return []

    # -- a signed log scale -------------------------------------------------------------------
    def check_scale(self) -> None:
        """Switch to a signed log scale once the values grow beyond 10^DECADES_FOR_LOG
        times their first size (kept for the rest of the run)."""
        if self.transform is not None or not self.may_use_signed_log:
            return
        early = max([s.early for s in self.series if s.count] + [abs(line.value_y) for line, _ in self.lines], default=0.0)
        big = max([max(abs(s.peaks.low), abs(s.peaks.high)) for s in self.series
                   if s.count and math.isfinite(s.peaks.low)], default=0.0)
        if (early > 0 and big > early * 10.0**DECADES_FOR_LOG) or big > LINEAR_LIMIT:
            self.use_signed_log(signed_log_scale_for(early))

    def use_signed_log(self, scale: float) -> None:
        self.transform = signed_log(scale)
        self.item.getAxis("left").log_scale = scale
        self.item.getAxis("left").picture = None
        for series in self.series:
            series.set_transform(self.transform)
        for line, _ in self.lines:
            line.setValue(float(self.transform(np.array([line.value_y]))[0]))
        self._y_range = None
        self._title_text = ""
        self.fit()

    @property
    def signed_log(self) -> bool:
        return self.transform is not None

    def to_value(self, y: float) -> float:
        """The real value at the height ``y`` of the plot (undoing the signed log scale)."""
        if self.transform is None or not math.isfinite(y):
            return y
        scale = self.transform.scale
        return math.copysign(scale * (10.0 ** min(abs(y), 308.0) - 1.0), y)

    # -- labels at the curves' ends ------------------------------------------------------------
    def label_room(self) -> float:
        """Pixels the end labels need right of the newest step."""
        widths = [label.item.textItem.boundingRect().width() * (1 - min(0.0, label.item.anchor[0]))
                  for label in self.end_labels if label.shown]
        return max(widths) + 6 if widths else 0.0

    def place_labels(self) -> None:
        """Put each end label right of the newest step of all curves, at the height of its
        curve's newest value, nudged apart vertically: off the data, next to the end it names."""
        if not self.end_labels:
            return
        (x0, x1), (y0, y1) = self.vb.viewRange()
        height = max(1.0, self.vb.height())
        end = max(self.data_end, self.axis_end)  # right of every curve, in the room kept for labels
        placed = []
        for label in self.end_labels:
            series = label.series
            if series is not None:
                ok = series.count and not series.hidden and math.isfinite(series.last)
                x = end  # right of every curve (a shorter run's label stays off a longer one)
                y = series.last
                if ok and self.transform is not None and series.transform is not None:
                    y = float(series.transform(np.array([y]))[0])
                y = self.label_y(series, y)
            else:
                ok, x, y = True, end, label.value
                if self.transform is not None:
                    y = float(self.transform(np.array([y]))[0])
            ok = bool(ok) and label.shown and math.isfinite(y)
            label.item.setVisible(ok)
            if ok:
                placed.append([(y - y0) / (y1 - y0) * height if y1 > y0 else 0.0, x, label])
        if not placed:
            return
        boxes = [label.item.textItem.boundingRect().height() for _, _, label in placed]
        line = max(QFontMetricsF(self._label_font).height() * 1.05, 0.8 * max(boxes))
        placed.sort(key=lambda p: p[0])
        placed[0][0] = max(placed[0][0], 0.6 * line)  # not below the plot
        for k in range(1, len(placed)):  # push apart, upwards
            placed[k][0] = max(placed[k][0], placed[k - 1][0] + line)
        overflow = placed[-1][0] - (height - 0.75 * line)
        if overflow > 0:  # then back down, inside the plot
            placed[-1][0] -= overflow
            for k in range(len(placed) - 2, -1, -1):
                placed[k][0] = min(placed[k][0], placed[k + 1][0] - line)
        per_pixel = (x1 - x0) / max(1.0, self.vb.width())
        for pixel_y, x, label in placed:
            y = y0 + pixel_y / height * (y1 - y0)
            width = (label.item.textItem.boundingRect().width() * (1 - min(0.0, label.item.anchor[0])) + 2) * per_pixel
            label.item.setPos(max(x0, min(x, x1 - width)), y)  # whole, even when the room is short

    def label_y(self, series: Series, y: float) -> float:
        """Where the end label of ``series`` goes (its newest value; the mse plot: log)."""
        return y

    def fit(self) -> None:
        """Shorten the title and wrap fixed notes, as the plot's size asks."""
        if self._title_style:
            room = self.vb.width() + 8  # the title is centred over the plot area
            heading, short = self.heading, self.short_heading
            if self.transform is not None:
                heading, short = heading + " · signed log scale", (short or heading) + " (signed log)"
            fits = QFontMetricsF(self._title_font).horizontalAdvance(heading) <= room
            text = heading if fits or not short else short
            if text != self._title_text:
                self._title_text = text
                self.item.setTitle(text, **self._title_style)
        for text, _ in self.texts:
            if text.parentItem() is self.vb:
                text.setTextWidth(max(60.0, self.vb.width() - 16))

    @property
    def title_text(self) -> str:
        return self._title_text

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
            axis.background = QColor(theme.background)  # its grid lines opaque (OpaqueTicks)
            axis.setPen(pg.mkPen(muted, width=max(1.0, line_zoom)))
            axis.setTextPen(foreground)
            axis.setStyle(tickFont=tick_font, tickTextOffset=int(round(4 * zoom)),
                          tickLength=int(round(-5 * zoom)))
            if axis.labelText:
                axis.setLabel(axis.labelText, color=theme.foreground, **{"font-size": f"{TICK_PT * zoom:.1f}pt"})
        self.crosshair.setPen(pg.mkPen(muted, width=max(1.0, line_zoom), style=Qt.PenStyle.DotLine))
        self.shown_line.setPen(pg.mkPen(QColor(theme.warning), width=max(1.5, 1.5 * line_zoom)))
        self.style_items(theme, zoom, line_zoom, few)

    def style_items(self, theme: Theme, zoom: float, line_zoom: float, few: bool) -> None:
        """Style the curves, lines and labels (those of a new trace), not the plot itself."""
        self._item_style = (theme, zoom, line_zoom, few)
        for item, look in self.looks:
            self.apply_look(item, look, theme, zoom, line_zoom, few)
        for line, colour in self.lines:
            line.setPen(pg.mkPen(theme_colour(theme, colour), width=max(1.0, theme.line_width * line_zoom * 0.75),
                                 style=Qt.PenStyle.DashLine))
        self._label_font = make_font(LABEL_PT * zoom, bold=True)
        fill = QColor(theme.background)
        fill.setAlpha(225)
        for label in self.end_labels:
            label.item.setColor(theme_colour(theme, label.colour))
            label.item.setFont(self._label_font)
            label.item.fill = pg.mkBrush(fill)
        for text, colour in self.texts:
            text.setColor(theme_colour(theme, colour))
            text.setFont(make_font(NOTE_PT * zoom, bold=True))
        self.fit()
        self.place_labels()

    def restyle_items(self) -> None:
        """Style items made after the plot's last styling as that styling did."""
        if self._item_style is not None:
            self.style_items(*self._item_style)

    @staticmethod
    def apply_look(item: pg.PlotDataItem, look: Look, theme: Theme, zoom: float, line_zoom: float,
                   few: bool) -> None:
        """Pens get ``line_zoom`` (an export at scale 2 doubles it), markers ``zoom``.  A
        kept run is drawn in the theme's secondary colour, dashed, nearly opaque."""
        colour = theme_colour(theme, look.colour)
        width = look.width
        if look.ghost is not None:
            colour = QColor(theme.muted)
            colour.setAlphaF(max(GHOST_OPACITY, theme.ghost_opacity))
            width = 0.85
        if look.style is None:
            item.setPen(None)
        else:
            pen = pg.mkPen(colour, width=max(1.0, theme.line_width * line_zoom * width), style=look.style)
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

    def nearest(self, x: float, first: int) -> int | None:
        """The step nearest to ``x``, from ``first`` (0 or 1) to the last shown, or None."""
        if self.trace is None or self.n < first or not math.isfinite(x):
            return None
        return int(min(max(round(x), first), self.n))
