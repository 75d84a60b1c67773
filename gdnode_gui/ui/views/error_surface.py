"""The error surface: the mean mse over the examples for every value of the weights.

One weight: the bowl, a curve of the mean mse against the weight, its lowest point (the
least-squares weight) and the weights the run visited as dots sliding down it, the
newest one bigger.  Two or more weights: a contour map of the mean mse over two chosen
weights (the others held at their values when the map was drawn), colours and contour
levels spaced on a log scale above the lowest point, and the path of the two weights.

On the path: the start (a square a student can drag, when the node is not running, to
choose the starting weights: :attr:`ErrorSurface.startWeightsRequested`), a ring on the
weights of the step shown (the frame's ``shown`` step, which may be an earlier one) with
the step it takes, and there the slope: an arrow downhill, against
``slope = 2 × weighted_delta`` (on the one-weight bowl, along the tangent).  Kept runs
(:meth:`ErrorSurface.keep_ghost`) are faded, dashed paths labelled at their end, drawn
only when their examples make the same surface.

``refresh(n)`` is cheap: the surface is computed (with
:func:`gdnode_gui.core.analysis.mse_surface`) only for a new setup, a new choice of
weights, or when the path leaves the plotted range; otherwise only the path is updated,
thinned to at most ``MAX_PATH_POINTS`` points (:class:`PathSample`) incrementally: a
refresh looks only at the new steps, and the points already drawn stay where they are.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QTransform
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gdnode_gui.core.analysis import mse_surface
from gdnode_gui.core.data_set_analysis import mean_mse, mse_slopes, round_to_span, same_error_surface
from gdnode_gui.core.frame import Frame, preview_row
from gdnode_gui.core.number_text import maths, short
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.controls import named
from gdnode_gui.ui.help.help_texts import HELP
from gdnode_gui.ui.views.plots.plot_parts import GHOST_DASHES, Growing
from gdnode_gui.ui.views.plots.plots import MAX_GHOSTS
from gdnode_gui.ui.views.surface_marks import SPOTS, StartHandle, label_spot, obstacle_points, screen_direction
from gdnode_gui.ui.style.theme import LIGHT, Theme

MAX_PATH_POINTS = 2000
#: Dots are dearer to draw than a line: at most this many of the path's points get one.
MAX_PATH_DOTS = 400
#: Weights further out than this (a run spiralling out) are not followed: the mse there
#: would overflow the plot's own range arithmetic.
MAX_HALF_RANGE = 1e100
MAX_MSE_SHOWN = 1e300
CURVE_POINTS = 400
GRID_POINTS = 90
#: Contours are traced on a coarser grid: pyqtgraph's isocurve is plain Python per cell.
ISO_POINTS = 48
#: While the path keeps leaving the map (a run spiralling out), redraw at most this often (s).
LEFT_REDRAW_SECONDS = 0.3
CONTOUR_LEVELS = 9
#: With three or more weights, redraw the map for the held weights at most this often (s).
HELD_REDRAW_SECONDS = 1.0
#: Pixel sizes at zoom 1.
DOT_SIZE, LAST_DOT_SIZE, TICK_PX, LABEL_PX = 7, 16, 12, 13
#: The start handle, the ring on the step shown, the slope arrow's length and head (px at zoom 1).
START_SIZE, RING_SIZE, ARROW_PX, ARROW_HEAD_PX = 15, 28, 64, 16
#: A label keeps this far from its point (px at zoom 1) and this much of the plot's width.
LABEL_GAP_PX, LABEL_WIDTH_SHARE = 8, 0.6
#: While the node runs, labels choose their side at most this often (s).
LABEL_CHOICE_SECONDS = 0.5
#: The whole caption while it takes at most this many lines; else a brief one.
CAPTION_LINES = 3


def plot_range(centre: float, values: np.ndarray | list[float], pad: float = 1.3) -> tuple[float, float]:
    """A range centred on ``centre`` (the lowest point, so the bowl looks like a bowl) that
    holds every finite value with room to spare; never empty, never beyond
    ±``MAX_HALF_RANGE`` (a run that spirals out is not followed to infinity)."""
    if not math.isfinite(centre):
        centre = 0.0
    centre = min(max(centre, -MAX_HALF_RANGE / 2), MAX_HALF_RANGE / 2)
    finite = np.asarray([v for v in np.ravel(values) if math.isfinite(v)], dtype=np.float64)
    with np.errstate(over="ignore"):
        reach = float(np.max(np.abs(finite - centre))) if finite.size else 0.0
    if not reach > 1e-9 * max(1.0, abs(centre)):
        reach = max(0.5, abs(centre) * 0.5)
    half = min(pad * reach, MAX_HALF_RANGE / 2)
    return centre - half, centre + half


def lowest_point(setup: Setup, i: int, j: int | None,
                 held: tuple[float, ...]) -> tuple[float, ...] | None:
    """The lowest point of the mean mse over weight ``i`` (and ``j``), the others at ``held``:
    the least-squares weights of that slice.  None when there is no single lowest point (a
    flat bowl, or a valley: one example, or inputs that move together).

    The mean mse is exactly a quadratic in the chosen weights, so a few values of
    :func:`mse_surface` around ``held`` give its slope and curvature, and one Newton step
    lands on the minimum.
    """
    a0 = held[i]
    h = max(1.0, abs(a0))
    with np.errstate(all="ignore"):
        if j is None:
            q = mse_surface(setup, [a0 - h, a0, a0 + h], i, fixed_weights=held)
            curvature = (q[2] - 2 * q[1] + q[0]) / (h * h)
            slope = (q[2] - q[0]) / (2 * h)
            if not (np.isfinite(curvature) and np.isfinite(slope)) or not curvature > 0:
                return None
            return (float(a0 - slope / curvature),)
        b0 = held[j]
        k = max(1.0, abs(b0))
        da = np.array([0.0, h, -h, 0.0, 0.0, h])
        db = np.array([0.0, 0.0, 0.0, k, -k, k])
        # 2-D (6, 1) grids: six single points, not a 6 x 6 mesh
        q = mse_surface(setup, (a0 + da)[:, None], i, j, (b0 + db)[:, None], fixed_weights=held).ravel()
        if not np.all(np.isfinite(q)):
            return None
        q00, qp0, qm0, q0p, q0m, qpp = q
        haa = (qp0 - 2 * q00 + qm0) / (h * h)
        hbb = (q0p - 2 * q00 + q0m) / (k * k)
        hab = (qpp - qp0 - q0p + q00) / (h * k)
        det = haa * hbb - hab * hab
        if not (haa > 0 and hbb > 0 and det > 1e-9 * haa * hbb):
            return None
        ga, gb = (qp0 - qm0) / (2 * h), (q0p - q0m) / (2 * k)
        da_min = -(hbb * ga - hab * gb) / det
        db_min = -(haa * gb - hab * ga) / det
        if not (np.isfinite(da_min) and np.isfinite(db_min)):
            return None
        return float(a0 + da_min), float(b0 + db_min)


def path_indices(n_points: int, limit: int = MAX_PATH_POINTS) -> np.ndarray:
    """Indices of at most ``limit`` evenly spread points of a path of ``n_points``, always
    with the first and the last: what :class:`PathSample` keeps, plus the last point."""
    sample = PathSample(limit)
    sample.extend(n_points)
    return sample.with_last(n_points)


class PathSample:
    """The points of a growing path that are drawn, chosen incrementally.

    Every point while there are fewer than ``limit``; then the pairs of points ``k * stride``
    and ``k * stride + 1`` (so a weight that jumps from side to side of the bowl still
    does), ``stride`` a power of two that doubles when the pairs would be more than
    ``limit - 1`` (the last one is for the newest point).  A point once chosen stays chosen
    until the stride doubles; :meth:`extend` looks only at the new points.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(4, int(limit))
        self.stride = 1
        self.upto = 0  # points looked at
        self.kept = Growing(np.int64)

    def extend(self, n_points: int) -> tuple[np.ndarray, bool]:
        """Look at the points up to ``n_points``: the new indices kept, and whether the stride
        doubled (then every kept index is in :attr:`kept`, none is "new")."""
        start, s = self.upto, self.stride
        if n_points <= start:
            return np.empty(0, np.int64), False
        self.upto = n_points
        if s == 1:
            new = np.arange(start, n_points, dtype=np.int64)
        else:
            k = np.arange(start // s, (n_points - 1) // s + 1, dtype=np.int64) * s
            new = np.stack([k, k + 1], axis=1).ravel()
            new = new[(new >= start) & (new < n_points)]
        self.kept.extend(new)
        if len(self.kept) <= self.limit - 1:
            return new, False
        kept = self.kept.view
        while kept.shape[0] > self.limit - 1:
            self.stride = 4 if self.stride == 1 else 2 * self.stride
            kept = kept[kept % self.stride < 2]
        self.kept = Growing(np.int64)
        self.kept.extend(kept)
        return np.empty(0, np.int64), True

    def with_last(self, n_points: int) -> np.ndarray:
        """The kept indices and the newest point ``n_points - 1``."""
        kept = self.kept.view
        if n_points and (kept.shape[0] == 0 or kept[-1] != n_points - 1):
            return np.append(kept, np.int64(n_points - 1))
        return kept.copy()


def _room(point: tuple[float, float], direction: tuple[float, float], size: tuple[float, float]) -> float:
    """How far (px) from ``point`` along the unit ``direction`` before leaving a view of ``size``."""
    room = math.inf
    for p, d, end in zip(point, direction, size):
        if d > 0:
            room = min(room, (end - p) / d)
        elif d < 0:
            room = min(room, -p / d)
    return max(0.0, room)


def contour_levels(surface: np.ndarray, count: int = CONTOUR_LEVELS) -> np.ndarray:
    """Levels spaced on a log scale above the surface's lowest value."""
    finite = surface[np.isfinite(surface)]
    if finite.size == 0:
        return np.empty(0)
    lo, hi = float(finite.min()), float(finite.max())
    span = hi - lo
    if not span > 0:
        return np.empty(0)
    return lo + np.geomspace(span * 1e-3, span * 0.9, count)


def _log_colours(surface: np.ndarray) -> np.ndarray:
    """log10 of the height above the lowest point, for the colour map."""
    finite = np.isfinite(surface)
    if not finite.any():
        return np.zeros_like(surface)
    lo = float(surface[finite].min())
    span = float(surface[finite].max()) - lo
    floor = span * 1e-4 if span > 0 else 1.0
    with np.errstate(all="ignore"):
        out = np.log10(np.where(finite, surface - lo, span) + floor)
    return out


class ErrorSurface(QWidget):
    """The error bowl (one weight) or contour map (two chosen weights) with the run's path.

    Signals
    -------
    startWeightsRequested(tuple)
        The start was dragged to new starting weights (every weight, the ones not shown
        unchanged, the dragged ones rounded to what the view can show); only when the node
        was not running.  The window makes them the setup's weights.
    """

    startWeightsRequested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorSurface")
        self.setAccessibleName("Error surface: the mean mse for every weight, and the path of the run")
        self._setup: Setup | None = None
        self._trace: Trace | None = None
        self._theme = LIGHT
        self._zoom = 1.0
        self._n = 0
        self._x_range = self._y_range = (0.0, 1.0)
        self._path_lo: np.ndarray | None = None  # running min / max of the chosen weights
        self._path_hi: np.ndarray | None = None
        self._scanned = 0  # steps already folded into the running min / max
        self._held: tuple[float, ...] | None = None
        self._drawn_at = 0.0
        self.surface: np.ndarray | None = None  # the last computed grid (for tests and export)
        self.grid_x: np.ndarray | None = None
        self.grid_y: np.ndarray | None = None
        self.surface_computations = 0
        self.valley = False  # the map's lowest points form a line (one example, or tied inputs)
        self._shown: int | None = None  # the step shown (None: the newest)
        self._running = False
        self._frame_setup: Setup | None = None  # the controls' setup (edited after the run began)
        self._ghosts: list[tuple[Trace, int, str]] = []
        self.ghostItems: list[tuple[pg.PlotDataItem, pg.TextItem, str]] = []
        self.skipped_ghosts: list[str] = []  # labels of kept runs of other examples
        self._drag_weights: tuple[float, ...] | None = None  # while the start is dragged
        self._slope: tuple[tuple[float, float], tuple[float, ...]] | None = None  # origin, slopes
        self._slope_example: int | None = None  # the example whose slope it is (cyclic order)
        self.slope_text = ""  # the slope label's text (all its lines)
        self._labels_chosen_at = -math.inf
        self._label_sides: dict[int, tuple[int, int]] = {}
        self._build()

    # -- widgets -----------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        choosers = QHBoxLayout()
        self.chooserLabel = QLabel("x:", self)
        self.chooserLabel.setObjectName("surfaceChooserLabel")
        self.surfaceWeightXCombo = self._combo("surfaceWeightXCombo", "Weight across (x axis)")
        self.surfaceWeightYCombo = self._combo("surfaceWeightYCombo", "Weight up (y axis)")
        self.byLabel = QLabel("y:", self)
        self.byLabel.setObjectName("surfaceByLabel")
        self.chooserLabel.setToolTip("The weight across the map (x axis)")
        self.byLabel.setToolTip("The weight up the map (y axis)")
        for widget in (self.chooserLabel, self.surfaceWeightXCombo, self.byLabel, self.surfaceWeightYCombo):
            choosers.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
        layout.addLayout(choosers)
        self.captionLabel = QLabel(self)
        self.captionLabel.setObjectName("surfaceCaptionLabel")
        self.captionLabel.setAccessibleName("What the error surface shows")
        self.captionLabel.setWordWrap(True)
        self.captionLabel.setToolTip(HELP["error_surface"])
        layout.addWidget(self.captionLabel)
        self.plotWidget = pg.PlotWidget(self)
        named(self.plotWidget, "errorSurfacePlot", "Error surface plot", HELP["error_surface"])
        self.plotWidget.setMenuEnabled(False)
        layout.addWidget(self.plotWidget, 1)
        plot = self.plotWidget.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        for name in ("left", "bottom"):
            # Plain numbers, never "(x0.001)".  Only while the label is hidden: pyqtgraph 0.14
            # computes a prefix scale anyway when this is called on a labelled axis.
            plot.getAxis(name).enableAutoSIPrefix(False)
            # Kept as a pixmap (with its grid lines), redrawn when the range changes, not at
            # every refresh of the path.
            plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-20)
        self.bowl = pg.PlotDataItem()
        self.minimumLine = pg.InfiniteLine(angle=90, movable=False)
        self.minimumMarker = pg.ScatterPlotItem(symbol="+")
        self.pathLine = pg.PlotDataItem()
        self.pathDots = pg.ScatterPlotItem()
        self.lastDot = pg.ScatterPlotItem()
        for item in (self.image, self.bowl, self.minimumLine, self.minimumMarker, self.pathLine,
                     self.pathDots, self.lastDot):
            plot.addItem(item)
        self.isocurves: list[pg.IsocurveItem] = []
        self.image.setColorMap(pg.colormap.get("viridis"))
        self._build_marks(plot)
        self._style()

    def _build_marks(self, plot: pg.PlotItem) -> None:
        """The start handle, the ring on the step shown, the slope and the labels."""
        self.stepLine = pg.PlotDataItem()  # the step shown: from its weights to its new weights
        self.shownRing = pg.ScatterPlotItem(symbol="o")
        self.shownRingHalo = pg.ScatterPlotItem(symbol="o")
        self.slopeHalo = pg.PlotDataItem()
        self.slopeLine = pg.PlotDataItem()
        self.slopeHead = pg.ArrowItem(angle=0, headLen=ARROW_HEAD_PX, tailLen=None)
        self.slopeLabel = pg.TextItem(anchor=(0, 0))
        self.slopeLabel.setObjectName("surfaceSlopeLabel")
        self.startHandle = StartHandle(self.drag_start_point)
        self.startLabel = pg.TextItem("start", anchor=(0, 0))
        self.dragLabel = pg.TextItem(anchor=(0, 0))
        z = 3
        for item in (self.stepLine, self.slopeHalo, self.slopeLine, self.slopeHead, self.shownRingHalo,
                     self.shownRing, self.startHandle):
            item.setZValue(z)
            z += 1
            plot.addItem(item, ignoreBounds=True)
        self.lastDot.setZValue(z)
        for label in (self.slopeLabel, self.startLabel, self.dragLabel):
            label.setZValue(20)
            plot.addItem(label, ignoreBounds=True)
        self.dragLabel.setVisible(False)
        view = plot.getViewBox()
        view.sigRangeChanged.connect(self._place_marks)
        view.sigResized.connect(self._place_marks)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        named(combo, name, accessible,
              "Which weight to show on this axis of the map; the other weights stay "
              "at their current values.")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self._on_weights_chosen)
        return combo

    # -- the view interface -------------------------------------------------------------------------
    def show_frame(self, frame: Frame) -> None:
        """Show ``frame`` (the view protocol): its run's trace up to its newest step, the
        step it shows ringed with its slope, the start draggable unless it is running."""
        if frame.trace is not self._trace:
            self.set_trace(frame.trace)
        self._shown = None if frame.latest else frame.shown
        self._running = frame.running
        self._frame_setup = frame.setup
        self.startHandle.movable = not frame.running
        if frame.running:
            self.startHandle.unsetCursor()
        self.refresh(frame.steps)

    def set_setup(self, setup: Setup) -> None:
        self._setup = setup
        if self._trace is not None and self._trace.setup is not setup:
            self._trace = None  # the old run's trace; the window sends the new one next
        self._fill_choosers(setup)
        self._n = 0
        self._shown = None
        self._drag_weights = None
        self._reset_path()
        self._compute_surface(tuple(setup.weights))
        self._update_path()
        self._update_marks()

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        if trace is not None and trace.setup is not self._setup:
            self.set_setup(trace.setup)
        self._n = 0
        self._shown = None
        self._reset_path()
        self._update_path()
        self._update_marks()

    def refresh(self, n: int) -> None:
        """Move the path to step ``n``; redraw the surface only when the path leaves it."""
        if self._setup is None:
            return
        trace = self._trace
        n = max(0, min(n, trace.n_steps if trace is not None else 0))
        settled = n == self._n
        self._n = n
        reason = self._needs_new_surface(settled)
        if reason:
            # Left the map: leave room, so a run that spirals out does not redraw every step.
            self._compute_surface(self._weights_at(n), 2.5 if reason == "left" else 1.3)
        self._update_path()
        self._update_marks()

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._style()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._style()

    # -- kept runs ------------------------------------------------------------------------------------
    def keep_ghost(self, trace: Trace, label: str, steps: int | None = None) -> None:
        """Keep a run, drawn as a faded dashed path labelled ``label`` at its end (at most
        ``MAX_GHOSTS``, the oldest goes first), when its examples make the same surface.

        ``steps``: how much of ``trace`` (default: all of it now), for a window that hands
        over runs it kept before this view was made."""
        n = trace.n_steps if steps is None else max(0, min(int(steps), trace.n_steps))
        self._ghosts = (self._ghosts + [(trace, n, label)])[-MAX_GHOSTS:]
        self._draw_ghosts()
        self._place_marks()

    def clear_ghosts(self) -> None:
        self._ghosts = []
        self._draw_ghosts()
        self._place_marks()

    @property
    def ghost_count(self) -> int:
        return len(self._ghosts)

    # -- public extras ------------------------------------------------------------------------------
    @property
    def chosen(self) -> tuple[int, int | None]:
        """0-based indices of the weights shown (x, and y or None for the bowl)."""
        if self._setup is None or self._setup.n_inputs == 1:
            return 0, None
        x = max(0, self.surfaceWeightXCombo.currentIndex())
        y = max(0, self.surfaceWeightYCombo.currentIndex())
        if y == x:
            y = (x + 1) % self._setup.n_inputs
        return x, y

    def path_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The path as drawn: x and y of every point of its line (y is the mean mse for the
        bowl); up to ``MAX_PATH_DOTS`` of them also get a dot."""
        x, y = self.pathLine.getData()
        return np.asarray(x), np.asarray(y)

    # -- the marks: start, step shown, slope, kept runs -----------------------------------------------
    def shown_step(self) -> int:
        """The step whose weights are ringed (0: before the first step)."""
        return self._n if self._shown is None else max(0, min(self._shown, self._n))

    def _shown_row(self) -> dict | None:
        """The values of the step shown (step 0: a preview of step 1), as the node shows them."""
        k = self.shown_step()
        trace = self._trace
        if trace is not None and k >= 1:
            return trace.row(k)
        return preview_row(trace.setup if trace is not None else self._setup)

    def _point(self, weights) -> tuple[float, float]:
        """Where ``weights`` (all of them) are drawn: the chosen two, or the weight and its mean mse."""
        i, j = self.chosen
        x = float(weights[i])
        if j is not None:
            return x, float(weights[j])
        return x, mean_mse(self._setup, (x,))

    def start_point(self) -> tuple[float, float] | None:
        """Where the start handle is drawn (data coordinates), or None when it is not."""
        x, y = self.startHandle.getData()
        return (float(x[0]), float(y[0])) if len(x) else None

    def shown_point(self) -> tuple[float, float] | None:
        """Where the ring on the step shown is drawn, or None when it is not."""
        x, y = self.shownRing.getData()
        return (float(x[0]), float(y[0])) if len(x) else None

    def _update_marks(self) -> None:
        """Put the start, the ring, the step shown and the slope where the frame says."""
        setup = self._setup
        if setup is None:
            return
        start = self._point(self._drag_weights or setup.weights)
        self._set_points(self.startHandle, [start])
        row = self._shown_row()
        self._slope = None
        ring: list[tuple[float, float]] = []
        step: list[tuple[float, float]] = []
        if row is not None:
            n = setup.n_inputs
            weights = [row[f"weight_{i + 1}"] for i in range(n)]
            here = self._point(weights)
            if all(math.isfinite(v) for v in here):
                ring = [here]
                if self.shown_step() >= 1:
                    step = [here, self._point([row[f"new_weight_{i + 1}"] for i in range(n)])]
                slopes = mse_slopes(row, n)
                i, j = self.chosen
                chosen = (slopes[i],) if j is None else (slopes[i], slopes[j])
                self._slope = (here, chosen)
                self._slope_example = (row["example"] if setup.order != "batch" and setup.n_examples > 1
                                       else None)
        self._set_points(self.shownRing, ring)
        self._set_points(self.shownRingHalo, ring)
        self._set_points(self.stepLine, step)
        self._place_marks()

    @staticmethod
    def _set_points(item, points: list[tuple[float, float]]) -> None:
        """Give ``item`` these points (all of them finite, else none), unless it has them."""
        if not all(math.isfinite(v) for p in points for v in p):
            points = []
        if getattr(item, "_gd_points", None) == points:
            return
        item._gd_points = points
        item.setData([p[0] for p in points], [p[1] for p in points])

    def _slope_lines(self) -> list[list[str]]:
        """The slope label's text, in the ways it may be laid out, widest first."""
        (_, slopes), example = self._slope, self._slope_example
        head = "slope" if example is None else f"slope (example {example})"
        rule = f"{head} = 2 × weighted_delta"
        texts = [maths(short(v)) for v in slopes]
        narrow = [f"{head} =", "2 × weighted_delta"]
        if len(texts) == 1:
            return [[f"{rule} = {texts[0]}"], [rule, f"= {texts[0]}"], narrow + [f"= {texts[0]}"]]
        i, j = self.chosen
        pair = f"weight_{i + 1}: {texts[0]},  weight_{j + 1}: {texts[1]}"
        return [[rule, pair], [rule, f"weight_{i + 1}: {texts[0]}", f"weight_{j + 1}: {texts[1]}"],
                [rule, f"= ({texts[0]}, {texts[1]})"], narrow + [f"= ({texts[0]}, {texts[1]})"]]

    def _view_geometry(self):
        """((x0, x1), (y0, y1)) of the view, its size in pixels and data units per pixel."""
        view = self.plotWidget.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = view.viewRange()
        width, height = max(1.0, float(view.width())), max(1.0, float(view.height()))
        return (x0, x1), (y0, y1), (width, height), ((x1 - x0) / width, (y1 - y0) / height)

    def _to_px(self, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        (x0, _), (_, y1), _, (pw, ph) = self._view_geometry()
        with np.errstate(all="ignore"):
            return (np.asarray(xs, dtype=np.float64) - x0) / pw, (y1 - np.asarray(ys, dtype=np.float64)) / ph

    def _from_px(self, px: float, py: float) -> tuple[float, float]:
        (x0, _), (_, y1), _, (pw, ph) = self._view_geometry()
        return x0 + px * pw, y1 - py * ph

    def _place_marks(self, *_args) -> None:
        """Lay out what is drawn in pixels: the slope arrow and the labels (after a change of
        the view's range or size too)."""
        if self._setup is None:
            return
        zoom = self._zoom
        _, _, (width, height), pixel = self._view_geometry()
        length = min(ARROW_PX * zoom, 0.3 * min(width, height))
        arrow: list[tuple[float, float]] = []
        labelled = False
        arrow_px = np.empty((0, 2))
        origin_px = None
        if self._slope is not None:
            (ox, oy), slopes = self._slope
            if self.chosen[1] is None:
                s = slopes[0]
                direction = screen_direction(1.0, s, pixel) if math.isfinite(s) else None
                if direction is not None and s > 0:
                    direction = (-direction[0], -direction[1])  # downhill: towards smaller weights
                back = 1.0  # the tangent both ways, the arrow downhill
                length *= 1.5
            else:
                direction = (screen_direction(-slopes[0], -slopes[1], pixel)
                             if all(math.isfinite(v) for v in slopes) else None)
                back = 0.0
            opx, opy = self._to_px([ox], [oy])
            origin_px = (float(opx[0]), float(opy[0]))
            if direction is not None and all(math.isfinite(v) for v in origin_px) and \
                    (self.chosen[1] is None or any(v != 0 for v in slopes)):
                ux, uy = direction
                ahead = min(length, _room(origin_px, (ux, uy), (width, height)))
                behind = min(length, _room(origin_px, (-ux, -uy), (width, height))) * back
                tip = (origin_px[0] + ux * ahead, origin_px[1] + uy * ahead)
                tail = (origin_px[0] - ux * behind, origin_px[1] - uy * behind)
                ends = [self._from_px(*tail) if behind else (ox, oy), self._from_px(*tip)]
                arrow = ends
                self.slopeHead.setStyle(angle=math.degrees(math.atan2(-uy, -ux)))
                self.slopeHead.setPos(*ends[1])
                arrow_px = obstacle_points([tail[0], tip[0]], [tail[1], tip[1]])
            labelled = all(math.isfinite(v) for v in origin_px)
        self._set_points(self.slopeLine, arrow)
        self._set_points(self.slopeHalo, arrow)
        self.slopeHead.setVisible(bool(arrow) and all(math.isfinite(v) for v in arrow[-1]))
        self.slopeLabel.setVisible(labelled)
        # While the node runs, the labels keep their sides (no jitter, and no search through
        # the path 30 times a second); they choose again a few times a second and at rest.
        now = time.monotonic()
        choose = not self._running or now - self._labels_chosen_at >= LABEL_CHOICE_SECONDS
        if choose:
            self._labels_chosen_at = now
        obstacles = self._obstacles(arrow_px) if choose else None
        taken: list[tuple[float, float, float, float]] = []
        gap = LABEL_GAP_PX * zoom
        bounds = (width, height)
        if self.slopeLabel.isVisible() and origin_px is not None:
            options = self._slope_lines()
            fit = [lines for lines in options if self._text_width(lines) <= LABEL_WIDTH_SHARE * width]
            lines = fit[0] if fit else options[-1]
            self.slope_text = "\n".join(lines)
            self._put_label(self.slopeLabel, self.slope_text, origin_px, gap + RING_SIZE * zoom / 2,
                            bounds, obstacles, taken)
        else:
            self.slope_text = ""
        start_x, start_y = self.startHandle.getData()
        start_px = self._to_px(start_x, start_y)
        start_px = (float(start_px[0][0]), float(start_px[1][0])) if len(start_x) else (math.nan, math.nan)
        on_view = all(math.isfinite(v) for v in start_px) and 0 <= start_px[0] <= width and 0 <= start_px[1] <= height
        dragging = self._drag_weights is not None
        self.dragLabel.setVisible(dragging and on_view)
        self.startLabel.setVisible(on_view and not dragging)
        if on_view:
            if dragging:
                i, j = self.chosen
                names = [i] if j is None else [i, j]
                text = "\n".join(f"weight_{k + 1} = {maths(short(self._drag_weights[k]))}" for k in names)
                self._put_label(self.dragLabel, text, start_px, gap + START_SIZE * zoom / 2, bounds, obstacles, taken)
            else:
                self._put_label(self.startLabel, "start", start_px, gap + START_SIZE * zoom / 2, bounds,
                                obstacles, taken)
        for line, label, _name in self.ghostItems:
            xs, ys = line.getData()
            if xs is None or not len(xs):
                label.setVisible(False)
                continue
            px, py = self._to_px(xs, ys)
            inside = np.flatnonzero((px >= 0) & (px <= width) & (py >= 0) & (py <= height))
            label.setVisible(bool(inside.size))
            if inside.size:
                end = (float(px[inside[-1]]), float(py[inside[-1]]))
                self._put_label(label, label.toPlainText(), end, gap, bounds, obstacles, taken)

    def _text_width(self, lines: list[str]) -> float:
        metrics = pg.QtGui.QFontMetricsF(self._label_font())
        return max(metrics.horizontalAdvance(line) for line in lines) + 6

    def _put_label(self, label: pg.TextItem, text: str, point, gap: float, bounds, obstacles, taken) -> None:
        """Place ``label`` beside ``point`` (px); ``obstacles`` None: on the side it had."""
        if label.toPlainText() != text:
            label.setText(text)
        rect = label.textItem.boundingRect()
        size = (rect.width(), rect.height())
        if obstacles is None:
            side = self._label_sides.get(id(label), SPOTS[0])
            spot = label_spot(point, size, gap, bounds, np.empty((0, 2)), (), spots=(side,))
        else:
            spot = label_spot(point, size, gap, bounds, obstacles, taken)
            cx, cy = (spot[0] + spot[2]) / 2 - point[0], (spot[1] + spot[3]) / 2 - point[1]
            self._label_sides[id(label)] = (int(np.sign(round(cx, 3))), int(np.sign(round(cy, 3))))
        taken.append(spot)
        label.setPos(*self._from_px(spot[0], spot[1]))

    def _obstacles(self, extra: np.ndarray) -> np.ndarray:
        """Points (pixels) a label should not cover: the path, the bowl, the marks, the arrow."""
        parts = [extra]
        xs, ys = self.pathLine.getData()
        if xs is not None and len(xs):
            parts.append(obstacle_points(*self._to_px(xs, ys)))
        parts.append(self._fixed_obstacles())
        for item in (self.minimumMarker, self.lastDot, self.shownRing, self.startHandle, self.stepLine):
            xs, ys = item.getData()
            if xs is not None and len(xs):
                parts.append(obstacle_points(*self._to_px(xs, ys)))
        return np.concatenate([p.reshape(-1, 2) for p in parts]) if parts else np.empty((0, 2))

    def _fixed_obstacles(self) -> np.ndarray:
        """The bowl and the line through its lowest point, in pixels (kept until the view
        or the surface changes: they do not move with the run)."""
        (x0, x1), (y0, y1), size, _ = self._view_geometry()
        key = (x0, x1, y0, y1, size, self.surface_computations, self.chosen, self.minimumLine.isVisible())
        cached = getattr(self, "_fixed_obstacle_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        parts = [np.empty((0, 2))]
        if self.chosen[1] is None:
            xs, ys = self.bowl.getData()
            if xs is not None and len(xs):
                parts.append(obstacle_points(*self._to_px(xs, ys)))
        if self.minimumLine.isVisible():
            x = self.minimumLine.value()
            parts.append(obstacle_points(*self._to_px([x, x], [y0, y1])))
        points = np.concatenate(parts)
        self._fixed_obstacle_cache = (key, points)
        return points

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(8, round(LABEL_PX * self._zoom)))
        return font

    # -- dragging the start ---------------------------------------------------------------------------
    def drag_start_point(self, phase: str, x: float, y: float) -> bool:
        """Drag the start to ``(x, y)`` (data coordinates; on the bowl only ``x`` counts).

        ``phase``: ``"start"`` (refused, False, while the node runs), ``"move"`` (the start
        and a label with its weights follow) or ``"finish"`` (emits
        :attr:`startWeightsRequested` with the new weights, rounded to three significant
        digits of the view's span, when they differ from the setup's).  The mouse calls
        this through the start handle; tests may call it directly.
        """
        setup = self._setup
        if setup is None:
            return False
        if phase == "start":
            if self._running:
                return False
            self._drag_weights = tuple(setup.weights)
            self._update_marks()
            return True
        if self._drag_weights is None:
            return False
        if self._running:  # it started running meanwhile: the drag is void
            self._drag_weights = None
            self._update_marks()
            return False
        (x0, x1), (y0, y1), _, _ = self._view_geometry()
        # The weights not dragged are the controls' (an edit after the run began counts).
        base = self._frame_setup if self._frame_setup is not None and \
            self._frame_setup.n_inputs == setup.n_inputs else setup
        weights = list(base.weights)
        i, j = self.chosen
        weights[i] = round_to_span(x, x1 - x0)
        if j is not None:
            weights[j] = round_to_span(y, y1 - y0)
        if not all(math.isfinite(w) for w in weights):
            return False
        if phase == "finish":
            self._drag_weights = None
            self._update_marks()
            if tuple(weights) != tuple(base.weights):
                self.startWeightsRequested.emit(tuple(weights))
            return True
        self._drag_weights = tuple(weights)
        self._update_marks()
        return True

    # -- kept runs, drawn ------------------------------------------------------------------------------
    def _draw_ghosts(self) -> None:
        plot = self.plotWidget.getPlotItem()
        for line, label, _name in self.ghostItems:
            plot.removeItem(line)
            plot.removeItem(label)
        self.ghostItems = []
        self.skipped_ghosts = []
        setup = self._setup
        if setup is not None:
            i, j = self.chosen
            for trace, n, name in self._ghosts:
                if not same_error_surface(trace.setup, setup):
                    self.skipped_ghosts.append(name)
                    continue
                steps = path_indices(n + 1)
                xs = trace.weight_path(i)[steps]
                with np.errstate(all="ignore"):
                    ys = (np.asarray(mse_surface(setup, xs, i, fixed_weights=setup.weights), dtype=np.float64)
                          if j is None else trace.weight_path(j)[steps])
                keep = np.isfinite(xs) & np.isfinite(ys)
                line = pg.PlotDataItem(xs[keep], ys[keep])
                line.setZValue(-5)
                label = pg.TextItem(name, anchor=(0, 0))
                label.setZValue(19)
                plot.addItem(line)
                plot.addItem(label, ignoreBounds=True)
                self.ghostItems.append((line, label, name))
        self._tooltip()
        self._style()

    def _tooltip(self) -> None:
        tip = HELP["error_surface"] + (
            " The square is the start: drag it to choose the starting weights (when the node is not running)."
            " The ring is the step shown; its arrow points downhill, against the slope (2 × weighted_delta).")
        if self.skipped_ghosts:
            names = ", ".join(f"“{name}”" for name in self.skipped_ghosts)
            tip += (f" Kept run{'s' if len(self.skipped_ghosts) > 1 else ''} {names} not drawn here: "
                    "other examples make another error surface.")
        self.plotWidget.setToolTip(tip)
        self.plotWidget.getPlotItem().setToolTip(tip)

    # -- internals -------------------------------------------------------------------------------------
    def _fill_choosers(self, setup: Setup) -> None:
        names = [f"weight_{i + 1} ({setup.input_name(i)})" for i in range(setup.n_inputs)]
        two = setup.n_inputs > 1
        # Learning weights first: a frozen weight's path is a straight line.
        order = [i for i in range(setup.n_inputs) if not setup.frozen[i]] + \
            [i for i in range(setup.n_inputs) if setup.frozen[i]]
        defaults = (order[0], order[1] if two else 0)
        for combo, default in zip((self.surfaceWeightXCombo, self.surfaceWeightYCombo), defaults):
            combo.blockSignals(True)
            keep = combo.currentIndex() if combo.count() == len(names) else default
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(min(keep, len(names) - 1) if two else 0)
            combo.blockSignals(False)
        for widget in (self.chooserLabel, self.surfaceWeightXCombo, self.byLabel, self.surfaceWeightYCombo):
            widget.setVisible(two)

    def _weights_at(self, n: int) -> tuple[float, ...]:
        """The weights after step ``n``; the last finite ones in a run that blew up."""
        trace = self._trace
        if trace is None or n == 0:
            return tuple(self._setup.weights)
        while n > 0:
            weights = tuple(float(trace.weight_path(i)[n]) for i in range(self._setup.n_inputs))
            if all(math.isfinite(w) for w in weights):
                return weights
            n -= 1
        return tuple(self._setup.weights)

    def _reset_path(self) -> None:
        self._path_lo = self._path_hi = None
        self._scanned = 0
        self._line = PathSample(MAX_PATH_POINTS)  # the path's points drawn as a line
        self._line_x, self._line_y = Growing(), Growing()
        self._dots = PathSample(MAX_PATH_DOTS)  # those of them drawn as dots
        self.pathDots.setData([], [])

    def _scan_path(self) -> None:
        """Fold the steps not seen yet into the running min / max of the chosen weights."""
        trace, n = self._trace, self._n
        if trace is None:
            return
        i, j = self.chosen
        rows = [i] if j is None else [i, j]
        new = np.array([trace.weight_path(k)[self._scanned: n + 1] for k in rows])
        if new.shape[1] == 0:
            return
        finite = np.isfinite(new)
        lo = np.min(new, axis=1, where=finite, initial=np.inf)
        hi = np.max(new, axis=1, where=finite, initial=-np.inf)
        if self._path_lo is None:
            self._path_lo, self._path_hi = lo, hi
        else:
            self._path_lo = np.fmin(self._path_lo, lo)
            self._path_hi = np.fmax(self._path_hi, hi)
        self._scanned = n + 1

    def _needs_new_surface(self, settled: bool) -> str:
        """Why the surface must be drawn again: "left" (the path left it), "held" (other
        weights moved), or "" (it need not)."""
        self._scan_path()
        if self._path_lo is not None:
            ranges = [self._x_range] if self.chosen[1] is None else [self._x_range, self._y_range]
            for (lo, hi), a, b in zip(ranges, self._path_lo, self._path_hi):
                if (math.isfinite(a) and a < lo) or (math.isfinite(b) and b > hi):
                    if settled or time.monotonic() - self._drawn_at > LEFT_REDRAW_SECONDS:
                        return "left"
        if self._setup.n_inputs > 2 and self._held is not None:
            held = self._weights_at(self._n)
            others = [k for k in range(self._setup.n_inputs) if k not in self.chosen]
            if any(held[k] != self._held[k] for k in others) and (
                    settled or time.monotonic() - self._drawn_at > HELD_REDRAW_SECONDS):
                return "held"
        return ""

    def _compute_surface(self, held: tuple[float, ...], pad: float = 1.3) -> None:
        setup = self._setup
        self._held = held
        self._drawn_at = time.monotonic()
        self.surface_computations += 1
        i, j = self.chosen
        best = list(held)
        lowest = lowest_point(setup, i, j, held)
        # One example, or inputs that move together: no single lowest point, a valley of them.
        self.valley = lowest is None
        if lowest is not None:
            best[i] = lowest[0]
            if j is not None:
                best[j] = lowest[1]
        xs = [setup.weights[i], best[i], held[i]]
        if self._path_lo is not None:
            xs += [self._path_lo[0], self._path_hi[0]]
        self._x_range = plot_range(best[i], xs, pad)
        if j is None:
            self._draw_bowl(best)
        else:
            ys = [setup.weights[j], best[j], held[j]]
            if self._path_lo is not None:
                ys += [self._path_lo[1], self._path_hi[1]]
            self._y_range = plot_range(best[j], ys, pad)
            self._draw_map(held, best)
        self._caption()
        self._draw_ghosts()

    def _draw_bowl(self, best: tuple[float, ...]) -> None:
        setup = self._setup
        grid = np.linspace(*self._x_range, CURVE_POINTS)
        surface = mse_surface(setup, grid, 0, fixed_weights=setup.weights)
        self.grid_x, self.grid_y, self.surface = grid, None, surface
        keep = np.isfinite(surface)
        self.bowl.setData(grid[keep], surface[keep])
        with np.errstate(all="ignore"):
            lowest = float(mse_surface(setup, [best[0]], 0)[0])
        found = not self.valley and math.isfinite(best[0]) and math.isfinite(lowest)
        if found:
            self.minimumLine.setValue(best[0])
            self.minimumMarker.setData([best[0]], [lowest])
        else:
            self.minimumMarker.setData([], [])
        self.image.clear()
        self._clear_isocurves()
        self.bowl.setVisible(True)
        self.minimumLine.setVisible(found)
        plot = self.plotWidget.getPlotItem()
        plot.setLabel("bottom", f"weight ({setup.input_name(0)})")
        plot.setLabel("left", "mean mse")
        top = float(np.max(surface[keep])) if keep.any() else 1.0
        top = min(top, MAX_MSE_SHOWN) if top > 0 else 1.0
        plot.setXRange(*self._x_range, padding=0)
        plot.setYRange(0, top, padding=0.05)

    def _draw_map(self, held: tuple[float, ...], best: tuple[float, ...]) -> None:
        setup = self._setup
        i, j = self.chosen
        gx = np.linspace(*self._x_range, GRID_POINTS)
        gy = np.linspace(*self._y_range, GRID_POINTS)
        surface = mse_surface(setup, gx, i, j, gy, fixed_weights=held)
        self.grid_x, self.grid_y, self.surface = gx, gy, surface
        dx, dy = gx[1] - gx[0], gy[1] - gy[0]
        self.image.setImage(_log_colours(surface), autoLevels=True)
        self.image.setRect(QRectF(gx[0] - dx / 2, gy[0] - dy / 2, dx * GRID_POINTS, dy * GRID_POINTS))
        self._clear_isocurves()
        plot = self.plotWidget.getPlotItem()
        ix = np.linspace(*self._x_range, ISO_POINTS)
        iy = np.linspace(*self._y_range, ISO_POINTS)
        coarse = mse_surface(setup, ix, i, j, iy, fixed_weights=held)
        to_plot = QTransform.fromTranslate(ix[0], iy[0]).scale(ix[1] - ix[0], iy[1] - iy[0])
        for level in contour_levels(surface):
            curve = pg.IsocurveItem(axisOrder="col-major")
            with np.errstate(all="ignore"):  # flat cells divide 0 by 0 inside pyqtgraph
                curve.setData(coarse, float(level))
                curve.generatePath()
            curve.setTransform(to_plot)
            curve.setZValue(-10)
            plot.addItem(curve)
            self.isocurves.append(curve)
        if self.valley or not (math.isfinite(best[i]) and math.isfinite(best[j])):
            self.minimumMarker.setData([], [])
        else:
            self.minimumMarker.setData([best[i]], [best[j]])
        self.bowl.setVisible(False)
        self.minimumLine.setVisible(False)
        plot.setLabel("bottom", f"weight_{i + 1} ({setup.input_name(i)})")
        plot.setLabel("left", f"weight_{j + 1} ({setup.input_name(j)})")
        plot.setXRange(*self._x_range, padding=0)
        plot.setYRange(*self._y_range, padding=0)
        self._style()

    def _clear_isocurves(self) -> None:
        plot = self.plotWidget.getPlotItem()
        for curve in self.isocurves:
            plot.removeItem(curve)
        self.isocurves = []

    def _update_path(self) -> None:
        trace, n = self._trace, self._n
        setup = self._setup
        if setup is None:
            return
        i, j = self.chosen
        if trace is None:
            xs = np.array([setup.weights[i]])
            ys = mse_surface(setup, xs, i, fixed_weights=setup.weights) if j is None else np.array([setup.weights[j]])
        else:
            if n + 1 < self._line.upto:  # fewer steps than drawn: start the path again
                self._reset_path()
            last_x, last_y = self._extend_path(n + 1)
            xs, ys = self._line_x.view, self._line_y.view
            if self._line.kept.view[-1:].tolist() != [n]:
                xs, ys = np.append(xs, last_x), np.append(ys, last_y)
        keep = np.isfinite(xs) & np.isfinite(ys)
        xs, ys = xs[keep], ys[keep]
        self.pathLine.setData(xs, ys)
        self.lastDot.setData(xs[-1:], ys[-1:])
        if trace is None:
            self.pathDots.setData(xs, ys)

    def _extend_path(self, n_points: int) -> tuple[float, float]:
        """Take in the path's new points (their values: a few, not the whole path) and the
        dots among them; return the values of the newest point."""
        new, restrided = self._line.extend(n_points)
        if restrided:
            self._line_x, self._line_y = Growing(), Growing()
            new = self._line.kept.view
        x, y = self._path_values(np.append(new, np.int64(n_points - 1)))
        self._line_x.extend(x[:-1])
        self._line_y.extend(y[:-1])
        new, restrided = self._dots.extend(n_points)
        if restrided:  # all the dots again: fewer, further apart
            new = self._dots.kept.view
        if new.shape[0]:  # the dots are points of the line (the line's stride divides theirs)
            kept = self._line.kept.view
            at = np.minimum(np.searchsorted(kept, new), kept.shape[0] - 1)
            if np.array_equal(kept[at], new):
                x_dots, y_dots = self._line_x.view[at], self._line_y.view[at]
            else:  # (not expected) values of their own
                x_dots, y_dots = self._path_values(new)
            keep = np.isfinite(x_dots) & np.isfinite(y_dots)
            if restrided:
                self.pathDots.setData(x_dots[keep], y_dots[keep])
            elif keep.any():
                self.pathDots.addPoints(x=x_dots[keep], y=y_dots[keep])
        return float(x[-1]), float(y[-1])

    def _path_values(self, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x and y of the path after the given steps: the chosen weights, or for the bowl
        the weight and its mean mse."""
        trace = self._trace
        i, j = self.chosen
        xs = trace.weight_path(i)[steps]
        if j is not None:
            return xs, trace.weight_path(j)[steps]
        with np.errstate(all="ignore"):  # one weight: its mse does not depend on any other
            return xs, np.asarray(mse_surface(self._setup, xs, i, fixed_weights=self._setup.weights), dtype=np.float64)

    def _caption(self) -> None:
        setup = self._setup
        if self.chosen[1] is None:
            lowest = ("Flat: this weight cannot change the error (its input is 0)." if self.valley
                      else "Dashed line: the lowest point.")
            text = (f"The bowl: mean mse for every weight. Dots: the weights visited, big: the newest; "
                    f"square: the start (drag it). Ring: the step shown, its slope downhill. {lowest}")
        else:
            held = "" if setup.n_inputs == 2 else " Other weights held as they are now."
            lowest = "The dark valley fits best all along." if self.valley else "+: the lowest point."
            text = (f"Mean mse (darker: lower; lines on a log scale). Dots: the path, big: the newest; "
                    f"square: the start (drag it). Ring: the step shown, arrow: downhill. {lowest}{held}")
        brief = ("The bowl: mean mse for every weight." if self.chosen[1] is None
                 else "Mean mse: darker is lower.") + " Square: the start (drag it); ring: the step shown."
        self._captions = (text, brief)
        self._fit_caption()

    def _fit_caption(self) -> None:
        """The whole caption when it fits in a few lines, else the brief one (a projector's
        zoom leaves the plot its height); the whole one is the caption's tooltip then."""
        text, brief = getattr(self, "_captions", ("", ""))
        width = max(50, self.width() - 8)
        metrics = QFontMetrics(self.captionLabel.font())
        lines = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), text).height() \
            / max(1, metrics.lineSpacing())
        use = text if lines <= CAPTION_LINES + 0.5 else brief
        if self.captionLabel.text() != use:
            self.captionLabel.setText(use)
        self.captionLabel.setToolTip(text if use is brief else HELP["error_surface"])

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if hasattr(self, "captionLabel"):
            self._fit_caption()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "startHandle"):
            self._fit_caption()
            self._style()

    def _style(self) -> None:
        theme, zoom = self._theme, self._zoom
        plot = self.plotWidget.getPlotItem()
        self.plotWidget.setBackground(theme.background)
        font = QFont(self.font())
        font.setPixelSize(max(8, round(TICK_PX * zoom)))
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.foreground))
            axis.setTextPen(pg.mkPen(theme.foreground))
            axis.setTickFont(font)
            axis.label.setFont(font)
        width = theme.line_width * zoom
        self.bowl.setPen(pg.mkPen(theme.curve_colour(0), width=width))
        self.minimumLine.setPen(pg.mkPen(theme.goal, width=max(1.0, width * 0.6), style=Qt.PenStyle.DashLine))
        self.minimumMarker.setPen(pg.mkPen(theme.background, width=max(1.0, zoom)))
        self.minimumMarker.setBrush(pg.mkBrush(theme.goal))
        self.minimumMarker.setSize(LAST_DOT_SIZE * zoom)
        path = QColor(theme.curve_colour(1))
        self.pathLine.setPen(pg.mkPen(path, width=max(1.0, width * 0.5)))
        self.pathDots.setPen(pg.mkPen(None))
        self.pathDots.setBrush(pg.mkBrush(path))
        self.pathDots.setSize(DOT_SIZE * zoom)
        self.lastDot.setPen(pg.mkPen(theme.foreground, width=max(1.0, width)))
        self.lastDot.setBrush(pg.mkBrush(theme.curve_colour(3)))
        self.lastDot.setSize(LAST_DOT_SIZE * zoom)
        contour = QColor(theme.foreground)
        contour.setAlphaF(0.55)
        for curve in self.isocurves:
            curve.setPen(pg.mkPen(contour, width=max(1.0, zoom)))
        self._style_marks(width)

    def _style_marks(self, width: float) -> None:
        theme, zoom = self._theme, self._zoom
        ring, halo = QColor(theme.curve_colour(5)), QColor(theme.background)
        ring_width = max(2.0, width * 1.25)
        for item, pen in ((self.shownRingHalo, pg.mkPen(halo, width=ring_width + 3 * zoom)),
                          (self.shownRing, pg.mkPen(ring, width=ring_width))):
            item.setPen(pen)
            item.setBrush(pg.mkBrush(None))
            item.setSize(RING_SIZE * zoom)
        self.stepLine.setPen(pg.mkPen(ring, width=max(1.0, width)))
        self.slopeHalo.setPen(pg.mkPen(halo, width=max(1.0, width) + 3 * zoom))
        self.slopeLine.setPen(pg.mkPen(ring, width=max(1.0, width)))
        self.slopeHead.setStyle(headLen=ARROW_HEAD_PX * zoom, tipAngle=40,
                                pen=pg.mkPen(halo, width=max(1.0, 1.25 * zoom)), brush=pg.mkBrush(ring))
        self.startHandle.setPen(pg.mkPen(theme.foreground, width=max(1.5, width)))
        self.startHandle.setBrush(pg.mkBrush(theme.background))
        self.startHandle.setSize(START_SIZE * zoom)
        self.startHandle.setToolTip("The start: drag it to choose the starting weights "
                                    "(not while the node is running)")
        font = self._label_font()
        fill = QColor(theme.background)
        fill.setAlpha(215)
        ghost = QColor(theme.foreground)
        ghost.setAlphaF(theme.ghost_opacity)
        looks = [(self.slopeLabel, theme.foreground, pg.mkPen(ring, width=max(1.0, zoom))),
                 (self.startLabel, theme.foreground, None),
                 (self.dragLabel, theme.foreground, pg.mkPen(theme.foreground, width=max(1.0, zoom)))]
        for index, (line, label, _name) in enumerate(self.ghostItems):
            pen = pg.mkPen(ghost, width=max(1.0, width))
            pen.setDashPattern(GHOST_DASHES[index % len(GHOST_DASHES)])
            line.setPen(pen)
            few = len(line.getData()[0]) <= MAX_PATH_DOTS
            line.setSymbol("o" if few else None)
            line.setSymbolSize(max(3, round(DOT_SIZE * zoom * 0.8)))
            line.setSymbolBrush(pg.mkBrush(None))
            line.setSymbolPen(pg.mkPen(ghost, width=max(1.0, zoom)))
            looks.append((label, theme.muted, None))
        for label, colour, border in looks:
            label.setColor(QColor(colour))
            label.fill = pg.mkBrush(fill)
            label.border = border if border is not None else pg.mkPen(None)
            label.setFont(font)
            label.update()
        self._place_marks()

    def _on_weights_chosen(self, _index: int) -> None:
        if self._setup is None:
            return
        self._reset_path()
        self._scan_path()
        self._compute_surface(self._weights_at(self._n))
        self._update_path()
        self._update_marks()


__all__ = ["ErrorSurface", "contour_levels", "lowest_point", "path_indices", "plot_range"]
