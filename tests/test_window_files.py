"""The window's file commands at the edges (issue 12), on a stand-in window: Save refuses, with
the reason, a setup it could not open again; Open refuses a named pipe at once."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from gdnode_gui.core import setup as setup_code
from gdnode_gui.core.setup import seed_setup
from gdnode_gui.ui.window.files import FileCommands


class StandIn(QWidget):
    """What FileCommands uses of the window."""

    def __init__(self) -> None:
        super().__init__()
        self.settings = QSettings()
        self.setup = seed_setup()
        self.recentMenu = QMenu(self)
        self.statuses: list[str] = []
        self.opened = []

        class Editor:
            def commit(self) -> None:
                pass

        self.setupEditor = Editor()

    def show_status(self, text: str) -> None:
        self.statuses.append(text)

    def set_setup(self, setup, status: str = "") -> None:
        self.opened.append(setup)


@pytest.fixture
def files(qtbot):
    window = StandIn()
    qtbot.addWidget(window)
    return FileCommands(window)


@pytest.fixture
def boxes(monkeypatch):
    shown = []
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(
            lambda parent, title, text, *a, _kind=kind, **k: shown.append((_kind, title, text))))
    return shown


def test_save_refuses_a_setup_it_could_not_open_again_and_says_why(files, boxes, tmp_path, monkeypatch):
    target = tmp_path / "setup.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(setup_code, "MAX_FILE_BYTES", 100)  # the seed's text is larger than this
    files.save_dialog()
    (kind, title, text), = boxes
    assert kind == "critical" and title == "Setup not saved"
    assert "could not be opened again" in text and "larger than" in text
    assert os.listdir(tmp_path) == []
    assert files._window.statuses == []


def test_save_writes_a_setup_that_opens_again(files, boxes, tmp_path, monkeypatch):
    target = tmp_path / "setup.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    files.save_dialog()
    assert boxes == [] and setup_code.load_setup(target) == seed_setup()


def test_open_refuses_a_named_pipe_at_once(files, boxes, tmp_path):
    pipe = tmp_path / "setup.json"
    os.mkfifo(pipe)
    # If open_setup waited on the pipe, a writer after 30 s lets it return and the test fails.
    rescue = threading.Timer(30, lambda: os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)))
    rescue.start()
    try:
        assert files.open_setup(str(pipe)) is False
    finally:
        rescue.cancel()
    (kind, title, text), = boxes
    assert title == "Setup not opened" and "named pipe, not a regular file" in text
    assert files._window.opened == []
