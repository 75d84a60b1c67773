"""The Qt side: the main window, the worker thread, plots, panels and the trace table."""

from __future__ import annotations


def __getattr__(name: str):
    # ``from gdnode_gui.ui import MainWindow`` without importing Qt for every ui submodule user.
    if name == "MainWindow":
        from gdnode_gui.ui.window.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
