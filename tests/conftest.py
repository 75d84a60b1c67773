"""Test set-up shared by every test.

- Qt runs offscreen (no display needed); ``QT_QPA_PLATFORM`` is set before any Qt import.
- ``QStandardPaths`` test mode: QSettings and other standard paths go to ``~/.qttest``, never
  to a real user's configuration; the organization and application names are test values.
- Every test starts and ends with empty QSettings (:func:`settings_isolated`).
- A test that leaves a ``QThread`` running fails (:func:`no_qthread_left_running`).
- Every Qt test starts with the application's first font, palette and style sheet
  (:func:`app_look_isolated`): zoom and themes change them application-wide.
- Under CI the property tests draw the same examples every run (hypothesis profile ``ci``).

None of this creates a QApplication: tests of ``gdnode_gui.core`` run without one. pytest-qt
creates the application when a test asks for ``qtbot`` or ``qapp``.
"""

from __future__ import annotations

import os

# Before any Qt import (PySide6 reads it when the QGuiApplication starts, but a plugin or another
# conftest could start one early). setdefault: a developer may still choose e.g. xcb to watch.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402
import time  # noqa: E402
import weakref  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QSettings,
    QStandardPaths,
    QThread,
)
from PySide6.QtGui import QFont, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

# Property tests: under CI (CI set, as .ci/run does) each draws the same examples at every run,
# so a landing never fails on a new random draw; elsewhere they keep exploring, and a failure
# found there is kept in .hypothesis/ and replayed until fixed.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

TEST_ORGANIZATION = "gdnode-gui-tests"
TEST_APPLICATION = "gdnode-gui-tests"

# How long a test's threads get to finish after the test before the test fails.
THREAD_GRACE_SECONDS = 2.0


def _set_test_identity() -> None:
    """Test mode for standard paths and test names, so QSettings() never touches a user's files.

    These are static settings: no QCoreApplication is needed (or created) for them.
    """
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName(TEST_ORGANIZATION)
    QCoreApplication.setOrganizationDomain("tests.invalid")
    QCoreApplication.setApplicationName(TEST_APPLICATION)


# At import of this conftest, i.e. before pytest-qt's ``qapp`` fixture makes the QApplication.
_set_test_identity()


# --------------------------------------------------------------------------------------------
# QSettings isolation
# --------------------------------------------------------------------------------------------

def _test_config_root() -> Path:
    # In test mode this is ~/.qttest/config: a folder that holds test settings only.
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation))


def _clear_all_settings() -> None:
    """Clear the default QSettings and every settings file under the test-mode config folder.

    The code under test may name its own organization/application (``QSettings("org", "app")``)
    rather than use the defaults; clearing every file in the test folder covers that too.
    Clearing through QSettings (not deleting files) also empties Qt's in-process cache.
    """
    settings = QSettings()
    settings.clear()
    settings.sync()
    root = _test_config_root()
    if root.is_dir() and ".qttest" in root.parts:  # never a real user's config folder
        for path in sorted(root.rglob("*.conf")) + sorted(root.rglob("*.ini")):
            other = QSettings(str(path), QSettings.Format.IniFormat)
            other.clear()
            other.sync()


@pytest.fixture(autouse=True)
def settings_isolated():
    """Every test starts with empty QSettings (first start of the app) and leaves none behind.

    The test identity is set again too, in case a test (e.g. of ``app.main``) changed it.
    """
    _set_test_identity()
    _clear_all_settings()
    yield
    _set_test_identity()
    _clear_all_settings()


# --------------------------------------------------------------------------------------------
# Application-wide look: font, palette, style sheet
# --------------------------------------------------------------------------------------------

# The QApplication's font, palette and style sheet as pytest-qt made them, before any test ran.
_pristine_look: dict[str, object] = {}


@pytest.fixture(autouse=True)
def app_look_isolated(request):
    """Give every Qt test the application font, palette and style sheet it would have first.

    The app zooms by changing the application font and themes by changing the application
    palette: one window in production, but a test that zooms would otherwise make every later
    test run zoomed (and their measurements depend on the order of the tests).
    Tests that use no QApplication are left alone (no QApplication is made for them).
    """
    if "qapp" in request.fixturenames or "qtbot" in request.fixturenames:
        app = request.getfixturevalue("qapp")
        if not _pristine_look:
            _pristine_look.update(
                font=QFont(app.font()), palette=QPalette(app.palette()), style_sheet=app.styleSheet()
            )
    yield
    app = QApplication.instance()
    if not _pristine_look or not isinstance(app, QApplication):
        return
    if app.styleSheet() != _pristine_look["style_sheet"]:
        app.setStyleSheet(_pristine_look["style_sheet"])
    if app.palette() != _pristine_look["palette"]:
        app.setPalette(QPalette(_pristine_look["palette"]))
    if app.font() != _pristine_look["font"]:
        app.setFont(QFont(_pristine_look["font"]))


# --------------------------------------------------------------------------------------------
# No QThread may outlive its test
# --------------------------------------------------------------------------------------------

# Weak references to every QThread started through Python (QThread.start is wrapped below), so
# the tracking never keeps a thread object alive that the code under test would have dropped.
_started_threads: list[weakref.ReferenceType[QThread]] = []
_started_lock = threading.Lock()
# Threads that could not be stopped: kept alive on purpose, because destroying a running QThread
# aborts the whole process ("QThread: Destroyed while thread is still running").
_leaked_threads: list[QThread] = []

_original_qthread_start = QThread.start


def _tracking_start(self: QThread, *args, **kwargs):
    with _started_lock:
        _started_threads.append(weakref.ref(self))
    return _original_qthread_start(self, *args, **kwargs)


_tracking_start.__doc__ = _original_qthread_start.__doc__
_tracking_start.__name__ = "start"
QThread.start = _tracking_start  # every QThread subclass and every connect(thread.start) sees it


def _running_threads() -> list[QThread]:
    running = []
    with _started_lock:
        alive = [ref for ref in _started_threads if ref() is not None]
        _started_threads[:] = alive
    for ref in alive:
        thread = ref()
        if thread is None:
            continue
        try:
            if thread.isRunning():
                running.append(thread)
        except RuntimeError:  # the C++ object is already deleted: not running
            pass
    return running


def _describe(thread: QThread) -> str:
    name = ""
    try:
        name = thread.objectName()
    except RuntimeError:
        pass
    return f"{type(thread).__module__}.{type(thread).__qualname__}" + (f" {name!r}" if name else "")


def _wait_for_threads(deadline: float) -> list[QThread]:
    """Give running threads until ``deadline`` to finish, keeping the GUI event loop turning.

    A worker often needs the GUI thread (a queued ``finished`` handler, a blocking queued
    connection) to finish, so events are processed while waiting -- as ``qtbot.waitUntil`` does,
    without making a QApplication for tests that have none.
    """
    while True:
        running = _running_threads()
        if not running or time.monotonic() >= deadline:
            return running
        app = QCoreApplication.instance()
        if app is not None:
            app.processEvents()
        running[0].wait(20)


@pytest.fixture(autouse=True)
def no_qthread_left_running():
    """Fail the test if a QThread it started is still running shortly after it ended.

    Threads are found through the wrapped ``QThread.start``; they get THREAD_GRACE_SECONDS
    to finish (with events processed) before the test fails. The offending threads are then
    asked to stop so that the next tests are not disturbed.
    """
    with _started_lock:
        _started_threads.clear()
    yield
    running = _wait_for_threads(time.monotonic() + THREAD_GRACE_SECONDS)
    if not running:
        return
    names = ", ".join(_describe(thread) for thread in running)
    for thread in running:
        thread.requestInterruption()
        thread.quit()
    for thread in running:
        if not thread.wait(5000):
            _leaked_threads.append(thread)
    pytest.fail(
        f"{len(running)} QThread(s) still running {THREAD_GRACE_SECONDS:g} s after the test: "
        f"{names}. Stop workers (and wait() for them) when the test or window closes.",
        pytrace=False,
    )


@pytest.fixture(autouse=True)
def no_run_worker_left_running():
    """Fail the test if a run's worker thread is still alive shortly after it ended (a worker
    lives only while its run runs: pausing, finishing, closing or destroying ends it)."""
    yield
    from gdnode_gui.ui.session import worker

    deadline = time.monotonic() + THREAD_GRACE_SECONDS
    while worker.live_workers() and time.monotonic() < deadline:
        app = QCoreApplication.instance()
        if app is not None:
            app.processEvents()
        time.sleep(0.01)
    left = worker.live_workers()
    if left:
        worker.stop_all()
        pytest.fail(f"{left} run worker(s) still running {THREAD_GRACE_SECONDS:g} s after the test",
                    pytrace=False)


@pytest.fixture
def warnings(monkeypatch):
    """QMessageBox.warning replaced: the (title, text) of each box shown, none opened."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a, **k: shown.append((title, text))))
    return shown


@pytest.fixture
def normal_font(qapp):
    """The application font at 9 pt, as at a normal start (other tests may have zoomed)."""
    font = qapp.font()
    normal = QFont(font)
    normal.setPointSizeF(9.0)
    qapp.setFont(normal)
    yield normal
    qapp.setFont(font)
