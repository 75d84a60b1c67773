"""Every keyboard shortcut of the window, pressed as a teacher would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QFileDialog, QLabel, QMessageBox, QTextEdit

from gdnode_gui.core import seed_setup
from gdnode_gui.ui import MainWindow


@pytest.fixture
def window(qtbot, monkeypatch):
    # Dialogs are answered "cancel" so that no shortcut can block the test.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.traceTableView.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.traceTableView)
    yield w
    w.close()


def press(qtbot, w, sequence: str) -> None:
    combo = QKeySequence(sequence)[0]
    qtbot.keyClick(QApplication.focusWidget() or w, combo.key(), combo.keyboardModifiers())


def test_every_action_shortcut_is_unique(window):
    seen = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text} is on both {seen.get(text)} and {action.objectName()}"
            seen[text] = action.objectName()
    for key in ("Space", "Right", "Left", "End", "Ctrl+R", "Ctrl+E", "F1", "Ctrl+O", "Ctrl+S", "Ctrl+Q", "F11",
                "Ctrl+=", "Ctrl++", "Ctrl+-", "Ctrl+0"):
        assert QKeySequence(key).toString() in seen, key


def test_right_arrow_steps_once(qtbot, window):
    press(qtbot, window, "Right")
    qtbot.waitUntil(lambda: window.run.n_steps == 1)
    press(qtbot, window, "Right")
    qtbot.waitUntil(lambda: window.run.n_steps == 2)
    assert window.run.weights == (0.43800000000000006,)


def test_left_shows_the_step_before_and_right_comes_back_then_steps_on(qtbot, window):
    for expected in (1, 2, 3):
        press(qtbot, window, "Right")
        qtbot.waitUntil(lambda: window.run.n_steps == expected and not window.running)
    label = window.findChild(QLabel, "nodeStepLabel")
    equations = window.findChild(QTextEdit, "equationView")
    qtbot.waitUntil(lambda: "Step 3" in label.text())
    press(qtbot, window, "Left")
    assert "Step 2 of 3" in label.text()
    assert "0.43800000000000006" in equations.toPlainText() or "0.438" in equations.toPlainText()
    assert window.run.n_steps == 3 and window.traceModel.rowCount() == 3  # the trace is untouched
    press(qtbot, window, "Right")
    assert "Step 3" in label.text() and "of" not in label.text()
    assert window.run.n_steps == 3
    press(qtbot, window, "Right")
    qtbot.waitUntil(lambda: window.run.n_steps == 4 and not window.running)


def test_space_runs_and_pauses(qtbot, window):
    window.set_setup(seed_setup().replace(max_steps=100_000, stop_on_stall=False))
    window.traceTableView.setFocus()
    press(qtbot, window, "Space")
    qtbot.waitUntil(lambda: window.run.n_steps >= 2, timeout=3000)
    press(qtbot, window, "Space")
    qtbot.waitUntil(lambda: not window.running, timeout=2000)
    held = window.run.n_steps
    qtbot.wait(300)
    assert window.run.n_steps == held < 100_000


def test_end_runs_to_the_end_and_ctrl_r_resets(qtbot, window):
    with qtbot.waitSignal(window.runFinished, timeout=20_000) as finished:
        press(qtbot, window, "End")
    assert finished.args == ["stalled"]
    press(qtbot, window, "Ctrl+R")
    assert window.run.n_steps == 0


def test_file_shortcuts_open_their_dialogs(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: asked.append("open") or ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append("save") or ("", "")))
    press(qtbot, window, "Ctrl+O")
    press(qtbot, window, "Ctrl+S")
    press(qtbot, window, "Right")
    qtbot.waitUntil(lambda: window.run.n_steps == 1)
    press(qtbot, window, "Ctrl+E")
    assert asked == ["open", "save", "save"]


def test_zoom_keys(qtbot, window):
    press(qtbot, window, "Ctrl+=")
    assert window.zoom > 1.0
    press(qtbot, window, "Ctrl+-")
    assert window.zoom == 1.0
    press(qtbot, window, "Ctrl+-")
    assert window.zoom < 1.0
    press(qtbot, window, "Ctrl+0")
    assert window.zoom == 1.0


def test_f11_full_screen_and_f1_help(qtbot, window):
    press(qtbot, window, "F11")
    assert window.actionFullScreen.isChecked()
    qtbot.waitUntil(window.isFullScreen)
    press(qtbot, window, "F11")
    assert not window.actionFullScreen.isChecked()
    press(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window._help_window is not None and window._help_window.isVisible())
    window._help_window.close()


def test_ctrl_q_closes_the_window(qtbot, window):
    press(qtbot, window, "Ctrl+Q")
    qtbot.waitUntil(lambda: not window.isVisible())


def test_keys_typed_into_a_spin_box_stay_there(qtbot, window):
    alpha = window.findChild(QDoubleSpinBox, "alphaSpinBox")
    alpha.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (alpha, alpha.lineEdit()))
    edit = alpha.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "0.5")
    qtbot.keyClick(edit, Qt.Key.Key_Space)
    qtbot.keyClick(edit, Qt.Key.Key_Right)
    qtbot.keyClick(edit, Qt.Key.Key_End)
    qtbot.wait(200)
    # Space, Right and End moved the cursor in the box: no step was run
    assert window.run.n_steps == 0 and not window.running
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.setup.alpha == 0.5)
