"""A table model over a :class:`~gdnode_gui.core.trace.Trace`: one row per step.

The columns are the trace CSV's (``trace.column_names()``).  Nothing is copied or
formatted ahead of time: :meth:`TraceTableModel.data` reads the one cell Qt asks for
from the trace's numpy columns, so a run of a million steps costs no more than ten.
Rows are announced in batches: :meth:`TraceTableModel.refresh` makes one
``beginInsertRows``/``endInsertRows`` per call, whatever the number of new steps.

Display text is short: a value whose exact Python ``repr`` is short is shown as is
(``0.4``, ``0.1``, ``-0.02``); a longer one is rounded to 6 significant digits and
marked with ``≈``, so a rounded number never passes for an exact one, but never rounded
into another number of its row: with the goal 0.6 in the row, 0.5999999999999994 keeps
every digit (:func:`gdnode_gui.core.number_text.distinct`).  The tooltip and :data:`FullPrecisionRole` give the exact
``repr``, the text the CSV holds.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from gdnode_gui.core.frame import Frame
from gdnode_gui.core.number_text import Shown, short
from gdnode_gui.core.trace import Trace

#: Role giving the exact value as text (Python ``repr``; ``""`` for a batch step's
#: per-example cells, as in the CSV).
FullPrecisionRole = Qt.ItemDataRole.UserRole

#: An exact ``repr`` up to this many characters is shown as is; longer ones are rounded.
SHORT_REPR = 10
#: The widest texts of each display mode, for column widths.
WIDEST_SHORT = "≈-0.5999999999999994"  # a stalled weight beside its goal keeps every digit
WIDEST_FULL = "-8.888888888888888e-308"

_PER_EXAMPLE = ("input", "goal", "prediction", "delta")  # empty cells in batch order
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

_EXPLAIN = {
    "step": "The step number: step 1 is the first correction of the weights.",
    "example": "Which example this step learned from (1 is the first). "
               "'all' in batch order, where every step uses all examples at once.",
    "input": "Input {i} ({name}) of the example this step used.",
    "goal": "The goal: what the node should predict for this example.",
    "alpha": "alpha, the learning rate: how much of each correction is applied.",
    "weight": "Weight {i} ({name}) before this step.",
    "prediction": "prediction = weight × input, added up over the inputs.",
    "delta": "delta = prediction − goal: how far off the prediction is "
             "(negative: too low, positive: too high).",
    "mse": "mse = delta²: the squared error, never negative "
           "(in batch order the mean over the examples).",
    "weighted_delta": "weighted_delta = delta × input {i}: how much weight {i} ({name}) "
                      "is to blame for the error.",
    "alpha_delta": "alpha_delta = alpha × weighted_delta: the correction of weight {i} ({name}).",
    "new_weight": "new weight = weight − alpha_delta: weight {i} ({name}) after this step "
                  "(a frozen weight keeps its value).",
}
_ROUNDED_NOTE = "\nValues marked ≈ are rounded; point at a cell to see every digit."


#: Significant digits of a rounded cell.
SHORT_DIGITS = 6
#: Rows whose texts are kept (the rows on screen, and some).
ROW_CACHE = 512


def short_text(value: float, shown: Shown | None = None) -> str:
    """The display text of a float: its ``repr`` when short, else ``≈`` and 6 digits, or
    more where ``shown`` (the numbers of its row) says it would read as another."""
    if not math.isfinite(value):
        return repr(value)
    exact = repr(value)
    if len(exact) <= SHORT_REPR:
        return exact
    rounded = shown(value) if shown is not None else short(value, SHORT_DIGITS)
    return rounded if float(rounded) == value else "≈" + rounded


class TraceTableModel(QAbstractTableModel):
    """Read-only table of a trace, one row per step, columns as in the trace CSV.

    Parameters
    ----------
    parent : QObject, optional
        The Qt parent.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._trace: Trace | None = None
        self._rows = 0
        self._names: list[str] = []
        self._kinds: list[tuple[str, int]] = []  # (stem, 0-based input index)
        self._full_precision = False
        self._warning = QColor("#b00020")
        self._row_texts: dict[int, Shown] = {}

    # -- the view interface ----------------------------------------------------------------
    @property
    def trace(self) -> Trace | None:
        return self._trace

    def show_frame(self, frame: Frame) -> None:
        """Show ``frame`` (the view protocol): its run's trace up to its newest step."""
        if frame.trace is not self._trace:
            self.set_trace(frame.trace)
        self.refresh(frame.steps)

    def set_trace(self, trace: Trace | None) -> None:
        """Show ``trace`` (its first rows appear with :meth:`refresh`); None for no table."""
        self.beginResetModel()
        self._trace = trace
        self._rows = 0
        self._row_texts.clear()
        self._names = trace.column_names() if trace is not None else []
        self._kinds = [_kind_of(name) for name in self._names]
        self.endResetModel()

    def refresh(self, n: int) -> None:
        """Show the first ``n`` steps: one insertion for all the new rows."""
        if self._trace is None:
            return
        n = max(0, min(int(n), self._trace.n_steps))
        if n > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, n - 1)
            self._rows = n
            self.endInsertRows()
        elif n < self._rows:
            self.beginResetModel()
            self._rows = n
            self.endResetModel()

    @property
    def full_precision(self) -> bool:
        """Whether cells show every digit (the exact ``repr``) instead of a short form."""
        return self._full_precision

    def set_full_precision(self, on: bool) -> None:
        if bool(on) == self._full_precision:
            return
        self._full_precision = bool(on)
        if self._rows and self._names:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(self._names) - 1),
                                  [Qt.ItemDataRole.DisplayRole])

    def set_warning_colour(self, colour: str) -> None:
        """The text colour of inf and nan cells (the theme's warning colour)."""
        self._warning = QColor(colour)

    # -- values ----------------------------------------------------------------------------
    def column_name(self, column: int) -> str:
        return self._names[column]

    def constant_columns(self) -> list[int]:
        """Columns whose value is the same on every step of the run (alpha; the example,
        its inputs and goal with one example), or empty in every row (batch order)."""
        trace = self._trace
        if trace is None:
            return []
        one_example = trace.setup.n_examples == 1
        same = []
        for column, (stem, _i) in enumerate(self._kinds):
            if stem == "alpha" or (one_example and stem in ("example", "input", "goal")) or self.is_blank(column):
                same.append(column)
        return same

    def reading_order(self) -> list[int]:
        """The columns in the order a reader wants them: what changes first (step, the
        weights, prediction, delta, mse, the new weights), then the corrections, then what
        describes the example."""
        rank = {"step": 0, "weight": 1, "prediction": 2, "delta": 3, "mse": 4, "new_weight": 5,
                "weighted_delta": 6, "alpha_delta": 7, "example": 8, "input": 9, "goal": 10, "alpha": 11}
        return sorted(range(len(self._kinds)), key=lambda c: (rank[self._kinds[c][0]], self._kinds[c][1]))

    def is_blank(self, column: int) -> bool:
        """Whether ``column`` is a per-example column left empty in batch order."""
        return bool(self._trace is not None and self._trace.batch
                    and self._kinds[column][0] in _PER_EXAMPLE)

    def value(self, row: int, column: int) -> float | int:
        """The trace's value at ``row`` (0-based step index) and ``column``."""
        trace = self._trace
        stem, i = self._kinds[column]
        if stem == "step":
            return row + 1
        if stem == "example":
            return int(trace.example[row])
        if stem == "alpha":
            return trace.setup.alpha
        if stem in ("input", "goal"):
            if trace.batch:
                return math.nan
            e = int(trace.example[row]) - 1
            return float(trace.inputs[e, i] if stem == "input" else trace.goals[e])
        if stem in ("prediction", "delta", "mse"):
            return float(getattr(trace, stem)[row])
        return float(getattr(trace, stem)(i)[row])  # weight, weighted_delta, ...

    def cell_text(self, row: int, column: int, full: bool) -> str:
        """The text of one cell: exact (``repr``) when ``full``, else the display form."""
        if self.is_blank(column):
            return ""
        value = self.value(row, column)
        if isinstance(value, int):
            if not full and value == 0 and self._kinds[column][0] == "example":
                return "all"
            return str(value)
        return repr(value) if full else short_text(value, self._shown(row))

    def _shown(self, row: int) -> Shown:
        """The texts of the numbers of one row (with the goal), none rounded into another."""
        shown = self._row_texts.get(row)
        if shown is None:
            if len(self._row_texts) >= ROW_CACHE:
                self._row_texts.clear()
            values = [self.value(row, column) for column in range(len(self._names)) if not self.is_blank(column)]
            shown = self._row_texts[row] = Shown((v for v in values if isinstance(v, float) and v == v),
                                                 SHORT_DIGITS)
        return shown

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._rows or index.column() >= len(self._names):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column, self._full_precision)
        if role == FullPrecisionRole:
            return self.cell_text(row, column, True)
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.is_blank(column):
                return "Batch order: one value per example, so this cell stays empty."
            return self.cell_text(row, column, True)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            value = None if self.is_blank(column) else self.value(row, column)
            if isinstance(value, float) and not math.isfinite(value):
                return self._warning
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._rows:
                return str(section + 1)
            return None
        if not 0 <= section < len(self._names):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._names[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._explain(section)
        return None

    def _explain(self, section: int) -> str:
        stem, i = self._kinds[section]
        name = self._trace.setup.input_name(i) if self._trace is not None else ""
        text = _EXPLAIN[stem].format(i=i + 1, name=name)
        return text + ("" if stem in ("step", "example") else _ROUNDED_NOTE)


def _kind_of(name: str) -> tuple[str, int]:
    """``("weight", 0)`` for ``weight_1``; ``("mse", 0)`` for ``mse``."""
    stem, _, number = name.rpartition("_")
    if stem and number.isdigit():
        return stem, int(number) - 1
    return name, 0


__all__ = ["TraceTableModel", "FullPrecisionRole", "short_text", "WIDEST_SHORT", "WIDEST_FULL"]
