"""Spin boxes that keep exactly the number they were given.

A plain QDoubleSpinBox rounds to two decimals and clamps to 0..99.99, so 0.001 becomes 0.0
and 1e-7 cannot be typed at all.  :class:`ExactDoubleSpinBox` keeps the exact float the user
typed or the program set (0.1119, 1e-7, 0.5999999999999994), shows it as the shortest text
that reads back to the same float, accepts ``.`` or ``,`` as the decimal point whatever the
locale, and marks text that is not a number (red border, a ``problemChanged`` explanation)
instead of silently reverting it.  Only numbers reach :meth:`ExactDoubleSpinBox.value`.
"""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import QLocale, QSize, QTimer, Signal
from PySide6.QtGui import QValidator, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget

from gdnode_gui.core.examples_io import NumberError, number_text, parse_number

#: The default range for typing and stepping.  A loaded value beyond it is shown as it is
#: (:meth:`ExactDoubleSpinBox.show_value` widens the range), never clamped.
LIMIT = 1e300
_MAX_TEXT = 200
_SIZE_SAMPLE = "-0.00012345"


class ExactDoubleSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox whose :meth:`value` is exactly what was typed or set.

    * ``setValue(0.1119); value() == 0.1119``; typing ``1e-7`` then Enter gives ``1e-07``.
    * The text is :func:`~gdnode_gui.core.examples_io.number_text` of the value: Python's
      ``repr`` without a trailing ``.0`` (``0.1``, ``1e-07``, ``1``).
    * ``.`` is the decimal point whatever the locale; a typed ``,`` is read as one too.
    * ``valueChanged`` fires once per committed value (Enter, Tab, leaving the box, the
      arrows), never for half-typed text (keyboard tracking is off).
    * Text that is not a number in range ("abc", "1e999", "nan", below :meth:`minimum`)
      stays in the box when committed, marked by a red border (dynamic property ``invalid``)
      and explained by :attr:`problemChanged` and the tooltip; :meth:`value` keeps the last
      good number.  Half-typed text ("1e") is not marked until it is committed.
    * The arrows step by one unit of the first significant digit (0.1 -> 0.2, 0.1 -> 0.09,
      3e-7 -> 4e-7), in decimal, so 0.2 + 0.1 shows 0.3; at 0 they step by :meth:`singleStep`.
      ``setAdaptiveStep(False)`` steps by :meth:`singleStep` always.
    * The mouse wheel only turns a box that has the keyboard focus, so scrolling a panel
      past a box never changes a number.
    """

    #: The explanation of the text in the box, or "" once it holds a good number again.
    problemChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, minimum: float = -LIMIT,
                 maximum: float = LIMIT, value: float = 0.0, step: float = 0.1) -> None:
        super().__init__(parent)
        self._exact = 0.0
        self._parsed: float | None = None  # the number valueFromText just read
        self._pending_text: str | None = None  # invalid text the box holds
        self._problem = ""
        self._base_tooltip = ""
        self._minimum_explanation = ""
        self._adaptive = True
        self._warning_colour = "#b00020"
        self._zoom = 1.0
        self.setLocale(QLocale.c())
        self.setDecimals(323)  # the most Qt allows: its internal rounding then keeps every bit
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setAccelerated(True)
        self.setRange(minimum, maximum)
        super().setSingleStep(step)
        self.setValue(value)
        self.valueChanged.connect(self._on_value_changed)
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._on_editing_finished)

    # -- the exact value ----------------------------------------------------------------
    def value(self) -> float:  # noqa: D102 - the exact value, never a rounded one
        return self._exact

    def setValue(self, value: float) -> None:  # noqa: N802 - Qt's name
        """Set exactly ``value`` (clamped to the range); clears any invalid text."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"a spin box holds finite numbers, not {value!r}")
        value = min(max(value, self.minimum()), self.maximum())
        self._pending_text = None
        self._set_problem("")
        self._parsed = value
        super().setValue(value)
        self._parsed = None
        self._exact = value
        self._refresh_text()

    def show_value(self, value: float) -> None:
        """Set exactly ``value`` even beyond the range, which then widens to include it (for
        values the program loads: a loaded setup is shown as it is, never clamped)."""
        value = float(value)
        if math.isfinite(value) and not self.minimum() <= value <= self.maximum():
            self.setRange(min(value, self.minimum()), max(value, self.maximum()))
        self.setValue(value)

    def setRange(self, minimum: float, maximum: float) -> None:  # noqa: N802
        super().setRange(float(minimum), float(maximum))
        self._exact = min(max(self._exact, self.minimum()), self.maximum())

    def setMinimum(self, minimum: float) -> None:  # noqa: N802
        self.setRange(minimum, max(minimum, self.maximum()))

    def setMaximum(self, maximum: float) -> None:  # noqa: N802
        self.setRange(min(maximum, self.minimum()), maximum)

    def setMinimumExplanation(self, text: str) -> None:  # noqa: N802
        """What to say when a typed number is below the minimum (e.g. why alpha can't be negative)."""
        self._minimum_explanation = text

    def setAdaptiveStep(self, adaptive: bool) -> None:  # noqa: N802
        self._adaptive = bool(adaptive)

    def problem(self) -> str:
        """Why the text in the box is not used ("" when it holds a good number)."""
        return self._problem

    def hasAcceptableInput(self) -> bool:  # noqa: N802
        return not self.text_problem()

    def text_problem(self) -> str:
        """What is wrong with the text in the box now, committed or not ("" if it is a good number)."""
        try:
            self._check(self.text())
        except NumberError as error:
            return str(error)
        return ""

    # -- text <-> number ----------------------------------------------------------------
    def textFromValue(self, value: float) -> str:  # noqa: N802
        if self._pending_text is not None and value == super().value():
            return self._pending_text  # keep showing what the user typed until it is fixed
        if value == self._exact:
            return number_text(self._exact)  # Qt's copy of the value may have lost a subnormal
        return number_text(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            self._parsed = self._check(text)
        except NumberError:
            self._parsed = None
            return self._exact
        return self._parsed

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if len(text) > _MAX_TEXT:
            return QValidator.State.Invalid, text, pos
        try:
            self._check(text)
        except NumberError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        return text

    def _check(self, text: str) -> float:
        """The number in ``text`` if it is one within the range; NumberError otherwise."""
        value = parse_number(text)
        if value < self.minimum():
            raise NumberError(self._minimum_explanation
                              or f"{number_text(value)} is below the smallest allowed value, "
                                 f"{number_text(self.minimum())}")
        if value > self.maximum():
            raise NumberError(f"{number_text(value)} is above the largest allowed value, "
                              f"{number_text(self.maximum())}")
        return value

    # -- events -------------------------------------------------------------------------
    def _on_text_edited(self, text: str) -> None:
        # Half-typed text ("1e", "-") is not an error yet: it is marked when committed
        # (Enter, Tab, leaving the box).  Once marked, the mark follows every keystroke and
        # goes as soon as the text is a good number again.
        try:
            self._check(text)
        except NumberError as error:
            self._pending_text = text
            if self._problem:
                self._set_problem(str(error))
        else:
            self._pending_text = None
            self._set_problem("")

    def _on_editing_finished(self) -> None:
        if self._pending_text is None:
            return
        try:
            self._check(self._pending_text)
        except NumberError as error:
            self._set_problem(str(error))

    def _on_value_changed(self, qt_value: float) -> None:
        self._exact = self._parsed if self._parsed is not None else qt_value
        self._parsed = None

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if steps == 0:
            return
        base = Decimal(repr(self._exact))
        for _ in range(abs(steps)):
            base += self._step_for(base, steps > 0) * (1 if steps > 0 else -1)
        base = min(max(base, Decimal(repr(self.minimum()))), Decimal(repr(self.maximum())))
        self.setValue(float(base))
        self.selectAll()

    def _step_for(self, value: Decimal, up: bool) -> Decimal:
        step = Decimal(repr(self.singleStep()))
        if not self._adaptive or value == 0:
            return step
        exponent = value.copy_abs().adjusted()  # the decade of the first significant digit
        unit = Decimal(1).scaleb(exponent)
        # Going towards zero from a power of ten, take the smaller decade: 0.1 -> 0.09.
        if value.copy_abs() == unit and (up != (value > 0)):
            unit = unit.scaleb(-1)
        return unit

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # let the scroll area scroll

    # -- looks --------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        """Wide enough for an ordinary number (Qt sizes for the range ends, up to 1.8e+308)."""
        return self._narrowed(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._narrowed(super().minimumSizeHint())

    def _narrowed(self, hint: QSize) -> QSize:
        metrics = self.fontMetrics()
        ends = max(metrics.horizontalAdvance(number_text(x)) for x in (self.minimum(), self.maximum()))
        wanted = metrics.horizontalAdvance(_SIZE_SAMPLE)
        if wanted < ends:
            hint.setWidth(hint.width() - ends + wanted)
        return hint

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self._base_tooltip = text
        self._refresh_tooltip()

    def set_warning_colour(self, colour: str) -> None:
        self._warning_colour = colour
        self._refresh_style()

    def set_zoom(self, factor: float) -> None:
        """Scale the red border; deferred, because a style sheet set before the application's
        new font has reached the widget would keep the old font size."""
        self._zoom = factor
        if self._problem:
            QTimer.singleShot(0, self, self._refresh_style)

    def _set_problem(self, problem: str) -> None:
        if problem == self._problem:
            return
        self._problem = problem
        self.setProperty("invalid", bool(problem))
        self._refresh_style()
        self._refresh_tooltip()
        self.problemChanged.emit(problem)

    def _refresh_style(self) -> None:
        sheet = ""
        if self._problem:
            width = max(2, round(2 * self._zoom))
            sheet = (f'QAbstractSpinBox[invalid="true"] {{ border: {width}px solid {self._warning_colour}; '
                     f"border-radius: 3px; padding: 1px; }}")
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def _refresh_tooltip(self) -> None:
        text = self._base_tooltip
        if self._problem:
            text = f"Not used: {self._problem}." + (f"\n\n{text}" if text else "")
        super().setToolTip(text)

    def _refresh_text(self) -> None:
        wanted = self.textFromValue(self._exact)
        if self.lineEdit().text() != wanted:
            self.lineEdit().setText(wanted)


class CountSpinBox(QSpinBox):
    """A QSpinBox for counts (max steps, seed): C locale, commits on Enter, adaptive steps.

    Like :class:`ExactDoubleSpinBox`, the mouse wheel only turns it when it has the focus.
    """

    def __init__(self, parent: QWidget | None = None, *, minimum: int = 0,
                 maximum: int = 2**31 - 1, value: int = 0) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.setAccelerated(True)
        self.setRange(minimum, maximum)
        self.setValue(value)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


__all__ = ["CountSpinBox", "ExactDoubleSpinBox", "LIMIT"]
