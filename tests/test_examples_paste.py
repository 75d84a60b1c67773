"""Pasting what is meant as numbers but is not usable (issue 12): the message says which cell."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from gdnode_gui.core.setup import seed_setup
from gdnode_gui.ui.setup.examples_editor import ExamplesEditor


@pytest.fixture
def editor(qtbot):
    widget = ExamplesEditor()
    qtbot.addWidget(widget)
    widget.set_setup(seed_setup())
    return widget


def test_pasting_nan_nan_names_the_first_cell(editor, warnings):
    editor.paste("nan\tnan\n")
    assert editor.examples() == seed_setup().examples
    (title, text), = warnings
    assert "row 1, column 1: 'nan' is not a finite number" in text
    assert "header" not in text


@pytest.mark.parametrize("text, words", [("nan", "'nan' is not a finite number"),
                                         ("abc", "'abc' is not a number")])
def test_pasting_one_unusable_value_into_a_cell_says_why(editor, warnings, text, words):
    view = editor.examplesTableView
    view.setCurrentIndex(view.model().index(0, 0))
    editor.paste(text)
    assert editor.examples() == seed_setup().examples
    (title, message), = warnings
    assert words in message
    assert words in editor.findChild(QLabel, "examplesMessageLabel").text()
