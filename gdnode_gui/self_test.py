"""``gdnode-gui --self-test``: open the real window, check it works, take a few steps, close it.

CI runs it in a real X window (Xvfb) for the checkout, the installed wheel and the unpacked
standalone bundle; a person can run it to check an installation.  It prints ``self-test ok``
and returns 0 when all is well, else the problems in plain words and 1.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from gdnode_gui import __version__

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtWidgets import QApplication, QMainWindow

SELF_TEST_STEPS = 3
SELF_TEST_SETTLE_S = 1.0  # seconds of events after showing the window
SELF_TEST_STEP_TIMEOUT_S = 5.0


def _wait_until(app: "QApplication", condition: Callable[[], bool], seconds: float) -> bool:
    """Process events until ``condition()`` holds or ``seconds`` pass; the final value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    app.processEvents()
    return condition()


def _looks_painted(window: "QMainWindow") -> bool:
    """True when a grab of the window shows more than one colour (it drew something)."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    if image.isNull():
        return False
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.sizeInBytes() // 4)
    return np.unique(pixels).size > 1


def _step_problems(app: "QApplication", step, table) -> list[str]:
    """Trigger ``step`` a few times; the trace table (if any) must gain one row per step."""
    model = table.model() if table is not None else None
    rows = model.rowCount if model is not None else (lambda: 0)
    before = rows()
    for _ in range(SELF_TEST_STEPS):
        step.trigger()
        _wait_until(app, lambda: False, 0.05)
    if model is None:
        return []
    if not _wait_until(app, lambda: rows() >= before + SELF_TEST_STEPS, SELF_TEST_STEP_TIMEOUT_S):
        return [f"{SELF_TEST_STEPS} steps added {rows() - before} rows to the trace table"]
    return []


def _dialog_watchdog(app: "QApplication", problems: list[str]):
    """A timer that closes any modal dialog (nobody is there to click it) and reports it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QMessageBox

    def close_modal() -> None:
        dialog = app.activeModalWidget()
        if dialog is None:
            return
        text = dialog.text() if isinstance(dialog, QMessageBox) else ""
        problems.append(f"a dialog opened: {dialog.windowTitle()!r} {text}".rstrip())
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()

    timer = QTimer(app)
    timer.setObjectName("selfTestDialogWatchdog")
    timer.timeout.connect(close_modal)
    timer.start(250)
    return timer


def self_test_problems(app: "QApplication", window: "QMainWindow", setup: Path | None = None,
                       open_setup: Callable[["QMainWindow", Path], None] | None = None) -> list[str]:
    """Show ``window`` and check it works; the problems found, in plain words (empty: all well).

    Opens ``setup`` if given, then checks the icon files, that the window shows with an icon
    and paints, and that ``actionStep`` (when there is one) adds rows to ``traceTableView``.
    An exception, or a dialog that opens (it is closed at once), is a problem too.
    """
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QTableView

    from gdnode_gui.resources import icon_paths, resources_dir

    problems: list[str] = []
    errors: list[str] = []
    previous_hook = sys.excepthook
    sys.excepthook = lambda t, e, tb: errors.append("".join(traceback.format_exception(t, e, tb)))
    watchdog = _dialog_watchdog(app, problems)
    try:
        try:
            print(f"resources: {resources_dir()}")
            missing = [str(path) for path in icon_paths().values() if not path.is_file()]
            problems += [f"icon file missing: {path}" for path in missing]
        except FileNotFoundError as error:
            problems.append(str(error))
        if setup is not None:
            (open_setup or _open_with_window)(window, setup)
        window.show()
        _wait_until(app, lambda: False, SELF_TEST_SETTLE_S)
        if not window.isVisible():
            problems.append("the window is not visible after showing it")
        if window.windowIcon().isNull():
            problems.append("the window has no icon")
        if not _looks_painted(window):
            problems.append("the window looks blank (a grab of it has a single colour)")
        step = window.findChild(QAction, "actionStep")
        if step is not None:
            problems += _step_problems(app, step, window.findChild(QTableView, "traceTableView"))
        window.close()
        _wait_until(app, lambda: False, 0.1)
    finally:
        watchdog.stop()
        watchdog.deleteLater()
        sys.excepthook = previous_hook
    problems += [f"an error was raised:\n{error.rstrip()}" for error in errors]
    return problems


def _open_with_window(window: "QMainWindow", path: Path) -> None:
    window.open_setup(str(path))


def run_self_test(app: "QApplication", window: "QMainWindow", setup: Path | None = None,
                  open_setup: Callable[["QMainWindow", Path], None] | None = None) -> int:
    """Show ``window``, check it, take a few steps, close it: 0 when all is well, else 1."""
    from PySide6.QtCore import qVersion

    print(f"gdnode-gui {__version__}: Qt {qVersion()} on {app.platformName()}")
    problems = self_test_problems(app, window, setup, open_setup)
    if problems:
        print("self-test FAILED:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("self-test ok")
    return 0


__all__ = ["SELF_TEST_STEPS", "run_self_test", "self_test_problems"]
