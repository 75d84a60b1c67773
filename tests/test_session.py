"""The session and its workers: a worker lives only while the node runs, and nothing a caller
forgets (closing the window, deleting it, ending the interpreter) can abort the process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QAction

from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.core.csv_trace import csv_text
from gdnode_gui.core.frame import Frame
from gdnode_gui.ui import MainWindow
from gdnode_gui.ui.session.session import Session
from gdnode_gui.ui.session.worker import live_workers


def action(window, name: str) -> QAction:
    return window.findChild(QAction, name)


@pytest.fixture
def session(qtbot):
    s = Session(seed_setup())
    yield s
    s.shutdown()


def frames_of(session: Session) -> list[Frame]:
    frames: list[Frame] = []
    session.frameReady.connect(frames.append)
    return frames


# -- the session on its own ------------------------------------------------------------------------
def test_step_adds_exactly_one_step_and_no_worker_stays(qtbot, session):
    frames = frames_of(session)
    for expected in (1, 2, 3):
        session.step()
        qtbot.waitUntil(lambda: not session.running and frames and frames[-1].steps == expected)
        assert session.run.n_steps == expected
        qtbot.waitUntil(lambda: live_workers() == 0)
    assert frames[-1].trace.row(3)["new_weight_1"] == 0.45420000000000005


def test_run_to_end_gives_the_seed_outcome_once(qtbot, session):
    outcomes = []
    session.runFinished.connect(outcomes.append)
    with qtbot.waitSignal(session.runFinished, timeout=20_000):
        session.run_to_end()
    qtbot.waitUntil(lambda: not session.running)
    assert outcomes == ["stalled"]
    frame = session.frame
    assert (frame.steps, frame.outcome, frame.shown) == (318, "stalled", 318)
    assert frame.trace.weight_path(0)[-1] == 0.5999999999999994
    qtbot.waitUntil(lambda: live_workers() == 0)


def test_frames_are_immutable_and_show_the_history_without_touching_the_trace(qtbot, session):
    for _ in range(3):
        session.step()
        qtbot.waitUntil(lambda: not session.running)
    qtbot.waitUntil(lambda: session.frame.steps == 3)
    newest = session.frame
    session.step_back()
    back = session.frame
    assert (back.shown, back.steps, back.latest) == (2, 3, False)
    assert (newest.shown, newest.steps) == (3, 3)  # the frame already sent did not change
    with pytest.raises(AttributeError):
        back.shown = 3  # type: ignore[misc]
    session.step_back(), session.step_back(), session.step_back()
    assert session.frame.shown == 0 and session.run.n_steps == 3
    session.step()  # forward through what was shown first
    assert session.frame.shown == 1 and session.run.n_steps == 3
    session.show_step(3)
    assert session.frame.latest
    session.step()  # then on
    qtbot.waitUntil(lambda: not session.running and session.frame.steps == 4)


def test_an_edit_after_steps_keeps_the_trace_until_the_next_run(qtbot, session):
    session.step()
    qtbot.waitUntil(lambda: not session.running and session.frame.steps == 1)
    old = session.run
    session.edit_setup(seed_setup().replace(alpha=0.5))
    assert session.frame.edited and session.run is old
    finished = []
    session.runFinished.connect(finished.append)
    session.step()
    qtbot.waitUntil(lambda: not session.running and session.frame.steps == 1)
    assert session.run is not old and session.run.setup.alpha == 0.5
    assert finished == ["stopped"]  # the abandoned run


def test_pace_changes_while_playing(qtbot, session):
    session.set_pace(1000)
    session.play()
    qtbot.waitUntil(lambda: session.run.n_steps > 10, timeout=5000)
    session.set_pace(1)
    assert session.pace == 1
    session.pause()
    qtbot.waitUntil(lambda: live_workers() == 0)


def big_batch() -> Setup:
    """5,000 examples x 16 inputs in batch order: one step takes milliseconds."""
    rng = np.random.default_rng(3)
    xs = rng.uniform(-1, 1, (5000, 16))
    goals = rng.uniform(-1, 1, 5000)
    return Setup(examples=tuple(Example(tuple(map(float, x)), float(g)) for x, g in zip(xs, goals)),
                 weights=(0.0,) * 16, alpha=0.01, order="batch", max_steps=100_000, stop_on_stall=False)


def test_a_slow_batch_data_set_pauses_after_the_step_in_progress(qtbot, session):
    session.load_setup(big_batch())
    session.run_to_end()
    qtbot.waitUntil(lambda: session.run.n_steps >= 3, timeout=20_000)
    session.pause()
    at_pause = session.run.n_steps
    qtbot.waitUntil(lambda: live_workers() == 0, timeout=5000)
    # the worker looks at Pause between steps: at most the step in progress is added
    assert session.run.n_steps - at_pause <= 1
    assert not session.running


def test_running_out_of_memory_stops_the_run_and_keeps_a_usable_trace(qtbot, session, monkeypatch):
    session.load_setup(seed_setup().replace(max_steps=1_000_000, stop_on_stall=False))
    original = Run.advance

    def advance(self, steps=None, seconds=None):
        if self.n_steps >= 2000:
            raise MemoryError
        return original(self, min(steps or 500, 2000 - self.n_steps, 500), seconds)

    monkeypatch.setattr(Run, "advance", advance)
    messages, outcomes = [], []
    session.message.connect(messages.append)
    session.runFinished.connect(outcomes.append)
    with qtbot.waitSignal(session.runFinished, timeout=10_000):
        session.run_to_end()
    assert outcomes == ["stopped"]
    assert not session.running
    assert messages and "not enough memory" in messages[0] and "2,000 steps kept" in messages[0]
    text = csv_text(session.run.trace)
    assert text.count("\n") == 2001  # the header and every step kept
    assert session.frame.steps == 2000 and session.frame.outcome == "stopped"


def test_an_unexpected_error_in_the_worker_stops_the_run_and_says_so(qtbot, session, monkeypatch, capsys):
    def broken(self, steps=None, seconds=None):
        raise RuntimeError("a defect")

    monkeypatch.setattr(Run, "advance", broken)
    messages, outcomes = [], []
    session.message.connect(messages.append)
    session.runFinished.connect(outcomes.append)
    session.run_to_end()
    qtbot.waitUntil(lambda: not session.running and live_workers() == 0, timeout=5000)
    assert messages and "RuntimeError: a defect" in messages[0]
    assert "a defect" in capsys.readouterr().err  # the traceback, for a bug report


# -- through the window ------------------------------------------------------------------------------
def test_a_window_deleted_during_run_to_end_stops_its_worker(qtbot):
    window = MainWindow()
    window.show()
    window.set_setup(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    action(window, "actionRunToEnd").trigger()
    qtbot.waitUntil(lambda: window.run.n_steps > 1000, timeout=10_000)
    assert window.running and live_workers() == 1
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: live_workers() == 0, timeout=3000)


def test_the_window_has_a_public_running_and_its_icon(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
    assert not window.running
    action(window, "actionRun").trigger()
    assert window.running
    action(window, "actionPause").trigger()
    assert not window.running
    qtbot.waitUntil(lambda: live_workers() == 0)


SCRIPT_HEAD = """
import sys, time
from PySide6 import QtWidgets
from PySide6.QtGui import QAction
app = QtWidgets.QApplication(sys.argv)
from gdnode_gui.core import seed_setup
from gdnode_gui.ui import MainWindow
w = MainWindow(); w.show(); app.processEvents()
"""


def run_script(tmp_path, body: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               HOME=str(tmp_path))
    return subprocess.run([sys.executable, "-c", SCRIPT_HEAD + textwrap.dedent(body)], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("body", [
    # press Step and let Python end without closing the window
    """
    w.findChild(QAction, "actionStep").trigger()
    end = time.time() + 0.3
    while time.time() < end:
        app.processEvents(); time.sleep(0.01)
    print("script end")
    """,
    # end the interpreter in the middle of Run to end
    """
    w.set_setup(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    w.findChild(QAction, "actionRunToEnd").trigger()
    while w.run.n_steps < 10_000:
        app.processEvents(); time.sleep(0.01)
    assert w.running
    print("script end")
    """,
    # drop the window in the middle of a run (garbage-collected)
    """
    w.set_setup(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    w.findChild(QAction, "actionRunToEnd").trigger()
    while w.run.n_steps < 10_000:
        app.processEvents(); time.sleep(0.01)
    del w
    import gc; gc.collect()
    for _ in range(20):
        app.processEvents(); time.sleep(0.01)
    print("script end")
    """,
], ids=["step-then-exit", "exit-during-run", "window-collected-during-run"])
def test_a_script_that_never_closes_the_window_exits_cleanly(tmp_path, body):
    done = run_script(tmp_path, body)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "script end" in done.stdout
    assert "Destroyed while thread" not in done.stderr
    assert "Fatal" not in done.stderr


# -- File > Export as Python script / notebook -------------------------------------------------------
def test_the_window_exports_the_setup_as_a_script_that_prints_its_trace(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = MainWindow()
    qtbot.addWidget(window)
    window.set_setup(seed_setup().replace(alpha=0.5, max_steps=40))
    target = tmp_path / "run"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    action(window, "actionExportPython").trigger()
    script = tmp_path / "run.py"
    assert script.is_file()
    printed = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, timeout=60).stdout
    assert printed.decode() == csv_text(run_to_end(window.setup).trace)
    action(window, "actionExportNotebook").trigger()
    import json

    notebook = json.loads((tmp_path / "run.ipynb").read_text())
    assert notebook["nbformat"] == 4 and any(c["cell_type"] == "code" for c in notebook["cells"])


def test_an_unwritable_code_export_says_so_and_writes_nothing(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    window = MainWindow()
    qtbot.addWidget(window)
    target = tmp_path / "missing-folder" / "run.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    action(window, "actionExportPython").trigger()
    assert shown and str(target) in shown[0]
    assert not target.parent.exists()


def test_a_long_export_shows_progress_and_cancel_keeps_the_old_file(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QProgressDialog

    from gdnode_gui.ui.window import files

    window = MainWindow()
    qtbot.addWidget(window)
    window.set_setup(seed_setup().replace(max_steps=3000, stop_on_stall=False))
    with qtbot.waitSignal(window.runFinished, timeout=20_000):
        action(window, "actionRunToEnd").trigger()
    target = tmp_path / "trace.csv"
    target.write_text("old\n")
    monkeypatch.setattr(files, "PROGRESS_ROWS", 1000)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    seen = []
    original = QProgressDialog.setValue

    def set_value(dialog, value):
        seen.append(value)
        original(dialog, value)
        if len(seen) == 1:
            dialog.cancel()

    monkeypatch.setattr(QProgressDialog, "setValue", set_value)
    action(window, "actionExportCsv").trigger()
    assert seen and target.read_text() == "old\n"
    assert "cancelled" in window.messageLabel.text()
    monkeypatch.setattr(QProgressDialog, "setValue", original)
    action(window, "actionExportCsv").trigger()
    assert target.read_text() == csv_text(window.run.trace)


def test_the_stability_panel_leads_to_the_alpha_sweep_and_a_point_sets_alpha(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.stabilityPanel.sweepLinkLabel.linkActivated.emit("sweep")
    view = window.alphaSweepView
    assert view is not None and window.centralTabs.currentWidget() is view
    view.alphaRequested.emit(0.5)
    assert window.setup.alpha == 0.5 and window.run.setup.alpha == 0.5
    qtbot.waitUntil(lambda: not view.running, timeout=60_000)


def test_kept_runs_reach_the_error_surface_and_dragging_the_start_sets_the_weights(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.runFinished, timeout=20_000):
        action(window, "actionRunToEnd").trigger()
    window.findChild(QAction, "actionKeepRun").trigger()
    window.centralTabs.setCurrentIndex(1)  # the error surface, made now: the kept run reaches it
    surface = window.errorSurface
    assert surface is not None and [label for _t, _n, label in surface._ghosts] == ["alpha 0.1, stalled"]
    surface.startWeightsRequested.emit((0.25,))
    assert window.setup.weights == (0.25,) and window.run.setup.weights == (0.25,)
    assert window.run.n_steps == 0


def test_view_menu_chooses_the_plots_and_a_click_on_a_plot_shows_that_step(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    for _ in range(3):
        action(window, "actionStep").trigger()
        qtbot.waitUntil(lambda: not window.running)
    qtbot.waitUntil(lambda: window.session.frame.steps == 3)
    window.findChild(QAction, "actionShowPlot_prediction").trigger()
    window.findChild(QAction, "actionShowPlot_delta").trigger()
    assert window.plotsPanel.visible_plots() == ["weights", "mse"]
    for key in ("weights", "mse"):  # the last plot cannot be unticked: one always shows
        window.findChild(QAction, f"actionShowPlot_{key}").trigger()
    assert window.plotsPanel.visible_plots() == ["mse"]
    assert window.findChild(QAction, "actionShowPlot_mse").isChecked()
    again = MainWindow()  # remembered
    qtbot.addWidget(again)
    assert again.plotsPanel.visible_plots() == ["mse"]
    assert [key for key, a in again.plotActions.items() if a.isChecked()] == ["mse"]
    window.plotsPanel.stepRequested.emit(2)
    assert window.session.frame.shown == 2 and window.run.n_steps == 3
