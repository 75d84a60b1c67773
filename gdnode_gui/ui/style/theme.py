"""Colour themes: light (the default for projectors), dark and high contrast.

Curves use Paul Tol's colour-blind-safe "bright" scheme and also differ by line style,
so no information depends on colour alone.  Every view has ``apply_theme(theme)``.

High contrast is white and bright colours on black, checked with the WCAG formula
(:func:`contrast_ratio`, tests/test_theme.py): text, curves, goal and warning at least
7:1 against the background (WCAG AAA), muted text and grid at least 4.5:1, the
highlighted equation line's text 7:1, ghosts of kept runs 3:1, lines 3 px.  In every
theme, disabled text keeps 3:1 against its background, and selected text is black or
white, whichever reads better on the selection colour.  :func:`themed_icon` redraws an
icon in the theme's text colour, with a disabled form in the muted colour, so that dark
standard icons do not vanish on a dark background.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap

#: Paul Tol's bright qualitative scheme (blue, red, green, yellow, cyan, purple, grey).
TOL_BRIGHT = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
#: Bright colours of at least 7:1 contrast on black, for the high-contrast theme: sky blue,
#: orange, yellow, pink, green, lavender, light grey (they differ by line style as well).
HIGH_CONTRAST_ON_BLACK = ("#66CCFF", "#FFAA33", "#FFEE44", "#FF88CC", "#44DD88", "#BB99FF", "#DDDDDD")
LINE_STYLES = (
    Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine,
)


@dataclass(frozen=True)
class Theme:
    name: str  # "light", "dark", "high-contrast" (stored in QSettings)
    label: str  # shown in the View menu
    background: str  # window and plot background
    base: str  # background of text fields and tables
    foreground: str  # text, axes, ticks
    muted: str  # secondary text, grid
    curves: tuple[str, ...]  # one colour per curve, in order
    goal: str  # the goal line and other reference lines
    highlight: str  # background of the highlighted equation line
    warning: str  # text colour for warnings (divergence ahead, invalid input)
    line_width: float  # pen width of curves at zoom 1.0, in pixels
    ghost_opacity: float  # opacity of a kept ("ghost") run, 0..1
    dark: bool
    button: str = ""  # background of buttons; "" = a shade of the background

    def curve_colour(self, index: int) -> str:
        return self.curves[index % len(self.curves)]

    @staticmethod
    def line_style(index: int) -> Qt.PenStyle:
        return LINE_STYLES[index % len(LINE_STYLES)]

    def palette(self) -> QPalette:
        """A QPalette for the whole application in this theme."""
        p = QPalette()
        window, base, text = QColor(self.background), QColor(self.base), QColor(self.foreground)
        muted = QColor(self.muted)
        if self.button:
            button = QColor(self.button)
        else:
            button = window.darker(108) if not self.dark else window.lighter(130)
        selected = QColor(self.curves[0])
        selected_text = QColor(readable_on(self.curves[0]))
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            p.setColor(group, QPalette.ColorRole.Window, window)
            p.setColor(group, QPalette.ColorRole.WindowText, text)
            p.setColor(group, QPalette.ColorRole.Base, base)
            p.setColor(group, QPalette.ColorRole.AlternateBase, base.darker(106) if not self.dark else base.lighter(125))
            p.setColor(group, QPalette.ColorRole.Text, text)
            p.setColor(group, QPalette.ColorRole.Button, button)
            p.setColor(group, QPalette.ColorRole.ButtonText, text)
            p.setColor(group, QPalette.ColorRole.ToolTipBase, base)
            p.setColor(group, QPalette.ColorRole.ToolTipText, text)
            p.setColor(group, QPalette.ColorRole.PlaceholderText, muted)
            p.setColor(group, QPalette.ColorRole.Highlight, selected)
            p.setColor(group, QPalette.ColorRole.HighlightedText, selected_text)
            p.setColor(group, QPalette.ColorRole.Link, QColor(self.curves[0]))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                     QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.ToolTipText):
            p.setColor(QPalette.ColorGroup.Disabled, role, muted)
        p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, button)
        p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.HighlightedText, muted)
        for role, colour in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.Base, base),
                             (QPalette.ColorRole.Button, button)):
            p.setColor(QPalette.ColorGroup.Disabled, role, colour)
        return p


LIGHT = Theme(
    name="light", label="Light", background="#ffffff", base="#ffffff", foreground="#1a1a1a",
    muted="#6b6b6b", curves=TOL_BRIGHT, goal="#1a1a1a", highlight="#fff3b0", warning="#b00020",
    line_width=2.0, ghost_opacity=0.35, dark=False,
)
DARK = Theme(
    name="dark", label="Dark", background="#1e1e1e", base="#262626", foreground="#e8e8e8",
    muted="#9a9a9a", curves=("#77AADD", "#EE8866", "#44BB99", "#EEDD88", "#99DDFF", "#FFAABB", "#DDDDDD"),
    goal="#f0f0f0", highlight="#5a4a00", warning="#ff8a80", line_width=2.0, ghost_opacity=0.4, dark=True,
)
HIGH_CONTRAST = Theme(
    name="high-contrast", label="High contrast", background="#000000", base="#000000",
    foreground="#ffffff", muted="#b4b4b4", curves=HIGH_CONTRAST_ON_BLACK, goal="#ffffff",
    highlight="#6b5500", warning="#ff8080", line_width=3.0, ghost_opacity=0.6, dark=True,
    button="#262626",
)
THEMES = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}


# -- contrast (WCAG 2) ------------------------------------------------------------------------------
def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``colour`` (``#rrggbb``): 0 for black, 1 for white."""
    qcolour = QColor(colour)
    if not qcolour.isValid():
        raise ValueError(f"not a colour: {colour!r}")

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(qcolour.red()) + 0.7152 * linear(qcolour.green())
            + 0.0722 * linear(qcolour.blue()))


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def blend(colour: str, background: str, opacity: float) -> str:
    """``colour`` drawn at ``opacity`` over ``background`` (as Qt blends, in sRGB)."""
    top, bottom = QColor(colour), QColor(background)
    mixed = [round(opacity * t + (1 - opacity) * b) for t, b in
             zip(top.getRgb()[:3], bottom.getRgb()[:3])]
    return QColor(*mixed).name()


def readable_on(colour: str) -> str:
    """Black or white, whichever has more contrast on ``colour``."""
    return "#000000" if contrast_ratio("#000000", colour) >= contrast_ratio("#ffffff", colour) \
        else "#ffffff"


def themed_icon(icon: QIcon, theme: Theme, size: int = 64) -> QIcon:
    """``icon``'s shape in the theme's text colour, with a disabled form in the muted colour.

    Qt derives a disabled icon by mapping grey levels towards the window colour, which on
    a dark background turns a dark icon (the standard media icons) nearly invisible.  Here
    each form is the icon's alpha filled with one colour: foreground (Normal, Active,
    Selected) and muted (Disabled), both at least 3:1 against the background.
    """
    source = icon.pixmap(QSize(size, size))
    themed = QIcon()
    if source.isNull():
        return themed
    for mode, colour in ((QIcon.Mode.Normal, theme.foreground), (QIcon.Mode.Active, theme.foreground),
                         (QIcon.Mode.Selected, theme.foreground), (QIcon.Mode.Disabled, theme.muted)):
        pixmap = QPixmap(source.size())
        pixmap.setDevicePixelRatio(source.devicePixelRatio())
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.drawPixmap(0, 0, source)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), QColor(colour))
        painter.end()
        themed.addPixmap(pixmap, mode)
    return themed


def initial_theme() -> Theme:
    """The remembered theme (QSettings ``view/theme``); on first start, or when the setting is
    damaged, the system's colour scheme (dark or light)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication

    stored = QSettings().value("view/theme")
    if isinstance(stored, str) and stored in THEMES:
        return THEMES[stored]
    app = QGuiApplication.instance()
    dark = app is not None and app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return DARK if dark else LIGHT
