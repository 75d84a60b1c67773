"""Small shared pieces of the widgets: named controls and a label that elides.

Every control has an object name (tests and automation find it), an accessible name (screen
readers say it) and a tooltip in plain words (DESIGN.md §3): :func:`named` sets the three at
once, so none is forgotten.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QWidget

W = TypeVar("W", bound=QWidget)


_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape_html(text: str) -> str:
    """``text`` safe inside rich text: what ``html.escape`` gives, without importing the
    ``html`` package (and its table of entities) at start-up."""
    return text.translate(_HTML_SPECIAL)


def named(widget: W, name: str, accessible: str, tip: str) -> W:
    """Give ``widget`` its object name, accessible name and tooltip; returns it."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setToolTip(tip)
    return widget


class ElidedLabel(QLabel):
    """A one-line label that ends with "…" when its text is wider than the room it has
    (never cut in the middle of a word without a sign); the whole text is its tooltip and
    :meth:`text`.  It asks for no width of its own, so a long sentence never widens a bar."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(0, hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, super().sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

    @property
    def elided(self) -> bool:
        """Whether the text does not fit and ends with "…" on screen."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()
