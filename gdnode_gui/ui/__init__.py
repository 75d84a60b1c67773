"""The Qt side: the session and its worker, the setup editors, the views (plots, the node, the
trace table, the stability panel, the error surface, the alpha sweep) and the main window."""

from __future__ import annotations


def __getattr__(name: str):
    # ``from gdnode_gui.ui import MainWindow`` without importing Qt for every ui submodule user.
    if name == "MainWindow":
        from gdnode_gui.ui.window.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
