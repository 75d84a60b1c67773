"""Data sets through the window: presets, the three orders, the same bytes as gdnode-trace."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QFileDialog, QTableView

from gdnode_gui.resources import load_preset
from gdnode_gui.ui import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def export_csv(window, path, monkeypatch) -> bytes:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    window.findChild(QAction, "actionExportCsv").trigger()
    return path.read_bytes()


def test_data_set_preset_shows_its_examples(qtbot, window):
    window.findChild(QAction, "actionPreset_three-little-pigs").trigger()
    table = window.findChild(QTableView, "examplesTableView")
    assert table.model().rowCount() == 3
    assert window.setup == load_preset("three-little-pigs")


@pytest.mark.parametrize("order", ["cyclic", "shuffled", "batch"])
def test_each_order_equals_gdnode_trace_byte_for_byte(qtbot, window, tmp_path, monkeypatch, order):
    window.findChild(QAction, "actionPreset_small-data-set").trigger()
    combo = window.findChild(QComboBox, "orderComboBox")
    combo.setCurrentIndex(combo.findText(order))
    qtbot.waitUntil(lambda: window.setup.order == order)
    setup = window.setup
    with qtbot.waitSignal(window.runFinished, timeout=30_000):
        window.findChild(QAction, "actionRunToEnd").trigger()
    gui = export_csv(window, tmp_path / "gui.csv", monkeypatch)
    setup_file = tmp_path / "setup.json"
    setup_file.write_text(setup.to_json())
    cli = subprocess.run([sys.executable, "-m", "gdnode_gui.cli", "--setup", str(setup_file), "--csv", "-"],
                         capture_output=True, check=True).stdout
    assert gui == cli
    lines = gui.decode().splitlines()
    examples = {line.split(",")[1] for line in lines[1:]}
    assert examples == ({"0"} if order == "batch" else {"1", "2", "3", "4", "5"})


def test_shuffled_run_is_reproducible_from_its_seed(qtbot, window, tmp_path, monkeypatch):
    window.findChild(QAction, "actionPreset_small-data-set").trigger()
    combo = window.findChild(QComboBox, "orderComboBox")
    combo.setCurrentIndex(combo.findText("shuffled"))
    qtbot.waitUntil(lambda: window.setup.order == "shuffled")
    traces = []
    for _ in range(2):
        with qtbot.waitSignal(window.runFinished, timeout=30_000):
            window.findChild(QAction, "actionRunToEnd").trigger()
        traces.append(export_csv(window, tmp_path / f"run{len(traces)}.csv", monkeypatch))
    assert traces[0] == traces[1]
    window.set_setup(window.setup.replace(seed=window.setup.seed + 1))
    with qtbot.waitSignal(window.runFinished, timeout=30_000):
        window.findChild(QAction, "actionRunToEnd").trigger()
    assert export_csv(window, tmp_path / "other.csv", monkeypatch) != traces[0]
