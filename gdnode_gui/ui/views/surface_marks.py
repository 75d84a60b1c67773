"""Marks drawn on the error surface, apart from the surface and the path.

- :class:`StartHandle`: the start of the path (the starting weights), which the mouse can
  drag when the node is not running; an open hand over it, a closed one while dragging.
- :func:`screen_direction`: a direction in data units as seen on the screen (the axes of
  the map need not have the same scale), for arrows of a fixed length in pixels.
- :func:`label_spot`: where a label goes beside its point so that it covers as little of
  the path (and the labels placed before it) as it can, and stays inside the plot.

The numbers (slopes, rounding, which runs share a bowl) are worked out in
:mod:`gdnode_gui.core.data_set_analysis`; this module only draws and places.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

#: Obstacles (a path drawn as a line) are sampled at least this often along the line, px.
OBSTACLE_SPACING_PX = 6.0
#: At most this many obstacle points (a long zigzag path is sampled more coarsely).
MAX_OBSTACLE_POINTS = 20_000

#: Where a label may sit around its point, in order of preference: (dx, dy) in units of
#: (gap + half the label), screen y down: right, above right, above, left, below ...
SPOTS = ((1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1))


class StartHandle(pg.ScatterPlotItem):
    """The start of the path, draggable.

    ``on_drag(phase, x, y)`` is called with ``phase`` ``"start"`` (return True to take the
    drag), ``"move"`` and ``"finish"``, with the point's new position in data coordinates
    (where the point would be, not where the mouse is: grabbing it off-centre does not
    make it jump).  :attr:`movable` False (the node is running) leaves the mouse to the
    plot.
    """

    def __init__(self, on_drag: Callable[[str, float, float], bool | None]) -> None:
        super().__init__(symbol="s")
        self._on_drag = on_drag
        self.movable = True
        self._offset: tuple[float, float] | None = None

    def _hit(self, pos) -> bool:
        return bool(len(self.pointsAt(pos)))

    def hoverEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph's name)
        if (self.movable and not ev.isExit() and self._hit(ev.pos())
                and ev.acceptDrags(Qt.MouseButton.LeftButton)):
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif self._offset is None:
            self.unsetCursor()

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph's name)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            self._offset = None
            x, y = self.getData()
            down = ev.buttonDownPos()
            if not (self.movable and len(x) and self._hit(down)):
                ev.ignore()
                return
            if not self._on_drag("start", float(x[0]), float(y[0])):
                ev.ignore()
                return
            self._offset = (float(x[0]) - down.x(), float(y[0]) - down.y())
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._offset is None:
            ev.ignore()
            return
        ev.accept()
        pos = ev.pos()
        x, y = pos.x() + self._offset[0], pos.y() + self._offset[1]
        if ev.isFinish():
            self._offset = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            self._on_drag("finish", x, y)
        else:
            self._on_drag("move", x, y)

    @property
    def dragging(self) -> bool:
        return self._offset is not None


def screen_direction(dx: float, dy: float, pixel: tuple[float, float]) -> tuple[float, float] | None:
    """The unit vector on the screen (x right, y down) of the data direction ``(dx, dy)``,
    with ``pixel`` the data units per pixel along x and y; None for no direction."""
    px, py = pixel
    if not (px > 0 and py > 0):
        return None
    with np.errstate(all="ignore"):
        sx, sy = dx / px, -dy / py
    length = math.hypot(sx, sy) if math.isfinite(sx) and math.isfinite(sy) else math.inf
    if not (0 < length < math.inf):
        if math.isinf(length):  # one part overflowed: the direction of the larger part
            sx, sy = (math.copysign(1.0, sx) if math.isinf(sx) else 0.0,
                      math.copysign(1.0, sy) if math.isinf(sy) else 0.0)
            length = math.hypot(sx, sy)
            return (sx / length, sy / length) if length else None
        return None
    return sx / length, sy / length


def obstacle_points(xs: np.ndarray, ys: np.ndarray, spacing: float = OBSTACLE_SPACING_PX,
                    limit: int = MAX_OBSTACLE_POINTS) -> np.ndarray:
    """Points every ``spacing`` pixels (at most) along the polyline ``xs``, ``ys`` (pixels),
    so that a label over the middle of a long segment counts as over the line; shape (n, 2)."""
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    keep = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[keep], ys[keep]
    if xs.size < 2:
        return np.stack([xs, ys], axis=1)
    lengths = np.hypot(np.diff(xs), np.diff(ys))
    total = float(lengths.sum())
    spacing = max(spacing, total / max(1, limit - xs.size))
    counts = np.minimum(np.ceil(lengths / spacing), limit).astype(np.int64)
    counts = np.maximum(counts, 1)
    starts = np.repeat(np.arange(xs.size - 1), counts)
    fraction = (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)) / np.repeat(counts, counts)
    px = xs[starts] + fraction * np.diff(xs)[starts]
    py = ys[starts] + fraction * np.diff(ys)[starts]
    return np.concatenate([np.stack([px, py], axis=1), [[xs[-1], ys[-1]]]])


def label_spot(point: tuple[float, float], size: tuple[float, float], gap: float,
               bounds: tuple[float, float], obstacles: np.ndarray,
               taken: list[tuple[float, float, float, float]] = (),
               spots=SPOTS) -> tuple[float, float, float, float]:
    """The rectangle (left, top, right, bottom; pixels, y down) for a label of ``size``
    beside ``point``: of the candidate ``spots`` around it, the one inside ``bounds``
    (width, height) that covers the fewest ``obstacles`` (points, shape (n, 2)) and
    overlaps the ``taken`` rectangles least; ties go to the earlier spot."""
    x, y = point
    w, h = size
    width, height = bounds
    best, best_score = None, None
    pts = np.asarray(obstacles, dtype=np.float64).reshape(-1, 2)
    for dx, dy in spots:
        cx = x + dx * (gap + w / 2)
        cy = y + dy * (gap + h / 2)
        left, top = cx - w / 2, cy - h / 2
        right, bottom = left + w, top + h
        # Pushed back inside the plot if it can be (a label at the edge moves in).
        shift_x = max(0.0, -left) - max(0.0, right - width)
        shift_y = max(0.0, -top) - max(0.0, bottom - height)
        left, right, top, bottom = left + shift_x, right + shift_x, top + shift_y, bottom + shift_y
        outside = (max(0.0, -left) + max(0.0, right - width)) * h + (max(0.0, -top) + max(0.0, bottom - height)) * w
        covered = int(np.count_nonzero((pts[:, 0] >= left) & (pts[:, 0] <= right)
                                       & (pts[:, 1] >= top) & (pts[:, 1] <= bottom))) if pts.size else 0
        # Pushed over its own point: as bad as covering a mark.
        over_point = left <= x <= right and top <= y <= bottom
        overlap = sum(max(0.0, min(right, r) - max(left, l)) * max(0.0, min(bottom, b) - max(top, t))
                      for l, t, r, b in taken)
        score = (outside > 0, covered + 20 * over_point + overlap / max(1.0, w * h) * 50)
        if best_score is None or score < best_score:
            best, best_score = (left, top, right, bottom), score
    return best


__all__ = ["StartHandle", "label_spot", "obstacle_points", "screen_direction"]
