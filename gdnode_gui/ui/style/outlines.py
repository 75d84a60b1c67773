"""Fusion with outlines that show on a dark background.

Fusion draws the frames of text boxes, spin boxes and combo boxes, and the box of a check box,
in a shade darker than the window: on the dark and high-contrast themes (a black window) they
vanish, and a spin box reads as plain text.  :class:`OutlinedStyle` draws Fusion, then, where
the palette is dark, an outline in the palette's muted text colour (at least 4.5:1 against the
background in every theme) around those controls.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory

_OUTLINED_PRIMITIVES = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_FrameLineEdit)
_OUTLINED_CONTROLS = (QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox)


def _dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 110


class OutlinedStyle(QProxyStyle):
    """Fusion, with visible outlines on dark palettes (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("outlinedFusion")

    def _outline(self, option, painter) -> None:
        if not _dark(option.palette):
            return
        painter.save()
        pen = QPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        pen.setWidthF(1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
        painter.restore()

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 - Qt API
        super().drawPrimitive(element, option, painter, widget)
        if element in _OUTLINED_PRIMITIVES:
            self._outline(option, painter)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802 - Qt API
        super().drawComplexControl(control, option, painter, widget)
        if control in _OUTLINED_CONTROLS:
            self._outline(option, painter)


__all__ = ["OutlinedStyle"]
