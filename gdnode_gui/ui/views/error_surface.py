"""The error surface: the mean mse over the examples for every value of the weights.

One weight: the bowl, a curve of the mean mse against the weight, its lowest point (the
least-squares weight) and the weights the run visited as dots sliding down it, the
newest one bigger.  Two or more weights: a contour map of the mean mse over two chosen
weights (the others held at their values when the map was drawn), colours and contour
levels spaced on a log scale above the lowest point, and the path of the two weights.

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
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QTransform
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gdnode_gui.core.analysis import mse_surface
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.frame import Frame
from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.help.help_texts import HELP
from gdnode_gui.ui.views.plots.plot_parts import Growing
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
    """The error bowl (one weight) or contour map (two chosen weights) with the run's path."""

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
        self.plotWidget.setObjectName("errorSurfacePlot")
        self.plotWidget.setAccessibleName("Error surface plot")
        self.plotWidget.setToolTip(HELP["error_surface"])
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
        self._style()

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip("Which weight to show on this axis of the map; the other weights stay "
                         "at their current values.")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self._on_weights_chosen)
        return combo

    # -- the view interface -------------------------------------------------------------------------
    def show_frame(self, frame: Frame) -> None:
        """Show ``frame`` (the view protocol): its run's trace up to its newest step."""
        if frame.trace is not self._trace:
            self.set_trace(frame.trace)
        self.refresh(frame.steps)

    def set_setup(self, setup: Setup) -> None:
        self._setup = setup
        if self._trace is not None and self._trace.setup is not setup:
            self._trace = None  # the old run's trace; the window sends the new one next
        self._fill_choosers(setup)
        self._n = 0
        self._reset_path()
        self._compute_surface(tuple(setup.weights))
        self._update_path()

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        if trace is not None and trace.setup is not self._setup:
            self.set_setup(trace.setup)
        self._n = 0
        self._reset_path()
        self._update_path()

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

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._style()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._style()

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
            text = f"The bowl: mean mse for every weight. Dots: the weights visited, big: the newest. {lowest}"
        else:
            held = "" if setup.n_inputs == 2 else " Other weights held as they are now."
            lowest = "The dark valley fits best all along." if self.valley else "+: the lowest point."
            text = (f"Mean mse (darker: lower; lines on a log scale). Dots: the path, big: the newest. "
                    f"{lowest}{held}")
        self.captionLabel.setText(text)

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

    def _on_weights_chosen(self, _index: int) -> None:
        if self._setup is None:
            return
        self._reset_path()
        self._scan_path()
        self._compute_surface(self._weights_at(self._n))
        self._update_path()


__all__ = ["ErrorSurface", "contour_levels", "lowest_point", "path_indices", "plot_range"]
