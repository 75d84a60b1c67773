"""The projector zoom: the ladder of levels, the app font, and Ctrl+wheel anywhere in the app."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QFont, QWheelEvent
from PySide6.QtWidgets import QApplication, QListWidget, QMainWindow

from gdnode_gui.ui.style import zoom
from gdnode_gui.ui.style.zoom import ZOOM_LEVELS, CtrlWheelZoom, clamp_zoom, next_level, scaled_font


# -- the levels ---------------------------------------------------------------------------------
def test_levels_are_increasing_and_include_normal_size():
    assert list(ZOOM_LEVELS) == sorted(set(ZOOM_LEVELS))
    assert 1.0 in ZOOM_LEVELS
    assert ZOOM_LEVELS[0] < 1.0 and ZOOM_LEVELS[-1] >= 2.0  # 2x for the back of the room


def test_zoom_in_walks_up_the_whole_ladder_and_stops_at_the_top():
    seen, level = [], ZOOM_LEVELS[0]
    for _ in range(len(ZOOM_LEVELS) + 2):
        seen.append(level)
        level = next_level(level, +1)
    assert seen[:len(ZOOM_LEVELS)] == list(ZOOM_LEVELS)
    assert seen[-1] == ZOOM_LEVELS[-1]


def test_zoom_out_walks_down_and_stops_at_the_bottom():
    level = ZOOM_LEVELS[-1]
    for expected in reversed(ZOOM_LEVELS[:-1]):
        level = next_level(level, -1)
        assert level == expected
    assert next_level(level, -1) == ZOOM_LEVELS[0]


@pytest.mark.parametrize("current, direction, expected", [
    (1.1, +1, 1.25), (1.1, -1, 1.0),  # between two levels: the neighbours
    (2.5, 0, 1.0), (0.75, 0, 1.0),  # 0 means normal size
    (99.0, -1, 2.5), (0.1, +1, 1.0),  # out-of-range settings are clamped first
])
def test_next_level_from_anywhere(current, direction, expected):
    assert next_level(current, direction) == expected


@pytest.mark.parametrize("stored, expected", [
    (1.5, 1.5), ("1.5", 1.5), (None, 1.0), ("big", 1.0), (float("nan"), 1.0),
    (float("inf"), 1.0), (-2, 1.0), (0, 1.0), (True, 1.0), (50, ZOOM_LEVELS[-1]), (0.2, ZOOM_LEVELS[0]),
])
def test_clamp_zoom_makes_any_stored_setting_usable(stored, expected):
    assert clamp_zoom(stored) == expected


def test_scaled_font_scales_point_and_pixel_sizes_without_touching_the_base():
    base = QFont("Sans", 10)
    assert scaled_font(base, 2.0).pointSizeF() == pytest.approx(20.0)
    assert base.pointSizeF() == pytest.approx(10.0)
    pixels = QFont("Sans")
    pixels.setPixelSize(12)
    assert scaled_font(pixels, 1.5).pixelSize() == 18


def test_application_zoom_is_relative_to_the_starting_font(qapp):
    start = QFont(qapp.font())
    try:
        for factor in (2.0, 1.25, 3.0, 0.75):
            zoom.set_application_zoom(factor, qapp)
        assert qapp.font().pointSizeF() == pytest.approx(start.pointSizeF() * 0.75)
        zoom.set_application_zoom(1.0, qapp)
        assert qapp.font().pointSizeF() == pytest.approx(start.pointSizeF())
        other = QFont(start)
        other.setPointSizeF(start.pointSizeF() + 3)  # someone else sets the font: the new normal
        qapp.setFont(other)
        zoom.set_application_zoom(2.0, qapp)
        assert qapp.font().pointSizeF() == pytest.approx(2 * other.pointSizeF())
    finally:
        qapp.setFont(start)


# -- Ctrl+wheel ---------------------------------------------------------------------------------
def _wheel(widget, dy: int, modifiers=Qt.KeyboardModifier.NoModifier) -> QWheelEvent:
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    return QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, dy),
                       Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)


@pytest.fixture
def long_list(qtbot, qapp):
    """A list that can scroll, with the filter installed on the application."""
    widget = QListWidget()
    widget.addItems([f"row {i}" for i in range(200)])
    widget.resize(200, 150)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    wheel = CtrlWheelZoom()
    qapp.installEventFilter(wheel)
    yield widget, wheel
    qapp.removeEventFilter(wheel)


def test_ctrl_wheel_asks_to_zoom_and_does_not_scroll(qtbot, long_list):
    widget, wheel = long_list
    bar = widget.verticalScrollBar()
    with qtbot.waitSignal(wheel.zoomRequested) as blocker:
        event = _wheel(widget.viewport(), -120, Qt.KeyboardModifier.ControlModifier)
        consumed = QApplication.sendEvent(widget.viewport(), event)
    assert blocker.args == [-1]  # wheel towards the user: smaller
    assert consumed and event.isAccepted()
    assert bar.value() == 0
    with qtbot.waitSignal(wheel.zoomRequested) as blocker:
        QApplication.sendEvent(widget.viewport(), _wheel(widget.viewport(), 120, Qt.KeyboardModifier.ControlModifier))
    assert blocker.args == [+1]
    assert bar.value() == 0


def test_plain_wheel_scrolls_and_asks_nothing(qtbot, long_list):
    widget, wheel = long_list
    with qtbot.assertNotEmitted(wheel.zoomRequested):
        QApplication.sendEvent(widget.viewport(), _wheel(widget.viewport(), -120))
    assert widget.verticalScrollBar().value() > 0


def test_touchpad_steps_add_up_to_one_request_per_notch(qtbot, long_list):
    widget, wheel = long_list
    requests = []
    wheel.zoomRequested.connect(requests.append)
    ctrl = Qt.KeyboardModifier.ControlModifier
    for _ in range(7):  # 7 x 30 = 210: one notch, 90 left over
        QApplication.sendEvent(widget.viewport(), _wheel(widget.viewport(), 30, ctrl))
    assert requests == [1]
    QApplication.sendEvent(widget.viewport(), _wheel(widget.viewport(), 30, ctrl))
    assert requests == [1, 1]
    QApplication.sendEvent(widget.viewport(), _wheel(widget.viewport(), -30, ctrl))  # turning back
    assert requests == [1, 1]
    assert widget.verticalScrollBar().value() == 0


def _window_wheel(window, widget, dy: int, modifiers=Qt.KeyboardModifier.NoModifier) -> QWheelEvent:
    """A wheel event as the platform hands it over: to the window's QWindow, at the middle of
    ``widget`` (the QWindow passes it on to the widget under the mouse)."""
    pos = QPointF(widget.mapTo(window, widget.rect().center()))
    return QWheelEvent(pos, QPointF(window.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, dy),
                       Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)


@pytest.fixture
def zoom_window(qtbot):
    """A window with zoom actions (the signs they were triggered with are in ``triggered``)
    and a long list in the middle."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.triggered = []
    for name, sign in (("actionZoomIn", +1), ("actionZoomOut", -1)):
        action = QAction(name, window)
        action.setObjectName(name)
        action.triggered.connect(lambda _=False, s=sign: window.triggered.append(s))
        window.addAction(action)
    listing = QListWidget(window)
    listing.addItems([f"row {i}" for i in range(200)])
    window.setCentralWidget(listing)
    window.resize(300, 200)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_ctrl_wheel_over_the_window_triggers_its_zoom_actions_once(zoom_window):
    window, listing = zoom_window, zoom_window.centralWidget()
    first = zoom.connect_ctrl_wheel(window)
    assert zoom.connect_ctrl_wheel(window) is first  # no second filter, no double zoom
    ctrl = Qt.KeyboardModifier.ControlModifier
    QApplication.sendEvent(window.windowHandle(), _window_wheel(window, listing.viewport(), 120, ctrl))
    QApplication.sendEvent(window.windowHandle(), _window_wheel(window, listing.viewport(), -240, ctrl))
    assert window.triggered == [1, -1, -1]
    assert listing.verticalScrollBar().value() == 0  # consumed: the list under the mouse did not scroll
    window.findChild(QAction, "actionZoomIn").setEnabled(False)  # at the top of the ladder
    QApplication.sendEvent(window.windowHandle(), _window_wheel(window, listing.viewport(), 120, ctrl))
    assert window.triggered == [1, -1, -1]
    # Without Ctrl the wheel reaches the list and scrolls it.
    QApplication.sendEvent(window.windowHandle(), _window_wheel(window, listing.viewport(), -120))
    assert listing.verticalScrollBar().value() > 0
    assert window.triggered == [1, -1, -1]


def test_the_filter_is_the_windows_not_the_applications(zoom_window):
    """An event sent straight to a widget, as every paint and layout event is, never reaches
    the filter (an application filter would be handed it): a Ctrl+wheel sent past the
    QWindow triggers nothing."""
    window, listing = zoom_window, zoom_window.centralWidget()
    zoom.connect_ctrl_wheel(window)
    QApplication.sendEvent(listing.viewport(), _wheel(listing.viewport(), 120, Qt.KeyboardModifier.ControlModifier))
    assert window.triggered == []
    QApplication.sendEvent(window.windowHandle(),
                           _window_wheel(window, listing.viewport(), 120, Qt.KeyboardModifier.ControlModifier))
    assert window.triggered == [1]
