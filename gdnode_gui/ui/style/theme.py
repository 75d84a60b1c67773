"""Colour themes: light (the default for projectors), dark and high contrast.

Curves use Paul Tol's colour-blind-safe "bright" scheme and also differ by line style,
so no information depends on colour alone.  Every view has ``apply_theme(theme)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

#: Paul Tol's bright qualitative scheme (blue, red, green, yellow, cyan, purple, grey).
TOL_BRIGHT = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
#: Tol's high-contrast scheme plus black, for the high-contrast theme.
TOL_HIGH_CONTRAST = ("#004488", "#BB5566", "#000000", "#DDAA33", "#117733", "#882255", "#444444")
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
        button = window.darker(108) if not self.dark else window.lighter(130)
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
            p.setColor(group, QPalette.ColorRole.Highlight, QColor(self.curves[0]))
            p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
            p.setColor(group, QPalette.ColorRole.Link, QColor(self.curves[0]))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            p.setColor(QPalette.ColorGroup.Disabled, role, muted)
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
    name="high-contrast", label="High contrast", background="#ffffff", base="#ffffff",
    foreground="#000000", muted="#333333", curves=TOL_HIGH_CONTRAST, goal="#000000",
    highlight="#ffe000", warning="#a00000", line_width=3.0, ghost_opacity=0.45, dark=False,
)
THEMES = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}


def theme_named(name: str | None) -> Theme:
    """The theme called ``name``; the light theme for unknown names."""
    return THEMES.get(name or "", LIGHT)
