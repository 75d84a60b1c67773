"""``gdnode-gui``: the command line, the application shell, the self-test and the error box."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, QSettings, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QWheelEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTableView

import gdnode_gui
from gdnode_gui import app as app_module
from gdnode_gui import self_test
from gdnode_gui.self_test import SELF_TEST_STEPS
from gdnode_gui.ui.style.theme import DARK, HIGH_CONTRAST, LIGHT, initial_theme
from gdnode_gui.ui.style.zoom import CtrlWheelZoom

REPO = Path(__file__).resolve().parent.parent


def _main_window_missing() -> str | None:
    try:
        importlib.import_module("gdnode_gui.ui.window.main_window")
    except ImportError as error:
        return f"the main window cannot be imported yet ({error})"
    return None


needs_main_window = pytest.mark.skipif(_main_window_missing() is not None,
                                       reason=str(_main_window_missing()))


def _env_without_display(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTEST_CURRENT_TEST")}
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=timeout)


# -- the command line without a display --------------------------------------------------------
def test_help_works_without_a_display_and_without_loading_qt():
    code = ("import sys; from gdnode_gui.app import main; status = main(['--help']); "
            "print('QT LOADED' if 'PySide6.QtWidgets' in sys.modules else 'NO QT'); sys.exit(status)")
    result = _run(["-c", code], _env_without_display())
    assert result.returncode == 0, result.stderr
    assert "usage: gdnode-gui" in result.stdout
    for option in ("--version", "--install-desktop", "--uninstall-desktop", "--self-test", "SETUP.json"):
        assert option in result.stdout
    assert "NO QT" in result.stdout


@pytest.mark.parametrize("command", [["-m", "gdnode_gui"], ["-c", "from gdnode_gui.app import main; raise SystemExit(main())"]])
def test_version_works_without_a_display(command):
    result = _run([*command, "--version"], _env_without_display())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"gdnode-gui {gdnode_gui.__version__}" == "gdnode-gui 0.1.0"


def test_usage_errors_exit_2_with_a_message(capsys):
    assert app_module.main(["--no-such-option"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err
    assert app_module.main(["/no/such/setup.json"]) == 2
    assert capsys.readouterr().err.strip() == "gdnode-gui: no such setup file: /no/such/setup.json"


# -- the application ----------------------------------------------------------------------------
def test_create_application_reuses_the_running_one(qapp):
    assert app_module.create_application() is qapp
    assert QApplication.instance() is qapp


def test_the_app_icon_has_every_size(qapp):
    icon = app_module.app_icon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(48, 48), (128, 128), (256, 256)} <= sizes
    assert not icon.pixmap(512, 512).isNull()  # the SVG scales up for a big screen


class _Hints:
    def __init__(self, scheme):
        self._scheme = scheme

    def colorScheme(self):  # noqa: N802
        return self._scheme


@pytest.fixture
def settings():
    """The app's QSettings (conftest keeps them in test mode, empty at the start of each test)."""
    return QSettings()


@pytest.mark.parametrize("scheme, expected", [
    (Qt.ColorScheme.Dark, DARK), (Qt.ColorScheme.Light, LIGHT), (Qt.ColorScheme.Unknown, LIGHT)])
def test_first_start_follows_the_system_colour_scheme(qapp, settings, monkeypatch, scheme, expected):
    monkeypatch.setattr(qapp, "styleHints", lambda: _Hints(scheme))
    assert initial_theme() is expected


def test_a_remembered_theme_wins_over_the_system(qapp, settings, monkeypatch):
    monkeypatch.setattr(qapp, "styleHints", lambda: _Hints(Qt.ColorScheme.Dark))
    settings.setValue("view/theme", "high-contrast")
    assert initial_theme() is HIGH_CONTRAST
    settings.setValue("view/theme", "no-such-theme")  # a damaged setting is ignored
    assert initial_theme() is DARK


def test_ctrl_c_in_the_terminal_quits_and_is_undone_afterwards(qapp, monkeypatch):
    quits = []
    monkeypatch.setattr(qapp, "quit", lambda: quits.append(True))
    before = signal.getsignal(signal.SIGINT)
    restore = app_module._quit_on_sigint(qapp)
    try:
        signal.raise_signal(signal.SIGINT)
        assert quits == [True]
    finally:
        restore()
    assert signal.getsignal(signal.SIGINT) is before


# -- an uncaught exception shows a message box --------------------------------------------------
@pytest.fixture
def boxes(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda parent, title, text, *a, **k: shown.append((title, text, threading.current_thread()))))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    return shown


def _raise(exc):
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001
        return type(caught), caught, caught.__traceback__


def test_excepthook_logs_the_traceback_and_shows_a_plain_sentence(qapp, boxes, capsys):
    app_module.handle_uncaught(*_raise(ZeroDivisionError("float division by zero")))
    assert len(boxes) == 1
    title, text, _thread = boxes[0]
    assert title == app_module.ERROR_TITLE
    assert "ZeroDivisionError: float division by zero" in text
    assert "Traceback" not in text and "\n" not in text
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ZeroDivisionError" in err


def test_ctrl_c_is_not_an_error_box(qapp, boxes, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "__excepthook__", lambda *args: seen.append(args[0]))
    app_module.handle_uncaught(*_raise(KeyboardInterrupt()))
    assert boxes == [] and seen == [KeyboardInterrupt]


def test_an_error_in_a_worker_thread_shows_the_box_in_the_gui_thread(qapp, qtbot, boxes, capsys):
    app_module.install_excepthook()
    assert sys.excepthook is app_module.handle_uncaught
    worker = threading.Thread(target=lambda: sys.excepthook(*_raise(RuntimeError("in a worker"))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(boxes) == 1)
    _title, text, thread = boxes[0]
    assert "RuntimeError: in a worker" in text
    assert thread is threading.main_thread()  # never a widget from a worker thread


class _Emitter(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_box_and_the_app_keeps_running(qapp, qtbot, boxes, capsys):
    app_module.install_excepthook()
    emitter = _Emitter()
    emitter.fired.connect(lambda: 1 / 0)
    emitter.fired.emit()
    qtbot.waitUntil(lambda: len(boxes) == 1)
    assert "ZeroDivisionError" in boxes[0][1]
    emitter.fired.emit()  # still alive: a second error gets a second box
    qtbot.waitUntil(lambda: len(boxes) == 2)


def test_main_keeps_pytests_exception_capture(qapp, monkeypatch, stand_in):
    hook = sys.excepthook
    assert app_module.main(["--self-test"]) == 0
    assert sys.excepthook is hook


# -- self-test ----------------------------------------------------------------------------------
class StandInWindow(QMainWindow):
    """What the self-test needs of the main window: actionStep and a growing trace table."""

    def __init__(self, broken: str = "") -> None:
        super().__init__()
        self.setWindowTitle("stand-in")
        self.opened: list[str] = []
        self.table = QTableView(self)
        self.table.setObjectName("traceTableView")
        self.model = QStringListModel([], self)
        self.table.setModel(self.model)
        self.setCentralWidget(self.table)
        self.actionStep = QAction("&Step", self)
        self.actionStep.setObjectName("actionStep")
        self.actionStep.triggered.connect(self._on_step)
        self.addAction(self.actionStep)
        self.broken = broken
        self.table.setVisible(broken != "blank")
        self.resize(400, 300)

    def _on_step(self) -> None:
        if self.broken == "raises":
            raise RuntimeError("the step failed")
        if self.broken == "dialog":
            QMessageBox.warning(self, "Oops", "A box nobody will click")
        if self.broken != "no rows":
            self.model.setStringList(self.model.stringList() + [str(self.model.rowCount() + 1)])

    def open_setup(self, path: str) -> bool:
        self.opened.append(path)
        return True


@pytest.fixture
def stand_in(qtbot, monkeypatch):
    """``main()`` makes a :class:`StandInWindow`; the self-test waits less for it."""
    monkeypatch.setattr(self_test, "SELF_TEST_SETTLE_S", 0.2)
    monkeypatch.setattr(self_test, "SELF_TEST_STEP_TIMEOUT_S", 0.5)
    made = []

    def make(broken: str = ""):
        def factory():
            window = StandInWindow(broken)
            qtbot.addWidget(window)
            made.append(window)
            return window
        monkeypatch.setattr(app_module, "make_window", factory)
        return made

    make()
    return make


def test_self_test_passes_on_a_working_window_and_steps_it(qapp, stand_in, capsys):
    made = stand_in()
    assert app_module.main(["--self-test"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("self-test ok")
    window = made[0]
    assert window.model.rowCount() == SELF_TEST_STEPS
    assert not window.isVisible()  # closed at the end


@pytest.mark.parametrize("broken, words", [
    ("raises", "RuntimeError: the step failed"),
    ("no rows", "3 steps added 0 rows"),
    ("blank", "the window looks blank"),
    ("dialog", "a dialog opened: 'Oops' A box nobody will click"),
])
def test_self_test_fails_and_says_why(qapp, stand_in, capsys, broken, words):
    stand_in(broken)
    assert app_module.main(["--self-test"]) == 1
    out = capsys.readouterr().out
    assert "self-test FAILED" in out and words in out
    assert "self-test ok" not in out


def test_a_setup_file_on_the_command_line_is_opened(qapp, stand_in, tmp_path):
    made = stand_in()
    path = tmp_path / "pigs.json"
    path.write_text(json.dumps({"examples": [{"inputs": [1.0], "goal": 0.6}], "weights": [0.4],
                                "alpha": 0.1}), encoding="utf-8")
    assert app_module.main([str(path), "--self-test"]) == 0
    assert made[0].opened == [str(path)]


def test_a_window_that_cannot_be_made_fails_the_self_test_without_a_box(qapp, monkeypatch, capsys, boxes):
    monkeypatch.setattr(app_module, "make_window", lambda: 1 / 0)
    assert app_module.main(["--self-test"]) == 1
    assert "the window could not be made: ZeroDivisionError" in capsys.readouterr().out
    assert boxes == []


def test_a_window_that_cannot_be_made_says_so_in_a_box(qapp, monkeypatch, capsys, boxes):
    monkeypatch.setattr(app_module, "make_window", lambda: 1 / 0)
    assert app_module.main([]) == 1
    (title, text, _thread), = boxes
    assert title == "The app could not start" and "ZeroDivisionError" in text
    assert "Traceback" in capsys.readouterr().err


@needs_main_window
def test_self_test_with_the_real_window(qapp, capsys):
    assert app_module.main(["--self-test"]) == 0, capsys.readouterr().out
    assert "self-test ok" in capsys.readouterr().out


@needs_main_window
def test_self_test_in_a_fresh_process_offscreen(tmp_path):
    env = _env_without_display(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
                               XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = _run(["-m", "gdnode_gui", "--self-test"], env, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test ok" in result.stdout


@needs_main_window
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is missing (apt-get install xvfb)")
def test_self_test_on_a_real_x_display(tmp_path):
    env = _env_without_display(QT_QPA_PLATFORM="xcb", HOME=str(tmp_path),
                               XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", sys.executable,
                             "-m", "gdnode_gui", "--self-test"],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test ok" in result.stdout


# -- help (F1) and about ------------------------------------------------------------------------
def _actions(parent) -> list[QAction]:
    specs = [("actionRun", "&Run", ["Space"], "Play the run at the chosen pace"),
             ("actionStep", "&Step", ["Right", "Ctrl+T"], "Take exactly one step (Right, Ctrl+T)"),
             ("actionOpenSetup", "&Open setup...", ["Ctrl+O"], "Open a setup file (.json)"),
             ("actionHelp", "&Help", ["F1", "F1"], "What every word means (F1)"),
             ("actionKeepRun", "&Keep this run", [], "Keep the run as a ghost")]
    actions = []
    for name, text, keys, tip in specs:
        action = QAction(text, parent)
        action.setObjectName(name)
        action.setShortcuts(keys)
        action.setToolTip(tip)
        actions.append(action)
    return actions


@pytest.fixture
def help_window(qtbot):
    from gdnode_gui.ui.help.help_window import HelpWindow

    owner = QMainWindow()
    qtbot.addWidget(owner)
    actions = _actions(owner)
    window = HelpWindow(actions, owner)
    window.owner = owner  # keeps the owner (and so the actions) alive
    return window, actions


def test_help_lists_the_shortcuts_of_the_actions_it_was_given(help_window):
    window, actions = help_window
    rows = window.rows()
    assert rows[:4] == [("Run", "Space", "Play the run at the chosen pace"),
                        ("Step", "Right, Ctrl+T", "Take exactly one step"),  # keys once, in their column
                        ("Open setup", "Ctrl+O", "Open a setup file (.json)"),
                        ("Help", "F1", "What every word means")]
    assert "Keep this run" not in [row[0] for row in rows]  # no shortcut, nothing to list
    assert any("Wheel" in row[1] for row in rows)  # Ctrl+wheel is a key too
    actions[1].setShortcut("F10")  # the table is read from the actions: it cannot drift
    window.set_actions(actions)
    assert ("Step", "F10") in [row[:2] for row in window.rows()]


def test_help_explains_the_words(help_window):
    window, _actions = help_window
    text = window.browser.toPlainText().lower()
    for word in ("prediction", "delta", "mse", "alpha", "weight"):
        assert word in text


def test_help_closes_on_escape_and_follows_the_zoomed_font(help_window, qtbot, qapp):
    from gdnode_gui.ui.style.zoom import set_application_zoom

    window, _actions = help_window
    window.show()
    qtbot.waitExposed(window)
    start = QApplication.font()
    row_height = window.table.rowHeight(2)  # "Open setup": one short line
    try:
        set_application_zoom(2.0, qapp)
        qtbot.waitUntil(lambda: window.table.font().pointSizeF() >= 1.9 * start.pointSizeF())
        qtbot.waitUntil(lambda: window.table.rowHeight(2) > 1.5 * row_height)
    finally:
        set_application_zoom(1.0, qapp)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_about_names_version_article_licence_and_libraries(qapp, monkeypatch):
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from gdnode_gui.ui.help.about import show_about

    shown = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: shown.append((title, text))))
    show_about(None)
    (title, text), = shown
    assert "About" in title
    for needed in ("0.1.0", "Gradient Descent Nodes", "MIT", qVersion(), pyside_version, "pyqtgraph",
                   "numpy", "Python", sys.version.split()[0]):
        assert needed in text, needed


@needs_main_window
def test_ctrl_wheel_zooms_the_real_window_one_level_per_notch(qapp, qtbot):
    from gdnode_gui.ui.style.zoom import CtrlWheelZoom, connect_ctrl_wheel, next_level

    window = app_module.make_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert connect_ctrl_wheel(window) is window.findChild(CtrlWheelZoom)  # the window's own, not a second
    table = window.findChild(QTableView, "traceTableView")
    start = window.zoom
    try:
        # As the platform hands it over: to the window's QWindow, over the trace table.
        pos = table.viewport().mapTo(window, table.viewport().rect().center())
        event = QWheelEvent(QPointF(pos), QPointF(window.mapToGlobal(pos)), QPoint(), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(window.windowHandle(), event)
        assert window.zoom == next_level(start, +1)
    finally:
        window.apply_zoom(1.0)
