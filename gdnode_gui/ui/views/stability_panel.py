"""Will it settle?  The closed-form analysis of the setup, in words, as the user edits.

Shows the sum of the squared inputs (of the weights that learn), the factor
``r = 1 − alpha × Σx²`` by which each step multiplies delta, the regime in words, the
largest stable alpha and the best alpha (with a button to use it), and how many steps
the run should take.  After a run it sets the prediction beside what the run measured.
When the setup will diverge, a warning in the theme's warning colour says so; the run
is still allowed (watching the death spiral is the point).

Every number comes from :func:`gdnode_gui.core.analysis.analyse`.

The warning and the regime come first; the rest scrolls.  The panel never gets shorter than
its title and warning (or the first line of the regime), so a narrow, short dock at
projector zoom still shows the warning; a new warning scrolls back up to it.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame, QLabel, QPushButton, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from gdnode_gui.core.analysis import Analysis, analyse
from gdnode_gui.core.lesson import best_alpha_text
from gdnode_gui.core.number_text import MINUS, maths, short
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.frame import Frame

from gdnode_gui.ui.controls import escape_html, named
from gdnode_gui.ui.help.help_texts import HELP
from gdnode_gui.ui.style.theme import LIGHT, Theme

#: The regime words of the analysis, as the panel says them.
REGIME_WORDS = {
    "steady": "steady",
    "one step": "one step",
    "oscillating": "oscillating",
    "bouncing": "bouncing forever",
    "diverging": "diverging",
    "not learning": "not learning",
}
#: Squares written out in the Σx² line for up to this many learning weights.
MAX_SQUARES_SHOWN = 4


def _num(value: float) -> str:
    """A short number for a sentence, with a real minus sign."""
    return maths(short(value))


def _paren(value: float) -> str:
    text = _num(value)
    return f"({text})" if text.startswith(MINUS) else text


def _symbol(analysis: Analysis) -> str:
    """What alpha is multiplied by: Σx² (one example), λmax (batch) or the largest Σx²."""
    if analysis.sum_x_squared is not None:
        return "Σx²"
    if analysis.order == "batch":
        return "λmax"
    return "the largest Σx²"


def sum_text(setup: Setup, analysis: Analysis) -> str:
    """The Σx² line: ``Σx² = 8.5² + 0.65² + 1.2² = 74.11`` (learning weights only)."""
    learning = analysis.learning
    left_out = " (frozen weights left out)" if len(learning) < setup.n_inputs else ""
    if not learning:
        return "Σx²: every weight is frozen, so nothing can learn"
    if analysis.sum_x_squared is not None:
        inputs = setup.examples[0].inputs
        if len(learning) <= MAX_SQUARES_SHOWN:
            squares = " + ".join(f"{_paren(inputs[i])}²" for i in learning)
            return f"Σx² = {squares} = {_num(analysis.sum_x_squared)}{left_out}"
        return f"Σx² = sum of the {len(learning)} squared inputs = {_num(analysis.sum_x_squared)}{left_out}"
    if analysis.order == "batch":
        if analysis.lambda_max is None:
            return f"λmax: the inputs of the learning weights are all 0{left_out}"
        return (f"λmax = {_num(analysis.lambda_max)}, the largest eigenvalue of XᵀX ÷ {analysis.n_examples} "
                f"(the batch's Σx²; smallest {_num(analysis.lambda_min)}){left_out}")
    e = analysis.worst_example
    biggest = 2.0 / analysis.max_stable_alpha if analysis.max_stable_alpha not in (0.0, math.inf) else 0.0
    return (f"largest Σx² over the {analysis.n_examples} examples = {_num(biggest)}; "
            f"the example that decides the regime: {e}{left_out}")


def r_text(analysis: Analysis) -> str:
    """The r line: ``r = 1 − alpha × Σx² = 1 − 0.1 × 1 = 0.9``."""
    alpha = _num(analysis.alpha)
    if analysis.sum_x_squared is not None:
        return f"r = 1 − alpha × Σx² = 1 − {alpha} × {_num(analysis.sum_x_squared)} = {_num(analysis.r)}"
    if analysis.order == "batch":
        if analysis.lambda_max is None:
            return f"r = {_num(analysis.r)}"
        return (f"r = 1 − alpha × λmax = 1 − {alpha} × {_num(analysis.lambda_max)} "
                f"= {_num(analysis.r_at_lambda_max)}")
    rs = ", ".join(_num(r) for r in analysis.per_example_r[:6])
    more = ", …" if len(analysis.per_example_r) > 6 else ""
    return f"r of each example = 1 − alpha × its Σx²: {rs}{more}; the largest in size: {_num(analysis.r)}"


def alpha_text(analysis: Analysis) -> str:
    """The alpha limits line."""
    top, best = analysis.max_stable_alpha, analysis.best_alpha
    symbol = _symbol(analysis)
    if not math.isfinite(top):
        return "No alpha makes a difference: nothing can learn."
    best_how = f"{_num(best)}" if analysis.order == "batch" and \
        analysis.sum_x_squared is None else f"1 ÷ {symbol} = {_num(best)}"
    return f"alpha must stay below 2 ÷ {symbol} = {_num(top)}; best alpha: {best_how}"


def predicted_text(analysis: Analysis) -> str:
    """What the run should do, before it runs."""
    steps = analysis.predicted_steps
    tolerance = analysis.tolerance
    if steps is not None:
        unit = "step" if steps == 1 else "steps"
        what = "mse exactly 0" if tolerance == 0 else f"mse below the tolerance {_num(tolerance)}"
        return f"Predicted: converged after {steps:,} {unit} ({what})."
    if analysis.will_diverge:
        return "Predicted: diverges; the error grows until the numbers overflow."
    kind = analysis.regime
    if kind == "not learning":
        return "Predicted: nothing changes; with 'stop on stall' the run ends stalled."
    if kind == "bouncing":
        return "Predicted: never settles; the error keeps its size forever."
    several = analysis.n_examples > 1 and analysis.order != "batch"
    if several:
        return ("No formula for the number of steps when the examples take turns: run it to find out.")
    if tolerance == 0 and not (analysis.order == "batch" and not analysis.fits_exactly):
        return ("Predicted: delta shrinks towards 0 but, in exact arithmetic, never reaches it; in floats "
                "the run ends when delta rounds to exactly 0 (converged) or the weights stop moving "
                "(stalled). Set a tolerance to get a number of steps.")
    return "Predicted: the error never gets below the tolerance (no weights fit every example that well)."


def warning_text(analysis: Analysis) -> str:
    """The death-spiral warning, or ''."""
    if not analysis.will_diverge:
        return ""
    top = analysis.max_stable_alpha
    if math.isfinite(top) and analysis.alpha > top:
        limit = {"Σx²": "2/Σx²", "λmax": "2/λmax"}.get(_symbol(analysis), "2/(largest Σx²)")
        return (f"This alpha is above {limit} = {_num(top)}: the run will diverge (a death spiral). "
                "Run it to watch.")
    return "The run will diverge (a death spiral): the error grows every pass. Run it to watch."


class StabilityPanel(QWidget):
    """The closed-form analysis of the setup, updated on every edit.

    Signals
    -------
    alphaRequested(float)
        The user pressed "Use best alpha": the window should set alpha to this value.
    """

    alphaRequested = Signal(float)
    #: The user asked to see the steps measured for every alpha (the Alpha sweep tab).
    sweepRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stabilityPanel")
        self.setAccessibleName("Will it settle? Stability of the learning")
        self._setup: Setup | None = None
        self._analysis: Analysis | None = None
        self._theme = LIGHT
        self._measured: tuple[str, int] | None = None
        self._warning = ""
        self._heights: dict[tuple, int] = {}  # see _height_of
        self._build()

    def _label(self, name: str, accessible: str, tip: str) -> QLabel:
        label = QLabel(self._content)
        named(label, name, accessible, tip)
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._layout.addWidget(label)
        return label

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("stabilityScrollArea")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        # Labels wrap to the width; should anything still be wider, scroll rather than cut it.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._content = QWidget(scroll)
        self._content.setObjectName("stabilityContent")
        scroll.setWidget(self._content)
        outer.addWidget(scroll)
        self._scroll = scroll
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(6, 4, 6, 4)
        self.titleLabel = self._label("stabilityTitleLabel", "Will it settle?", HELP["regime"])
        self.titleLabel.setText("<b>Will it settle?</b>")
        self.warningLabel = self._label("stabilityWarningLabel", "Divergence warning", HELP["diverged"])
        self.regimeLabel = self._label("regimeLabel", "Regime", HELP["regime"])
        self.sumLabel = self._label("sumXSquaredLabel", "Sum of the squared inputs", HELP["sum_x_squared"])
        self.rLabel = self._label("rLabel", "The factor r", HELP["r"])
        self.alphaLabel = self._label("alphaLimitsLabel", "Largest stable alpha and best alpha",
                                      HELP["max_stable_alpha"] + " " + HELP["best_alpha"])
        self.useBestAlphaButton = QPushButton("Use best alpha", self._content)
        named(self.useBestAlphaButton, "useBestAlphaButton", "Use best alpha",
              "Set alpha to the best alpha. " + HELP["best_alpha"])
        self.useBestAlphaButton.clicked.connect(self._on_use_best_alpha)
        # Narrow docks at projector zoom: the button may shrink (its text is short) so that
        # it never makes the wrapped labels wider than the panel.
        self.useBestAlphaButton.setMinimumWidth(24)
        self._layout.addWidget(self.useBestAlphaButton)
        self.sweepLinkLabel = self._label(
            "sweepLinkLabel", "See it measured in the Alpha sweep tab",
            "The Alpha sweep tab runs the node for many alphas and plots the steps each takes: "
            "the best alpha and the cliff above, measured")
        self._show_sweep_link()
        self.sweepLinkLabel.setTextFormat(Qt.TextFormat.RichText)
        self.sweepLinkLabel.linkActivated.connect(lambda _link: self.sweepRequested.emit())
        self.detailsButton = QToolButton(self._content)
        named(self.detailsButton, "stabilityDetailsButton", "Show the mathematical details",
              "The eigenvalues of XᵀX ÷ m behind the sentences above (batch order)")
        self.detailsButton.setText("Details")
        self.detailsButton.setCheckable(True)
        self.detailsButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.detailsButton.setArrowType(Qt.ArrowType.RightArrow)
        self.detailsButton.toggled.connect(self._on_details)
        self._layout.addWidget(self.detailsButton)
        self.detailsLabel = self._label("stabilityDetailsLabel", "Mathematical details",
                                        "The steepest and gentlest directions of the error bowl")
        self.detailsLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.detailsLabel.hide()
        self.predictedLabel = self._label("predictedStepsLabel", "Predicted steps", HELP["predicted_steps"])
        self.measuredLabel = self._label("measuredStepsLabel", "Predicted against measured",
                                         "What the run really did, beside what the formula predicted.")
        self._layout.addStretch(1)
        self._show_warning("")

    # -- the view interface ----------------------------------------------------------------------
    def set_setup(self, setup: Setup) -> None:
        """A new or edited setup: analyse it at once."""
        if setup is self._setup and self._analysis is not None:
            return
        self._setup = setup
        with np.errstate(all="ignore"):  # huge inputs overflow inside the analysis: inf is fine
            self._analysis = analyse(setup)
        self._measured = None
        self._update_facts()
        self._update_measured()

    def show_frame(self, frame: Frame) -> None:
        """The setup's analysis and, once the run of that setup ended, what it measured."""
        self.set_setup(frame.setup)
        measured = (frame.outcome, frame.steps) if frame.outcome and not frame.edited else None
        if measured != self._measured:
            self._measured = measured
            self._update_measured()

    def _show_sweep_link(self) -> None:
        colour = self._theme.curves[0]  # the theme's link colour: readable on its background
        self.sweepLinkLabel.setText(f'<a href="sweep" style="color:{colour};">'
                                    "Measured for every alpha: the Alpha sweep tab</a>")

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._show_sweep_link()
        self._show_warning(self._warning)

    def set_zoom(self, factor: float) -> None:
        """Nothing painted here: the labels follow the application font."""
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Room for the title and the warning, or the first line of the regime without one."""
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._first_lines_height()))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Room for the warning, the regime, Σx² and r (the rest scrolls): the node beside it
        in the window's splitter needs the height more."""
        hint = super().sizeHint()
        width = max(self.width(), 200)
        labels = [self.titleLabel, self.warningLabel, self.regimeLabel, self.sumLabel, self.rLabel]
        height = sum(self._height_of(label, width) for label in labels)
        margins = self._layout.contentsMargins()
        height += self._layout.spacing() * len(labels) + margins.top() + margins.bottom()
        return QSize(hint.width(), max(height, self.minimumSizeHint().height()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the wrapped warning may take more or fewer lines

    # -- public extras ------------------------------------------------------------------------------
    @property
    def analysis(self) -> Analysis | None:
        return self._analysis

    @property
    def warning(self) -> str:
        """The divergence warning shown ('' when none)."""
        return self._warning

    def set_outcome(self, outcome: str, n_steps: int) -> None:
        """The run ended with ``outcome`` after ``n_steps``: show it beside the prediction."""
        self._measured = (outcome, int(n_steps))
        self._update_measured()

    # -- internals -----------------------------------------------------------------------------------
    def _height_of(self, label: QLabel, width: int) -> int:
        """The height of a wrapped label at the panel's ``width`` (0 when hidden)."""
        if label.isHidden() and label is not self.titleLabel:
            return 0
        margins = self._layout.contentsMargins()
        width = max(40, width - margins.left() - margins.right())
        # Layouts ask again and again (dozens of times as the window is first shown); a
        # wrapped label lays its text out anew at each question, so the answers are kept.
        key = (label.objectName(), label.text(), width, label.font().key())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 64:
                self._heights.clear()
            height = self._heights[key] = max(0, label.heightForWidth(width))
        return height

    def _first_lines_height(self) -> int:
        width = max(self.width(), 120)
        first = self._height_of(self.warningLabel, width) or self.regimeLabel.fontMetrics().lineSpacing()
        height = self._height_of(self.titleLabel, width) + first
        spacing = self._layout.spacing() * 2
        margins = self._layout.contentsMargins()
        return height + spacing + margins.top() + margins.bottom()

    def _update_facts(self) -> None:
        a, setup = self._analysis, self._setup
        self.regimeLabel.setText(f"<b>{REGIME_WORDS.get(a.regime, a.regime)}</b>: {a.regime_sentence}")
        self.sumLabel.setText(sum_text(setup, a))
        self.rLabel.setText(r_text(a))
        self.alphaLabel.setText(alpha_text(a))
        best = a.best_alpha
        usable = math.isfinite(best) and best > 0
        self.useBestAlphaButton.setEnabled(usable and best != setup.alpha)
        self.useBestAlphaButton.setText(best_alpha_text(best, setup.alpha) if usable else "Use best alpha")
        # Batch order in plain words: λ and XᵀX behind "Details".
        batch = bool(a.details) and a.sum_x_squared is None and a.order == "batch"
        self.detailsButton.setVisible(bool(a.details))
        self.detailsLabel.setText(a.details)
        self.detailsLabel.setVisible(bool(a.details) and self.detailsButton.isChecked())
        for label in (self.sumLabel, self.rLabel):
            label.setVisible(not batch or self.detailsButton.isChecked())
        self.useBestAlphaButton.setToolTip(
            (f"Set alpha to {best!r}. " if usable else "") + HELP["best_alpha"])
        self.predictedLabel.setText(predicted_text(a))
        self._show_warning(warning_text(a))

    def _show_warning(self, text: str) -> None:
        if text and text != self._warning:
            self._scroll.verticalScrollBar().setValue(0)
        self._warning = text
        self.warningLabel.setText(f"<b>{escape_html(text)}</b>" if text else "")
        self.warningLabel.setVisible(bool(text))
        # A palette, not a style sheet: a widget with a style sheet stops following the
        # application font, and the window zooms by scaling that font.
        palette = self.warningLabel.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(self._theme.warning))
        self.warningLabel.setPalette(palette)
        self.updateGeometry()

    def _update_measured(self) -> None:
        a = self._analysis
        if a is None or self._measured is None:
            self.measuredLabel.setText("")
            self.measuredLabel.setVisible(False)
            return
        outcome, n = self._measured
        predicted = a.predicted_steps
        unit = "step" if n == 1 else "steps"
        if outcome == "converged" and predicted is not None:
            text = f"predicted {predicted:,} {'step' if predicted == 1 else 'steps'}, measured {n:,}"
            if predicted != n:
                text += " (the float arithmetic ends a step apart from the exact formula)" \
                    if abs(predicted - n) == 1 else ""
        elif predicted is not None:
            text = f"predicted converged after {predicted:,} steps; the run ended {outcome} after {n:,} {unit}"
        else:
            text = f"measured: the run ended {outcome} after {n:,} {unit}"
        self.measuredLabel.setText(f"<b>{text}</b>")
        self.measuredLabel.setVisible(True)

    def _on_details(self, on: bool) -> None:
        self.detailsButton.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if self._analysis is not None:
            self._update_facts()

    def _on_use_best_alpha(self) -> None:
        if self._analysis is not None and math.isfinite(self._analysis.best_alpha):
            self.alphaRequested.emit(float(self._analysis.best_alpha))


__all__ = ["StabilityPanel", "alpha_text", "predicted_text", "r_text", "sum_text", "warning_text"]
