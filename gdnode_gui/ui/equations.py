"""The six lines of the node with live numbers, as a read-only rich-text view.

:class:`EquationView` shows the lines that :func:`gdnode_gui.core.equations.step_equations`
writes, each under a small caption with its formula in words (``delta = prediction − goal``),
and can highlight one of the six lines (the one being computed, in Step mode).  Text sizes
are relative to the widget's font, which follows the application font (the window scales
it with the zoom), and long full-precision lines wrap instead of being cut.
"""

from __future__ import annotations

import html
from typing import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFontInfo, QPalette, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from gdnode_gui.core.equations import FORMULAS, LINE_KEYS, EquationLine

from .help_texts import HELP
from .theme import LIGHT, Theme

#: Size of the numbers relative to the widget font, and of the captions.
NUMBER_SCALE = 1.25
CAPTION_SCALE = 0.9


def group_caption(lines: Sequence[EquationLine], index: int) -> str:
    """The formula in words for line ``index`` of the node, e.g. ``delta = prediction − goal``;
    ``weighted_delta_i = delta × input_i`` when there is one line per input."""
    group = [line for line in lines if line.index == index]
    if not group:
        return ""
    if len(group) == 1:
        return f"{group[0].name} = {group[0].formula}"
    key = LINE_KEYS[index]
    generic = {
        "weighted_delta": "delta × input_i",
        "alpha_delta": "alpha × weighted_delta_i",
        "weight": "weight_i − alpha_delta_i",
    }.get(key, FORMULAS[key])
    if key == "weighted_delta" and group[0].formula.startswith("mean"):
        generic = "mean over the examples of delta × input_i"
    return f"{key}_i = {generic}"


def equations_html(lines: Sequence[EquationLine], theme: Theme, base_px: int,
                   highlight: int | None = None, footer: str = "") -> str:
    """The lines as HTML: a caption per line of the node, then its numbers; the lines of
    ``highlight`` (0..5) on the theme's highlight colour."""
    number_px = max(8, round(base_px * NUMBER_SCALE))
    caption_px = max(7, round(base_px * CAPTION_SCALE))
    parts = [f'<div style="color:{theme.foreground};">']
    for index in range(len(LINE_KEYS)):
        group = [line for line in lines if line.index == index]
        if not group:
            continue
        background = f"background-color:{theme.highlight};" if index == highlight else ""
        caption = html.escape(group_caption(lines, index))
        parts.append(
            f'<p style="margin-top:{max(2, base_px // 3)}px; margin-bottom:0px; {background}">'
            f'<span style="color:{theme.muted}; font-size:{caption_px}px;">{caption}</span>'
        )
        for line in group:
            text = " = ".join(html.escape(p) for p in ([line.name, line.numbers] if line.numbers else [line.name]))
            note = (f' <span style="color:{theme.muted}; font-size:{caption_px}px;">'
                    f'({html.escape(line.note)})</span>') if line.note else ""
            parts.append(
                f'<br/><span style="font-size:{number_px}px;">{text} = '
                f'<b>{html.escape(line.result)}</b></span>{note}'
            )
        parts.append("</p>")
    if footer:
        parts.append(f'<p style="margin-top:{base_px // 2}px; color:{theme.muted}; '
                     f'font-size:{caption_px}px;">{html.escape(footer)}</p>')
    parts.append("</div>")
    return "".join(parts)


class EquationView(QTextBrowser):
    """Read-only view of the node's lines with live numbers; the text can be selected and copied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("equationView")
        self.setAccessibleName("The six lines of the node with this step's numbers")
        self.setToolTip(
            "The node's six lines with the real numbers of this step: "
            + HELP["prediction"] + " You can select and copy the numbers."
        )
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._lines: list[EquationLine] = []
        self._highlight: int | None = None
        self._footer = ""
        self._theme = LIGHT
        self._rendered = ""

    # -- public --------------------------------------------------------------------------------
    @property
    def lines(self) -> list[EquationLine]:
        return list(self._lines)

    @property
    def highlighted_line(self) -> int | None:
        return self._highlight

    def set_lines(self, lines: Sequence[EquationLine], footer: str = "") -> None:
        self._lines = list(lines)
        self._footer = footer
        self._render()
        if self._highlight is not None:  # the new numbers may move the highlighted line
            self._show_highlight()
            QTimer.singleShot(0, self, self._show_highlight)

    def set_highlight(self, index: int | None) -> None:
        if index == self._highlight:
            return
        self._highlight = index
        self._render()
        self._show_highlight()
        QTimer.singleShot(0, self, self._show_highlight)  # again once the new text is laid out

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        # A palette, not a style sheet: a widget with a style sheet stops following the
        # application font, and the window zooms by scaling that font.
        palette = self.palette()
        for role, colour in ((QPalette.ColorRole.Base, theme.base), (QPalette.ColorRole.Text, theme.foreground)):
            palette.setColor(role, QColor(colour))
        self.setPalette(palette)
        self._render()

    def number_pixel_size(self) -> int:
        """Pixel size of the numbers (the widget font's size × NUMBER_SCALE)."""
        return max(8, round(self._base_px() * NUMBER_SCALE))

    # -- internals -------------------------------------------------------------------------------
    def _base_px(self) -> int:
        return QFontInfo(self.font()).pixelSize()

    def _show_highlight(self) -> None:
        """Scroll (as little as needed) so the highlighted line is in view: one paragraph
        (one text block) per line of the node, in order."""
        present = sorted({line.index for line in self._lines})
        if self._highlight not in present:
            return
        block = self.document().findBlockByNumber(present.index(self._highlight))
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _render(self) -> None:
        text = equations_html(self._lines, self._theme, self._base_px(), self._highlight, self._footer)
        if text == self._rendered:
            return
        self._rendered = text
        bar = self.verticalScrollBar()
        position = bar.value()
        self.setHtml(text)
        bar.setValue(position)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._show_highlight()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._rendered = ""
            self._render()


__all__ = ["EquationView", "equations_html", "group_caption"]
