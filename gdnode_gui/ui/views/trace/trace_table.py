"""The per-step trace table: a QTableView made for a million rows.

Rows all have the same height (set from the font, never measured per row), columns get
their widths from the font's metrics, and the table follows the newest step during a
run unless the user has scrolled away from the bottom; it follows again once they scroll
back down.  Ctrl+C copies the selected cells with every digit, tab-separated, ready to
paste into a spreadsheet.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QMessageBox, QTableView

from gdnode_gui.core.setup import Setup
from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.style.theme import Theme
from gdnode_gui.ui.views.trace.trace_model import WIDEST_FULL, WIDEST_SHORT, TraceTableModel

#: Copying more cells than this at once would freeze the window for seconds.
MAX_COPY_CELLS = 1_000_000


class TraceTableView(QTableView):
    """Table of every step of the current run (see the module docstring).

    The columns that change lead (step, weights, prediction, delta, mse, new weights); the
    ones that are the same on every step are folded away ("Show the columns that never
    change" in the right-click menu brings them back).  Clicking a row asks to show that
    step in the node (:attr:`stepRequested`).
    """

    #: The user clicked the row of this step (1-based).
    stepRequested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("traceTableView")
        self.setAccessibleName("trace table")
        self.setAccessibleDescription(
            "Every step of the run, one row per step, with the columns of the exported CSV file.")
        self.setToolTip(
            "Every step of the run, one row per step.\n"
            "Point at a number to see all its digits; Ctrl+C copies the selected cells "
            "with every digit.")
        self._zoom = 1.0
        self._following = True
        self._model: TraceTableModel | None = None
        self.setModel(TraceTableModel(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setVisible(False)  # the step column already numbers the rows
        horizontal = self.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(False)
        horizontal.setHighlightSections(False)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        self._copy_action = self._make_action(
            "copyAction", "Copy", "Copy the selected cells as they are shown", False)
        self._copy_full_action = self._make_action(
            "copyFullPrecisionAction", "Copy with full precision",
            "Copy the selected cells with every digit (Ctrl+C)", True)
        self._copy_full_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self._all_digits_action = QAction("Show all digits", self)
        self._all_digits_action.setObjectName("showAllDigitsAction")
        self._all_digits_action.setCheckable(True)
        self._all_digits_action.setToolTip(
            "Show every digit of every number instead of a rounded short form")
        self._all_digits_action.toggled.connect(self._on_all_digits_toggled)
        self._constant_action = QAction("Show the columns that never change", self)
        self._constant_action.setObjectName("showConstantColumnsAction")
        self._constant_action.setCheckable(True)
        self._constant_action.setToolTip(
            "Show alpha, and the example's inputs and goal when there is one example: the same on every step")
        self._constant_action.toggled.connect(lambda _on: self._arrange_columns())
        self.clicked.connect(lambda index: self.stepRequested.emit(index.row() + 1))
        self._update_metrics()

    # -- the model -----------------------------------------------------------------------------
    def setModel(self, model) -> None:
        """Use ``model`` (a :class:`TraceTableModel`; the window may give its own).  New
        rows, however they are announced, scroll the table while it follows."""
        old = self.model()
        if old is not None:
            for signal, slot in self._model_connections(old):
                signal.disconnect(slot)
        super().setModel(model)
        self._model = model
        if model is not None:
            for signal, slot in self._model_connections(model):
                signal.connect(slot)
        self._following = True
        self._update_column_widths()

    def _model_connections(self, model):
        return ((model.rowsAboutToBeInserted, self._on_rows_coming), (model.rowsInserted, self._on_rows_inserted),
                (model.modelReset, self._on_model_reset))

    @property
    def trace_model(self) -> TraceTableModel:
        return self._model

    # -- the view interface ------------------------------------------------------------------

    @property
    def following(self) -> bool:
        """Whether new rows scroll the table to the bottom (the user is at the bottom)."""
        return self._following

    def set_setup(self, setup: Setup) -> None:
        """A new setup: the window follows with :meth:`set_trace` of the new run."""
        self._following = True

    def set_trace(self, trace: Trace | None) -> None:
        self._model.set_trace(trace)

    def refresh(self, n: int) -> None:
        """Show the first ``n`` steps; scroll to the newest if the user was at the bottom."""
        self._model.refresh(n)

    def apply_theme(self, theme: Theme) -> None:
        """Colours come from the application palette; inf and nan use the warning colour."""
        self._model.set_warning_colour(theme.warning)
        self.viewport().update()

    def set_zoom(self, factor: float) -> None:
        """Row heights and column widths follow the (zoomed) font, with zoomed padding."""
        self._zoom = max(0.25, float(factor))
        self._update_metrics()

    # -- copying -------------------------------------------------------------------------------
    def selected_text(self, full_precision: bool = True) -> str | None:
        """The selected cells as tab-separated lines (None if there are too many to copy).

        The lines cover the selection's bounding rows and columns; a cell in that box
        that is not selected is left empty.
        """
        selection = self.selectionModel().selection() if self.selectionModel() else []
        ranges = [(r.top(), r.bottom(), r.left(), r.right()) for r in selection]
        if not ranges:
            return ""
        top = min(r[0] for r in ranges)
        bottom = max(r[1] for r in ranges)
        left = min(r[2] for r in ranges)
        right = max(r[3] for r in ranges)
        if (bottom - top + 1) * (right - left + 1) > MAX_COPY_CELLS:
            return None
        model = self._model
        lines = []
        for row in range(top, bottom + 1):
            inside = [(r[2], r[3]) for r in ranges if r[0] <= row <= r[1]]
            cells = []
            for column in range(left, right + 1):
                chosen = any(a <= column <= b for a, b in inside)
                cells.append(model.cell_text(row, column, full_precision) if chosen else "")
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"

    def copy_selection(self, full_precision: bool = True) -> None:
        """Put the selected cells on the clipboard (every digit unless told otherwise)."""
        text = self.selected_text(full_precision)
        if text is None:
            QMessageBox.information(
                self, "Too much to copy",
                f"That selection holds more than {MAX_COPY_CELLS:,} cells; copying it would "
                "freeze the window. Export the trace as a CSV file instead.")
            return
        if text:
            QGuiApplication.clipboard().setText(text)

    def context_menu(self) -> QMenu:
        """The right-click menu: Copy, Copy with full precision, Show all digits."""
        menu = QMenu(self)
        menu.setObjectName("traceTableMenu")
        has_selection = bool(self.selectionModel() and self.selectionModel().hasSelection())
        self._copy_action.setEnabled(has_selection)
        self._copy_full_action.setEnabled(has_selection)
        menu.addAction(self._copy_action)
        menu.addAction(self._copy_full_action)
        menu.addSeparator()
        menu.addAction(self._all_digits_action)
        menu.addAction(self._constant_action)
        return menu

    # -- events and handlers ---------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection(full_precision=True)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        self.context_menu().exec(event.globalPos())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update_metrics()

    def _make_action(self, name: str, text: str, tip: str, full: bool) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda: self.copy_selection(full_precision=full))
        return action

    def _on_scrolled(self, value: int) -> None:
        self._following = value >= self.verticalScrollBar().maximum()

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        # The table grew, or its viewport shrank (a scroll bar appeared): stay at the bottom.
        if self._following:
            self.verticalScrollBar().setValue(maximum)

    def _on_rows_coming(self, *_) -> None:
        self._follow_after_insert = self._following

    def _on_rows_inserted(self, *_) -> None:
        if getattr(self, "_follow_after_insert", True):
            self.scrollToBottom()
            self._following = True

    def _on_model_reset(self) -> None:
        self._following = True
        self._update_column_widths()
        self._arrange_columns()

    def _arrange_columns(self) -> None:
        """The reading order, and the columns that never change folded (unless asked for)."""
        model = self._model
        if model is None or not hasattr(model, "reading_order"):
            return
        header = self.horizontalHeader()
        for position, column in enumerate(model.reading_order()):
            header.moveSection(header.visualIndex(column), position)
        folded = set() if self._constant_action.isChecked() else set(model.constant_columns())
        for column in range(model.columnCount()):
            self.setColumnHidden(column, column in folded)

    def _on_all_digits_toggled(self, on: bool) -> None:
        self._model.set_full_precision(on)
        self._update_column_widths()

    def _update_metrics(self) -> None:
        metrics = self.fontMetrics()
        padding = max(4, round(6 * self._zoom))
        height = metrics.height() + padding
        vertical = self.verticalHeader()
        vertical.setMinimumSectionSize(min(height, vertical.minimumSectionSize()))
        vertical.setDefaultSectionSize(height)
        self._update_column_widths()

    def _update_column_widths(self) -> None:
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        padding = round(18 * self._zoom)
        widest = WIDEST_FULL if self._model.full_precision else WIDEST_SHORT
        number = metrics.horizontalAdvance(widest) + padding
        header = self.horizontalHeader()
        header.setDefaultSectionSize(number)
        for column in range(self._model.columnCount() if self._model is not None else 0):
            name = self._model.column_name(column)
            if name in ("step", "example"):
                width = metrics.horizontalAdvance("10000000") + padding
            else:
                width = number
            width = max(width, header_metrics.horizontalAdvance(name) + padding)
            header.resizeSection(column, width)

    def select_cells(self, top: int, left: int, bottom: int, right: int) -> None:
        """Select a block of cells (for tests and automation)."""
        selection = QItemSelection(self._model.index(top, left), self._model.index(bottom, right))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


__all__ = ["TraceTableView", "MAX_COPY_CELLS"]
