"""The setup editor keeps the parameter panel and the examples table in step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QCheckBox, QDoubleSpinBox, QFileDialog, QSpinBox, QTableView,
)

from gdnode_gui.core.setup import Example, Setup, read_setup_text, seed_setup
from gdnode_gui.ui.setup.setup_editor import SetupEditor


@pytest.fixture
def editor(qtbot, normal_font):
    widget = SetupEditor()
    qtbot.addWidget(widget)
    widget.resize(280, 700)
    widget.show()
    return widget


def emitted(editor):
    seen = []
    editor.setupChanged.connect(seen.append)
    return seen


def box(editor, name):
    found = editor.findChild(QAbstractSpinBox, name)
    assert found is not None, name
    return found


def type_into(qtbot, spin, text):
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def model(editor):
    return editor.findChild(QTableView, "examplesTableView").model()


def test_opens_on_the_seed_with_the_design_object_names(editor):
    assert editor.setup() == seed_setup()
    for name in ("inputSpinBox_1", "goalSpinBox", "weightSpinBox_1", "alphaSpinBox", "toleranceSpinBox"):
        assert isinstance(box(editor, name), QDoubleSpinBox)
    assert isinstance(box(editor, "maxStepsSpinBox"), QSpinBox)
    assert editor.findChild(QCheckBox, "stopOnStallCheckBox") is not None
    assert editor.problem() == ""


def test_the_first_example_is_the_first_row_both_ways(qtbot, editor):
    seen = emitted(editor)
    type_into(qtbot, box(editor, "inputSpinBox_1"), "0.1119")
    assert model(editor).index(0, 0).data(Qt.ItemDataRole.EditRole) == 0.1119
    assert len(seen) == 1 and seen[0].examples[0].inputs == (0.1119,)
    model(editor).setData(model(editor).index(0, 1), "1e-7")
    assert box(editor, "goalSpinBox").value() == 1e-07
    assert len(seen) == 2 and seen[1].examples[0] == Example((0.1119,), 1e-07)
    assert editor.setup() == seen[1]


def test_adding_an_input_adds_a_column_and_pasting_inputs_adds_weights(qtbot, editor):
    seen = emitted(editor)
    editor.findChild(QAbstractButton, "addInputButton").click()
    assert model(editor).columnCount() == 3
    assert seen[-1].n_inputs == 2
    editor.examplesEditor.paste("a\tb\tc\tgoal\n1\t2\t3\t4\n5\t6\t7\t8\n")
    setup = seen[-1]
    assert setup.n_inputs == 3 and setup.weights == (0.4, 0.0, 0.0)
    assert setup.examples == (Example((1.0, 2.0, 3.0), 4.0), Example((5.0, 6.0, 7.0), 8.0))
    assert setup.input_names == ("a", "b", "c")
    assert box(editor, "inputSpinBox_3").value() == 3.0
    assert editor.findChild(QDoubleSpinBox, "weightSpinBox_3") is not None
    editor.examplesEditor.paste("x;goal\n0,5;1\n")
    assert seen[-1].weights == (0.4,) and seen[-1].input_names == ("x",)
    assert editor.findChild(QDoubleSpinBox, "weightSpinBox_2") is None


def test_a_bad_entry_holds_back_table_edits_until_fixed(qtbot, editor):
    seen, problems = emitted(editor), []
    editor.problemChanged.connect(problems.append)
    type_into(qtbot, box(editor, "alphaSpinBox"), "fast")
    assert editor.problem() and problems == [editor.problem()]
    editor.examplesEditor.paste("1\t2\n3\t4\n")
    assert seen == []
    type_into(qtbot, box(editor, "alphaSpinBox"), "0.01")
    assert problems[-1] == "" and seen
    assert seen[-1].alpha == 0.01 and seen[-1].examples == (Example((1.0,), 2.0), Example((3.0,), 4.0))


def test_edits_survive_saving_and_opening(qtbot, editor, tmp_path, monkeypatch):
    seen = emitted(editor)
    type_into(qtbot, box(editor, "weightSpinBox_1"), "0.5999999999999994")
    type_into(qtbot, box(editor, "alphaSpinBox"), "1e-7")
    csv = tmp_path / "data.csv"
    csv.write_text("stick;goal\n1;0,6\n2;1,2\n-3.5e-12;0.1119\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(csv), "")))
    editor.findChild(QAbstractButton, "importExamplesButton").click()
    setup = seen[-1]
    reopened = read_setup_text(setup.to_json())
    assert reopened == setup == editor.setup()
    assert reopened.weights == (0.5999999999999994,) and reopened.alpha == 1e-07
    assert reopened.examples[2] == Example((-3.5e-12,), 0.1119)
    editor.set_setup(reopened)
    assert editor.setup().to_dict() == setup.to_dict()


def test_renaming_a_column_relabels_the_panel(qtbot, editor, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QLabel
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("stone", True)))
    seen = emitted(editor)
    editor.findChild(QAbstractButton, "renameInputButton").click()
    assert seen[-1].input_names == ("stone",)
    labels = [lb.text() for lb in editor.findChildren(QLabel)]
    assert "stone input" in labels and "stone weight" in labels


def test_set_setup_emits_nothing_and_shows_everything(editor):
    seen = emitted(editor)
    setup = Setup(examples=(Example((1.0, 2.0), 3.0), Example((4.0, 5.0), 6.0)), weights=(0.1, 0.2),
                  alpha=0.01, input_names=("a", "b"), order="batch")
    editor.set_setup(setup)
    assert seen == [] and editor.setup() == setup
    assert model(editor).rowCount() == 2 and model(editor).columnCount() == 3


def test_editable_compact_commit(qtbot, editor):
    editor.set_editable(False)
    assert box(editor, "alphaSpinBox").isReadOnly()
    assert not editor.findChild(QAbstractButton, "pasteExamplesButton").isEnabled()
    editor.set_editable(True)
    editor.set_compact(True)
    assert not editor.examplesEditor.isVisible()
    assert box(editor, "alphaSpinBox").isVisible() and not box(editor, "maxStepsSpinBox").isVisible()
    editor.set_compact(False)
    assert editor.examplesEditor.isVisible() and box(editor, "maxStepsSpinBox").isVisible()
    editor.window().activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    alpha = box(editor, "alphaSpinBox")
    alpha.setFocus()
    qtbot.waitUntil(alpha.hasFocus)
    alpha.lineEdit().selectAll()
    qtbot.keyClicks(alpha.lineEdit(), "0.3")
    editor.commit()
    assert editor.setup().alpha == 0.3


def test_fits_280_pixels_wide(editor, qtbot):
    editor.set_setup(Setup(examples=(Example((1.0,) * 16, 1.0),), weights=(0.0,) * 16, alpha=0.01))
    qtbot.wait(10)
    assert editor.minimumSizeHint().width() <= 280
    assert editor.sizeHint().width() <= 300


def test_the_parameters_get_the_height_they_need_until_the_user_drags(qtbot, editor):
    def balanced():
        top, bottom = editor.splitter.sizes()
        return top == min(editor.paramsPanel.preferred_height(), (top + bottom) * 2 // 3)

    qtbot.waitUntil(balanced)
    before = editor.splitter.sizes()[0]
    editor.set_setup(Setup(examples=(Example((1.0, 2.0, 3.0), 3.0),), weights=(0.0,) * 3, alpha=0.01))
    qtbot.waitUntil(lambda: editor.splitter.sizes()[0] > before)
    qtbot.waitUntil(balanced)
    editor.splitter.splitterMoved.emit(100, 1)  # the user drags the handle
    editor.splitter.setSizes([100, 600])
    editor.set_setup(seed_setup())
    qtbot.wait(20)
    assert editor.splitter.sizes()[0] == 100
