"""Incremental min/max decimation of the live plots' series (what a curve item is handed).

- :class:`PeakDecimator`: the lowest and highest value of each bucket of consecutive points
  of a growing series, and where they are.  The buckets are kept up to date incrementally:
  a refresh reduces only the new points, and when the buckets get too many, pairs of them
  are merged (the bucket size doubles).  A peak of a single step therefore always stays
  visible, at any length of run.
- :class:`Series`: one curve of a plot.  A short series (or the few steps in view after
  zooming in) is handed to its curve item as it is, views of the trace; a long one as its
  buckets (one or two per pixel of the plot), drawn at the steps where their extremes are:
  the envelope of pyqtgraph's "peak" downsampling, through real points.

Plain numpy: nothing here imports Qt or pyqtgraph (the curve item is only handed data with
``setData``).  The plots themselves are built in :mod:`gdnode_gui.ui.views.plots.plot_parts`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

import numpy as np

if TYPE_CHECKING:
    import pyqtgraph as pg

#: At most this many min/max buckets per pixel of a plot's width (at least half as many
#: while the run grows; reduced again when a wider plot leaves fewer than one per pixel): a
#: series with more points than that many is handed over as buckets.  More would draw the
#: same envelope, slower: a dense band is many tall segments.
BUCKETS_PER_PIXEL = 2
#: The first this many values of a series give its first size (see ``Series.early``).
EARLY = 10


class PeakDecimator:
    """The lowest and the highest value of each bucket of ``size`` consecutive points of a
    growing series, and where in the bucket they are: at most ``limit`` full buckets and
    one open (partly filled) one.

    Bucket ``b`` holds points ``b * size`` to ``(b + 1) * size - 1``; ``size`` is a power of
    two.  :meth:`extend` reduces only the new points; when the buckets would be more than
    ``limit``, pairs are merged and ``size`` doubles (work in proportion to the buckets).
    Nan is skipped (a bucket of nothing but nan is nan: a gap); inf is kept.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(2, int(limit))
        self.size = 1
        self.full = 0  # full buckets; the open one, if any, is stored after them
        self.part = 0  # points in the open bucket
        self.count = 0  # points reduced so far
        self.low, self.high = math.inf, -math.inf  # finite extremes of every point
        self._lo, self._hi = np.empty(self.limit + 1), np.empty(self.limit + 1)
        self._lo_at = np.empty(self.limit + 1, np.int64)  # point index of each lowest value
        self._hi_at = np.empty(self.limit + 1, np.int64)

    @property
    def buckets(self) -> int:
        return self.full + (1 if self.part else 0)

    def extend(self, values: np.ndarray) -> None:
        """Reduce the next points of the series (one pass over them when they hold no nan)."""
        values = np.asarray(values, dtype=np.float64)
        m, i, first = values.shape[0], 0, self.count
        if m == 0:
            return
        self.count += m
        self._fresh = []  # the extremes of the new buckets, for the finite low and high
        while i < m:
            if self.part:  # fill the open bucket first
                k = min(self.size - self.part, m - i)
                self._fold(self.full, self._seen(_extremes(values[i : i + k].reshape(1, k), first + i)))
                self.part += k
                i += k
                self._close_full_part()
                continue
            whole = (m - i) // self.size
            if whole and self.full + whole > self.limit:
                self._merge()
                continue
            if whole:
                block = values[i : i + whole * self.size].reshape(whole, self.size)
                self._store(slice(self.full, self.full + whole), self._seen(_extremes(block, first + i)))
                self.full += whole
                i += whole * self.size
                continue
            rest = values[i:]  # fewer points than a bucket: they open one
            self._store(slice(self.full, self.full + 1), self._seen(_extremes(rest.reshape(1, -1), first + i)))
            self.part = m - i
            i = m
        # The finite extremes of the new points, from their buckets' extremes (few values);
        # a bucket whose extreme is inf may hide a finite one: then scan those points.
        exact = True
        for lo, hi in self._fresh:
            low, high = _finite_extent(lo, hi)
            self.low, self.high = min(self.low, low), max(self.high, high)
            exact = exact and bool(np.isfinite(lo[~np.isnan(lo)]).all() and np.isfinite(hi[~np.isnan(hi)]).all())
        self._fresh = []
        if not exact:
            low, high = _finite_extent(values)
            self.low, self.high = min(self.low, low), max(self.high, high)

    def _seen(self, extremes: tuple) -> tuple:
        self._fresh.append((extremes[0], extremes[2]))
        return extremes

    def set_limit(self, limit: int) -> None:
        limit = max(2, int(limit))
        if limit + 1 > self._lo.shape[0]:
            keep = self.full + 1
            for name in ("_lo", "_hi", "_lo_at", "_hi_at"):
                old = getattr(self, name)
                grown = np.empty(limit + 1, old.dtype)
                grown[:keep] = old[:keep]
                setattr(self, name, grown)
        self.limit = limit
        while self.full > self.limit:
            self._merge()

    def extent(self, a: int, b: int) -> tuple[float, float]:
        """The finite lowest and highest values of the buckets that hold points ``a`` to
        ``b - 1`` (the whole series: exactly its extremes)."""
        if a <= 0 and b >= self.count:
            return self.low, self.high
        first, last = a // self.size, min((b - 1) // self.size, self.buckets - 1) + 1
        return _finite_extent(self._lo[first:last], self._hi[first:last])

    def points(self, x_at: Callable[[np.ndarray], np.ndarray], offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """x and y to draw: each bucket's lowest and highest value at the points where they
        are, in their order, so the line goes through real values and its envelope is
        pyqtgraph's "peak" downsampling.  ``x_at`` maps point indices (plus ``offset``) to steps."""
        k = self.buckets
        lo, hi, lo_at, hi_at = self._lo[:k], self._hi[:k], self._lo_at[:k], self._hi_at[:k]
        low_first = lo_at <= hi_at
        x, y = np.empty(2 * k, np.int64), np.empty(2 * k)
        x[0::2], x[1::2] = np.where(low_first, lo_at, hi_at), np.where(low_first, hi_at, lo_at)
        y[0::2], y[1::2] = np.where(low_first, lo, hi), np.where(low_first, hi, lo)
        return x_at(x + offset), y

    def _store(self, where: slice, extremes: tuple) -> None:
        self._lo[where], self._lo_at[where], self._hi[where], self._hi_at[where] = extremes

    def _fold(self, b: int, extremes: tuple) -> None:
        """Fold extremes of later points into bucket ``b``."""
        lo, lo_at, hi, hi_at = extremes
        a = slice(b, b + 1)
        self._store(a, (*_pick(self._lo[a], self._lo_at[a], lo, lo_at, True),
                        *_pick(self._hi[a], self._hi_at[a], hi, hi_at, False)))

    def _close_full_part(self) -> None:
        while self.part == self.size:
            if self.full >= self.limit:
                self._merge()
                continue
            self.full += 1  # the open bucket, stored after the full ones, is full now
            self.part = 0

    def _merge(self) -> None:
        """Merge pairs of buckets: ``size`` doubles; an odd last bucket joins the open one."""
        f = self.full
        pairs = f // 2
        a, b = slice(0, 2 * pairs, 2), slice(1, 2 * pairs, 2)
        merged = (*_pick(self._lo[a], self._lo_at[a], self._lo[b], self._lo_at[b], True),
                  *_pick(self._hi[a], self._hi_at[a], self._hi[b], self._hi_at[b], False))
        odd = slice(f - 1, f)
        open_bucket = (self._lo[f], self._lo_at[f], self._hi[f], self._hi_at[f])
        if f % 2:
            last = (self._lo[odd].copy(), self._lo_at[odd].copy(), self._hi[odd].copy(), self._hi_at[odd].copy())
        self._store(slice(0, pairs), merged)
        if f % 2:
            self._store(slice(pairs, pairs + 1), last)
            if self.part:
                self._fold(pairs, tuple(np.array([v]) for v in open_bucket))
            self.part += self.size
        elif self.part:
            self._store(slice(pairs, pairs + 1), tuple(np.array([v]) for v in open_bucket))
        self.full = pairs
        self.size *= 2
        self._close_full_part()


def _extremes(block: np.ndarray, first: int) -> tuple[np.ndarray, ...]:
    """For each row of ``block`` (buckets of consecutive points, the first being point
    ``first``): its lowest value and that point's index, its highest value and its index.
    Nan is skipped; a row of nothing but nan gives nan.  Without nan (the usual case) this
    is one argmin and one argmax over the points, nothing else."""
    rows, size = block.shape
    r = np.arange(rows)
    lo_i, hi_i = block.argmin(axis=1), block.argmax(axis=1)  # a nan row-wise wins both
    lo, hi = block[r, lo_i], block[r, hi_i]
    base = first + r * size
    if not (np.isnan(lo).any() or np.isnan(hi).any()):
        return lo, base + lo_i, hi, base + hi_i
    nan = np.isnan(block)
    low_from = np.where(nan, np.inf, block)
    high_from = np.where(nan, -np.inf, block)
    lo_i, hi_i = low_from.argmin(axis=1), high_from.argmax(axis=1)
    empty = nan.all(axis=1)
    for at, infinity in ((lo_i, np.inf), (hi_i, -np.inf)):
        # a row whose extreme is ±inf may have found a nan put there: the real inf
        wrong = nan[r, at] & ~empty
        if wrong.any():
            at[wrong] = np.argmax(block[wrong] == infinity, axis=1)
    lo, hi = low_from[r, lo_i], high_from[r, hi_i]
    lo[empty] = hi[empty] = np.nan
    return lo, base + lo_i, hi, base + hi_i


def _pick(a, a_at, b, b_at, lowest: bool) -> tuple[np.ndarray, np.ndarray]:
    """The lower (or higher) of ``a`` and the later ``b``, and where it is; nan loses, a tie
    keeps the earlier."""
    take_b = ((b < a) if lowest else (b > a)) | np.isnan(a)
    return np.where(take_b, b, a), np.where(take_b, b_at, a_at)


def _without_flat_runs(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same line without the inner points of runs of equal values (a settled weight is
    one segment, not thousands: the same picture, drawn in no time)."""
    if y.shape[0] < 3:
        return x, y
    same = y[1:] == y[:-1]
    inner = np.zeros(y.shape[0], dtype=bool)
    inner[1:-1] = same[:-1] & same[1:]
    return (x[~inner], y[~inner]) if inner.any() else (x, y)


def _finite_extent(lows: np.ndarray, highs: np.ndarray | None = None) -> tuple[float, float]:
    """The lowest finite value of ``lows`` and the highest of ``highs`` (or of ``lows``);
    (inf, -inf) when there is none."""
    highs = lows if highs is None else highs
    return (float(np.min(lows, where=np.isfinite(lows), initial=math.inf)),
            float(np.max(highs, where=np.isfinite(highs), initial=-math.inf)))


class Series:
    """One curve of a plot: where its exact values are (``source(a, b)``: values ``a`` to
    ``b - 1``, read from the trace by slices), their min/max buckets, and what the curve
    item is handed.  It keeps no copy of the values: what it holds depends on the plot's
    width, not on the length of the run.

    The values are at steps ``first``, ``first + stride``, ... or, with ``x``, at the steps
    ``x`` (increasing).  :meth:`show` hands the item, for the steps in view:
    every value when there are few (the whole series, or the steps in view after
    zooming in); else the buckets of the whole series; or, zoomed in too far for those,
    buckets of the steps in view only, made once for that range.  ``transform`` (a
    monotonic function of arrays, e.g. a signed log scale) is applied to what is handed
    over and to the extent, never to the buckets: switching it costs nothing."""

    def __init__(self, item: pg.PlotDataItem, first: int, limit: int) -> None:
        self.item = item
        self.first = first
        self.x: np.ndarray | None = None
        self.stride = 1  # without x: value i is at step first + stride * i
        self.source: Callable[[int, int], np.ndarray] = lambda a, b: np.empty(0)
        self.count = 0
        self.peaks = PeakDecimator(limit)
        self.hidden = False  # nothing worth drawing (e.g. no mse a log axis can show)
        self.transform: Callable[[np.ndarray], np.ndarray] | None = None
        self.extent = (math.inf, -math.inf)  # finite lowest and highest value in view
        self.last = math.nan  # the newest value
        self.last_step = 0  # and its step
        self.early = 0.0  # the largest finite size among the first EARLY values
        self._shown: tuple | None = None
        self._local: tuple[int, int, PeakDecimator] | None = None

    def __len__(self) -> int:
        return self.count

    @property
    def y(self) -> np.ndarray:
        """Every value (read from the source: for tests and small series only)."""
        return np.asarray(self.source(0, self.count))

    def extend(self, y: np.ndarray, x: np.ndarray | None = None) -> None:
        """The series is now the array ``y`` (at steps ``x``): the values it had are
        unchanged, the ones after them are new and reduced into the buckets."""
        self.follow(lambda a, b: y[a:b], y.shape[0], x)

    def follow(self, source: Callable[[int, int], np.ndarray], n: int, x: np.ndarray | None = None,
               new: np.ndarray | None = None) -> None:
        """The series now has ``n`` values, ``source(a, b)`` being values ``a`` to ``b - 1``:
        only the new ones are read (once) and reduced.  ``new``: the new values, already at
        hand (e.g. a cheaper twin of the source's, good to draw: the exact values are read
        from the source whenever few are shown)."""
        if n > self.count:
            new = np.asarray(source(self.count, n) if new is None else new, dtype=np.float64)
            self.peaks.extend(new)
            if self.count < EARLY:
                first = np.abs(new[: EARLY - self.count])
                first = first[np.isfinite(first)]
                if first.shape[0]:
                    self.early = max(self.early, float(first.max()))
            self.last = float(new[-1])
            self.last_step = self.first + self.stride * (n - 1) if x is None else int(x[n - 1])
        self.source, self.count, self.x = source, n, x

    def set_limit(self, limit: int) -> None:
        if limit == self.peaks.limit:
            return
        self._shown = self._local = None
        self.peaks.set_limit(limit)
        if self.peaks.size > 1 and self.peaks.buckets * BUCKETS_PER_PIXEL < limit:
            self.peaks = PeakDecimator(limit)  # far too coarse now: reduce everything again
            self.peaks.extend(self._values(0, self.count))

    def set_transform(self, transform: Callable[[np.ndarray], np.ndarray] | None) -> None:
        if transform is not self.transform:
            self.transform = transform
            self._shown = None

    def show(self, x0: float, x1: float, pixels: float) -> None:
        """Hand the item what to draw for the step range ``x0``..``x1`` shown on
        ``pixels`` pixels (nothing when it already has it)."""
        n = self.count
        if n == 0 or self.hidden or self.peaks.low > self.peaks.high:  # nothing finite to draw
            self.extent = (math.inf, -math.inf)
            self._hand(("none",), lambda: (np.empty(0, np.int64), np.empty(0)))
            return
        a, b = self._index_range(x0, x1, n)
        limit = self.peaks.limit
        if n <= limit or b - a <= limit:
            if (a, b) == (0, n):
                extent = self.peaks.extent(0, n)
            else:
                extent = _finite_extent(self._values(a, b))
            self.extent = self._transformed_extent(extent)
            if n <= limit:
                self._hand(("all", n), lambda: (self._x_slice(0, n), self._values(0, n)))
            else:
                self._hand(("slice", a, b), lambda: (self._x_slice(a, b), self._values(a, b)))
        elif b - a >= pixels * self.peaks.size:  # at least a bucket per pixel
            self.extent = self._transformed_extent(self.peaks.extent(a, b))
            self._hand(("peaks", self.peaks.count, self.peaks.size),
                       lambda: _without_flat_runs(*self.peaks.points(self._x_at)))
        else:
            local = self._local_peaks(a, b, limit)
            self.extent = self._transformed_extent((local.low, local.high))
            self._hand(("local", a, b, local.size), lambda: _without_flat_runs(*local.points(self._x_at, a)))

    def _values(self, a: int, b: int) -> np.ndarray:
        return np.asarray(self.source(a, b), dtype=np.float64)

    def _transformed_extent(self, extent: tuple[float, float]) -> tuple[float, float]:
        if self.transform is None or not (math.isfinite(extent[0]) and math.isfinite(extent[1])):
            return extent
        low, high = self.transform(np.array(extent, dtype=np.float64))
        return float(low), float(high)

    def _hand(self, key: tuple, data: Callable[[], tuple[np.ndarray, np.ndarray]]) -> None:
        key = key + (self.transform,)
        if key != self._shown:
            self._shown = key
            x, y = data()
            if self.transform is not None:
                with np.errstate(all="ignore"):
                    y = self.transform(y)
            if not np.isfinite(y).all():  # ±inf cannot be drawn (pyqtgraph's bounds get nan): a gap
                y = np.where(np.isinf(y), np.nan, y)
            self.item.setData(x, y)

    def _local_peaks(self, a: int, b: int, limit: int) -> PeakDecimator:
        if self._local is not None and self._local[0] == a and self._local[1] <= b:
            local = self._local[2]
            local.extend(self._values(self._local[1], b))  # the view reaches past the newest step
        else:
            local = PeakDecimator(limit)
            local.extend(self._values(a, b))
        self._local = (a, b, local)
        return local

    def _index_range(self, x0: float, x1: float, n: int) -> tuple[int, int]:
        """Indices of the values in view, one more on either side (the line reaches the edges)."""
        lo, hi = math.floor(max(min(x0, 1e15), -1e15)), math.ceil(max(min(x1, 1e15), -1e15))
        if self.x is None:
            a, b = (lo - self.first) // self.stride - 1, (hi - self.first) // self.stride + 2
        else:
            a = int(np.searchsorted(self.x[:n], np.int64(lo))) - 1
            b = int(np.searchsorted(self.x[:n], np.int64(hi), side="right")) + 1
        a = min(max(a, 0), n)
        return a, min(max(b, a), n)

    def _x_at(self, indices: np.ndarray) -> np.ndarray:
        return indices * self.stride + self.first if self.x is None else self.x[indices]

    def _x_slice(self, a: int, b: int) -> np.ndarray:
        """The steps of values ``a`` to ``b - 1`` (few: at most the limit)."""
        if self.x is None:  # int64: pyqtgraph skips its finiteness check
            return np.arange(a, b, dtype=np.int64) * self.stride + self.first
        return self.x[a:b]
