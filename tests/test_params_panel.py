"""The parameter panel through its controls, as a student uses it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QSpinBox,
)

from gdnode_gui.core.setup import Example, Setup, read_setup_text, seed_setup
from gdnode_gui.ui.setup.params_panel import ParamsPanel

THREE = Setup(
    name="three inputs", description="toes, win/loss record, fans",
    examples=(Example((8.5, 0.65, 1.2), 1.0), Example((9.5, 0.8, 1.3), 1.0), Example((9.9, 0.8, 0.5), 0.0)),
    input_names=("toes", "wlrec", "nfans"), weights=(0.1, 0.5999999999999994, -3.5e-12),
    frozen=(True, False, False), alpha=0.1119, max_steps=10_000_000, tolerance=1e-12,
    stop_on_stall=False, order="shuffled", seed=42,
)


@pytest.fixture
def panel(qtbot, normal_font):
    widget = ParamsPanel()
    qtbot.addWidget(widget)
    widget.resize(280, 600)
    widget.show()
    return widget


def child(panel, kind, name):
    found = panel.findChild(kind, name)
    assert found is not None, name
    return found


def type_into(qtbot, box, text, key=Qt.Key.Key_Return):
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), key)


def test_object_names_kinds_tooltips_and_accessible_names(panel):
    panel.set_setup(THREE)
    doubles = [f"inputSpinBox_{i}" for i in (1, 2, 3)] + [f"weightSpinBox_{i}" for i in (1, 2, 3)] + [
        "goalSpinBox", "alphaSpinBox", "toleranceSpinBox"]
    for name in doubles:
        box = child(panel, QDoubleSpinBox, name)
        assert box.toolTip() and box.accessibleName(), name
    for name in ("maxStepsSpinBox", "seedSpinBox"):
        box = child(panel, QSpinBox, name)
        assert box.toolTip() and box.accessibleName(), name
    assert child(panel, QSpinBox, "maxStepsSpinBox").maximum() == 10_000_000
    assert child(panel, QSpinBox, "maxStepsSpinBox").minimum() == 1
    for name in ("stopOnStallCheckBox", "freezeCheckBox_1", "freezeCheckBox_3"):
        assert child(panel, QCheckBox, name).toolTip()
    for name in ("addInputButton", "removeInputButton"):
        button = child(panel, QAbstractButton, name)
        assert button.toolTip() and button.accessibleName()
    combo = child(panel, QComboBox, "orderComboBox")
    assert [combo.itemText(i) for i in range(combo.count())] == ["cyclic", "shuffled", "batch"]
    for i in range(combo.count()):
        assert combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
    assert "Grokking" in child(panel, QCheckBox, "freezeCheckBox_2").toolTip()


def test_labels_use_the_input_names_and_are_buddies(panel):
    panel.set_setup(THREE)
    labels = {label.buddy().objectName(): label.text() for label in panel.findChildren(QLabel) if label.buddy()}
    assert labels["inputSpinBox_1"] == "toes input"
    assert labels["weightSpinBox_2"] == "wlrec weight"
    assert labels["alphaSpinBox"] == "&alpha"
    assert labels["goalSpinBox"] == "&goal"
    panel.set_setup(seed_setup().replace(input_names=()))
    labels = {label.buddy().objectName(): label.text() for label in panel.findChildren(QLabel) if label.buddy()}
    assert labels["inputSpinBox_1"] == "input 1"


def test_set_setup_shows_it_exactly_without_emitting(qtbot, panel):
    emitted = []
    panel.setupChanged.connect(emitted.append)
    panel.set_setup(THREE)
    assert emitted == []
    assert panel.setup() == THREE
    assert panel.setup().to_dict() == THREE.to_dict()
    assert child(panel, QDoubleSpinBox, "weightSpinBox_2").value() == 0.5999999999999994
    assert child(panel, QDoubleSpinBox, "weightSpinBox_3").text() == "-3.5e-12"
    assert child(panel, QDoubleSpinBox, "alphaSpinBox").text() == "0.1119"
    assert child(panel, QDoubleSpinBox, "toleranceSpinBox").value() == 1e-12
    panel.set_setup(seed_setup())
    assert panel.setup() == seed_setup() and emitted == []


def test_huge_loaded_values_are_not_clamped(panel):
    huge = THREE.replace(weights=(1.7976931348623157e308, -1.5e305, 0.0),
                         examples=(Example((1e305, 0.0, -1e301), 1e302), *THREE.examples[1:]))
    panel.set_setup(huge)
    assert panel.setup() == huge


def test_a_seed_too_big_for_the_spin_box_is_kept(panel):
    big = THREE.replace(seed=2**40)
    panel.set_setup(big)
    assert panel.setup().seed == 2**40


@pytest.mark.parametrize("name, typed, field", [
    ("alphaSpinBox", "0.001", lambda s: s.alpha), ("alphaSpinBox", "1e-7", lambda s: s.alpha),
    ("weightSpinBox_1", "0.1119", lambda s: s.weights[0]), ("weightSpinBox_1", "-3.5e-12", lambda s: s.weights[0]),
    ("inputSpinBox_1", "0.5999999999999994", lambda s: s.examples[0].inputs[0]),
    ("goalSpinBox", "0,001", lambda s: s.examples[0].goal), ("toleranceSpinBox", "1e-7", lambda s: s.tolerance),
])
def test_typing_a_value_sends_exactly_that_setup_once(qtbot, panel, name, typed, field):
    emitted = []
    panel.setupChanged.connect(emitted.append)
    type_into(qtbot, child(panel, QDoubleSpinBox, name), typed)
    assert len(emitted) == 1
    expected = float(typed.replace(",", "."))
    assert field(emitted[0]) == expected and field(panel.setup()) == expected
    # saving and opening the setup keeps it
    assert field(read_setup_text(emitted[0].to_json())) == expected


def test_max_steps_and_stop_on_stall(qtbot, panel):
    emitted = []
    panel.setupChanged.connect(emitted.append)
    steps = child(panel, QSpinBox, "maxStepsSpinBox")
    steps.lineEdit().selectAll()
    qtbot.keyClicks(steps.lineEdit(), "5000")
    qtbot.keyClick(steps.lineEdit(), Qt.Key.Key_Return)
    assert emitted[-1].max_steps == 5000
    child(panel, QCheckBox, "stopOnStallCheckBox").click()
    assert emitted[-1].stop_on_stall is False and len(emitted) == 2


def test_invalid_text_is_explained_and_never_reaches_the_node(qtbot, panel):
    emitted, problems = [], []
    panel.setupChanged.connect(emitted.append)
    panel.problemChanged.connect(problems.append)
    weight = child(panel, QDoubleSpinBox, "weightSpinBox_1")
    type_into(qtbot, weight, "abc")
    assert emitted == []
    assert panel.problem() == "stick weight: 'abc' is not a number"
    assert problems == [panel.problem()]
    assert panel.problemLabel.isVisibleTo(panel) and "abc" in panel.problemLabel.text()
    assert panel.setup().weights == (0.4,)
    # another edit meanwhile is held back too
    type_into(qtbot, child(panel, QDoubleSpinBox, "alphaSpinBox"), "0.2")
    assert emitted == []
    # fixing the entry (even back to its old value) sends the setup with both edits
    type_into(qtbot, weight, "0.4")
    assert panel.problem() == "" and problems[-1] == ""
    assert not panel.problemLabel.isVisibleTo(panel)
    assert emitted and emitted[-1].alpha == 0.2 and emitted[-1].weights == (0.4,)


def test_a_new_setup_replaces_a_bad_entry_silently(qtbot, panel):
    type_into(qtbot, child(panel, QDoubleSpinBox, "alphaSpinBox"), "abc")
    emitted, problems = [], []
    panel.setupChanged.connect(emitted.append)
    panel.problemChanged.connect(problems.append)
    panel.set_setup(THREE)
    assert emitted == [] and problems == [""] and panel.problem() == ""
    assert child(panel, QDoubleSpinBox, "alphaSpinBox").text() == "0.1119"


def test_negative_alpha_is_refused_with_the_reason(qtbot, panel):
    type_into(qtbot, child(panel, QDoubleSpinBox, "alphaSpinBox"), "-0.1")
    assert "alpha must not be negative" in panel.problem()
    assert panel.setup().alpha == 0.1


def test_add_and_remove_inputs_from_1_to_16(qtbot, panel):
    emitted = []
    panel.setupChanged.connect(emitted.append)
    add, remove = panel.addInputButton, panel.removeInputButton
    assert not remove.isEnabled() and add.isEnabled()
    for n in range(2, 17):
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        assert emitted[-1].n_inputs == n
    assert not add.isEnabled() and remove.isEnabled()
    add.click()
    assert panel.n_inputs() == 16
    setup = panel.setup()
    assert setup.examples[0].inputs == (1.0,) * 16  # new inputs are 1 (a bias input), the stick is 1
    assert setup.weights == (0.4,) + (0.0,) * 15
    assert setup.input_names == ("stick",) + ("",) * 15
    for i in range(1, 17):
        assert panel.findChild(QDoubleSpinBox, f"inputSpinBox_{i}") is not None
        assert panel.findChild(QCheckBox, f"freezeCheckBox_{i}") is not None
    for n in range(15, 0, -1):
        remove.click()
        assert emitted[-1].n_inputs == n
    assert panel.findChild(QDoubleSpinBox, "inputSpinBox_2") is None
    assert panel.findChild(QDoubleSpinBox, "weightSpinBox_2") is None
    assert not remove.isEnabled()
    assert panel.setup() == seed_setup()


def test_inputs_are_added_to_every_example(panel):
    panel.set_setup(THREE)
    panel.addInputButton.click()
    assert [e.inputs[-1] for e in panel.setup().examples] == [1.0, 1.0, 1.0]
    panel.removeInputButton.click()
    panel.removeInputButton.click()
    assert panel.setup().examples[1] == Example((9.5, 0.8), 1.0)
    assert panel.setup().input_names == ("toes", "wlrec")


def test_freeze_check_boxes_map_to_frozen(qtbot, panel):
    panel.set_setup(THREE)
    emitted = []
    panel.setupChanged.connect(emitted.append)
    qtbot.mouseClick(child(panel, QCheckBox, "freezeCheckBox_2"), Qt.MouseButton.LeftButton)
    assert emitted[-1].frozen == (True, True, False)
    child(panel, QCheckBox, "freezeCheckBox_1").click()
    assert emitted[-1].frozen == (False, True, False)


def test_order_and_seed(qtbot, panel):
    emitted = []
    panel.setupChanged.connect(emitted.append)
    combo, seed = child(panel, QComboBox, "orderComboBox"), child(panel, QSpinBox, "seedSpinBox")
    assert not seed.isEnabled()
    combo.setCurrentIndex(combo.findData("shuffled"))
    assert emitted[-1].order == "shuffled" and seed.isEnabled()
    seed.lineEdit().selectAll()
    qtbot.keyClicks(seed.lineEdit(), "7")
    qtbot.keyClick(seed.lineEdit(), Qt.Key.Key_Return)
    assert emitted[-1].seed == 7
    combo.setCurrentIndex(combo.findData("batch"))
    assert emitted[-1].order == "batch" and not seed.isEnabled()


def test_set_editable_locks_and_unlocks(panel):
    panel.set_setup(THREE)
    panel.set_editable(False)
    for box in panel.findChildren(QDoubleSpinBox) + panel.findChildren(QSpinBox):
        assert box.isReadOnly(), box.objectName()
    for name in ("freezeCheckBox_1", "stopOnStallCheckBox"):
        assert not child(panel, QCheckBox, name).isEnabled()
    assert not panel.addInputButton.isEnabled() and not panel.removeInputButton.isEnabled()
    assert not child(panel, QComboBox, "orderComboBox").isEnabled()
    assert not child(panel, QSpinBox, "seedSpinBox").isEnabled()
    panel.set_editable(True)
    assert not child(panel, QDoubleSpinBox, "alphaSpinBox").isReadOnly()
    assert panel.addInputButton.isEnabled() and child(panel, QSpinBox, "seedSpinBox").isEnabled()


def test_first_example_and_examples_api_without_signals(panel):
    emitted = []
    panel.setupChanged.connect(emitted.append)
    panel.set_examples([Example((2.0, 3.0), 5.0), Example((1.0, 1.0), 2.0)], ("a", "b"))
    assert panel.n_inputs() == 2
    assert panel.setup().weights == (0.4, 0.0)
    assert child(panel, QDoubleSpinBox, "inputSpinBox_2").value() == 3.0
    panel.set_first_example(Example((0.1119, 1e-07), 0.6))
    assert panel.setup().examples == (Example((0.1119, 1e-07), 0.6), Example((1.0, 1.0), 2.0))
    assert panel.setup().input_names == ("a", "b")
    with pytest.raises(ValueError):
        panel.set_first_example(Example((1.0,), 0.0))
    assert emitted == []


def test_commit_takes_text_typed_without_enter(qtbot, panel):
    panel.window().activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    alpha = child(panel, QDoubleSpinBox, "alphaSpinBox")
    alpha.setFocus()
    qtbot.waitUntil(alpha.hasFocus)
    alpha.lineEdit().selectAll()
    qtbot.keyClicks(alpha.lineEdit(), "0.05")
    assert panel.setup().alpha == 0.1
    with qtbot.waitSignal(panel.setupChanged, timeout=1000):
        panel.commit()
    assert panel.setup().alpha == 0.05


def test_fits_the_left_side_of_a_small_window_with_16_long_inputs(qtbot, panel):
    names = tuple(f"a rather long input name {i}" for i in range(16))
    panel.set_setup(Setup(examples=(Example((1.0,) * 16, 1.0),), weights=(0.0,) * 16, alpha=0.01,
                          input_names=names))
    qtbot.wait(10)
    assert panel.minimumSizeHint().width() <= 280
    label = next(lb for lb in panel.findChildren(QLabel) if lb.buddy() is not None
                 and lb.buddy().objectName() == "inputSpinBox_1")
    assert label.toolTip() == names[0] and len(label.text()) < 30


def test_zoom_follows_the_app_font_and_scales_check_boxes(qtbot, panel):
    app = QApplication.instance()
    font = app.font()
    before = panel.findChild(QDoubleSpinBox, "alphaSpinBox").font().pointSizeF()
    bigger = type(font)(font)
    bigger.setPointSizeF(font.pointSizeF() * 2)
    try:
        app.setFont(bigger)
        panel.set_zoom(2.0)
        qtbot.waitUntil(lambda: "indicator" in panel.styleSheet())
        qtbot.waitUntil(lambda: child(panel, QDoubleSpinBox, "alphaSpinBox").font().pointSizeF() == 2 * before)
        assert child(panel, QCheckBox, "stopOnStallCheckBox").font().pointSizeF() == 2 * before
    finally:
        app.setFont(font)
        panel.set_zoom(1.0)
    qtbot.waitUntil(lambda: panel.styleSheet() == "")
    qtbot.waitUntil(lambda: child(panel, QDoubleSpinBox, "alphaSpinBox").font().pointSizeF() == before)



def test_theme_colours_the_problem(qtbot, panel):
    from gdnode_gui.ui.style.theme import DARK
    panel.apply_theme(DARK)
    type_into(qtbot, child(panel, QDoubleSpinBox, "goalSpinBox"), "x")
    assert DARK.warning in panel.problemLabel.styleSheet()
    assert DARK.warning in child(panel, QDoubleSpinBox, "goalSpinBox").styleSheet()
