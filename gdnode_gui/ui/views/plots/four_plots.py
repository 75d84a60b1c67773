"""The four live plots: the weights, the mse (log scale), prediction vs goal, delta.

Each is a :class:`~gdnode_gui.ui.views.plots.plot_parts.Plot` that builds its curves for a
trace (:meth:`build`), draws kept runs (:meth:`build_ghost`), takes in new steps
(:meth:`update`, reading the trace by slices of the new steps only) and reads exact values
(:meth:`readout`).  With a few examples (at most :data:`MAX_EXAMPLE_SERIES`), each
example's steps get their own colour and the mse plot adds the mean of each epoch in bold;
in batch order the prediction plot shows every example's prediction with the weights of
each step, against its goal.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtGui import QFontMetricsF

from gdnode_gui.core.trace import Trace, squares

from gdnode_gui.ui.views.plots.axes import MseAxis
from gdnode_gui.ui.views.plots.decimation import Series
from gdnode_gui.ui.views.plots.plot_parts import Growing, Look, Marks, Plot
from gdnode_gui.ui.style.theme import Theme

MAX_EXAMPLE_SERIES = 7  # more examples than this: one prediction series, not one each
MSE_COLOUR, DELTA_COLOUR, PREDICTION_COLOUR, ZERO_COLOUR = 5, 1, 0, 2


# -- the four plots ------------------------------------------------------------------------------------
def _log10(values: np.ndarray) -> np.ndarray:
    """log10 of mse values, nan where a log axis cannot draw them (0, inf, nan)."""
    with np.errstate(all="ignore"):
        log = np.log10(np.asarray(values, dtype=np.float64))
    log[~np.isfinite(log)] = np.nan
    return log


class _PerExample:
    """The steps of one example and a value of each (a few examples, not batch order).

    In cyclic order example ``e`` is used at steps e+1, e+1+m, e+1+2m, ...: the series
    reads its values from the trace by (strided) slices and nothing is copied.  In random
    order its steps and values are kept (append-only buffers)."""

    def __init__(self, trace: Trace, e: int, series, column) -> None:
        """``column(a, b)``: the values of steps a+1..b (e.g. ``trace.delta[a:b]``)."""
        self.trace, self.e, self.series, self.column = trace, e, series, column
        self.m = trace.setup.n_examples
        self.cyclic = trace.setup.order == "cyclic"
        if self.cyclic:
            series.first, series.stride = e + 1, self.m
        else:
            self.x, self.y = Growing(np.int64), Growing()

    def update(self, a: int, n: int, used: np.ndarray | None = None, values: np.ndarray | None = None) -> None:
        """Take in steps a+1..n (``used``: their examples, ``values``: their values, both
        only needed in random order)."""
        e, m = self.e, self.m
        if self.cyclic:
            count = max(0, (n - e + m - 1) // m)  # steps e+1, e+1+m, ... up to n
            column = self.column

            def source(i: int, j: int) -> np.ndarray:
                if j <= i:
                    return np.empty(0)
                return np.asarray(column(e + i * m, e + (j - 1) * m + 1))[::m]

            # the new values of this example among steps a+1..n, when the caller has them
            new = None if values is None else values[(e - a) % m :: m]
            self.series.follow(source, count, new=new)
            return
        at = np.flatnonzero(used == e + 1)
        if at.shape[0]:
            self.x.extend(at + a + 1)
            self.y.extend(values[at])
            view = self.y.view
            self.series.follow(lambda i, j: view[i:j], len(self.y), self.x.view)


class WeightsPlot(Plot):
    key, title, short_title = "weights", "weights", "weights"
    tip = ("How each weight changes, step by step. It settles where the prediction "
           "meets the goal (or keeps growing when alpha is too big).")
    run_label: str | None = None

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.curves = []
        for i in range(setup.n_inputs):
            name = setup.input_name(i) + (" (frozen)" if setup.frozen[i] else "")
            if setup.n_inputs == 1:
                name = self.run_label or ""
            elif self.run_label and i == 0:
                name += f" · {self.run_label}"
            self.curves.append(self.add_series(Look(i, style=Theme.line_style(i), dots=True), name or None, first=0))

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        for i in range(trace.setup.n_inputs):
            self.add_series(Look(i, ghost=index), label if i == 0 else None, first=0).follow(
                lambda a, b, i=i: trace.weight_path(i)[a:b], n + 1)

    def update(self, n: int) -> None:
        trace = self.trace
        for i, series in enumerate(self.curves):
            series.follow(lambda a, b, i=i: trace.weight_path(i)[a:b], n + 1)
        self.n = n

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        values = [float(trace.weight_path(i)[step]) for i in range(trace.setup.n_inputs)]
        i = 0
        if y is not None and len(values) > 1:
            i = min(range(len(values)), key=lambda j: abs(values[j] - y) if math.isfinite(values[j]) else math.inf)
        when = "start" if step == 0 else f"after step {step}"
        name = trace.setup.input_name(i)
        return f"{when} · weight_{i + 1} ({name}) = {values[i]!r}"


class MsePlot(Plot):
    key, title, short_title = "mse", "mse (log scale)", "mse (log)"
    tip = ("The error of each step, mse = delta², on a log scale: 10⁻⁵ is ten times smaller "
           "than 10⁻⁴. An exact zero is drawn at the bottom (marked 0), an overflow at the top. "
           "With several examples, each example's steps in its own colour and the mean of "
           "each epoch in bold.")
    may_use_signed_log = False  # a log scale already
    run_label: str | None = None

    _markers: tuple = ()  # what the markers and notes show now

    def __init__(self) -> None:
        super().__init__(MseAxis("left"))
        self.axis = self.item.getAxis("left")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        m = setup.n_examples
        self.epoch = m if (not trace.batch and m > 1) else 0
        self.zero_x = Growing(np.int64)
        self.epoch_x, self.epoch_log = Growing(np.int64), Growing()
        self.min_positive = math.inf
        self.max_log = -math.inf
        self.bad: list[tuple[int, float]] = []  # (step, value) of inf/nan steps
        self._markers = ()
        self.per_example: list[tuple[Series, _PerExample]] = []
        self.line = None
        self.means = None
        if self.epoch and m <= MAX_EXAMPLE_SERIES:
            for e in range(m):
                look = Look(e, style=Theme.line_style(e), width=0.6, dots=True)
                series = self.add_series(look, f"ex {e + 1}")
                self.per_example.append((series, _PerExample(trace, e, series, self._log)))
        else:
            name = "each step" if self.epoch else self.run_label
            self.line = self.add_series(Look(MSE_COLOUR, dots=True, width=0.6 if self.epoch else 1.0), name)
        if self.epoch:
            self.means = self.add_series(Look("foreground", width=1.6), "mean")
        # The markers of exact zeros and overflows, and their notes: made at the first one
        # (most runs have neither).
        self.zero_marks: Marks | None = None
        self.zeros = self.overflow = self.zero_note = self.overflow_note = None
        self.axis.zero_level = None

    def _make_markers(self) -> None:
        self.zero_marks = self.add_marks(Look(ZERO_COLOUR, style=None, symbol="o", symbol_size=9))
        self.zeros = self.zero_marks.item
        self.overflow = self.curve(Look("warning", style=None, symbol="x", symbol_size=15))
        self.overflow.setZValue(45)  # over its note, when the note must come close
        self.zero_note = self.text(ZERO_COLOUR, anchor=(0, 1.15))
        self.overflow_note = self.text("warning", anchor=(1.08, 0.5))  # beside the markers
        self.restyle_items()

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        self.add_series(Look(MSE_COLOUR, ghost=index), label).follow(lambda a, b: _log10(trace.mse[a:b]), n)

    def _log(self, a: int, b: int) -> np.ndarray:
        """log10(mse) of steps a+1..b, the trace's exact values (read when few are shown)."""
        return _log10(self.trace.mse[a:b])

    def _mse_to_draw(self, a: int, n: int) -> np.ndarray:
        """The mse of steps a+1..n to reduce and draw.  The trace derives mse = delta ** 2
        with Python's power, one step at a time (exact, ~0.1 µs a step: as long as a bare
        step of the article's loop); here delta * delta, in numpy, which is the same number
        but for the last bit now and then (invisible on a plot).  Exact where it shows:
        values next to zero (an exact 0 is marked), beyond 1e300 (an overflow is marked),
        not a number; the trace's own values in batch order (a mean over the examples).
        The curves are handed the trace's exact values whenever few are in view."""
        trace = self.trace
        if trace.batch:
            return np.asarray(trace.mse[a:n], dtype=np.float64)
        delta = np.asarray(trace.delta[a:n], dtype=np.float64)
        with np.errstate(all="ignore"):
            mse = delta * delta
            doubtful = ((mse < 1e-300) & (delta != 0.0)) | ~(mse < 1e300)
        if doubtful.any():
            at = np.flatnonzero(doubtful)
            mse[at] = squares(delta[at])  # as the trace derives them
        return mse

    def update(self, n: int) -> None:
        a = self.n
        chunk = self._mse_to_draw(a, n)
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
            self.max_log = max(self.max_log, float(np.nanmax(log)))
        if self.line is not None:
            self.line.follow(self._log, n, new=log)
            # nothing a log axis can draw yet (no steps, or only exact zeros): no all-nan curve
            self.line.hidden = not math.isfinite(self.max_log)
        else:
            used = None if self.trace.setup.order == "cyclic" else np.asarray(self.trace.example[a:n])
            for series, mine in self.per_example:
                mine.update(a, n, used, log)
                series.hidden = not math.isfinite(self.max_log)
        if self.epoch:
            self._update_means(n)
        self._update_markers(n)
        self.n = n

    def _update_means(self, n: int) -> None:
        m = self.epoch
        done, now = len(self.epoch_x), n // m
        if now > done:
            with np.errstate(all="ignore"):
                means = self._mse_to_draw(done * m, now * m).reshape(-1, m).mean(axis=1)
            self.epoch_x.extend((np.arange(done, now, dtype=np.int64) + 1) * m)
            self.epoch_log.extend(_log10(means))
            view = self.epoch_log.view
            self.means.follow(lambda a, b: view[a:b], len(self.epoch_log), self.epoch_x.view)

    def _update_markers(self, n: int) -> None:
        """The zero and overflow markers and notes, set again only when they change."""
        zeros = self.zero_x.view
        if self.zero_marks is None:
            if not zeros.shape[0] and not self.bad:
                return
            self._make_markers()
        low = math.floor(math.log10(self.min_positive)) - 1 if math.isfinite(self.min_positive) else -1
        high = self.max_log + 1 if math.isfinite(self.max_log) else 1.0
        first = int(zeros[0]) if zeros.shape[0] else 0
        self.zero_marks.level = float(low)
        self.zero_marks.extend(zeros)  # drawn (thinned when many) by sync()
        markers = (bool(zeros.shape[0]), low, first, first > n / 2, len(self.bad), high)
        if markers == self._markers:
            return
        self._markers = markers
        if zeros.shape[0]:
            self.axis.zero_level = float(low)
            self.zero_note.setText("mse = 0 (exact)")
            self.zero_note.setAnchor((-0.05, 1.15))  # place_labels moves it left if it must
            self.zero_note.setPos(first, low)
        self.zero_note.setVisible(bool(zeros.shape[0]))
        if self.bad:
            self.overflow.setData([s for s, _ in self.bad], [float(high)] * len(self.bad))
            step, value = self.bad[-1]
            self._overflow_text = "overflow: inf" if math.isinf(value) else "not a number: nan"
            self.overflow_note.setText(self._overflow_text)
            self.overflow_note.setPos(step, high)
        self.overflow_note.setVisible(bool(self.bad))

    def place_labels(self) -> None:
        """The end labels; the zero note and the overflow note right of their markers when
        the room there holds them (nothing is drawn there), else left of them."""
        super().place_labels()
        self._place_zero_note()
        if not self._markers or not self._markers[4]:  # no overflow marked (yet)
            return
        (x0, x1), _ = self.vb.viewRange()
        room = (x1 - self.overflow_note.pos().x()) / max(1e-9, x1 - x0) * self.vb.width()
        metrics = QFontMetricsF(self.overflow_note.textItem.font())
        one_line = self._overflow_text
        two_lines = one_line.replace(": ", ":\n")
        if room >= metrics.horizontalAdvance(one_line) * 1.15 + 8:
            text, anchor = one_line, (-0.12, 0.5)
        elif room >= max(metrics.horizontalAdvance(t) for t in two_lines.split("\n")) * 1.15 + 8:
            text, anchor = two_lines, (-0.12, 0.5)
        else:  # left of the markers, but never cut by the plot's left edge
            width = metrics.horizontalAdvance(one_line) + 8
            left = (self.overflow_note.pos().x() - x0) / max(1e-9, x1 - x0) * self.vb.width()
            text, anchor = one_line, (round(min(1.08, max(0.0, (left - 2) / width)), 3), 0.5)
        if self.overflow_note.toPlainText() != text:
            self.overflow_note.setText(text)
        if tuple(self.overflow_note.anchor) != anchor:
            self.overflow_note.setAnchor(anchor)

    def _place_zero_note(self) -> None:
        note = getattr(self, "zero_note", None)  # place_labels may run while the plot is built
        if note is None or not note.isVisible():
            return
        (x0, x1), _ = self.vb.viewRange()
        span = max(1e-9, x1 - x0)
        right = (x1 - note.pos().x()) / span * self.vb.width()
        left = (note.pos().x() - x0) / span * self.vb.width()
        width = QFontMetricsF(note.textItem.font()).horizontalAdvance(note.toPlainText()) + 8
        x = -0.05 if right >= width or right >= left else 1.05  # right of the marker, else left
        # Where neither side holds it (a narrow plot), it slides along, over the marker: never
        # cut by the plot's right edge, nor by its left one ("e = 0 (exact)" misread).
        x = min(max(x, 1 - (right - 2) / width), (left - 2) / width)
        anchor = (round(x, 3), 1.15)
        if tuple(note.anchor) != anchor:
            note.setAnchor(anchor)

    def y_marks(self) -> list[tuple[float, float, float]]:
        zeros, low, _, _, bad, high = self._markers or (False, 0, 0, False, 0, 0)
        return (([(low, low, self.zeros.pixelPadding())] if zeros else [])
                + ([(high, high, self.overflow.pixelPadding())] if bad else []))

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        value = float(trace.mse[step - 1])
        text = f"step {step}"
        if self.epoch:
            text += f" (example {int(trace.example[step - 1])})"
        text += f" · mse = {value!r}" + (" (exactly zero)" if value == 0.0 else "")
        epoch = (step - 1) // self.epoch + 1 if self.epoch else 0
        if epoch and epoch * self.epoch <= self.n:  # the mean of a whole epoch, as the stop rule sums it
            values = np.asarray(trace.mse[(epoch - 1) * self.epoch : epoch * self.epoch]).tolist()
            text += f" · mean of epoch {epoch} = {math.fsum(values) / self.epoch!r}"
        return text


class PredictionPlot(Plot):
    key, title, short_title = "prediction", "prediction vs goal", "prediction"
    tip = ("The node's prediction at each step (weight × input, added up) and the goal it "
           "should reach (dashed). With several examples, one colour per example; each dashed "
           "goal line is labelled with its example's number. In batch order, the prediction "
           "of every example with the weights of each step.")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        m = setup.n_examples
        if trace.batch:
            self.mode = "batch" if m <= MAX_EXAMPLE_SERIES else "batch-many"
        else:
            self.mode = "single" if m == 1 else "each" if m <= MAX_EXAMPLE_SERIES else "many"
        self.heading = "predictions vs goals (batch)" if trace.batch else self.title
        self.per_example = []  # "each": (series, its steps and predictions) of every example
        if self.mode == "batch-many":
            note = self.text("muted", fixed=True)
            note.setText("Batch order: every step uses all the examples at once, so there is "
                         "no single prediction per step. The mse plot shows their mean error.")
            return
        if self.mode == "single":
            self.line = self.add_series(Look(PREDICTION_COLOUR, dots=True))
            self.hline(setup.examples[0].goal, "goal", f"goal {setup.examples[0].goal!r}")
        elif self.mode in ("each", "batch"):
            for e, example in enumerate(setup.examples):
                series = self.add_series(Look(e, style=Theme.line_style(e), symbol=None, dots=True))
                mine = _PerExample(trace, e, series, lambda a, b: trace.prediction[a:b]) if self.mode == "each" else None
                self.per_example.append((series, mine))
                self.hline(example.goal, e, f"goal {e + 1}")
        else:  # many examples: two bands, the predictions and the goals of each step's example
            self.goal_points = self.add_series(Look("goal", width=0.5), "goals")
            self.line = self.add_series(Look(PREDICTION_COLOUR, width=0.5), "prediction")

    def update(self, n: int) -> None:
        trace, a = self.trace, self.n
        if self.mode == "single":
            self.line.follow(lambda a, b: trace.prediction[a:b], n)
        elif self.mode == "each":
            cyclic = trace.setup.order == "cyclic"
            used = None if cyclic else np.asarray(trace.example[a:n])
            prediction = None if cyclic else np.asarray(trace.prediction[a:n])
            for _, mine in self.per_example:
                mine.update(a, n, used, prediction)
        elif self.mode == "batch":
            for e, (series, _) in enumerate(self.per_example):
                series.follow(lambda a, b, e=e: self._batch_prediction(e, a, b), n)
        elif self.mode == "many":
            self.goal_points.follow(lambda a, b: trace.goals[np.asarray(trace.example[a:b]) - 1], n)
            self.line.follow(lambda a, b: trace.prediction[a:b], n)
        self.n = n

    def _batch_prediction(self, e: int, a: int, b: int) -> np.ndarray:
        """Example e's prediction with the weights before steps a+1..b, summed left to
        right as the core does (weight[0]*x[0] + weight[1]*x[1] + ...)."""
        trace = self.trace
        x = trace.inputs[e]
        with np.errstate(all="ignore"):  # inf and nan as the run had them
            total = np.asarray(trace.weight(0)[a:b]) * x[0]
            for i in range(1, trace.setup.n_inputs):
                total = total + np.asarray(trace.weight(i)[a:b]) * x[i]
        return total

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        if self.mode == "batch-many":
            return f"step {step} · batch order: no single prediction (see mse)"
        if self.mode == "batch":
            values = [float(self._batch_prediction(e, step - 1, step)[0]) for e in range(trace.setup.n_examples)]
            e = 0 if y is None else min(range(len(values)), key=lambda j: abs(values[j] - y))
            return (f"step {step} (batch) · prediction of example {e + 1} = {values[e]!r}"
                    f" · goal = {float(trace.goals[e])!r}")
        e = int(trace.example[step - 1])
        where = f"step {step}" + ("" if self.mode == "single" else f" (example {e})")
        return (f"{where} · prediction = {float(trace.prediction[step - 1])!r}"
                f" · goal = {float(trace.goals[e - 1])!r}")


class DeltaPlot(Plot):
    key, title, short_title = "delta", "delta = prediction − goal", "delta"
    batch = False
    run_label: str | None = None
    tip = ("How far off each prediction is: below zero the prediction is too low, above "
           "too high. It shrinks towards zero as the node learns. With several examples, "
           "each example's steps in its own colour.")

    def build(self, trace: Trace) -> None:
        setup = trace.setup
        self.batch = trace.batch
        m = setup.n_examples
        self.heading = "weighted_delta (batch mean)" if self.batch else self.title
        self.short_heading = "weighted_delta" if self.batch else self.short_title
        self.hline(0.0, "muted")
        self.curves = []
        self.per_example: list[tuple[Series, _PerExample]] = []
        if self.batch:
            for i in range(setup.n_inputs):
                look = Look(i, style=Theme.line_style(i), dots=True)
                self.curves.append(self.add_series(look, setup.input_name(i) if setup.n_inputs > 1 else self.run_label))
        elif 1 < m <= MAX_EXAMPLE_SERIES:
            for e in range(m):
                look = Look(e, style=Theme.line_style(e), width=0.8, dots=True)
                series = self.add_series(look, f"ex {e + 1}")
                self.per_example.append((series, _PerExample(trace, e, series, lambda a, b: trace.delta[a:b])))
        else:
            self.curves.append(self.add_series(Look(DELTA_COLOUR, dots=True, width=0.6 if m > 1 else 1.0),
                                               self.run_label))

    def build_ghost(self, trace: Trace, n: int, label: str, index: int) -> None:
        if self.batch:
            for i in range(trace.setup.n_inputs):
                self.add_series(Look(i, ghost=index), label if i == 0 else None).follow(
                    lambda a, b, i=i: trace.weighted_delta(i)[a:b], n)
        elif not trace.batch:
            self.add_series(Look(DELTA_COLOUR, ghost=index), label).follow(lambda a, b: trace.delta[a:b], n)

    def update(self, n: int) -> None:
        trace, a = self.trace, self.n
        if self.batch:
            for i, series in enumerate(self.curves):
                series.follow(lambda a, b, i=i: trace.weighted_delta(i)[a:b], n)
        elif self.per_example:
            cyclic = trace.setup.order == "cyclic"
            used = None if cyclic else np.asarray(trace.example[a:n])
            delta = None if cyclic else np.asarray(trace.delta[a:n])
            for _, mine in self.per_example:
                mine.update(a, n, used, delta)
        else:
            self.curves[0].follow(lambda a, b: trace.delta[a:b], n)
        self.n = n

    def readout(self, step: int, y: float | None = None) -> str:
        trace = self.trace
        if not self.batch:
            text = f"step {step}"
            if self.per_example:
                text += f" (example {int(trace.example[step - 1])})"
            return f"{text} · delta = {float(trace.delta[step - 1])!r}"
        values = [float(trace.weighted_delta(i)[step - 1]) for i in range(trace.setup.n_inputs)]
        i = 0 if y is None else min(range(len(values)), key=lambda j: abs(values[j] - y))
        return f"step {step} · weighted_delta_{i + 1} = {values[i]!r}"


__all__ = ["MAX_EXAMPLE_SERIES", "WeightsPlot", "MsePlot", "PredictionPlot", "DeltaPlot"]
