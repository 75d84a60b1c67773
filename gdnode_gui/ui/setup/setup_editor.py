"""The setup editor: the parameter panel above the examples table, kept in step.

The window talks to this one widget.  It owns the synchronisation between the two parts:

* the input and goal boxes of :class:`~gdnode_gui.ui.setup.params_panel.ParamsPanel` are the
  first row of the :class:`~gdnode_gui.ui.setup.examples_editor.ExamplesEditor` table;
* "+ input" / "− input" in the panel add or drop a column of the table, and a pasted or
  imported table with another number of inputs adds or drops weights in the panel;
* input names renamed in the table relabel the panel.

Every user edit that gives a valid setup emits :attr:`SetupEditor.setupChanged` once, with
the new :class:`~gdnode_gui.core.setup.Setup`; text that is not a number emits
:attr:`SetupEditor.problemChanged` instead and nothing reaches the node until it is fixed.
The ``set_*`` methods are the program's and never emit ``setupChanged``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from gdnode_gui.core.setup import Setup, SetupError, seed_setup
from gdnode_gui.ui.setup.examples_editor import ExamplesEditor
from gdnode_gui.ui.help.help_texts import help_text
from gdnode_gui.ui.setup.params_panel import ParamsPanel
from gdnode_gui.ui.style.theme import Theme


class SetupEditor(QWidget):
    """Parameters and examples of one setup.

    Signals
    -------
    setupChanged(object)
        A valid :class:`Setup` after each committed edit by the user.
    problemChanged(str)
        Why a control's text is not used ("" once every control is fine again).
    """

    setupChanged = Signal(object)
    problemChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, setup: Setup | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupEditor")
        self.setAccessibleName("setup: the examples, weights, alpha and stop rules")
        setup = setup or seed_setup()
        self.paramsPanel = ParamsPanel(self, setup)
        self.examplesEditor = ExamplesEditor(self)
        self.examplesEditor.set_setup(setup)

        examples_box = QWidget(self)
        box_layout = QVBoxLayout(examples_box)
        box_layout.setContentsMargins(6, 2, 6, 2)
        box_layout.setSpacing(2)
        self._examples_title = QLabel(examples_box)
        font = self._examples_title.font()
        font.setBold(True)
        self._examples_title.setFont(font)
        self._examples_title.setToolTip(help_text("example"))
        self._examples_title.setBuddy(self.examplesEditor.examplesTableView)
        box_layout.addWidget(self._examples_title)
        box_layout.addWidget(self.examplesEditor, 1)
        self._examples_box = examples_box

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("setupSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.paramsPanel)
        self.splitter.addWidget(examples_box)
        self.splitter.setStretchFactor(0, 0)  # the parameters take what they need,
        self.splitter.setStretchFactor(1, 1)  # the table the rest
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._shown_inputs = setup.n_inputs
        self._user_sized = False  # once the user drags the splitter, leave it where they put it
        self.splitter.splitterMoved.connect(self._on_splitter_moved)

        self.paramsPanel.setupChanged.connect(self._on_params_changed)
        self.paramsPanel.problemChanged.connect(self.problemChanged)
        self.paramsPanel.problemChanged.connect(self._schedule_rebalance)  # room for the message
        self.examplesEditor.examplesChanged.connect(self._on_examples_changed)
        self._update_title()

    # -- the view interface -------------------------------------------------------------
    def set_setup(self, setup: Setup) -> None:
        """Show ``setup`` (no :attr:`setupChanged`)."""
        self.paramsPanel.set_setup(setup)
        self.examplesEditor.set_setup(setup)
        self._update_title()
        self._shown_inputs = setup.n_inputs
        self._schedule_rebalance()

    def set_trace(self, trace) -> None:
        """The setup editor shows no trace."""

    def refresh(self, n: int) -> None:
        """The setup editor shows no trace."""

    def setup(self) -> Setup:
        """The setup the controls show (always valid; a control's bad text is not in it)."""
        return self.paramsPanel.setup()

    def problem(self) -> str:
        return self.paramsPanel.problem()

    def set_editable(self, editable: bool) -> None:
        """Lock the controls (False) during a run; unlock them (True) after."""
        self.paramsPanel.set_editable(editable)
        self.examplesEditor.set_editable(editable)

    def commit(self) -> None:
        """Take text typed but not yet entered (before Save, Run or Step)."""
        self.examplesEditor.commit()
        self.paramsPanel.commit()

    def set_compact(self, compact: bool) -> None:
        """Presentation layout: only the numbers of the node (no table, no stop rules)."""
        self._examples_box.setVisible(not compact)
        self.paramsPanel.set_compact(compact)

    def apply_theme(self, theme: Theme) -> None:
        self.paramsPanel.apply_theme(theme)
        self.examplesEditor.apply_theme(theme)

    def set_zoom(self, factor: float) -> None:
        self.paramsPanel.set_zoom(factor)
        self.examplesEditor.set_zoom(factor)
        self._schedule_rebalance()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._schedule_rebalance()

    # -- the split between the parameters and the table ----------------------------------
    def _schedule_rebalance(self, *_args) -> None:
        # Later, once a new application font has reached the widgets and their layouts.
        QTimer.singleShot(0, self, self._rebalance)

    def _rebalance(self) -> None:
        """Give the parameters the height they need (at most 2/3), the table the rest."""
        if self._user_sized or not self._examples_box.isVisible():
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        top = min(self.paramsPanel.preferred_height(), total * 2 // 3)
        self.splitter.setSizes([top, total - top])

    def _rebalance_if_rows_changed(self) -> None:
        if self.paramsPanel.n_inputs() != self._shown_inputs:
            self._shown_inputs = self.paramsPanel.n_inputs()
            self._schedule_rebalance()

    def _on_splitter_moved(self, _position: int, _index: int) -> None:
        self._user_sized = True

    # -- keeping the two parts in step ----------------------------------------------------
    def _on_params_changed(self, setup: Setup) -> None:
        editor = self.examplesEditor
        if editor.n_inputs() != setup.n_inputs or editor.input_names() != setup.input_names:
            editor.set_examples(setup.examples, setup.input_names)
        else:
            editor.set_first_example(setup.examples[0])
        self._update_title()
        self._rebalance_if_rows_changed()
        self.setupChanged.emit(setup)

    def _on_examples_changed(self) -> None:
        editor = self.examplesEditor
        self.paramsPanel.set_examples(editor.examples(), editor.input_names())
        self._update_title()
        self._rebalance_if_rows_changed()
        if self.paramsPanel.problem():
            return  # sent when the bad entry is fixed
        try:
            setup = self.paramsPanel.setup()
        except SetupError as error:  # cannot happen with valid parts; say so rather than crash
            self.problemChanged.emit(str(error))
            return
        self.setupChanged.emit(setup)

    def _update_title(self) -> None:
        m = self.examplesEditor.n_examples()
        self._examples_title.setText(f"E&xamples ({m:,})")


__all__ = ["SetupEditor"]
