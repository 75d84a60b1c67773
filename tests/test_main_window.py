"""The window as a user meets it: controls, runs, the table, export, closing."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QCheckBox, QDoubleSpinBox, QFileDialog, QMessageBox, QSpinBox, QTableView

from gdnode_gui.core import Example, Setup, run_to_end, seed_setup
from gdnode_gui.core.csv_trace import csv_text
from gdnode_gui.ui import MainWindow
from gdnode_gui.ui.session.worker import live_workers

ACTIONS = ("actionRun", "actionRunToEnd", "actionPause", "actionStep", "actionReset", "actionExportCsv",
           "actionOpenSetup", "actionSaveSetup", "actionExportPlot", "actionZoomIn", "actionZoomOut",
           "actionZoomReset", "actionFullScreen", "actionQuit")


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def action(w: MainWindow, name: str) -> QAction:
    found = w.findChild(QAction, name)
    assert found is not None, name
    return found


def spin(w: MainWindow, name: str):
    found = w.findChild(QAbstractSpinBox, name)
    assert found is not None, name
    return found


def run_until_finished(qtbot, w: MainWindow, action_name: str = "actionRunToEnd", timeout: int = 30_000) -> str:
    with qtbot.waitSignal(w.runFinished, timeout=timeout) as blocker:
        action(w, action_name).trigger()
    return blocker.args[0]


def test_object_names_tooltips_and_accessible_names(window):
    for name in ACTIONS:
        assert action(window, name).toolTip()
    for name in ("inputSpinBox_1", "goalSpinBox", "weightSpinBox_1", "alphaSpinBox", "toleranceSpinBox"):
        box = window.findChild(QDoubleSpinBox, name)
        assert box is not None, name
        assert box.toolTip() and box.accessibleName(), name
    assert isinstance(window.findChild(QSpinBox, "maxStepsSpinBox"), QSpinBox)
    assert isinstance(window.findChild(QCheckBox, "stopOnStallCheckBox"), QCheckBox)
    assert isinstance(window.findChild(QTableView, "traceTableView"), QTableView)


def test_first_start_opens_on_the_seed(window):
    assert spin(window, "inputSpinBox_1").value() == 1.0
    assert spin(window, "weightSpinBox_1").value() == 0.4
    assert spin(window, "goalSpinBox").value() == 0.6
    assert spin(window, "alphaSpinBox").value() == 0.1
    assert window.setup == seed_setup()


def test_seed_run_through_the_window_is_the_reference_trace(qtbot, window):
    assert run_until_finished(qtbot, window) == "stalled"
    reference = run_to_end(seed_setup())
    trace = window.run.trace
    assert trace.n_steps == 318
    for name, column in reference.trace.columns():
        assert np.array_equal(column, dict(trace.columns())[name], equal_nan=True), name
    model = window.findChild(QTableView, "traceTableView").model()
    qtbot.waitUntil(lambda: model.rowCount() == 318)
    assert "stalled" in window.outcomeLabel.text()


def test_pause_then_step_adds_exactly_one_row(qtbot, window):
    window.set_setup(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    model = window.findChild(QTableView, "traceTableView").model()
    action(window, "actionRunToEnd").trigger()
    qtbot.waitUntil(lambda: window.run.n_steps > 100, timeout=10_000)
    action(window, "actionPause").trigger()
    qtbot.waitUntil(lambda: not window.running, timeout=2000)
    qtbot.wait(100)
    held = window.run.n_steps
    qtbot.waitUntil(lambda: model.rowCount() == held, timeout=2000)
    action(window, "actionStep").trigger()
    qtbot.waitUntil(lambda: model.rowCount() == held + 1, timeout=2000)
    qtbot.wait(100)
    assert window.run.n_steps == held + 1 and model.rowCount() == held + 1


def test_step_shows_the_articles_first_weights(qtbot, window):
    for expected in (0.42000000000000004, 0.43800000000000006, 0.45420000000000005):
        action(window, "actionStep").trigger()
        qtbot.waitUntil(lambda e=expected: window.run.n_steps and window.run.weights == (e,), timeout=2000)


def test_reset_clears_and_restores_starting_weights(qtbot, window):
    run_until_finished(qtbot, window)
    action(window, "actionReset").trigger()
    assert window.run.n_steps == 0
    assert window.run.weights == (0.4,)
    model = window.findChild(QTableView, "traceTableView").model()
    assert model.rowCount() == 0


def test_run_finished_once_per_run(qtbot, window):
    outcomes = []
    window.runFinished.connect(outcomes.append)
    run_until_finished(qtbot, window)
    qtbot.wait(100)
    assert outcomes == ["stalled"]
    # Run after a finished run starts a new one
    window.findChild(QSpinBox, "paceSpinBox").setValue(1000)
    run_until_finished(qtbot, window, "actionRun")
    assert outcomes == ["stalled", "stalled"]


def test_editing_a_spin_box_changes_the_node(qtbot, window):
    alpha = spin(window, "alphaSpinBox")
    alpha.lineEdit().selectAll()
    qtbot.keyClicks(alpha.lineEdit(), "0.001")
    qtbot.keyClick(alpha.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.setup.alpha == 0.001)
    assert alpha.value() == 0.001
    action(window, "actionStep").trigger()
    qtbot.waitUntil(lambda: window.run.n_steps == 1)
    assert window.run.weights == (0.4 - 0.001 * ((0.4 * 1.0 - 0.6) * 1.0),)


def test_multi_input_run_equals_the_cli_csv_byte_for_byte(qtbot, window, tmp_path, monkeypatch):
    setup = Setup(
        examples=(Example((8.5, 0.65, 1.2), 1.0), Example((9.5, 0.8, 1.3), 1.0), Example((9.9, 0.8, 0.5), 0.0)),
        weights=(0.1, 0.2, -0.1), alpha=0.01, max_steps=5000, tolerance=1e-20,
    )
    setup_file = tmp_path / "setup.json"
    setup_file.write_text(setup.to_json())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(setup_file), "")))
    action(window, "actionOpenSetup").trigger()
    assert window.setup == setup
    run_until_finished(qtbot, window)
    out = tmp_path / "gui.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    action(window, "actionExportCsv").trigger()
    cli = subprocess.run([sys.executable, "-m", "gdnode_gui.cli", "--setup", str(setup_file), "--csv", "-"],
                         capture_output=True, check=True)
    assert out.read_bytes() == cli.stdout
    assert out.read_bytes() == csv_text(run_to_end(setup).trace).encode()


def test_export_to_an_unwritable_place_keeps_the_trace(qtbot, window, tmp_path, monkeypatch):
    run_until_finished(qtbot, window)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    target = locked / "trace.csv"
    if os.geteuid() == 0:  # root writes anywhere: use a path whose parent is a file instead
        (tmp_path / "afile").write_text("x")
        target = tmp_path / "afile" / "trace.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    messages = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: messages.append(a[2])))
    action(window, "actionExportCsv").trigger()
    assert len(messages) == 1 and "trace.csv" in messages[0]
    assert not target.exists()
    assert window.run.n_steps == 318
    locked.chmod(stat.S_IRWXU)
    assert list(locked.iterdir()) == []


def test_open_a_bad_setup_shows_a_message_and_changes_nothing(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.json"
    bad.write_text('{"examples": [{"inputs": [1], "goal": 0.6}], "weights": [0.4], "alpha": -1}')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: messages.append(a[2])))
    action(window, "actionOpenSetup").trigger()
    assert len(messages) == 1 and "alpha" in messages[0]
    assert window.setup == seed_setup()


def test_diverging_run_is_a_result(qtbot, window):
    window.set_setup(seed_setup().replace(alpha=3.0, max_steps=100_000))
    assert run_until_finished(qtbot, window) == "diverged"
    assert "diverged" in window.outcomeLabel.text()


def test_close_during_a_run_stops_the_worker_quickly(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_setup(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    action(w, "actionRunToEnd").trigger()
    qtbot.waitUntil(lambda: w.run.n_steps > 0, timeout=5000)
    import time

    began = time.perf_counter()
    w.close()
    assert time.perf_counter() - began < 1.0
    assert live_workers() == 0 and not w.running


def test_setup_is_remembered(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.set_setup(seed_setup().replace(alpha=0.1119, name="remembered"))
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.setup.alpha == 0.1119
    assert spin(second, "alphaSpinBox").value() == 0.1119
    second.close()


def test_zoom_scales_fonts_and_is_remembered(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    before = QApplication.font().pointSizeF()
    table = window.findChild(QTableView, "traceTableView")
    alpha = spin(window, "alphaSpinBox")
    table_before, alpha_before = table.font().pointSizeF(), alpha.font().pointSizeF()
    axis = window.plotsPanel.weights_plot.item.getAxis("left")
    tick_before = axis.style["tickFont"].pointSizeF()
    action(window, "actionZoomIn").trigger()
    action(window, "actionZoomIn").trigger()
    assert window.zoom > 1.0
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(tick_before * window.zoom)
    assert QApplication.font().pointSizeF() > before
    # Qt hands the new application font to each widget through its event queue
    qtbot.waitUntil(lambda: table.font().pointSizeF() > table_before)
    qtbot.waitUntil(lambda: alpha.font().pointSizeF() > alpha_before)
    zoom = window.zoom
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.zoom == zoom
    action(again, "actionZoomReset").trigger()
    assert again.zoom == 1.0 and QApplication.font().pointSizeF() == before
    again.close()


def test_random_actions_raise_nothing(qtbot, window):
    rng = random.Random(1234)
    names = ["actionRun", "actionRunToEnd", "actionPause", "actionStep", "actionReset", "actionZoomIn",
             "actionZoomOut", "actionZoomReset", "actionKeepRun", "actionClearKept"]
    boxes = [b for b in window.findChildren(QAbstractSpinBox)
             if isinstance(b, (QDoubleSpinBox, QSpinBox)) and b.isVisibleTo(window)]
    for _ in range(150):
        choice = rng.random()
        if choice < 0.5:
            action(window, rng.choice(names)).trigger()
        elif choice < 0.9 and boxes:
            box = rng.choice(boxes)
            value = rng.choice([box.minimum(), box.maximum(), 0, 1, 0.5, -1e-7, 1e6, box.value()])
            if isinstance(box, QSpinBox):
                value = int(max(min(value, box.maximum()), box.minimum()))
            box.setValue(value)
            box.editingFinished.emit()
        else:
            qtbot.wait(rng.randint(0, 30))
    action(window, "actionPause").trigger()
    qtbot.waitUntil(lambda: not window.running, timeout=3000)


def test_error_surface_tab_shows_the_path_of_the_run(qtbot, window):
    run_until_finished(qtbot, window)
    tabs = window.centralTabs
    tabs.setCurrentIndex(1)
    surface = window.errorSurface
    assert surface is not None and tabs.currentWidget() is surface
    qtbot.waitUntil(lambda: len(surface.path_data()[0]) > 0)
    xs = surface.path_data()[0]
    assert xs[0] == 0.4 and xs[-1] == 0.5999999999999994
    action(window, "actionReset").trigger()
    qtbot.waitUntil(lambda: len(surface.path_data()[0]) <= 1)


def test_keep_run_then_edit_compares_two_alphas(qtbot, window):
    run_until_finished(qtbot, window)
    action(window, "actionKeepRun").trigger()
    assert window.plotsPanel.ghost_count == 1
    alpha = spin(window, "alphaSpinBox")
    alpha.lineEdit().selectAll()
    qtbot.keyClicks(alpha.lineEdit(), "0.5")
    qtbot.keyClick(alpha.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.setup.alpha == 0.5)
    # the edit waits for the next Run: the finished trace is still shown
    assert window.run.n_steps == 318 and window.run.setup.alpha == 0.1
    assert "Setup changed" in window.outcomeLabel.text()
    assert run_until_finished(qtbot, window) in ("converged", "stalled")
    assert window.run.setup.alpha == 0.5
    assert window.plotsPanel.ghost_count == 1
    action(window, "actionClearKept").trigger()
    assert window.plotsPanel.ghost_count == 0
