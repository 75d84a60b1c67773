"""Projector zoom, Mu-style: a fixed ladder of zoom levels, the app font and Ctrl+wheel.

A teacher projecting the app at the back of a room presses Ctrl++ a few times; everything grows
together: the application font (so every Qt widget follows) and every view's ``set_zoom``.  The
zoom factor is remembered between sessions (QSettings ``view/zoom``; the window stores it).

Ctrl+mouse wheel zooms too, everywhere in the app: :class:`CtrlWheelZoom` is an event filter on
the application that turns Ctrl+wheel into zoom requests and swallows the event, so the list,
table or plot under the pointer does not scroll (or zoom its own way) at the same time.
"""

from __future__ import annotations

import math
import weakref

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

#: The zoom factors the app steps through (1.0 = normal size).
ZOOM_LEVELS: tuple[float, ...] = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
DEFAULT_ZOOM = 1.0
MIN_ZOOM = ZOOM_LEVELS[0]
MAX_ZOOM = ZOOM_LEVELS[-1]
#: One notch of an ordinary mouse wheel, in eighths of a degree (QWheelEvent.angleDelta).
WHEEL_NOTCH = 120
_EPSILON = 1e-6
_BASE_FONT_PROPERTY = "gdnodeBaseFont"
_ZOOMED_FONT_PROPERTY = "gdnodeZoomedFont"


def next_level(current: float, direction: int) -> float:
    """The zoom level one step from ``current``.

    Parameters
    ----------
    current : float
        The zoom factor now; it need not be one of :data:`ZOOM_LEVELS` (a hand-edited setting).
    direction : int
        ``+1`` zoom in (the next larger level), ``-1`` zoom out (the next smaller level),
        ``0`` back to normal size (1.0).

    Returns
    -------
    float
        A member of :data:`ZOOM_LEVELS`; at either end of the ladder the end itself.
    """
    if direction == 0:
        return DEFAULT_ZOOM
    current = clamp_zoom(current)
    if direction > 0:
        larger = [level for level in ZOOM_LEVELS if level > current + _EPSILON]
        return larger[0] if larger else MAX_ZOOM
    smaller = [level for level in ZOOM_LEVELS if level < current - _EPSILON]
    return smaller[-1] if smaller else MIN_ZOOM


def clamp_zoom(value: object) -> float:
    """A usable zoom factor from anything (a QSettings value may be a string or missing).

    Numbers are clamped to ``[MIN_ZOOM, MAX_ZOOM]``; anything that is not a finite number
    gives :data:`DEFAULT_ZOOM`.
    """
    if isinstance(value, bool):
        return DEFAULT_ZOOM
    try:
        factor = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_ZOOM
    if not math.isfinite(factor) or factor <= 0:
        return DEFAULT_ZOOM
    return min(MAX_ZOOM, max(MIN_ZOOM, factor))


def scaled_font(base: QFont, factor: float) -> QFont:
    """A copy of ``base`` whose size is ``factor`` times as large (``base`` is not changed)."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    elif base.pixelSize() > 0:
        font.setPixelSize(max(1, round(base.pixelSize() * factor)))
    return font


#: Widget classes that some platform themes give their own font, zoomed with the rest.
CLASS_FONTS = ("QDockWidgetTitle", "QDockWidget")


def set_application_zoom(factor: float, app: QApplication | None = None) -> QFont:
    """Scale the application font to ``factor`` times the unzoomed font.

    The unzoomed font is the app's font at the first call, so zooming in and out never
    compounds rounding; if something else has set the app font since the last call, that font
    becomes the unzoomed one.  Widgets that have no font of their own follow at once.

    Returns
    -------
    QFont
        The font now in use.
    """
    app = app or QApplication.instance()
    base, zoomed = app.property(_BASE_FONT_PROPERTY), app.property(_ZOOMED_FONT_PROPERTY)
    if not isinstance(base, QFont) or not isinstance(zoomed, QFont) or app.font() != zoomed:
        base = QFont(app.font())
        app.setProperty(_BASE_FONT_PROPERTY, base)
    font = scaled_font(base, clamp_zoom(factor))
    app.setFont(font)
    # Some platform themes give dock titles a font of their own, which the line above leaves
    # as it was: on a projector the titles would stay small.
    for name in CLASS_FONTS:
        app.setFont(font, name)
    app.setProperty(_ZOOMED_FONT_PROPERTY, QFont(app.font()))
    return font


class CtrlWheelZoom(QObject):
    """An event filter that turns Ctrl+wheel into zoom requests.

    Install it on a window's QWindow (:func:`connect_ctrl_wheel` does, and wires it to the
    window's zoom actions) or on the application.  Wheel events without Ctrl pass through
    untouched.  Small steps from touchpads and high-resolution wheels are added up until they
    make one notch, so one gesture does not jump several levels.

    Signals
    -------
    zoomRequested(int)
        ``+1`` to zoom in (wheel away from the user), ``-1`` to zoom out.
    """

    zoomRequested = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = 0  # eighths of a degree not yet turned into a request

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.Wheel:
            return False
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        self._on_ctrl_wheel(event)
        event.accept()
        return True  # consumed: nothing underneath scrolls

    def watch(self, widget: QWidget) -> None:
        """Take the wheel events of the window ``widget`` is in (its QWindow, made now if it
        has none yet): a main window, or a dock floating in a window of its own.  Watching
        the same window again does not filter its events twice."""
        widget.winId()
        handle = widget.windowHandle()
        if handle is not None:
            handle.removeEventFilter(self)
            handle.installEventFilter(self)

    def _on_ctrl_wheel(self, event: QWheelEvent) -> None:
        angle = event.angleDelta()
        delta = angle.y() if angle.y() != 0 else angle.x()
        if delta == 0:
            return
        if (delta > 0) != (self._pending > 0) and self._pending != 0:
            self._pending = 0  # the user turned back: start counting afresh
        self._pending += delta
        while abs(self._pending) >= WHEEL_NOTCH:
            direction = 1 if self._pending > 0 else -1
            self._pending -= direction * WHEEL_NOTCH
            self.zoomRequested.emit(direction)


def connect_ctrl_wheel(window: QWidget) -> CtrlWheelZoom:
    """Make Ctrl+wheel anywhere over ``window`` trigger its ``actionZoomIn`` / ``actionZoomOut``.

    The filter is a child of ``window`` (so it goes away with it) and watches the window's
    QWindow, where every wheel event over the window arrives first, before the widget under
    the mouse gets it.  Nothing else passes there: an application-wide filter would be handed
    every event of every widget (thousands while the window is built, shown, painted and
    destroyed).  A dock floating in a window of its own is watched with
    :meth:`CtrlWheelZoom.watch`.  Calling this again for the same window returns the filter
    already there.
    """
    existing = window.findChild(CtrlWheelZoom)
    if existing is not None:
        return existing
    wheel = CtrlWheelZoom(window)
    wheel.setObjectName("ctrlWheelZoom")
    wheel.watch(window)  # Qt keeps the QWindow when the window's flags change
    window_ref = weakref.ref(window)

    def trigger(direction: int) -> None:
        target = window_ref()
        if target is None:
            return
        name = "actionZoomIn" if direction > 0 else "actionZoomOut"
        action = target.findChild(QAction, name)
        if action is not None and action.isEnabled():
            action.trigger()

    wheel.zoomRequested.connect(trigger)
    return wheel


__all__ = [
    "ZOOM_LEVELS", "DEFAULT_ZOOM", "MIN_ZOOM", "MAX_ZOOM", "next_level", "clamp_zoom",
    "scaled_font", "set_application_zoom", "CtrlWheelZoom", "connect_ctrl_wheel",
]
