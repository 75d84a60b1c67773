"""The Qt side: the session and its worker, the setup editors, the views (plots, the node, the
trace table, the stability panel, the error surface, the alpha sweep) and the main window."""

from __future__ import annotations

# numpy (which the window's modules need) imported here, near the top of the stack where a
# script's ``from gdnode_gui.ui import MainWindow`` starts: imported through the window's chain
# of modules, five imports deep, Python 3.11 mapped and unmapped a 16 KiB chunk of its frame
# stack ~800 times in numpy's typing modules (a call sat on a chunk's edge), ~15 ms of a start.
import numpy  # noqa: F401


def __getattr__(name: str):
    # ``from gdnode_gui.ui import MainWindow`` without importing Qt for every ui submodule user.
    if name == "MainWindow":
        from gdnode_gui.ui.window.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
