"""``gdnode-gui``: the application shell.

Parses the command line before any Qt is loaded (so ``--help`` and ``--version`` work without a
display and start fast), then makes the QApplication (names, icon, Fusion style, the theme),
opens the main window and runs the event loop.  Also: the desktop menu entry
(``--install-desktop``), a self-test for CI and installed wheels (``--self-test``), Ctrl+C in the
terminal, and a message box instead of a silent failure when a slot raises.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from gdnode_gui import __version__

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtWidgets import QApplication, QMainWindow

APP_NAME = "gdnode-gui"
ORGANIZATION = "gdnode-gui"
DISPLAY_NAME = "Gradient Descent Node"
ERROR_TITLE = "Something went wrong"


# -- the command line (no Qt) -------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="See what happens inside one gradient-descent node while it learns, "
                    "step by step, with the real numbers.",
        epilog="For runs without a window, and CSV traces, use gdnode-trace.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    task = parser.add_mutually_exclusive_group()
    task.add_argument("--install-desktop", action="store_true",
                      help="add the app, with its icon, to your desktop's application menu")
    task.add_argument("--uninstall-desktop", action="store_true",
                      help="remove what --install-desktop added")
    task.add_argument("--self-test", action="store_true",
                      help="open the window, take a few steps, close it; print 'self-test ok' "
                           "and exit 0 when everything works")
    parser.add_argument("setup", nargs="?", metavar="SETUP.json",
                        help="a setup file to open: .gdnode or .json (made with File > Save setup)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``gdnode-gui``; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error (already printed)
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
        return _print("") or code  # the help text must reach standard output, or exit 1
    if args.install_desktop or args.uninstall_desktop:
        return _desktop_command(install=args.install_desktop)
    if args.setup is not None:
        problem = _setup_argument_problem(args.setup)
        if problem:
            print(f"{APP_NAME}: {problem}", file=sys.stderr)
            return 2
    return _run_gui(args)


def _setup_argument_problem(path: str) -> str | None:
    """Why the setup file named on the command line cannot be opened, or None.  Only a
    regular file will do: a named pipe would freeze the window that reads it."""
    from gdnode_gui.core.text_file import check_regular_file

    try:
        check_regular_file(path)
    except FileNotFoundError:
        return f"no such setup file: {path}"
    except OSError as error:
        return f"cannot open {path}: {error.strerror or error}"
    return None


def _print(text: str) -> int:
    """Write ``text`` to standard output and flush: 0, or 1 after a one-line message when it
    cannot be written (``> /dev/full``).  A reader that went away (``| head -1``) is fine."""
    from gdnode_gui.stdout import StdoutError, to_stdout

    try:
        to_stdout(lambda: sys.stdout.write(text))
    except StdoutError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1
    return 0


def _desktop_command(install: bool) -> int:
    from gdnode_gui.desktop import DesktopError, install_desktop, uninstall_desktop

    try:
        paths = install_desktop() if install else uninstall_desktop()
    except DesktopError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1
    if install:
        lines = [f"Added {DISPLAY_NAME} to the application menu:"]
    else:
        lines = ["Removed:" if paths else "Nothing to remove: the menu entry was not installed."]
    lines += [f"  {path}" for path in paths]
    return _print("".join(f"{line}\n" for line in lines))


# -- the application ----------------------------------------------------------------------------
def create_application(argv: list[str] | None = None) -> "QApplication":
    """The QApplication, made and named on the first call; the existing one afterwards.

    An existing application (pytest-qt's ``qapp``) keeps its names, so tests' settings stay
    where the tests put them.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(list(argv) if argv else [sys.argv[0] if sys.argv and sys.argv[0] else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_NAME)
    return app


def app_icon(scalable: bool = True):
    """The app icon from the resources: the 48/128/256 pixel PNGs and (``scalable``) the SVG,
    for sizes past 256 px (loading Qt's SVG icon engine costs ~1 ms of a start)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    from gdnode_gui.resources import icon_paths

    icon = QIcon()
    try:
        paths = icon_paths()
    except FileNotFoundError:
        return icon
    for key, path in paths.items():
        if path.is_file() and (scalable or isinstance(key, int)):
            icon.addFile(str(path), QSize(key, key) if isinstance(key, int) else QSize())
    return icon


def configure_application(app: "QApplication") -> None:
    """Icon and Fusion style (palettes look the same everywhere; outlines that show on dark
    themes: :class:`~gdnode_gui.ui.style.outlines.OutlinedStyle`); the window applies its
    theme (:func:`gdnode_gui.ui.style.theme.initial_theme`) to the whole application."""
    from gdnode_gui.ui.style.outlines import OutlinedStyle

    app.setWindowIcon(app_icon())
    app.setStyle(OutlinedStyle())


def make_window() -> "QMainWindow":
    """The main window (imported here: pyqtgraph and the views load only when needed)."""
    from gdnode_gui.ui.window.main_window import MainWindow

    return MainWindow()


def _run_gui(args: argparse.Namespace) -> int:
    # numpy before Qt: PySide6's import hook reads the source of every module imported after
    # it (numpy's 107: ~12 ms), and near the top of the stack (why: gdnode_gui/ui/__init__.py).
    import numpy  # noqa: F401

    app = create_application()
    configure_application(app)
    if not (_under_pytest() or args.self_test):  # the self-test must never wait on a box
        install_excepthook()
    try:
        window = make_window()
    except Exception as error:  # noqa: BLE001 - whatever it is, say so instead of vanishing
        traceback.print_exc(file=sys.stderr)
        return _cannot_start(error, quietly=args.self_test)
    if sys.platform == "darwin":  # only macOS hands files over as events; an application
        open_files_handed_over(app, window)  # filter elsewhere would only slow every event
    setup = Path(args.setup) if args.setup is not None else None
    if args.self_test:
        from gdnode_gui.self_test import run_self_test

        return run_self_test(app, window, setup, _open_setup)
    if setup is not None:
        _open_setup(window, setup)
    restore_sigint = _quit_on_sigint(app)
    try:
        window.show()
        return app.exec()
    finally:
        restore_sigint()


def _cannot_start(error: Exception, quietly: bool) -> int:
    """The window could not be made: a message (a box, unless ``quietly``), exit status 1."""
    if quietly:
        print(f"self-test FAILED:\n  - the window could not be made: {type(error).__name__}: {error}")
        return 1
    from PySide6.QtWidgets import QMessageBox

    sentence = error_sentence(type(error), error, consequence="The app could not open its window.")
    QMessageBox.critical(None, "The app could not start", sentence)
    return 1


def _open_setup(window: "QMainWindow", path: Path) -> None:
    """Open the setup file given on the command line; a bad file gets a message, not a crash."""
    opener = getattr(window, "open_setup", None)
    if callable(opener):  # MainWindow.open_setup(path) -> bool shows its own message
        opener(str(path))
        return
    from PySide6.QtWidgets import QMessageBox

    from gdnode_gui.core.setup import SetupError, load_setup

    try:
        setup = load_setup(path)
    except (SetupError, OSError) as error:
        QMessageBox.warning(window, "Setup not opened", f"{path.name} cannot be used:\n{error}")
        return
    window.set_setup(setup)


def open_files_handed_over(app: "QApplication", window: "QMainWindow"):
    """Open the setup files the system hands to the running app (macOS: a double-clicked
    ``.gdnode`` arrives as a QFileOpenEvent, not on the command line).

    Returns the event filter installed on ``app``.
    """
    from PySide6.QtCore import QEvent, QObject

    class _FileOpenFilter(QObject):
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.FileOpen:
                path = event.file()
                if path:
                    _open_setup(window, Path(path))
                    return True
            return super().eventFilter(watched, event)

    handler = _FileOpenFilter(window)
    handler.setObjectName("fileOpenHandler")
    app.installEventFilter(handler)
    return handler


def _quit_on_sigint(app: "QApplication") -> Callable[[], None]:
    """Ctrl+C in the terminal closes the app; returns a function that undoes this."""
    from PySide6.QtCore import QTimer

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: wake it up now and then.
    wake = QTimer(app)
    wake.setObjectName("sigintWakeUp")
    wake.timeout.connect(lambda: None)
    wake.start(250)

    def restore() -> None:
        wake.stop()
        wake.deleteLater()
        signal.signal(signal.SIGINT, previous)

    return restore


# -- uncaught exceptions ------------------------------------------------------------------------
def _under_pytest() -> bool:
    # pytest-qt reports exceptions raised in slots and virtual methods; keep its behaviour.
    return "pytest" in sys.modules


KEEPS_RUNNING = ("It keeps running; if it behaves strangely, press Reset, or save your setup and "
                 "start the app again.")


def error_sentence(exc_type: type[BaseException], exc: BaseException,
                   consequence: str = KEEPS_RUNNING) -> str:
    """A plain sentence about an unexpected error, for a message box."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    what = f"{exc_type.__name__}: {detail}" if detail else exc_type.__name__
    if len(what) > 200:
        what = what[:197] + "..."
    return (f"Something unexpected went wrong inside the app ({what}). {consequence} "
            "The details were written to the terminal.")


_showing_error = False


def show_error(text: str) -> None:
    """Show ``text`` in a critical message box; one box at a time, never from a worker thread."""
    global _showing_error
    from PySide6.QtWidgets import QApplication, QMessageBox

    if _showing_error or QApplication.instance() is None:
        return
    _showing_error = True
    try:
        QMessageBox.critical(QApplication.activeWindow(), ERROR_TITLE, text)
    except Exception:  # the box itself failed: the terminal already has the details
        traceback.print_exc(file=sys.stderr)
    finally:
        _showing_error = False


def handle_uncaught(exc_type: type[BaseException], exc: BaseException, tb) -> None:
    """``sys.excepthook``: the traceback to stderr, and a message box for the user."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
    text = error_sentence(exc_type, exc)
    if threading.current_thread() is threading.main_thread():
        show_error(text)
    elif _reporter is not None:
        _reporter.report.emit(text)  # queued to the GUI thread


_reporter = None


def install_excepthook() -> None:
    """Make :func:`handle_uncaught` the ``sys.excepthook`` (call from the GUI thread)."""
    global _reporter
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    class _Reporter(QObject):
        report = Signal(str)

    if _reporter is None:
        _reporter = _Reporter(QApplication.instance())
        _reporter.report.connect(show_error)
    sys.excepthook = handle_uncaught


__all__ = ["main", "build_parser", "create_application", "configure_application",
           "app_icon", "make_window", "handle_uncaught", "install_excepthook",
           "error_sentence", "run_self_test", "self_test_problems", "open_files_handed_over"]
