"""The examples table: editing, rows, paste, import, copy, rename, as a user does them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QInputDialog, QLabel, QTableView

from gdnode_gui.core.setup import Example, Setup, read_setup_text, seed_setup
from gdnode_gui.ui.setup.examples_editor import ExamplesEditor
from gdnode_gui.ui.setup.spinbox import ExactDoubleSpinBox

THREE = Setup(
    examples=(Example((8.5, 0.65, 1.2), 1.0), Example((9.5, 0.8, 1.3), 1.0), Example((9.9, 0.8, 0.5), 0.0)),
    input_names=("toes", "wlrec", "nfans"), weights=(0.1, 0.2, -0.1), alpha=0.01,
)


@pytest.fixture
def editor(qtbot):
    widget = ExamplesEditor()
    qtbot.addWidget(widget)
    widget.resize(280, 300)
    widget.show()
    widget.set_setup(THREE)
    return widget


def table(editor) -> QTableView:
    view = editor.findChild(QTableView, "examplesTableView")
    assert view is not None
    return view


def button(editor, name) -> QAbstractButton:
    found = editor.findChild(QAbstractButton, name)
    assert found is not None, name
    return found


def changes(editor):
    seen = []
    editor.examplesChanged.connect(lambda: seen.append(editor.examples()))
    return seen


def paste_keys(qtbot, editor, text):
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(table(editor), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_object_names_tooltips_and_model(qtbot, qtmodeltester, editor):
    for name in ("addExampleButton", "removeExampleButton", "moveExampleUpButton", "moveExampleDownButton",
                 "pasteExamplesButton", "importExamplesButton", "renameInputButton"):
        assert button(editor, name).toolTip() and button(editor, name).accessibleName()
    view = table(editor)
    assert view.toolTip() and view.accessibleName()
    model = view.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["toes", "wlrec", "nfans", "goal"]
    assert model.index(0, 1).data() == "0.65"
    qtmodeltester.check(model)


def test_set_setup_round_trips(editor):
    assert editor.examples() == THREE.examples
    assert editor.input_names() == ("toes", "wlrec", "nfans")
    editor.set_setup(seed_setup().replace(input_names=()))
    assert editor.input_names() == () and editor.n_inputs() == 1


def edit_cell(qtbot, editor, row, column, text):
    view = table(editor)
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    cell = view.indexWidget(index)
    assert isinstance(cell, ExactDoubleSpinBox)
    cell.lineEdit().selectAll()
    qtbot.keyClicks(cell.lineEdit(), text)
    qtbot.keyClick(cell.lineEdit(), Qt.Key.Key_Return)
    # the delegate commits and closes the editor in a queued call, as Qt does
    qtbot.waitUntil(lambda: view.state() != QTableView.State.EditingState)


@pytest.mark.parametrize("typed, expected", [("0.1119", 0.1119), ("1e-7", 1e-07), ("-3.5e-12", -3.5e-12),
                                             ("0.5999999999999994", 0.5999999999999994), ("0,001", 0.001)])
def test_editing_a_cell_stores_exactly_what_was_typed(qtbot, editor, typed, expected):
    seen = changes(editor)
    edit_cell(qtbot, editor, 1, 3, typed)
    assert editor.examples()[1].goal == expected
    assert len(seen) == 1
    assert table(editor).model().index(1, 3).data() == repr(expected)
    setup = THREE.replace(examples=editor.examples())
    assert read_setup_text(setup.to_json()).examples[1].goal == expected


def test_a_cell_that_is_not_a_number_keeps_its_value_and_says_why(qtbot, editor):
    seen = changes(editor)
    edit_cell(qtbot, editor, 2, 0, "abc")
    assert editor.examples() == THREE.examples and seen == []
    label = editor.findChild(QLabel, "examplesMessageLabel")
    assert label.isVisibleTo(editor)
    assert label.text() == "row 3, toes: 'abc' is not a number; the old value 9.9 is kept"


def test_add_remove_and_reorder_rows(qtbot, editor):
    seen = changes(editor)
    view = table(editor)
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.mouseClick(button(editor, "addExampleButton"), Qt.MouseButton.LeftButton)
    assert editor.examples()[:2] == (THREE.examples[0], THREE.examples[0]) and len(editor.examples()) == 4
    assert view.currentIndex().row() == 1
    button(editor, "removeExampleButton").click()
    assert editor.examples() == THREE.examples
    view.setCurrentIndex(view.model().index(2, 1))
    button(editor, "moveExampleUpButton").click()
    assert editor.examples() == (THREE.examples[0], THREE.examples[2], THREE.examples[1])
    assert view.currentIndex().row() == 1
    button(editor, "moveExampleUpButton").click()
    assert editor.examples()[0] == THREE.examples[2]
    assert not button(editor, "moveExampleUpButton").isEnabled()
    button(editor, "moveExampleDownButton").click()
    button(editor, "moveExampleDownButton").click()
    assert editor.examples() == THREE.examples
    assert not button(editor, "moveExampleDownButton").isEnabled()
    assert len(seen) == 6


def test_one_example_always_stays(editor):
    view = table(editor)
    view.selectAll()
    button(editor, "removeExampleButton").click()
    assert len(editor.examples()) == 1
    assert not button(editor, "removeExampleButton").isEnabled()
    button(editor, "removeExampleButton").click()
    assert len(editor.examples()) == 1


def test_paste_a_spreadsheet_block_with_ctrl_v(qtbot, editor):
    seen, counts = changes(editor), []
    editor.inputCountChanged.connect(counts.append)
    paste_keys(qtbot, editor, "size\tage\tprice\n0.1119\t1e-7\t3\n2\t-3.5e-12\t0.5999999999999994\n")
    assert editor.examples() == (Example((0.1119, 1e-07), 3.0), Example((2.0, -3.5e-12), 0.5999999999999994))
    assert editor.input_names() == ("size", "age")
    assert counts == [2] and len(seen) == 1
    assert "2 examples pasted" in editor.findChild(QLabel, "examplesMessageLabel").text()


def test_paste_button_csv_with_comma_separator_and_semicolons_with_decimal_commas(qtbot, editor):
    QGuiApplication.clipboard().setText("1.5,2.5,3.5,4\n")
    qtbot.mouseClick(button(editor, "pasteExamplesButton"), Qt.MouseButton.LeftButton)
    assert editor.examples() == (Example((1.5, 2.5, 3.5), 4.0),)
    assert editor.input_names() == ("toes", "wlrec", "nfans")  # same inputs, no header: names stay
    editor.paste("a;goal\n0,5;0,25\n1,5;0,75\n")
    assert editor.examples() == (Example((0.5,), 0.25), Example((1.5,), 0.75))
    assert editor.input_names() == ("a",)


def test_a_single_number_pastes_into_the_current_cell(qtbot, editor):
    view = table(editor)
    view.setCurrentIndex(view.model().index(1, 2))
    paste_keys(qtbot, editor, "0,1119\n")
    assert editor.examples()[1].inputs == (9.5, 0.8, 0.1119)
    assert len(editor.examples()) == 3


def test_a_table_that_does_not_parse_is_refused_with_a_message(qtbot, editor, warnings):
    seen = changes(editor)
    paste_keys(qtbot, editor, "1\t2\n3\tabc\n")
    assert editor.examples() == THREE.examples and seen == []
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "Cannot paste the examples"
    assert "row 2, column 2: 'abc' is not a number" in text
    assert "row 2, column 2" in editor.findChild(QLabel, "examplesMessageLabel").text()


def test_import_a_csv_file(qtbot, editor, tmp_path, monkeypatch, warnings):
    path = tmp_path / "houses.csv"
    path.write_text("goal,rooms\n0.5999999999999994,3\n1e-7,4\n")
    asked = []

    def fake_open(parent, caption, directory, filters, *args, **kwargs):
        asked.append(caption)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    seen, counts = changes(editor), []
    editor.inputCountChanged.connect(counts.append)
    qtbot.mouseClick(button(editor, "importExamplesButton"), Qt.MouseButton.LeftButton)
    assert asked and warnings == []
    assert editor.examples() == (Example((3.0,), 0.5999999999999994), Example((4.0,), 1e-07))
    assert editor.input_names() == ("rooms",)
    assert counts == [1] and len(seen) == 1
    setup = Setup(examples=editor.examples(), weights=(0.0,), alpha=0.1, input_names=editor.input_names())
    assert Setup.from_dict(setup.to_dict()) == setup


def test_import_cancelled_or_broken(qtbot, editor, tmp_path, monkeypatch, warnings):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    button(editor, "importExamplesButton").click()
    assert editor.examples() == THREE.examples and warnings == []
    bad = tmp_path / "bad.csv"
    bad.write_text("x;goal\n1;2\n3;nan\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    button(editor, "importExamplesButton").click()
    assert editor.examples() == THREE.examples
    assert warnings and warnings[0][0] == "Cannot import bad.csv"
    assert "row 3, column 2: 'nan' is not a finite number" in warnings[0][1]


def test_copy_with_ctrl_c_then_paste_back_gives_the_same_table(qtbot, editor):
    editor.set_setup(THREE.replace(examples=(Example((0.1119, 1e-07, -3.5e-12), 0.5999999999999994),
                                             *THREE.examples[1:])))
    view = table(editor)
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    assert text.splitlines()[0] == "toes\twlrec\tnfans\tgoal"
    assert text.splitlines()[1] == "0.1119\t1e-07\t-3.5e-12\t0.5999999999999994"
    before = editor.examples()
    editor.set_setup(seed_setup())
    paste_keys(qtbot, editor, text)
    assert editor.examples() == before and editor.input_names() == ("toes", "wlrec", "nfans")


def test_copy_a_few_cells(qtbot, editor):
    view = table(editor)
    model = view.model()
    view.setCurrentIndex(model.index(0, 1))
    view.selectionModel().select(model.index(1, 1), view.selectionModel().SelectionFlag.Select)
    assert editor.selected_text() == "0.65\n0.8\n"


def test_rename_an_input_by_double_clicking_its_header(qtbot, editor, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("  number of   toes ", True)))
    seen = changes(editor)
    header = table(editor).horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    from PySide6.QtCore import QPoint
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert editor.input_names() == ("number of toes", "wlrec", "nfans")
    assert len(seen) == 1
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("ignored", False)))
    button(editor, "renameInputButton").click()
    assert editor.input_names()[0] == "number of toes"


def test_locked_while_running(qtbot, editor, warnings):
    editor.set_editable(False)
    for name in ("addExampleButton", "removeExampleButton", "pasteExamplesButton", "importExamplesButton",
                 "renameInputButton", "moveExampleUpButton", "moveExampleDownButton"):
        assert not button(editor, name).isEnabled(), name
    paste_keys(qtbot, editor, "1\t2\n")
    assert editor.examples() == THREE.examples
    view = table(editor)
    assert not view.model().flags(view.model().index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    editor.set_editable(True)
    assert button(editor, "pasteExamplesButton").isEnabled()


def test_commit_stores_a_cell_being_typed(qtbot, editor):
    view = table(editor)
    index = view.model().index(0, 3)
    view.setCurrentIndex(index)
    view.edit(index)
    cell = view.indexWidget(index)
    cell.lineEdit().selectAll()
    qtbot.keyClicks(cell.lineEdit(), "0.1119")
    seen = changes(editor)
    editor.commit()
    assert editor.examples()[0].goal == 0.1119 and len(seen) == 1
    assert view.state() != QTableView.State.EditingState


def test_programmatic_changes_emit_nothing(editor):
    seen = changes(editor)
    editor.set_first_example(Example((1.0, 2.0, 3.0), 4.0))
    editor.set_examples(seed_setup().examples, ("stick",))
    editor.set_input_names(("stone",))
    assert seen == [] and editor.input_names() == ("stone",)


def test_set_input_count_adds_ones_and_drops_columns(editor):
    seen = changes(editor)
    editor.set_input_count(4)
    assert [e.inputs for e in editor.examples()] == [(8.5, 0.65, 1.2, 1.0), (9.5, 0.8, 1.3, 1.0), (9.9, 0.8, 0.5, 1.0)]
    assert editor.input_names() == ("toes", "wlrec", "nfans", "")
    editor.set_input_count(1)
    assert editor.examples()[2] == Example((9.9,), 0.0) and editor.input_names() == ("toes",)
    assert seen == []


def test_the_row_limit_disables_adding(editor):
    editor.set_examples([Example((1.0,), 2.0)] * 10_000)
    assert not button(editor, "addExampleButton").isEnabled()
    editor.add_example()
    assert len(editor.examples()) == 10_000


def test_the_table_is_as_tall_as_its_few_rows_and_shows_the_goal_with_several_inputs(editor, qtbot):
    from gdnode_gui.resources import load_preset

    editor.resize(260, 500)
    editor.show()
    qtbot.waitExposed(editor)
    view = table(editor)
    one_row = view.verticalHeader().defaultSectionSize()
    assert view.height() < view.horizontalHeader().height() + 3 * one_row + 40  # no large empty box
    editor.set_setup(load_preset("several-inputs"))  # three inputs and the goal
    qtbot.waitUntil(lambda: view.columnViewportPosition(3) >= 0)
    goal = view.columnViewportPosition(3) + view.columnWidth(3)
    assert goal <= view.viewport().width() + 1  # the goal column is whole, not cut
