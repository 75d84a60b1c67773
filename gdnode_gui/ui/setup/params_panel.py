"""The parameter panel: the first example, the weights, alpha, the order and the stop rules.

Every number sits in an :class:`~gdnode_gui.ui.setup.spinbox.ExactDoubleSpinBox`, so what the
student types is exactly what the node uses.  Object names follow DESIGN.md §3:
``inputSpinBox_1..n``, ``goalSpinBox`` (the first example), ``weightSpinBox_1..n``,
``freezeCheckBox_1..n``, ``alphaSpinBox``, ``maxStepsSpinBox``, ``toleranceSpinBox``,
``stopOnStallCheckBox``, ``orderComboBox``, ``seedSpinBox``, ``addInputButton``,
``removeInputButton``.
"""

from __future__ import annotations

from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QScrollArea,
    QSizePolicy, QStyle, QToolButton, QVBoxLayout, QWidget,
)

from gdnode_gui.core.lesson import value_label
from gdnode_gui.core.setup import (
    MAX_INPUTS, MAX_STEPS, NEW_WEIGHT, ORDERS, Example, Setup, SetupError, seed_setup, with_input_count,
)
from gdnode_gui.ui.controls import named
from gdnode_gui.ui.help.help_texts import help_text
from gdnode_gui.ui.setup.spinbox import LIMIT, CountSpinBox, ExactDoubleSpinBox
from gdnode_gui.ui.style.theme import LIGHT, Theme

_MAX_SEED_SHOWN = 2**31 - 1  # QSpinBox holds 32-bit numbers; larger loaded seeds are kept as loaded
_SHORT_NAME = 10  # longer input names are cut in the labels (the full name is the label's tooltip)

_TYPE_HINT = "Type a number and press Enter: '.' or ',' as the decimal point, 1e-7 for tiny numbers."
_TIPS = {
    "seed": ("The starting number of the random shuffle. The same seed gives the same order every "
             "time, so a run can be repeated exactly; change it to see another order."),
    "freeze": ("Freeze this weight: it keeps its starting value while the other weights learn. "
               "This is the experiment from Grokking Deep Learning (chapter 5) of learning with one "
               "weight held still: the others still bring the error down."),
}


def _tip(key: str, extra: str = "") -> str:
    text = help_text(key) or _TIPS.get(key, "")
    return f"{text}\n\n{extra}" if extra else text


def checkbox_style(widget: QWidget, factor: float) -> str:
    """A style sheet that scales check box indicators by ``factor`` ("" at normal size)."""
    if abs(factor - 1.0) < 1e-6:
        return ""
    size = round(widget.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) * factor)
    return f"QCheckBox::indicator {{ width: {size}px; height: {size}px; }}"


def compact_button(parent: QWidget, text: str) -> QToolButton:
    """A text button that is as narrow as its text (a QPushButton is at least 80 px wide)."""
    button = QToolButton(parent)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


def _shortened(name: str, length: int) -> str:
    return name if len(name) <= length else name[:length - 1].rstrip() + "\u2026"


def _escape(text: str) -> str:
    return text.replace("&", "&&")


class ParamsPanel(QWidget):
    """Edit one setup's numbers; emits :attr:`setupChanged` with the new, valid Setup.

    Programmatic ``set_*`` calls never emit; every committed user edit does (unless a
    control holds text that is not a number: then :attr:`problemChanged` explains it and
    nothing is emitted until it is fixed).
    """

    setupChanged = Signal(object)
    problemChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, setup: Setup | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramsPanel")
        self._setup = setup or seed_setup()
        self._examples: list[Example] = list(self._setup.examples)
        self._names: list[str] = list(self._setup.input_names)
        self._problem = ""
        self._filling = False
        self._editable = True
        self._theme = LIGHT
        self._zoom = 1.0
        self._inputs: list[ExactDoubleSpinBox] = []
        self._input_labels: list[QLabel] = []
        self._weights: list[ExactDoubleSpinBox] = []
        self._weight_labels: list[QLabel] = []
        self._freezes: list[QCheckBox] = []
        self._build()
        self.set_setup(self._setup)

    # -- building -----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("paramsScrollArea")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        content = QWidget(self._scroll)
        content.setObjectName("paramsContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(6, 4, 6, 4)
        column.setSpacing(4)
        # Placed while still empty: placing it full lays out every row now, and again when shown.
        self._scroll.setWidget(content)

        self._example_title = self._section(column, "Example")
        self._inputs_form = self._form(column)
        self.goalSpinBox = self._spin("goalSpinBox", "goal", _tip("goal", _TYPE_HINT))
        self._goal_label = self._label("&goal", self.goalSpinBox)
        self._inputs_form.addRow(self._goal_label, self.goalSpinBox)

        self._section(column, "Weights")
        self._weights_form = self._form(column)
        buttons = QHBoxLayout()
        self.addInputButton = self._button("addInputButton", "+ input", "add an input",
                                           "Add an input and its weight (at most 16). The new input is 1 "
                                           "in every example and its weight starts at 0.")
        self.removeInputButton = self._button("removeInputButton", "\u2212 input", "remove the last input",
                                              "Remove the last input and its weight from every example "
                                              "(at least one input stays).")
        self.addInputButton.clicked.connect(self._on_add_input)
        self.removeInputButton.clicked.connect(self._on_remove_input)
        buttons.addWidget(self.addInputButton)
        buttons.addWidget(self.removeInputButton)
        column.addLayout(buttons)

        self._section(column, "Learning")
        form = self._form(column)
        self.alphaSpinBox = self._spin("alphaSpinBox", "alpha (learning rate)", _tip("alpha", _TYPE_HINT),
                                       minimum=0.0)
        self.alphaSpinBox.setMinimumExplanation(
            "alpha must not be negative: a negative alpha moves the weights away from the goal")
        form.addRow(self._label("&alpha", self.alphaSpinBox), self.alphaSpinBox)
        self.orderComboBox = QComboBox(self)
        named(self.orderComboBox, "orderComboBox", "order of the examples", _tip("order"))
        for order in ORDERS:
            self.orderComboBox.addItem(order, order)
            self.orderComboBox.setItemData(self.orderComboBox.count() - 1, help_text(order),
                                           Qt.ItemDataRole.ToolTipRole)
        self.orderComboBox.currentIndexChanged.connect(self._on_order_changed)
        form.addRow(self._label("&order", self.orderComboBox), self.orderComboBox)
        self.seedSpinBox = CountSpinBox(self, minimum=0, maximum=_MAX_SEED_SHOWN)
        self._prepare(self.seedSpinBox, "seedSpinBox", "seed of the shuffle", _tip("seed"))
        self.seedSpinBox.valueChanged.connect(self._on_edited)
        form.addRow(self._label("see&d", self.seedSpinBox), self.seedSpinBox)

        self._stop_title = self._section(column, "When to stop")
        self._stop_form = form = self._form(column)
        self.maxStepsSpinBox = CountSpinBox(self, minimum=1, maximum=MAX_STEPS)
        self._prepare(self.maxStepsSpinBox, "maxStepsSpinBox", "maximum number of steps",
                      _tip("max_steps", f"From 1 to {MAX_STEPS:,}."))
        self.maxStepsSpinBox.valueChanged.connect(self._on_edited)
        form.addRow(self._label("&max steps", self.maxStepsSpinBox), self.maxStepsSpinBox)
        self.toleranceSpinBox = self._spin("toleranceSpinBox", "tolerance", _tip("tolerance", _TYPE_HINT),
                                           minimum=0.0, step=1e-6)
        self.toleranceSpinBox.setMinimumExplanation("the tolerance must not be negative")
        form.addRow(self._label("&tolerance", self.toleranceSpinBox), self.toleranceSpinBox)
        self.stopOnStallCheckBox = QCheckBox("stop when the weights sta&ll", self)
        named(self.stopOnStallCheckBox, "stopOnStallCheckBox", "stop when the weights stall",
              _tip("stop_on_stall"))
        self.stopOnStallCheckBox.toggled.connect(self._on_edited)
        form.addRow(self.stopOnStallCheckBox)
        column.addStretch(1)

        outer.addWidget(self._scroll, 1)
        self.problemLabel = QLabel(self)
        self.problemLabel.setObjectName("paramsProblemLabel")
        self.problemLabel.setAccessibleName("problem with the setup")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problemLabel.hide()
        outer.addWidget(self.problemLabel)

    def _section(self, layout: QVBoxLayout, title: str) -> QLabel:
        label = QLabel(title, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        layout.addWidget(label)
        return label

    @staticmethod
    def _form(layout: QVBoxLayout) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(3)
        layout.addLayout(form)
        return form

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _prepare(self, widget: QWidget, name: str, accessible: str, tip: str) -> None:
        named(widget, name, accessible, tip)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        widget.setMinimumWidth(60)

    def _spin(self, name: str, accessible: str, tip: str, *, minimum: float = -LIMIT,
              step: float = 0.1) -> ExactDoubleSpinBox:
        box = ExactDoubleSpinBox(self, minimum=minimum, step=step)
        self._prepare(box, name, accessible, tip)
        box.valueChanged.connect(self._on_edited)
        box.problemChanged.connect(self._on_box_problem)
        return box

    def _button(self, name: str, text: str, accessible: str, tip: str) -> QToolButton:
        button = compact_button(self, text)
        named(button, name, accessible, tip)
        return button

    # -- rows of inputs and weights -----------------------------------------------------
    def _set_row_count(self, n: int) -> None:
        while len(self._inputs) < n:
            i = len(self._inputs) + 1
            box = self._spin(f"inputSpinBox_{i}", f"input {i}",
                             _tip("input", f"Input {i} of the first example; the examples table holds "
                                           f"every example. {_TYPE_HINT}"))
            label = self._label(f"input {i}", box)
            self._inputs_form.insertRow(i - 1, label, box)
            self._inputs.append(box)
            self._input_labels.append(label)

            weight = self._spin(f"weightSpinBox_{i}", f"weight {i}",
                                _tip("weight", f"The starting weight of input {i}. {_TYPE_HINT}"))
            freeze = QCheckBox("freeze", self)
            named(freeze, f"freezeCheckBox_{i}", f"freeze weight {i}",
                  _tip("freeze") + "\n\n" + help_text("frozen"))
            freeze.toggled.connect(self._on_edited)
            row = QWidget(self)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.setSpacing(4)
            row_layout.addWidget(weight, 1)
            row_layout.addWidget(freeze)
            wlabel = self._label(f"weight {i}", weight)
            self._weights_form.addRow(wlabel, row)
            self._weights.append(weight)
            self._weight_labels.append(wlabel)
            self._freezes.append(freeze)
            weight.setReadOnly(not self._editable)
            box.setReadOnly(not self._editable)
            freeze.setEnabled(self._editable)
            weight.set_warning_colour(self._theme.warning)
            box.set_warning_colour(self._theme.warning)
        while len(self._inputs) > n:
            for widgets, form in ((self._inputs, self._inputs_form), (self._weights, self._weights_form)):
                box = widgets.pop()
                row = form.getWidgetPosition(box if form is self._inputs_form else box.parentWidget())[0]
                taken = form.takeRow(row)
                for item in (taken.labelItem, taken.fieldItem):
                    widget = item.widget() if item is not None else None
                    if widget is not None:
                        widget.hide()
                        widget.setParent(None)  # gone from findChild at once
                        widget.deleteLater()
            self._input_labels.pop()
            self._weight_labels.pop()
            self._freezes.pop()
        self._update_labels()
        self._update_buttons()

    def _update_labels(self) -> None:
        for i, (label, wlabel) in enumerate(zip(self._input_labels, self._weight_labels)):
            name = self._names[i] if i < len(self._names) and self._names[i] else ""
            short, shorter = _shortened(name, _SHORT_NAME), _shortened(name, _SHORT_NAME - 3)
            # "stick input:", never "stick (input 1)" right before the value 1 (two numbers).
            label.setText(_escape(value_label("input", i, short).rstrip(":")))  # like "goal", "alpha"
            wlabel.setText(_escape(value_label("weight", i, shorter).rstrip(":")))
            label.setToolTip(name if short != name else "")
            wlabel.setToolTip(f"the weight of {name}" if shorter != name else "")
            spoken = f"{name}, input {i + 1}" if name else f"input {i + 1}"
            self._inputs[i].setAccessibleName(f"{spoken} of the first example")
            self._weights[i].setAccessibleName(f"weight {i + 1}" + (f", for {name}" if name else ""))
        m = len(self._examples)
        self._example_title.setText("Example" if m == 1 else f"Example 1 of {m:,}")
        self._example_title.setToolTip(
            "The inputs and the goal of the first example: the first row of the examples table."
            if m > 1 else help_text("example"))

    def _update_buttons(self) -> None:
        n = len(self._inputs)
        self.addInputButton.setEnabled(self._editable and n < MAX_INPUTS)
        self.removeInputButton.setEnabled(self._editable and n > 1)

    # -- public API ---------------------------------------------------------------------
    def set_setup(self, setup: Setup) -> None:
        """Show ``setup`` in the controls (no :attr:`setupChanged`)."""
        self._setup = setup
        self._examples = list(setup.examples)
        self._names = list(setup.input_names)
        with _silenced(self):
            self._set_row_count(setup.n_inputs)
            self._show_first_example()
            for box, weight, freeze, frozen in zip(self._weights, setup.weights, self._freezes, setup.frozen):
                box.show_value(weight)
                freeze.setChecked(frozen)
            self.alphaSpinBox.show_value(setup.alpha)
            self.orderComboBox.setCurrentIndex(ORDERS.index(setup.order))
            self.seedSpinBox.setValue(min(setup.seed, _MAX_SEED_SHOWN))
            self.maxStepsSpinBox.setValue(setup.max_steps)
            self.toleranceSpinBox.show_value(setup.tolerance)
            self.stopOnStallCheckBox.setChecked(setup.stop_on_stall)
        self._update_seed_enabled()
        self._update_labels()
        self._update_problem()

    def setup(self) -> Setup:
        """The Setup the controls show (name, description, the other examples and the input
        names come from the last :meth:`set_setup` / :meth:`set_examples`)."""
        n = len(self._inputs)
        first = Example(tuple(box.value() for box in self._inputs), self.goalSpinBox.value())
        seed = self.seedSpinBox.value()
        if seed == _MAX_SEED_SHOWN and self._setup.seed > _MAX_SEED_SHOWN:
            seed = self._setup.seed
        names = self._names[:n] + [""] * (n - len(self._names)) if any(self._names) else []
        return Setup(
            examples=(first, *self._examples[1:]),
            weights=tuple(box.value() for box in self._weights),
            frozen=tuple(box.isChecked() for box in self._freezes),
            alpha=self.alphaSpinBox.value(),
            name=self._setup.name,
            description=self._setup.description,
            input_names=tuple(names),
            max_steps=self.maxStepsSpinBox.value(),
            tolerance=self.toleranceSpinBox.value(),
            stop_on_stall=self.stopOnStallCheckBox.isChecked(),
            order=self.orderComboBox.currentData(),
            seed=seed,
        )

    def preferred_height(self) -> int:
        """The height that shows every control without scrolling, at the current font."""
        height = self._scroll.widget().sizeHint().height() + 2 * self._scroll.frameWidth()
        if self.problemLabel.isVisibleTo(self):
            height += self.problemLabel.sizeHint().height() + self.layout().spacing()
        return height

    def problem(self) -> str:
        """Why a control's text is not used ("" when every control holds a good value)."""
        return self._problem

    def n_inputs(self) -> int:
        return len(self._inputs)

    def set_input_count(self, n: int) -> None:
        """Add inputs (1 in every example, weight 0) or drop the last ones; no signal."""
        n = max(1, min(MAX_INPUTS, int(n)))
        old = len(self._inputs)
        if n == old:
            return
        self._examples = list(with_input_count(self._examples, n))
        self._names = self._names[:n] + [""] * (n - len(self._names)) if any(self._names) else []
        with _silenced(self):
            self._set_row_count(n)
            for box in self._weights[old:]:
                box.setValue(NEW_WEIGHT)
            for freeze in self._freezes[old:]:
                freeze.setChecked(False)
            self._show_first_example()
        self._update_problem()

    def set_examples(self, examples, input_names=()) -> None:
        """Use these examples (the first one shows in the input and goal boxes); the number of
        inputs follows them, keeping the weights of the inputs that stay.  No signal."""
        examples = list(examples)
        if not examples:
            raise ValueError("a setup needs at least one example")
        self.set_input_count(len(examples[0].inputs))
        self._examples = examples
        self._names = list(input_names) if any(input_names) else []
        with _silenced(self):
            self._show_first_example()
        self._update_labels()

    def set_first_example(self, example: Example) -> None:
        """Show ``example`` as the first example (same number of inputs); no signal."""
        if len(example.inputs) != len(self._inputs):
            raise ValueError(f"the example has {len(example.inputs)} inputs, the panel {len(self._inputs)}")
        self._examples[0] = example
        with _silenced(self):
            self._show_first_example()

    def set_input_names(self, names) -> None:
        self._names = list(names) if any(names) else []
        self._update_labels()

    def set_editable(self, editable: bool) -> None:
        """Lock (False) or unlock the controls, e.g. while a run is going."""
        self._editable = bool(editable)
        for box in (*self._inputs, *self._weights, self.goalSpinBox, self.alphaSpinBox,
                    self.toleranceSpinBox, self.maxStepsSpinBox, self.seedSpinBox):
            box.setReadOnly(not editable)
        for widget in (*self._freezes, self.orderComboBox, self.stopOnStallCheckBox):
            widget.setEnabled(editable)
        self._update_buttons()
        self._update_seed_enabled()

    def commit(self) -> None:
        """Commit text typed but not yet entered (before saving, running)."""
        for box in self._all_spin_boxes():
            if box.hasFocus():
                box.interpretText()

    def set_compact(self, compact: bool) -> None:
        """Presentation layout: hide the stop rules so the numbers that matter stay large."""
        self._stop_title.setVisible(not compact)
        for row in range(self._stop_form.rowCount()):
            self._stop_form.setRowVisible(row, not compact)

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        for box in self._all_spin_boxes():
            if isinstance(box, ExactDoubleSpinBox):
                box.set_warning_colour(theme.warning)
        self.problemLabel.setStyleSheet(f"color: {theme.warning};")

    def set_zoom(self, factor: float) -> None:
        """Text follows the application font; check boxes and the red border of a bad entry
        are drawn in pixels, so they scale here."""
        self._zoom = factor
        for box in self._all_spin_boxes():
            if isinstance(box, ExactDoubleSpinBox):
                box.set_zoom(factor)
        # Deferred: a style sheet set before the application's font change has reached the
        # widgets would freeze them at the old font size.
        QTimer.singleShot(0, self, self._update_style)

    def _update_style(self) -> None:
        self.setStyleSheet(checkbox_style(self, self._zoom))

    # -- handlers -----------------------------------------------------------------------
    def _show_first_example(self) -> None:
        first = self._examples[0]
        for box, value in zip(self._inputs, first.inputs):
            box.show_value(value)
        self.goalSpinBox.show_value(first.goal)

    def _all_spin_boxes(self):
        return (*self._inputs, self.goalSpinBox, *self._weights, self.alphaSpinBox, self.seedSpinBox,
                self.maxStepsSpinBox, self.toleranceSpinBox)

    def _on_edited(self, *_args) -> None:
        if self._filling:
            return
        if self._problem:
            return  # the entry that is not a number never reaches the node
        try:
            setup = self.setup()
        except SetupError as error:
            self._set_problem(str(error))
            return
        self._setup = setup
        self._examples = list(setup.examples)
        self.setupChanged.emit(setup)

    def _on_order_changed(self, _index: int) -> None:
        self._update_seed_enabled()
        self._on_edited()

    def _on_add_input(self) -> None:
        self.set_input_count(len(self._inputs) + 1)
        self._inputs[-1].setFocus()
        self._on_edited()

    def _on_remove_input(self) -> None:
        self.set_input_count(len(self._inputs) - 1)
        self._on_edited()

    def _update_seed_enabled(self) -> None:
        shuffled = self.orderComboBox.currentData() == "shuffled"
        self.seedSpinBox.setEnabled(shuffled and self._editable)

    def _on_box_problem(self, _problem: str) -> None:
        self._update_problem(resend=True)

    def _update_problem(self, resend: bool = False) -> None:
        problems = [f"{self._what(box)}: {box.problem()}" for box in self._all_spin_boxes()
                    if isinstance(box, ExactDoubleSpinBox) and box.problem()]
        problem = problems[0] if problems else ""
        if len(problems) > 1:
            problem += f" (and {len(problems) - 1} more)"
        was_bad = bool(self._problem)
        self._set_problem(problem)
        if resend and was_bad and not problem:
            self._on_edited()  # the fixed entry may equal the old value: still send the setup

    def _what(self, box: ExactDoubleSpinBox) -> str:
        """The control's label as shown, for messages ("size weight", "alpha")."""
        for labels, boxes in ((self._input_labels, self._inputs), (self._weight_labels, self._weights)):
            if box in boxes:
                return labels[boxes.index(box)].text().replace("&&", "&").rstrip(":")
        return {self.goalSpinBox: "goal", self.alphaSpinBox: "alpha",
                self.toleranceSpinBox: "tolerance"}.get(box, box.accessibleName())

    def _set_problem(self, problem: str) -> None:
        if problem == self._problem:
            return
        self._problem = problem
        self.problemLabel.setText(f"Not used: {problem}" if problem else "")
        self.problemLabel.setVisible(bool(problem))
        self.problemChanged.emit(problem)


@contextmanager
def _silenced(panel: ParamsPanel):
    """While the program fills the controls: no signals, and edits are not taken as the user's."""
    widgets = [w for w in (*panel._all_spin_boxes(), *panel._freezes, panel.orderComboBox,
                           panel.stopOnStallCheckBox) if not w.signalsBlocked()]
    for widget in widgets:
        widget.blockSignals(True)
    was_filling, panel._filling = panel._filling, True
    try:
        yield
    finally:
        panel._filling = was_filling
        for widget in widgets:
            if shiboken6.isValid(widget):  # rows removed meanwhile are gone
                widget.blockSignals(False)


__all__ = ["ParamsPanel"]
