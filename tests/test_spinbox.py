"""The exact spin box, used as a student uses it: typing, Enter, Tab, the arrow keys."""

from __future__ import annotations

import struct
import sys

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QVBoxLayout, QWidget

from gdnode_gui.ui.setup.spinbox import CountSpinBox, ExactDoubleSpinBox


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


@pytest.fixture
def box(qtbot):
    spin = ExactDoubleSpinBox()
    qtbot.addWidget(spin)
    return spin


def type_text(qtbot, box, text, key=Qt.Key.Key_Return):
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    if key is not None:
        qtbot.keyClick(box.lineEdit(), key)


def test_it_is_a_qdoublespinbox_without_the_defaults_that_lose_numbers(box):
    assert isinstance(box, QDoubleSpinBox)
    assert box.decimals() >= 300
    assert box.minimum() == -1e300 and box.maximum() == 1e300
    assert box.locale() == QLocale.c()
    assert not box.keyboardTracking()


@pytest.mark.parametrize("value", [0.001, 1e-07, 0.1119, -3.5e-12, 0.5999999999999994, 0.1,
                                   0.30000000000000004, 123456789.123, 5e-324, -1e300])
def test_set_value_keeps_every_bit(box, value):
    box.setValue(value)
    assert bits(box.value()) == bits(value)
    assert float(box.text()) == value


@pytest.mark.parametrize("typed, expected, shown", [
    ("0.001", 0.001, "0.001"), ("1e-7", 1e-07, "1e-07"), ("0.1119", 0.1119, "0.1119"),
    ("-3.5e-12", -3.5e-12, "-3.5e-12"), ("0.5999999999999994", 0.5999999999999994, "0.5999999999999994"),
    ("0,25", 0.25, "0.25"), ("1E3", 1000.0, "1000"), ("2.50", 2.5, "2.5"),
])
def test_typed_numbers_are_kept_exactly(qtbot, box, typed, expected, shown):
    with qtbot.waitSignal(box.valueChanged, timeout=1000):
        type_text(qtbot, box, typed)
    assert bits(box.value()) == bits(expected)
    assert box.text() == shown
    assert box.problem() == ""


def test_value_changed_fires_once_per_committed_value(qtbot, box):
    seen = []
    box.valueChanged.connect(lambda v: seen.append(box.value()))
    type_text(qtbot, box, "1e-7", key=None)
    assert seen == []  # half-typed "1", "1e", "1e-" never reach the value
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert seen == [1e-07]
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert seen == [1e-07]  # Enter again: nothing new


@pytest.mark.parametrize("typed, words", [
    ("abc", "'abc' is not a number"), ("1e999", "too large"), ("nan", "not a finite number"),
    ("1,000.5", "decimal point"), ("1e309", "too large"), ("2e300", "above the largest allowed value, 1e+300"),
])
def test_invalid_text_is_marked_explained_and_never_used(qtbot, box, typed, words):
    box.setValue(0.4)
    box.setToolTip("The starting weight.")
    changed, problems = [], []
    box.valueChanged.connect(changed.append)
    box.problemChanged.connect(problems.append)
    type_text(qtbot, box, typed)
    assert box.value() == 0.4
    assert changed == []
    assert box.text() == typed  # the box still shows what the student typed
    assert box.property("invalid") is True
    assert "border" in box.styleSheet()
    assert words in box.problem() and problems == [box.problem()]
    assert words in box.toolTip() and "The starting weight." in box.toolTip()
    assert not box.hasAcceptableInput()
    # fixing it clears the mark at once and commits on Enter
    type_text(qtbot, box, "0.45")
    assert box.value() == 0.45 and changed == [0.45]
    assert box.problem() == "" and problems[-1] == ""
    assert box.property("invalid") is False and box.styleSheet() == ""
    assert box.toolTip() == "The starting weight."


def test_half_typed_text_is_not_marked_before_it_is_committed(qtbot, box):
    problems = []
    box.problemChanged.connect(problems.append)
    type_text(qtbot, box, "1e", key=None)
    assert problems == [] and box.problem() == ""
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert problems == ["'1e' is not a number"]
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_End)  # Enter selected the text: go to its end
    qtbot.keyClicks(box.lineEdit(), "-")  # still wrong: the message follows the text
    assert problems[-1] == "'1e-' is not a number"
    qtbot.keyClicks(box.lineEdit(), "7")
    assert problems[-1] == "" and box.value() == 0.0  # good text, not yet committed
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert box.value() == 1e-07


def test_above_the_maximum_is_explained(qtbot, box):
    box.setRange(0.0, 1.0)
    type_text(qtbot, box, "2")
    assert box.problem() == "2 is above the largest allowed value, 1"


def test_below_the_minimum_uses_the_explanation(qtbot):
    alpha = ExactDoubleSpinBox(minimum=0.0, value=0.1)
    qtbot.addWidget(alpha)
    alpha.setMinimumExplanation("alpha must not be negative")
    type_text(qtbot, alpha, "-0.1")
    assert alpha.value() == 0.1
    assert alpha.problem() == "alpha must not be negative"


def test_limits_clamp_and_refuse_non_finite(box):
    box.setValue(1e308)
    assert box.value() == 1e300
    box.setValue(-1e308)
    assert box.value() == -1e300
    with pytest.raises(ValueError):
        box.setValue(float("nan"))
    box.setRange(0.0, 1.0)
    assert box.value() == 0.0
    box.setValue(5)
    assert box.value() == 1.0 and isinstance(box.value(), float)


def test_a_loaded_value_beyond_the_range_is_shown_as_it_is(box):
    box.show_value(1.5e308)
    assert box.value() == 1.5e308 and box.maximum() == 1.5e308 and box.minimum() == -1e300
    box.stepBy(10)  # stepping stops at the end of the range instead of overflowing
    assert box.value() == 1.5e308
    box.show_value(sys.float_info.max)
    box.stepBy(1)
    assert box.value() == sys.float_info.max


def test_programmatic_set_value_clears_bad_text(qtbot, box):
    type_text(qtbot, box, "oops")
    assert box.problem()
    box.setValue(0.1119)
    assert box.problem() == "" and box.text() == "0.1119"


@pytest.mark.parametrize("start, steps, expected", [
    (0.1, 1, 0.2), (0.2, 1, 0.3), (0.1, -1, 0.09), (1e-07, 1, 2e-07), (0.9, 1, 1.0), (1.0, 1, 2.0),
    (0.0, 1, 0.1), (0.0, -1, -0.1), (-0.1, 1, -0.09), (0.4, 3, 0.7), (10.0, -1, 9.0),
])
def test_arrows_step_by_the_first_significant_digit_in_decimal(box, start, steps, expected):
    box.setValue(start)
    box.stepBy(steps)
    assert bits(box.value()) == bits(expected)


def test_fixed_steps_when_asked(box):
    box.setAdaptiveStep(False)
    box.setSingleStep(0.25)
    box.setValue(1.0)
    box.stepBy(2)
    assert box.value() == 1.5


def test_up_key_steps_once_and_emits_once(qtbot, box):
    box.setValue(0.1)
    seen = []
    box.valueChanged.connect(lambda v: seen.append(box.value()))
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert seen == [0.2]
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert seen == [0.2, 0.1, 0.09]


def test_tab_commits_the_typed_value(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    box = ExactDoubleSpinBox(window)
    other = QLineEdit(window)
    layout.addWidget(box)
    layout.addWidget(other)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    with qtbot.waitSignal(box.valueChanged, timeout=1000):
        type_text(qtbot, box, "0.1119", key=Qt.Key.Key_Tab)
    qtbot.waitUntil(other.hasFocus)
    assert box.value() == 0.1119
    # bad text and leaving the box: the text stays, marked
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    type_text(qtbot, box, "zz", key=None)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert box.text() == "zz" and box.problem() == "'zz' is not a number" and box.value() == 0.1119


def test_wheel_does_not_turn_a_box_without_focus(qtbot, box):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    box.setValue(1.0)
    event = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    box.wheelEvent(event)
    assert box.value() == 1.0
    assert not event.isAccepted()


def test_count_spin_box_commits_on_enter(qtbot):
    steps = CountSpinBox(minimum=1, maximum=10_000_000, value=325)
    qtbot.addWidget(steps)
    seen = []
    steps.valueChanged.connect(seen.append)
    steps.lineEdit().selectAll()
    qtbot.keyClicks(steps.lineEdit(), "10000000")
    assert seen == []
    qtbot.keyClick(steps.lineEdit(), Qt.Key.Key_Return)
    assert seen == [10_000_000]
    steps.setValue(0)
    assert steps.value() == 1
