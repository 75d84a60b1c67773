"""Numbers as text: the one place that decides how a float is written.

Three ways to write a number, and one rule for numbers shown together:

:func:`full`
    Every digit: the shortest text that reads back to exactly the same float (Python's
    ``repr``), without a trailing ``.0``: ``0.5999999999999994``, ``1``, ``1e-07``,
    ``-0`` (so -0.0 reads back as -0.0).  Editors, spin boxes and "all digits" views.
:func:`short`
    A few significant digits (4 by default) for a panel or a sentence: ``0.42``,
    ``-5.551e-16``; 0 and -0.0 both as ``0``.
:func:`distinct`
    The rule of numbers shown together: **no number is rounded into another**.  Each
    value gets the shortest text (at least ``digits`` significant digits, more when
    needed) that reads back closer to its own value than to any other value shown with
    it.  With the goal 0.6 on screen, the weight 0.5999999999999994 reads
    ``0.5999999999999994``, never ``0.6``; alone it may read ``0.6``.

One spelling everywhere: ``inf``, ``-inf`` and ``nan`` (as Python and the CSV write
them), never "infinity"; an ASCII ``-`` so that every text can be copied and read back
with ``float()``.  :func:`maths` turns that ``-`` into the real minus sign ``−`` for
formulas and sentences on screen.  The trace CSV is not written here: it keeps Python's
``repr`` byte for byte (DESIGN §3).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterable

#: Significant digits of a short number.
SHORT_DIGITS = 4
#: A float's shortest exact text never needs more significant digits than this.
MAX_DIGITS = 17
#: The real minus sign, for formulas and sentences on screen.
MINUS = "\u2212"


def _special(value: float) -> str | None:
    """``inf``, ``-inf`` or ``nan``; None for a finite value."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return None


def full(value: float) -> str:
    """The shortest text that reads back to exactly ``value``: ``0.1``, ``1e-07``, ``1``.

    Python's ``repr`` without a trailing ``.0``; ``-0.0`` is ``-0`` so that even its
    sign reads back.  ``inf``, ``-inf``, ``nan`` for the values that are not finite.
    """
    value = float(value)
    special = _special(value)
    if special is not None:
        return special
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _rounded(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits, exponent without padding (``1.5e-7``)."""
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def short(value: float, digits: int = SHORT_DIGITS, approx: bool = False) -> str:
    """``value`` with at most ``digits`` significant digits: ``0.42``, ``-5.551e-16``.

    Zero (also -0.0) is ``0``.  With ``approx``, a text that does not read back to
    exactly ``value`` starts with ``≈`` (``≈0.6`` for 0.5999999999999994).
    """
    value = float(value)
    if digits < 1:
        raise ValueError(f"digits must be at least 1, not {digits!r}")
    special = _special(value)
    if special is not None:
        return special
    if value == 0:
        return "0"
    text = _rounded(value, digits)
    if not math.isfinite(float(text)):  # 1.7976931348623157e308 rounded up reads as inf
        return full(value)
    if float(text) == value:
        exact = full(value)
        return exact if len(exact) <= len(text) else text
    return "\u2248" + text if approx else text


def maths(text: str) -> str:
    """``text`` with a leading ASCII ``-`` (also after ``e``) as the real minus sign ``−``."""
    return text.replace("-", MINUS)


#: A rounded text stays within this fraction of the distance to the nearest other number.
NEAREST_SHARE = Fraction(1, 10)


def _reads_as_itself(text: str, value: float, others: list[float]) -> bool:
    """Whether ``text`` can stand for ``value`` beside ``others`` (see :func:`distinct`).

    Exact arithmetic: the decimal a reader sees is off ``value`` by at most a tenth of
    the distance to the nearest other value, and the float it reads back to is strictly
    nearer to ``value`` than to any other.
    """
    if float(text) == value:
        return True
    if not others:
        return True
    own = Fraction(value)
    gap = min(abs(Fraction(other) - own) for other in others)
    if abs(Fraction(text) - own) > gap * NEAREST_SHARE:
        return False
    back = Fraction(float(text))
    return abs(back - own) < min(abs(back - Fraction(other)) for other in others)


def distinct(values: Iterable[float], digits: int = SHORT_DIGITS) -> list[str]:
    """Texts for numbers shown together, so that no number is rounded into another.

    Each value gets the shortest text, with at least ``digits`` significant digits (fewer
    when its exact text is shorter), whose rounding is at most a tenth of the distance to
    the nearest other value of ``values`` (and which reads back, as a float, strictly
    closer to its own value than to any other).  So two different numbers never show the
    same text, a number never shows as another one that is on screen, and the difference
    of two texts is about the difference of the numbers: with the goal 0.6 beside it,
    0.5999999999999994 keeps all its digits (``0.599999999999999`` would be nearer the
    weight than the goal, but make ``weight − goal`` read 1e-15 instead of 5.6e-16).  Equal values (0.0 and -0.0 too) get the
    same text; ``inf``, ``-inf`` and ``nan`` are written as words.

    Parameters
    ----------
    values : iterable of float
        The numbers shown together (a step's weight, prediction, goal, delta, ...).
    digits : int
        The fewest significant digits to show (as :func:`short`).

    Returns
    -------
    list of str
        One text per value, in order.
    """
    numbers = [float(v) for v in values]
    finite = sorted({v for v in numbers if math.isfinite(v)})
    texts: dict[float, str] = {}
    for position, value in enumerate(finite):
        # Only the nearest neighbours can be closer to a rounded text than the value itself.
        others = finite[max(0, position - 1):position] + finite[position + 1:position + 2]
        text = short(value, digits)
        count = digits
        while not _reads_as_itself(text, value, others):
            count += 1
            text = short(value, count)
            if count >= MAX_DIGITS:  # 17 digits always read back exactly
                text = full(value)
                break
        texts[value] = text
    return [texts[v] if math.isfinite(v) else short(v) for v in numbers]


class Shown:
    """The texts of a set of numbers shown together (:func:`distinct`), looked up by value.

    ``Shown([0.5999999999999994, 0.6])(0.6)`` is ``"0.6"``.  A value not in the set is
    written with :func:`full`: it cannot be checked against the others, so no digit is
    dropped.
    """

    def __init__(self, values: Iterable[float], digits: int = SHORT_DIGITS) -> None:
        numbers = [float(v) for v in values]
        self._texts = {v: t for v, t in zip(numbers, distinct(numbers, digits)) if not math.isnan(v)}

    def __call__(self, value: float) -> str:
        value = float(value)
        if math.isnan(value):
            return "nan"
        text = self._texts.get(value)
        return full(value) if text is None else text


__all__ = ["MAX_DIGITS", "MINUS", "NEAREST_SHARE", "SHORT_DIGITS", "Shown", "distinct", "full", "maths", "short"]
