"""The axes of the live plots and the scales they label.

- :class:`StepAxis`: the step axis, whole round steps written 20k and 1.5M, as many as fit;
  :func:`room_for` and :func:`room_ahead`, where a followed step axis ends;
- :class:`MseAxis`: the mse plot's log axis (powers of ten; 0 for exact zeros);
- :class:`ValueAxis`: a linear value axis with at least three labels at any zoom, or, once
  the values span many decades, a signed log scale (:func:`signed_log`) labelled with the
  real values.

All three draw their ticks and grid lines opaque (:class:`OpaqueTicks`).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen


class OpaqueTicks(pg.AxisItem):
    """An axis whose tick and grid lines are drawn in opaque colours: each translucent colour
    pyqtgraph picks (fainter for minor ticks and grid lines) is replaced by the colour it
    gives over :attr:`background`, so the plot looks the same.  Qt draws a long translucent
    line some 25 times slower than an opaque one (it hands the blending to its thread pool),
    and the value axis draws its grid lines across the whole plot each time its range moves.
    The grid lies under the curves (see :class:`~gdnode_gui.ui.views.plots.plot_area.PlotArea`)
    and the axis line is drawn again over the grid lines' ends."""

    #: The plot's background; None: the lines keep pyqtgraph's translucent colours.
    background: QColor | None = None

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        specs = super().generateDrawSpecs(p)
        if specs is None or self.background is None:
            return specs
        axis, ticks, texts = specs
        return axis, [(self._opaque(pen), p1, p2) for pen, p1, p2 in ticks], texts

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802, N803 - pyqtgraph's names
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
        if self.background is not None:  # the axis line again, over the (now opaque) grid lines' ends
            pen, start, end = axisSpec
            p.setPen(pen)
            p.drawLine(start, end)

    def _opaque(self, pen: QPen) -> QPen:
        colour = pen.color()
        alpha = colour.alphaF()
        if alpha >= 1.0:
            return pen
        back = self.background
        pen = QPen(pen)
        pen.setColor(QColor.fromRgbF(back.redF() + (colour.redF() - back.redF()) * alpha,
                                     back.greenF() + (colour.greenF() - back.greenF()) * alpha,
                                     back.blueF() + (colour.blueF() - back.blueF()) * alpha))
        return pen


class MseAxis(OpaqueTicks):
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
        most = max(3, int(size / (height * 2.2)))  # at least three, even at a big zoom
        minor: list[float] = []
        if hi - lo >= 3.0:  # whole decades: 1, 2, 5, 10, ... decades apart
            def decades(s: int) -> list[float]:
                return [float(k) for k in range(math.ceil(lo / s) * s, math.floor(hi) + 1, s)]

            steps = (1, 2, 5, 10, 20, 50, 100, 200)
            step = next((s for s in steps if len(decades(s)) <= most), 200)
            if len(decades(step)) < 3:  # at least three labels, a little tighter if need be
                step = next((s for s in steps if len(decades(s)) <= most + 1), step)
            major = decades(step)
            minor = [float(k) for k in range(math.ceil(lo), math.floor(hi) + 1) if k % step]
        else:  # a few decades: 1, 2 and 5 times a power of ten, or plain numbers
            major = []
            for mantissas in ((1, 2, 5), (1,)):
                major = [math.log10(m) + k for k in range(math.floor(lo) - 1, math.ceil(hi) + 1)
                         for m in mantissas if lo <= math.log10(m) + k <= hi]
                if 2 <= len(major) <= most:
                    break
            if len(major) < 2:  # plain numbers, worked out in units of 10^k (no overflow at 1e308)
                k = math.floor(lo)
                low, high = 10.0 ** (lo - k), 10.0 ** (hi - k)
                rough = (high - low) / most
                unit = 10.0 ** math.floor(math.log10(rough))
                step = next(u * unit for u in (1, 2, 5, 10) if u * unit >= rough)
                values = np.arange(math.ceil(low / step) * step, high, step)
                major = [math.log10(v) + k for v in values if v > 0]
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
            elif -4 <= v <= 5:
                strings.append(f"{10.0 ** v:.3g}")
            else:  # 3×10³⁰⁸, not 10.0 ** 308.5 (which overflows)
                k = math.floor(v + 1e-9)
                strings.append(f"{10.0 ** (v - k):.3g}×{decade(k)}")
        return strings


class StepAxis(OpaqueTicks):
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
                # a gap of a digit between labels; two thirds of one when that gives three
                room = gap if len(values) < 3 or sum(widths) + gap * len(values) <= size else 0.67 * gap
                if sum(widths) + room * len(values) <= size:
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


def room_ahead(n: int) -> float:
    """The end of the step axis while steps arrive fast: the next of 1, 1.2, 1.5, 2, 2.5, 3,
    4, 5, 6, 8 times a power of ten at or past n (the axis moves ~10 times a decade)."""
    if n <= 12:
        return float(max(n, 1))
    unit = 10.0 ** math.floor(math.log10(n))
    return next(m * unit for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * unit >= n)


def step_text(step: float) -> str:
    size = abs(step)
    if size < 10_000:
        return f"{step:.0f}"
    if size < 1_000_000:
        return f"{step / 1000:g}k"
    return f"{step / 1_000_000:g}M"


def decade(k: int) -> str:
    """``10⁻³⁰`` for -30; 1, 10 and 0.1 written plainly."""
    return {0: "1", 1: "10", -1: "0.1"}.get(k, "10" + str(k).translate(_SUPERSCRIPT))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# -- a signed log scale ----------------------------------------------------------------------------
def signed_log(scale: float):
    """``sign(y) · log10(1 + |y| / scale)``: monotonic, 0 at 0, about ``log10(|y| / scale)``
    for large values (a transform for :attr:`Series.transform`)."""

    def transform(y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        with np.errstate(all="ignore"):
            return np.sign(y) * np.log10(1.0 + np.abs(y) / scale)

    transform.scale = scale
    return transform


def signed_log_scale_for(early: float) -> float:
    """The power of ten at or below ``early``, the size of the first values (never 0)."""
    if not (math.isfinite(early) and early > 0):
        return 1.0
    return 10.0 ** max(-300, min(300, math.floor(math.log10(early))))


def nice_linear_ticks(lo: float, hi: float, most: int) -> tuple[float, list[float]]:
    """Round values from ``lo`` to ``hi``: 1, 2, 2.5 or 5 times a power of ten apart, at
    least three of them when they fit, at most ``most`` (never fewer than 3 allowed)."""
    most = max(3, most)
    half = hi / 2 - lo / 2  # no overflow near 1e308
    if not (math.isfinite(half) and half > 0):
        return 0.0, []
    k = math.floor(math.log10(2 * half)) if 2 * half < math.inf else 308
    best: tuple[float, list[float]] = (0.0, [])
    for power in range(k + 1, k - 3, -1):
        for m in (5, 2.5, 2, 1):
            step = m * 10.0 ** power
            if not math.isfinite(step) or step <= 0:
                continue
            first, last = math.ceil(lo / step), math.floor(hi / step)
            count = last - first + 1
            if count > most:
                return best if best[1] else (step, [v * step for v in range(first, last + 1)][:most])
            if count >= 1:
                best = (step, [v * step for v in range(first, last + 1)])
                if count >= 3:
                    return best
    return best


def linear_tick_texts(values, step: float) -> list[str]:
    """Texts of round values ``step`` apart, with just the digits that tell them apart:
    2.5 stays 2.5 (pyqtgraph would write 2), 5e+153 and 1e-07 in short scientific form."""
    values = [float(v) for v in values]
    if not values or not (math.isfinite(step) and step > 0):
        return [f"{v:g}" for v in values]
    biggest = max(abs(v) for v in values)
    digits = -math.floor(math.log10(step) + 1e-9)  # decimals of the step's leading digit
    mantissa = step / 10.0 ** math.floor(math.log10(step) + 1e-9)
    if round(mantissa * 10) % 10:  # 2.5 · 10^k: one digit more
        digits += 1
    if biggest >= 1e6 or step < 1e-4:
        significant = max(1, math.floor(math.log10(max(biggest, step))) + digits + 1)
        texts = [f"{v:.{min(significant, 17)}g}" for v in values]
    else:
        texts = [f"{v:.{max(0, digits)}f}" for v in values]
    return ["0" if v == 0 else text for v, text in zip(values, texts)]


class ValueAxis(OpaqueTicks):
    """The value axis of a linear plot: at least three labelled round values at any zoom;
    on a signed log scale (:attr:`log_scale` set) the data are ``signed_log(log_scale)(y)`` and the
    labels the real values at 0 and ±log_scale·10^k."""

    log_scale: float | None = None

    def tickValues(self, minVal, maxVal, size):
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0 or size <= 0:
            return []
        height = QFontMetricsF(self.style["tickFont"] or QFont()).height()
        most = max(3, int(size / (height * 1.8)))
        if self.log_scale is None:
            step, values = nice_linear_ticks(lo, hi, most)
            return [(step, values)] if values else super().tickValues(minVal, maxVal, size)
        # signed log: positions of 0 and ±scale·10^k, every s-th decade
        top = max(abs(lo), abs(hi))
        decades = int(math.ceil(min(top, 700.0))) + 1  # a signed log never passes ~630 decades
        for s in (1, 2, 5, 10, 20, 50, 100, 200):
            values = [0.0] if lo <= 0.0 <= hi else []
            for k in range(s, decades + 1, s):  # not ±scale·1: it would touch the 0
                position = math.log10(1.0 + 10.0**k) if k < 16 else float(k)
                values += [v for v in (position, -position) if lo <= v <= hi]
            if len(values) <= most:
                break
        return [(1.0, sorted(values))]

    def tickStrings(self, values, scale, spacing):
        if self.log_scale is None:
            return linear_tick_texts(values, spacing)
        strings = []
        for v in values:
            if v == 0.0:
                strings.append("0")
                continue
            k = round(math.log10(10.0 ** abs(v) - 1.0)) if abs(v) < 300 else round(abs(v))
            text = decade(k + round(math.log10(self.log_scale)))
            strings.append(("−" if v < 0 else "") + text)
        return strings


__all__ = ["MseAxis", "StepAxis", "ValueAxis", "decade", "linear_tick_texts", "nice_linear_ticks", "room_ahead", "room_for",
           "signed_log", "signed_log_scale_for", "step_text"]
