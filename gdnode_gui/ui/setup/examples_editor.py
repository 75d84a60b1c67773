"""The data-set editor: a table of examples (the inputs, then the goal), one row each.

Rows can be added, removed and moved; cells are edited with an
:class:`~gdnode_gui.ui.setup.spinbox.ExactDoubleSpinBox`, so what is typed is what is stored;
input names (the column headers) are renamed by double-clicking a header or with
"Rename…".  A table copied from a spreadsheet is pasted with Ctrl+V or "Paste", a CSV file
imported with "Import…" (rules in :mod:`gdnode_gui.core.examples_io`); a pasted or imported
table *replaces* the examples, and its column count sets the number of inputs (then
:attr:`ExamplesEditor.inputCountChanged` fires before :attr:`ExamplesEditor.examplesChanged`).
A single number pasted on a cell only changes that cell.  Ctrl+C copies the selected cells as
tab-separated text (with the header row when whole rows are selected).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QFileDialog, QGridLayout, QHeaderView, QInputDialog, QLabel, QMenu,
    QMessageBox, QStyledItemDelegate, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from gdnode_gui.core.examples_io import (
    ExamplesParseError, NumberError, ParsedExamples, examples_to_text, number_text, parse_examples,
    parse_number, read_examples_csv,
)
from gdnode_gui.core.setup import MAX_EXAMPLES, Example, Setup, seed_setup, with_input_count
from gdnode_gui.ui.controls import named
from gdnode_gui.ui.help.help_texts import help_text
from gdnode_gui.ui.setup.params_panel import compact_button
from gdnode_gui.ui.setup.spinbox import ExactDoubleSpinBox
from gdnode_gui.ui.style.theme import LIGHT, Theme

MAX_NAME = 40
_ROLE_EDIT = Qt.ItemDataRole.EditRole
_ROLE_DISPLAY = Qt.ItemDataRole.DisplayRole


class ExamplesModel(QAbstractTableModel):
    """Rows of floats (the inputs, then the goal) and the input names.

    ``setData`` (a user's edit) emits :attr:`edited`; the other methods are the program's
    and emit only Qt's own model signals.
    """

    edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[list[float]] = [[1.0, 0.6]]
        self._names: list[str] = [""]
        self.editable = True

    # -- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._names) + 1

    def data(self, index, role=_ROLE_DISPLAY):
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role in (_ROLE_DISPLAY, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return number_text(value)  # the tooltip shows a number too long for its cell
        if role == _ROLE_EDIT:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=_ROLE_DISPLAY):  # noqa: N802
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == _ROLE_DISPLAY else None
        if role == _ROLE_DISPLAY:
            return "goal" if section == len(self._names) else self.column_name(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == len(self._names):
                return help_text("goal")
            return f"{self.column_name(section)}: {help_text('input')}\n\nDouble-click to rename this input."
        return None

    def flags(self, index):
        flags = super().flags(index)
        if self.editable and index.isValid():
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=_ROLE_EDIT) -> bool:  # noqa: N802
        if role != _ROLE_EDIT or not index.isValid() or not self.editable:
            return False
        try:
            number = parse_number(value) if isinstance(value, str) else float(value)
        except (NumberError, TypeError, ValueError):
            return False
        if number != number or number in (float("inf"), float("-inf")):
            return False
        row = self._rows[index.row()]
        if repr(row[index.column()]) == repr(number):
            return True
        row[index.column()] = number
        self.dataChanged.emit(index, index, [_ROLE_DISPLAY, _ROLE_EDIT])
        self.edited.emit()
        return True

    # -- the program's API --------------------------------------------------------------
    def column_name(self, i: int) -> str:
        return self._names[i] or f"input {i + 1}"

    def n_inputs(self) -> int:
        return len(self._names)

    def names(self) -> tuple[str, ...]:
        return tuple(self._names) if any(self._names) else ()

    def examples(self) -> tuple[Example, ...]:
        return tuple(Example(tuple(row[:-1]), row[-1]) for row in self._rows)

    def set_examples(self, examples, names=()) -> None:
        examples = list(examples)
        n = len(examples[0].inputs)
        self.beginResetModel()
        self._rows = [[*e.inputs, e.goal] for e in examples]
        self._names = (list(names) + [""] * n)[:n]
        self.endResetModel()

    def set_row(self, row: int, example: Example) -> None:
        self._rows[row] = [*example.inputs, example.goal]
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_name(self, i: int, name: str) -> None:
        self._names[i] = name
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, i, i)

    def insert_row(self, at: int, values: list[float]) -> None:
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, list(values))
        self.endInsertRows()

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def move_row(self, row: int, to: int) -> None:
        """Move ``row`` to position ``to`` (its index after the move)."""
        destination = to + 1 if to > row else to
        if self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination):
            self._rows.insert(to, self._rows.pop(row))
            self.endMoveRows()

    def values(self, row: int) -> list[float]:
        return list(self._rows[row])


class _ExactDelegate(QStyledItemDelegate):
    """Edits a cell with an ExactDoubleSpinBox; text that is not a number keeps the old value."""

    problemFound = Signal(str)

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = ExactDoubleSpinBox(parent)
        editor.setObjectName("exampleCellEditor")
        editor.setAccessibleName("example value")
        editor.setButtonSymbols(ExactDoubleSpinBox.ButtonSymbols.NoButtons)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        editor.show_value(index.data(_ROLE_EDIT))
        editor.selectAll()

    def setModelData(self, editor, model, index):  # noqa: N802
        editor.interpretText()
        problem = editor.text_problem()
        if problem:
            name = model.headerData(index.column(), Qt.Orientation.Horizontal)
            self.problemFound.emit(f"row {index.row() + 1}, {name}: {problem}; the old value "
                                   f"{number_text(index.data(_ROLE_EDIT))} is kept")
            return
        model.setData(index, editor.value(), _ROLE_EDIT)


#: Up to this many examples the table is exactly as tall as its rows.
MAX_ROWS_SHOWN = 8


class ExamplesTableView(QTableView):
    """A QTableView that hands Ctrl+V and Ctrl+C to its editor."""

    pasteRequested = Signal()
    copyRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit()
            event.accept()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
        else:
            super().keyPressEvent(event)

    def commit_editor(self) -> None:
        """Store what the open cell editor holds and close it, as Enter would."""
        editor = self.indexWidget(self.currentIndex())
        if editor is not None and self.state() == QAbstractItemView.State.EditingState:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)


class ExamplesEditor(QWidget):
    """Edit the examples of a setup.  See the module docstring for what the user can do.

    Signals
    -------
    examplesChanged()
        After every edit by the user (a cell, a row added, removed or moved, a paste, an
        import, a rename).  Read :meth:`examples` and :meth:`input_names`.
    inputCountChanged(int)
        A paste or import brought a different number of inputs (emitted before
        ``examplesChanged``); the weights must follow (``ParamsPanel.set_examples`` does).
    """

    examplesChanged = Signal()
    inputCountChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("examplesEditor")
        self._editable = True
        self._theme = LIGHT
        self._zoom = 1.0
        self._import_dir = str(Path.home())
        self._model = ExamplesModel(self)
        self._model.edited.connect(self._on_cell_edited)
        self._build()
        self.set_setup(seed_setup())

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        view = self.examplesTableView = ExamplesTableView(self)
        named(view, "examplesTableView", "examples: one row per example, the inputs then the goal",
              f"{help_text('example')}\n\nDouble-click a number to change it, a column "
              "header to rename the input. Ctrl+V pastes a table from a spreadsheet "
              "(it replaces the examples), Ctrl+C copies.")
        view.setModel(self._model)
        self._delegate = _ExactDelegate(view)
        self._delegate.problemFound.connect(self._show_message)
        view.setItemDelegate(self._delegate)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().sectionDoubleClicked.connect(self._on_header_double_clicked)
        view.pasteRequested.connect(self.paste)
        view.copyRequested.connect(self.copy)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_context_menu)
        view.selectionModel().currentChanged.connect(self._update_buttons)
        layout.addWidget(view, 1)

        grid = QGridLayout()
        grid.setSpacing(3)
        self.addExampleButton = self._button("addExampleButton", "+ row", "add an example",
                                             "Add an example below the current one (a copy of it, to edit).", self.add_example)
        self.removeExampleButton = self._button("removeExampleButton", "\u2212 row", "remove the selected examples",
                                                "Remove the selected examples (one always stays).", self.remove_examples)
        self.moveExampleUpButton = self._button("moveExampleUpButton", "\u2191", "move the example up",
                                                "Move the current example one row up. The first row is the "
                                                "example shown in the input and goal boxes.", self.move_up)
        self.moveExampleDownButton = self._button("moveExampleDownButton", "\u2193", "move the example down",
                                                  "Move the current example one row down.", self.move_down)
        self.pasteExamplesButton = self._button("pasteExamplesButton", "Paste", "paste examples",
                                                "Replace the examples with a table copied from a spreadsheet or "
                                                "a text: one example per row, the goal in the last column (or "
                                                "in a column headed 'goal'); an optional first row of names.",
                                                self.paste)
        self.importExamplesButton = self._button("importExamplesButton", "&Import\u2026", "import examples from a file",
                                                 "Replace the examples with those of a CSV file (commas, "
                                                 "semicolons or tabs; the goal in the last column).", self.import_csv)
        self.renameInputButton = self._button("renameInputButton", "Re&name\u2026", "rename the input",
                                              "Give the input of the current column a name (e.g. 'toes'); "
                                              "the labels and the plots use it.", self.rename_current_input)
        for column, button in enumerate((self.addExampleButton, self.removeExampleButton,
                                         self.moveExampleUpButton, self.moveExampleDownButton)):
            grid.addWidget(button, 0, column)
        grid.addWidget(self.pasteExamplesButton, 1, 0)
        grid.addWidget(self.importExamplesButton, 1, 1, 1, 2)
        grid.addWidget(self.renameInputButton, 1, 3)
        layout.addLayout(grid)

        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("examplesMessageLabel")
        self.messageLabel.setAccessibleName("message about the examples")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.messageLabel.hide()
        layout.addWidget(self.messageLabel)
        layout.addStretch(0)  # below the buttons: room the table's few rows do not need
        self._model.modelReset.connect(self._fit_columns)  # a new count of inputs
        self._model.columnsInserted.connect(self._fit_columns)
        self._model.columnsRemoved.connect(self._fit_columns)
        for signal in (self._model.rowsInserted, self._model.rowsRemoved):
            signal.connect(self._fit_height)
        self._fit_height()

    def _button(self, name, text, accessible, tip, slot) -> QToolButton:
        button = compact_button(self, text)
        named(button, name, accessible, tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- public API ---------------------------------------------------------------------
    def set_setup(self, setup: Setup) -> None:
        """Show the examples and input names of ``setup`` (no signal)."""
        self.set_examples(setup.examples, setup.input_names)

    def set_examples(self, examples, input_names=()) -> None:
        """Show these examples (no signal)."""
        self._model.set_examples(examples, input_names)
        self._show_message("")
        self._fit_columns()
        self._update_buttons()

    def set_first_example(self, example: Example) -> None:
        """Show ``example`` in the first row (same number of inputs; no signal)."""
        self._model.set_row(0, example)

    def set_input_count(self, n: int) -> None:
        """Add input columns (1 in every example) or drop the last ones (no signal): the
        core's rule (:func:`gdnode_gui.core.setup.with_input_count`)."""
        old = self._model.n_inputs()
        if n == old:
            return
        examples = with_input_count(self.examples(), n)
        names = list(self._model.names())
        self.set_examples(examples, (names + [""] * n)[:n] if names else ())

    def set_input_names(self, names) -> None:
        for i in range(self._model.n_inputs()):
            self._model.set_name(i, names[i] if i < len(names) else "")

    def examples(self) -> tuple[Example, ...]:
        return self._model.examples()

    def input_names(self) -> tuple[str, ...]:
        """The input names; () when none was given (the inputs are then 'input 1', ...)."""
        return self._model.names()

    def n_inputs(self) -> int:
        return self._model.n_inputs()

    def n_examples(self) -> int:
        return self._model.rowCount()

    def set_editable(self, editable: bool) -> None:
        self._editable = bool(editable)
        self._model.editable = self._editable
        if not editable:
            self.examplesTableView.commit_editor()
        self._update_buttons()

    def commit(self) -> None:
        """Commit a cell being edited (before saving or running)."""
        self.examplesTableView.commit_editor()

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.messageLabel.setStyleSheet(f"color: {theme.warning};")

    def set_zoom(self, factor: float) -> None:
        """Fonts follow the app font; rows and columns are sized from it here."""
        self._zoom = factor
        self._fit_columns()

    # -- user actions -------------------------------------------------------------------
    def add_example(self) -> None:
        if not self._editable or self._model.rowCount() >= MAX_EXAMPLES:
            return
        current = self.examplesTableView.currentIndex()
        row = current.row() if current.isValid() else self._model.rowCount() - 1
        self._model.insert_row(row + 1, self._model.values(row))
        self._select(row + 1, max(current.column(), 0))
        self._changed()

    def remove_examples(self) -> None:
        if not self._editable:
            return
        rows = sorted({index.row() for index in self.examplesTableView.selectionModel().selectedIndexes()}
                      | ({self.examplesTableView.currentIndex().row()} - {-1}))
        rows = rows[: self._model.rowCount() - 1]  # one example always stays
        if not rows:
            return
        self._model.remove_rows(rows)
        self._select(min(rows[0], self._model.rowCount() - 1), max(self.examplesTableView.currentIndex().column(), 0))
        self._changed()

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(+1)

    def _move(self, direction: int) -> None:
        current = self.examplesTableView.currentIndex()
        if not self._editable or not current.isValid():
            return
        row, to = current.row(), current.row() + direction
        if not 0 <= to < self._model.rowCount():
            return
        self._model.move_row(row, to)
        self._select(to, current.column())
        self._changed()

    def paste(self, text: str | None = None) -> None:
        """Paste ``text`` (the clipboard's by default): one number into the current cell, a
        table in place of the examples."""
        if not self._editable:
            return
        if text is None:
            text = QGuiApplication.clipboard().text()
        current = self.examplesTableView.currentIndex()
        single = text.strip()
        if current.isValid() and single and not any(c in single for c in "\t\n;"):
            try:
                value = parse_number(single)
            except NumberError as error:
                value = None
                if not any(c.isspace() or c == "," for c in single):  # one cell ('nan'), not a row
                    self._refuse("Cannot paste the number", error)
                    return
            if value is not None:
                self._model.setData(current, value)
                return
        try:
            parsed = parse_examples(text)
        except ExamplesParseError as error:
            self._refuse("Cannot paste the examples", error)
            return
        self._use(parsed, "pasted")

    def import_csv(self) -> None:
        if not self._editable:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, "Import examples", self._import_dir,
            "Tables (*.csv *.tsv *.txt);;All files (*)")
        if not path:
            return
        self._import_dir = str(Path(path).parent)
        try:
            parsed = read_examples_csv(path)
        except ExamplesParseError as error:
            self._refuse(f"Cannot import {Path(path).name}", error)
            return
        self._use(parsed, f"imported from {Path(path).name}")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.selected_text())

    def selected_text(self) -> str:
        """The selected cells as tab-separated text (all examples when nothing is selected);
        with the header row when whole rows are selected."""
        indexes = self.examplesTableView.selectionModel().selectedIndexes()
        if not indexes:
            return examples_to_text(self.examples(), self.input_names())
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        if len(columns) == self._model.columnCount():
            chosen = [self.examples()[r] for r in range(rows[0], rows[-1] + 1)]
            return examples_to_text(chosen, self.input_names())
        lines = []
        for r in range(rows[0], rows[-1] + 1):
            values = self._model.values(r)
            lines.append("\t".join(number_text(values[c]) for c in range(columns[0], columns[-1] + 1)))
        return "\n".join(lines) + ("\n" if len(lines) > 1 else "")

    def rename_current_input(self) -> None:
        column = self.examplesTableView.currentIndex().column()
        self.rename_input(column if 0 <= column < self._model.n_inputs() else 0)

    def rename_input(self, i: int) -> None:
        if not self._editable or not 0 <= i < self._model.n_inputs():
            return
        name, ok = QInputDialog.getText(self, "Rename input", f"Name of input {i + 1} (empty for 'input {i + 1}'):",
                                        text=self._model.names()[i] if self._model.names() else "")
        if not ok:
            return
        name = " ".join(name.split())[:MAX_NAME]
        self._model.set_name(i, name)
        self._changed()

    # -- handlers -----------------------------------------------------------------------
    def _use(self, parsed: ParsedExamples, how: str) -> None:
        old_n = self._model.n_inputs()
        names = parsed.input_names
        if names is None:
            kept = list(self._model.names())
            names = (kept + [""] * parsed.n_inputs)[:parsed.n_inputs] if kept else []
        self._model.set_examples(parsed.examples, names)
        self._fit_columns()
        self._select(0, 0)
        m = len(parsed.examples)
        self._show_message(f"{m:,} example{'s' * (m != 1)} {how}", warning=False)
        if parsed.n_inputs != old_n:
            self.inputCountChanged.emit(parsed.n_inputs)
        self._changed()

    def _refuse(self, title: str, error: ExamplesParseError | NumberError) -> None:
        self._show_message(f"{title}: {error}")
        QMessageBox.warning(self, title, f"{error}\n\nThe examples were not changed.")

    def _on_cell_edited(self) -> None:
        self._show_message("")
        self._changed()

    def _on_header_double_clicked(self, section: int) -> None:
        if section < self._model.n_inputs():
            self.rename_input(section)

    def _on_context_menu(self, position) -> None:
        menu = QMenu(self)
        for text, slot, shortcut in (("Copy", self.copy, QKeySequence.StandardKey.Copy),
                                     ("Paste", self.paste, QKeySequence.StandardKey.Paste),
                                     ("Add a row", self.add_example, None),
                                     ("Remove the selected rows", self.remove_examples, None),
                                     ("Rename the input\u2026", self.rename_current_input, None)):
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(self._editable or text == "Copy")
        menu.exec(self.examplesTableView.viewport().mapToGlobal(position))

    def _changed(self) -> None:
        self._update_buttons()
        self.examplesChanged.emit()

    def _select(self, row: int, column: int) -> None:
        view = self.examplesTableView
        index = self._model.index(row, min(column, self._model.columnCount() - 1))
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def _update_buttons(self, *_args) -> None:
        m = self._model.rowCount()
        row = self.examplesTableView.currentIndex().row()
        editable = self._editable
        self.addExampleButton.setEnabled(editable and m < MAX_EXAMPLES)
        self.removeExampleButton.setEnabled(editable and m > 1)
        self.moveExampleUpButton.setEnabled(editable and row > 0)
        self.moveExampleDownButton.setEnabled(editable and 0 <= row < m - 1)
        for button in (self.pasteExamplesButton, self.importExamplesButton, self.renameInputButton):
            button.setEnabled(editable)

    def _show_message(self, text: str, warning: bool = True) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setVisible(bool(text))
        colour = self._theme.warning if warning else self._theme.foreground
        self.messageLabel.setStyleSheet(f"color: {colour};")

    def _fit_columns(self) -> None:
        view = self.examplesTableView
        metrics = view.fontMetrics()
        view.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        # Every column fits when it can: a narrow dock with several inputs still shows the goal.
        columns = max(1, self._model.columnCount())
        room = view.viewport().width() or view.width()
        wide = metrics.horizontalAdvance("0.59999999") + 12
        size = max(metrics.horizontalAdvance("0.599") + 12, min(wide, room // columns))
        header = view.horizontalHeader()
        header.setDefaultSectionSize(size)
        for column in range(columns - 1):  # the last one stretches to the edge
            header.resizeSection(column, size)
        self._fit_height()

    def _fit_height(self, *_args) -> None:
        """The table as tall as its rows (up to :data:`MAX_ROWS_SHOWN`; more scroll), so one
        example is one row, not a large empty box."""
        view = self.examplesTableView
        rows = min(self._model.rowCount(), MAX_ROWS_SHOWN)
        height = (view.horizontalHeader().sizeHint().height() + rows * view.verticalHeader().defaultSectionSize()
                  + 2 * view.frameWidth() + view.horizontalScrollBar().sizeHint().height() + 2)
        view.setMaximumHeight(height if self._model.rowCount() <= MAX_ROWS_SHOWN else 16_777_215)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_columns()


__all__ = ["ExamplesEditor", "ExamplesModel", "ExamplesTableView"]
