"""The alpha sweep: the same setup run with many alphas, one row per alpha.

Each row holds what a single run with that alpha ends with: the outcome word, the number
of steps, the mse of the last step and the weights after it.  A row equals, bit for bit,
:func:`gdnode_gui.core.run.run_to_end` of ``setup.replace(alpha=alpha)``; the sweep just
does not record a trace.  Its loops are lean versions of the one in
:mod:`gdnode_gui.core.run`, with the same arithmetic in the same order::

    prediction        = weight[0]*input[0] + weight[1]*input[1] + ...
    delta             = prediction - goal
    mse               = delta ** 2                       (inf when it overflows)
    weighted_delta[i] = delta * input[i]
    alpha_delta[i]    = alpha * weighted_delta[i]
    new_weight[i]     = weight[i] - alpha_delta[i]       (a frozen weight keeps its value)

and the same stop rules, checked after every step in this order: ``diverged``,
``converged``, ``stalled``, ``max_steps``.

Why the loops check fewer values than the run does, and still find the same step:

- ``mse`` finite means ``delta`` and ``prediction`` are finite (inf and nan survive the
  subtraction and the square).
- A learning weight's ``new_weight`` finite, with the weight before it finite, means its
  ``alpha_delta`` and ``weighted_delta`` are finite (``weight - inf`` is inf, ``0 * inf``
  is nan).  A frozen weight's ``alpha_delta`` is checked on its own.
- A weight that is not finite makes the next step's prediction, and so its mse, not
  finite (``inf * 0`` is nan).  So the loops test the weights only when the mse of the
  next step is not finite, or when the run is about to end for another reason.

The rule ``converged`` with several examples needs the mean mse of the last ``m`` steps,
``math.fsum(window) / m``.  That mean is below the tolerance only if every mse of the window
is below ``2 * m * tolerance``; while the mse stays below that, the loops keep the sum of
the last m steps as a running float sum, made exact with ``math.fsum`` every m steps, and
call ``math.fsum`` itself only when that running sum is too close to the tolerance to tell.

Nothing here imports Qt.
"""

from __future__ import annotations

import math
import re
import sys
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TextIO

import numpy as np

from .number_text import maths, short
from .setup import Setup

#: The largest COUNT of a sweep.
MAX_COUNT = 100_000

#: Steps between two looks at ``cancelled()``: a cancel is seen within a few milliseconds.
BLOCK = 16384

#: The default sweep of the window: this many alphas from 0 to ``RANGE_FACTOR`` x the cliff.
DEFAULT_COUNT = 61
RANGE_FACTOR = 2.2

_INF = math.inf


class SweepSpecError(ValueError):
    """A ``FROM:TO:COUNT`` that cannot be swept; the message says why in one line."""


@dataclass(frozen=True)
class SweepRow:
    """How a run with one alpha ends.

    Attributes
    ----------
    alpha : float
        The learning rate of the run.
    outcome : str
        ``diverged``, ``converged``, ``stalled`` or ``max_steps``.
    steps : int
        The number of steps the run made.
    final_mse : float
        The mse of the last step (the mean over the examples in batch order).
    final_weights : tuple of float
        The weights after the last step.
    """

    alpha: float
    outcome: str
    steps: int
    final_mse: float
    final_weights: tuple[float, ...]


# -- the alphas ------------------------------------------------------------------------------------
def sweep_alphas(start: float, stop: float, count: int) -> tuple[float, ...]:
    """``count`` alphas from ``start`` to ``stop`` inclusive (``numpy.linspace``)."""
    return tuple(np.linspace(start, stop, count).tolist())


def parse_sweep_spec(text: str) -> tuple[float, float, int]:
    """``(FROM, TO, COUNT)`` from the text ``FROM:TO:COUNT``.

    Raises
    ------
    SweepSpecError
        With one line naming the problem: not three parts, a part that is not a number,
        a number that is not finite, a negative FROM, FROM not below TO, COUNT not a whole
        number from 2 to :data:`MAX_COUNT`.
    """
    parts = text.split(":")
    if len(parts) != 3:
        raise SweepSpecError(f"{text!r} is not FROM:TO:COUNT (e.g. 0:2:50)")
    values = []
    for name, part in zip(("FROM", "TO"), parts[:2]):
        try:
            value = float(part)
        except ValueError:
            raise SweepSpecError(f"{name} {part.strip()!r} is not a number") from None
        if not math.isfinite(value):
            raise SweepSpecError(f"{name} must be a finite number, not {part.strip()!r}")
        values.append(value)
    start, stop = values
    if start < 0:
        raise SweepSpecError(f"FROM {start!r} is negative; alpha must not be negative")
    if not start < stop:
        raise SweepSpecError(f"FROM ({start!r}) must be below TO ({stop!r})")
    count_text = parts[2].strip()
    if not re.fullmatch(r"\+?\d+", count_text):
        raise SweepSpecError(f"COUNT {count_text!r} is not a whole number")
    count = int(count_text)
    if not 2 <= count <= MAX_COUNT:
        raise SweepSpecError(f"COUNT must be from 2 to {MAX_COUNT:,}, not {count:,}")
    return start, stop, count


# -- the order of the examples, shared by every alpha of a sweep -----------------------------------
class _ExampleOrder:
    """The 0-based example of each step, in blocks; the shuffled order is drawn once per
    sweep (the same seed gives every alpha the same order) and kept for the next alpha."""

    def __init__(self, setup: Setup) -> None:
        self.m = setup.n_examples
        self.order = setup.order
        self._seed = setup.seed
        self._drawn = np.empty(0, dtype=np.int32)
        self._rng = None
        if self.order == "cyclic":
            per = max(1, BLOCK // self.m)
            self._cycle = list(range(self.m)) * per
            self.block = per * self.m  # a whole number of epochs: every block starts at example 1
        else:
            self.block = BLOCK

    def examples(self, start: int, k: int) -> list[int]:
        """The examples of steps ``start + 1 .. start + k``; ``start`` is a multiple of ``block``."""
        if self.order == "cyclic":
            return self._cycle if k == len(self._cycle) else self._cycle[:k]
        end = start + k
        if self._drawn.shape[0] < end:
            if self._rng is None:
                self._rng = np.random.default_rng(self._seed)
            epochs = -(-(end - self._drawn.shape[0]) // self.m)
            fresh = [self._rng.permutation(self.m).astype(np.int32) for _ in range(epochs)]
            self._drawn = np.concatenate([self._drawn, *fresh])
        return self._drawn[start:end].tolist()


# -- one alpha -------------------------------------------------------------------------------------
def _converged_below(tolerance: float) -> float:
    """The largest mse that counts as converged with one example per epoch:
    ``mse == 0 or mse < tolerance`` is ``mse <= cut``."""
    return math.nextafter(tolerance, 0.0) if tolerance > 0 else 0.0


def _all_finite(values: Iterable[float]) -> bool:
    return all(math.isfinite(v) for v in values)


def _square(value: float) -> float:
    try:
        return value**2
    except OverflowError:
        return _INF


def _frozen_scale(setup: Setup) -> list[float] | None:
    """Per example, the largest |input| of a frozen weight (None when no frozen weight has
    an input that is not 0): a frozen weight's alpha_delta is finite for every frozen
    weight exactly when it is for the largest input (rounding keeps the order of sizes)."""
    frozen = [i for i in range(setup.n_inputs) if setup.frozen[i]]
    scale = [max((abs(e.inputs[i]) for i in frozen), default=0.0) for e in setup.examples]
    return scale if any(scale) else None


Cancelled = Callable[[], bool]


def _one_weight_one_example(setup: Setup, alpha: float, cancelled: Cancelled | None):
    """The article's case, fast: one learning weight, one example, any order."""
    x = setup.examples[0].inputs[0]
    goal = setup.examples[0].goal
    weight = setup.weights[0]
    cut = _converged_below(setup.tolerance)
    stop_on_stall = setup.stop_on_stall
    max_steps = setup.max_steps
    inf = _INF
    mse = math.nan
    start = 0
    while start < max_steps:
        if cancelled is not None and cancelled():
            return None
        end = min(start + BLOCK, max_steps)
        for step in range(start + 1, end + 1):
            prediction = weight * x
            delta = prediction - goal
            last_mse = mse
            try:
                mse = delta**2
            except OverflowError:
                mse = inf
            weighted_delta = delta * x
            alpha_delta = alpha * weighted_delta
            new_weight = weight - alpha_delta
            # One test for the rare steps: converged or not finite, or the weight did not move.
            if not cut < mse < inf or new_weight == weight:
                if not mse < inf:
                    if not math.isfinite(weight):  # the step before diverged
                        return "diverged", step - 1, last_mse, (weight,)
                    return "diverged", step, mse, (new_weight,)
                if not math.isfinite(new_weight):
                    return "diverged", step, mse, (new_weight,)
                if mse <= cut:
                    return "converged", step, mse, (new_weight,)
                if stop_on_stall:
                    return "stalled", step, mse, (new_weight,)
                if math.copysign(1.0, new_weight) == math.copysign(1.0, weight):
                    # The very same weight again: every step from here is this one.
                    return "max_steps", max_steps, mse, (new_weight,)
            weight = new_weight
        start = end
    if not math.isfinite(weight):
        return "diverged", max_steps, mse, (weight,)
    return "max_steps", max_steps, mse, (weight,)


def _one_at_a_time(setup: Setup, alpha: float, order: _ExampleOrder, cancelled: Cancelled | None):
    """Cyclic or shuffled order (and one example in any order): one example per step."""
    n = setup.n_inputs
    m = setup.n_examples
    inputs = [e.inputs for e in setup.examples]
    goals = [e.goal for e in setup.examples]
    learning = [i for i in range(n) if not setup.frozen[i]]
    rest = range(1, n)
    frozen_scale = _frozen_scale(setup)
    tolerance = setup.tolerance
    cut = _converged_below(tolerance)
    exact = tolerance > 0 and m > 1
    near = 2.0 * m * tolerance  # a window's mean is below tolerance only if each mse is below this
    stop_on_stall = setup.stop_on_stall
    max_steps = setup.max_steps
    weight = list(setup.weights)
    window: deque[float] = deque()  # exact: the mse of the last steps (at most m), all below ``near``
    total = 0.0  # exact: their sum, in floats: within ``slack`` (relative) of the true sum
    since = 0  # exact: steps since ``total`` was last made exactly ``math.fsum(window)``
    sure, unsure = _mean_bounds(m, tolerance)
    zeros = 0  # steps in a row with an mse of exactly 0
    quiet = 0  # steps in a row in which no weight changed
    mse = math.nan
    start = 0
    while start < max_steps:
        if cancelled is not None and cancelled():
            return None
        k = min(order.block, max_steps - start)
        for step, e in zip(range(start + 1, start + k + 1), order.examples(start, k)):
            x = inputs[e]
            prediction = weight[0] * x[0]
            for i in rest:
                prediction = prediction + weight[i] * x[i]
            delta = prediction - goals[e]
            last_mse = mse
            try:
                mse = delta**2
            except OverflowError:
                mse = _INF
            if not mse < _INF:  # not finite: this step diverged, unless the last one did
                if not _all_finite(weight):
                    return "diverged", step - 1, last_mse, tuple(weight)
                for i in learning:
                    weight[i] = weight[i] - alpha * (delta * x[i])
                return "diverged", step, mse, tuple(weight)
            changed = False
            for i in learning:
                new_weight = weight[i] - alpha * (delta * x[i])
                if new_weight != weight[i]:
                    changed = True
                weight[i] = new_weight  # even when equal: 0.0 and -0.0 are equal
            if frozen_scale is not None and not abs(alpha * (delta * frozen_scale[e])) < _INF:
                return "diverged", step, mse, tuple(weight)
            quiet = 0 if changed else quiet + 1
            if m == 1:
                converged = mse <= cut
            else:
                zeros = zeros + 1 if mse == 0.0 else 0
                converged = zeros >= m
                if exact:
                    if mse < near:  # only steps in a row below ``near`` can make a window below tolerance
                        window.append(mse)
                        total += mse
                        if len(window) > m:
                            total -= window.popleft()
                            since += 1
                            if since == m:  # keep the rounding errors of ``total`` small
                                total = _fsum(window)
                                since = 0
                        if not converged and len(window) == m and total <= unsure:
                            converged = total < sure or _mean_below(window, m, tolerance)
                    elif window:
                        window.clear()
                        total = 0.0
                        since = 0
            if converged or (stop_on_stall and quiet >= m):
                if not _all_finite(weight):
                    return "diverged", step, mse, tuple(weight)
                return ("converged" if converged else "stalled"), step, mse, tuple(weight)
        start += k
    if not _all_finite(weight):
        return "diverged", max_steps, mse, tuple(weight)
    return "max_steps", max_steps, mse, tuple(weight)


def _mean_bounds(m: int, tolerance: float) -> tuple[float, float]:
    """``(sure, unsure)`` for a window's running float sum ``total``: the mean is below
    tolerance when ``total < sure``, not below it when ``total > unsure``, and in between
    :func:`_mean_below` decides.

    The running sum makes at most 3m additions and subtractions since it was last exact
    (m to fill the window, then m steps of one of each), each result at most
    ``(m + 1) * 2 * m * tolerance``, so it is off the true sum by at most
    ``3m * eps / 2 * (m + 1) * 2m * tolerance``: ``3m(m + 1) eps`` of ``m * tolerance``.
    ``math.fsum``, the division by m and these bounds round once more each (8 eps).
    Near the smallest floats (where rounding is not relative) or the largest, every window
    is decided exactly.
    """
    eps = sys.float_info.epsilon
    limit = m * tolerance
    if not (1e-280 < limit < 1e280):
        return -math.inf, math.inf
    slack = 3.0 * m * (m + 1) * eps + 8 * eps
    return limit * (1 - slack), limit * (1 + slack)


def _fsum(values: Iterable[float]) -> float:
    try:
        return math.fsum(values)
    except OverflowError:  # finite values whose sum is beyond the floats
        return _INF


def _mean_below(window: Iterable[float], m: int, tolerance: float) -> bool:
    """The rule itself: ``math.fsum(window) / m < tolerance`` (an overflow is not below)."""
    return _fsum(window) / m < tolerance


def _batch(setup: Setup, alpha: float, cancelled: Cancelled | None):
    """Batch order with several examples: each step uses the mean over all of them."""
    n = setup.n_inputs
    m = setup.n_examples
    inputs = [e.inputs for e in setup.examples]
    goals = [e.goal for e in setup.examples]
    pairs = list(zip(inputs, goals))
    learning = [i for i in range(n) if not setup.frozen[i]]
    checked_frozen = [i for i in range(n) if setup.frozen[i] and any(x[i] != 0 for x in inputs)]
    rest = range(1, n)
    others = range(1, m)
    cut = _converged_below(setup.tolerance)
    stop_on_stall = setup.stop_on_stall
    max_steps = setup.max_steps
    weight = list(setup.weights)
    mse = math.nan
    start = 0
    while start < max_steps:
        if cancelled is not None and cancelled():
            return None
        end = min(start + BLOCK, max_steps)
        for step in range(start + 1, end + 1):
            deltas = []
            squares = 0.0
            for x, goal in pairs:
                prediction = weight[0] * x[0]
                for i in rest:
                    prediction = prediction + weight[i] * x[i]
                delta = prediction - goal
                deltas.append(delta)
                try:
                    squares = squares + delta**2
                except OverflowError:
                    squares = _INF
            last_mse = mse
            mse = squares / m
            if not mse < _INF:
                if not _all_finite(weight):
                    return "diverged", step - 1, last_mse, tuple(weight)
                for i in learning:
                    weight[i] = weight[i] - alpha * (_total(deltas, inputs, i, others) / m)
                return "diverged", step, mse, tuple(weight)
            changed = False
            for i in learning:
                new_weight = weight[i] - alpha * (_total(deltas, inputs, i, others) / m)
                if new_weight != weight[i]:
                    changed = True
                weight[i] = new_weight
            for i in checked_frozen:
                if not abs(alpha * (_total(deltas, inputs, i, others) / m)) < _INF:
                    return "diverged", step, mse, tuple(weight)
            converged = mse <= cut
            if converged or (stop_on_stall and not changed):
                if not _all_finite(weight):
                    return "diverged", step, mse, tuple(weight)
                return ("converged" if converged else "stalled"), step, mse, tuple(weight)
        start = end
    if not _all_finite(weight):
        return "diverged", max_steps, mse, tuple(weight)
    return "max_steps", max_steps, mse, tuple(weight)


def _total(deltas: list[float], inputs: list, i: int, others: range) -> float:
    """``delta_1 * input_1[i] + delta_2 * input_2[i] + ...``, left to right."""
    total = deltas[0] * inputs[0][i]
    for e in others:
        total = total + deltas[e] * inputs[e][i]
    return total


def run_alpha(setup: Setup, alpha: float | None = None, cancelled: Cancelled | None = None,
              _order: _ExampleOrder | None = None) -> SweepRow | None:
    """How a run of ``setup`` with ``alpha`` (default the setup's) ends, without a trace.

    Parameters
    ----------
    setup : Setup
        The setup; its alpha is replaced by ``alpha`` when given.
    alpha : float, optional
        The learning rate (finite, not negative).
    cancelled : callable, optional
        Asked every :data:`BLOCK` steps; when it returns True the run is abandoned.

    Returns
    -------
    SweepRow or None
        The row, equal to :func:`~gdnode_gui.core.run.run_to_end` of the same setup; None
        when cancelled.
    """
    if alpha is None:
        alpha = setup.alpha
    elif alpha != setup.alpha:
        setup = setup.replace(alpha=alpha)  # validates the alpha
    alpha = setup.alpha
    learning = [i for i in range(setup.n_inputs) if not setup.frozen[i]]
    if setup.n_examples == 1 and setup.n_inputs == 1 and learning:
        ended = _one_weight_one_example(setup, alpha, cancelled)
    elif setup.order == "batch" and setup.n_examples > 1:
        ended = _batch(setup, alpha, cancelled)
    else:
        order = _order if _order is not None else _ExampleOrder(setup)
        ended = _one_at_a_time(setup, alpha, order, cancelled)
    if ended is None:
        return None
    outcome, steps, mse, weights = ended
    return SweepRow(alpha, outcome, steps, mse, tuple(float(w) for w in weights))


def sweep(setup: Setup, alphas: Sequence[float], cancelled: Cancelled | None = None) -> Iterator[SweepRow]:
    """One :class:`SweepRow` per alpha, in order, each as :func:`run_alpha` gives it.

    Stops early (yields no more rows) when ``cancelled()`` returns True.
    """
    order = _ExampleOrder(setup)
    for alpha in alphas:
        row = run_alpha(setup, alpha, cancelled, _order=order)
        if row is None:
            return
        yield row


# -- where to look: the cliff and the best alpha ----------------------------------------------------
@dataclass(frozen=True)
class AlphaMarks:
    """The alphas the theory predicts, for the sweep's vertical lines.

    best : float or None
        One example: ``1 / sum(x**2)`` (one step); batch: ``2 / (lambda_max + lambda_min)``;
        cyclic or shuffled: ``1 / max_e sum(x_e**2)`` (a rule of thumb).
    cliff : float or None
        Alpha must stay below this: ``2 / sum(x**2)``, ``2 / lambda_max``, or
        ``2 / max_e sum(x_e**2)`` in cyclic and shuffled order.
    rule : str
        In words, where the cliff comes from.
    best_rule : str
        In words, where the best alpha comes from.
    """

    best: float | None
    cliff: float | None
    rule: str
    best_rule: str = ""


def alpha_marks(setup: Setup) -> AlphaMarks:
    """The predicted best alpha and the cliff of ``setup`` (from
    :func:`gdnode_gui.core.analysis.analyse`); None where there is none (nothing learns)."""
    from .analysis import analyse

    if setup.n_examples == 1:
        rule, best_rule = "2 / sum(input**2)", "1 / sum(input**2)"
    elif setup.order == "batch":
        rule = "2 / largest eigenvalue of X^T X / m"
        best_rule = "2 / (largest + smallest eigenvalue of X^T X / m)"
    else:
        rule = "2 / largest sum(input**2) of one example"
        best_rule = "1 / largest sum(input**2) of one example"
    try:
        analysis = analyse(setup)
    except (ArithmeticError, ValueError):
        return AlphaMarks(None, None, rule, best_rule)

    def usable(value: float) -> float | None:
        return float(value) if math.isfinite(value) and value > 0 else None

    return AlphaMarks(usable(analysis.best_alpha), usable(analysis.max_stable_alpha), rule, best_rule)


def default_alphas(setup: Setup, count: int = DEFAULT_COUNT) -> tuple[float, ...]:
    """The window's sweep: ``count`` alphas from 0 to ``RANGE_FACTOR`` x the cliff (to 1
    when there is no cliff: nothing learns)."""
    cliff = alpha_marks(setup).cliff
    top = RANGE_FACTOR * cliff if cliff is not None and math.isfinite(RANGE_FACTOR * cliff) else 1.0
    return sweep_alphas(0.0, top, count)


# -- output ----------------------------------------------------------------------------------------
def sweep_header(n_inputs: int) -> list[str]:
    """The sweep CSV's columns: ``alpha,outcome,steps,final_mse,final_weight_1..n``."""
    return ["alpha", "outcome", "steps", "final_mse"] + [f"final_weight_{i + 1}" for i in range(n_inputs)]


def _cells(row: SweepRow) -> list[str]:
    return [repr(row.alpha), row.outcome, str(row.steps), repr(row.final_mse),
            *(repr(w) for w in row.final_weights)]


def write_sweep_csv_to(rows: Iterable[SweepRow], n_inputs: int, stream: TextIO) -> None:
    """The rows as CSV (floats as Python's repr, lines ending in ``\\n``), row by row."""
    stream.write(",".join(sweep_header(n_inputs)) + "\n")
    for row in rows:
        stream.write(",".join(_cells(row)) + "\n")


def sweep_csv_text(rows: Iterable[SweepRow], n_inputs: int) -> str:
    """The sweep CSV as one string."""
    lines = [",".join(sweep_header(n_inputs))] + [",".join(_cells(row)) for row in rows]
    return "\n".join(lines) + "\n"


def sweep_table_text(rows: Sequence[SweepRow], n_inputs: int) -> str:
    """The rows as an aligned table with every digit."""
    header = sweep_header(n_inputs)
    body = [_cells(row) for row in rows]
    widths = [max(len(header[c]), *(len(cells[c]) for cells in body)) if body else len(header[c])
              for c in range(len(header))]
    lines = ["  ".join(name.rjust(width) for name, width in zip(header, widths)).rstrip()]
    lines += ["  ".join(cell.rjust(width) for cell, width in zip(cells, widths)) for cells in body]
    return "\n".join(lines) + "\n"


def sweep_summary(rows: Sequence[SweepRow], start_weights: Sequence[float] | None = None) -> str:
    """One line: how many alphas ended each way, and the alpha that settled in the fewest
    steps (see :func:`best_measured`)."""
    if not rows:
        return "no alphas swept"
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    parts = ", ".join(f"{count} {word}" for word, count in counts.items())
    text = (f"swept {len(rows)} alphas from {rows[0].alpha!r} to {rows[-1].alpha!r}: {parts}")
    best = best_measured(rows, start_weights)
    if best is not None:
        text += f"; fewest steps: alpha {best.alpha!r} ({best.outcome} in {best.steps:,})"
    return text


def row_text(row: SweepRow) -> str:
    """One row in words: ``alpha 0.1: stalled in 318 steps``."""
    steps = f"{row.steps:,} step{'s' if row.steps != 1 else ''}"
    return f"alpha {maths(short(row.alpha))}: {row.outcome} {'after' if row.outcome == 'max_steps' else 'in'} {steps}"


def where_alpha_text(current: SweepRow | None, best: SweepRow | None) -> str:
    """Where the current alpha stands: ``alpha 0.1: stalled in 318 steps; best measured:
    alpha 1 (converged in 2 steps)``; either part may be missing (None)."""
    parts = []
    if current is not None:
        parts.append(row_text(current))
    if best is not None:
        steps = f"{best.steps:,} step{'s' if best.steps != 1 else ''}"
        parts.append(f"best measured: alpha {maths(short(best.alpha))} ({best.outcome} in {steps})")
    return "; ".join(parts)


def best_measured(rows: Iterable[SweepRow], start_weights: Sequence[float] | None = None) -> SweepRow | None:
    """The row that settled (converged or stalled) in the fewest steps, then with the
    smallest final mse, then the smallest alpha.

    With ``start_weights``, rows that end on the starting weights (alpha 0, or an alpha
    too small to move a weight: they stall at once without learning) do not count.
    """
    start = None if start_weights is None else tuple(float(w) for w in start_weights)
    settled = [row for row in rows if row.outcome in ("converged", "stalled")
               and (start is None or row.final_weights != start)]
    if not settled:
        return None
    return min(settled, key=lambda row: (row.steps, row.final_mse, row.alpha))


__all__ = [
    "AlphaMarks", "SweepRow", "SweepSpecError", "MAX_COUNT", "alpha_marks", "best_measured",
    "default_alphas", "parse_sweep_spec", "row_text", "run_alpha", "sweep", "sweep_alphas", "sweep_csv_text",
    "sweep_header", "sweep_summary", "sweep_table_text", "where_alpha_text", "write_sweep_csv_to",
]
