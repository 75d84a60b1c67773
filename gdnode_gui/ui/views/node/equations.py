"""The six lines of the node with live numbers, as a read-only rich-text view.

:class:`EquationView` shows the lines that :func:`gdnode_gui.core.equations.step_equations`
writes.  Each line of the node reads as one chain, made to stay readable in a narrow panel:
its formula in words on the first line, then the numbers with a hanging indent::

    delta = prediction − goal
      = 0.5967 − 0.6 = −0.003285

A chain never breaks right after an operator (``=``, ``+``, ``−``, ``×``, ``÷``) nor inside a
number, and keeps a term ``weight × input`` whole when it fits a line, so a narrow panel at
projector zoom shows ``= −0.003285`` under the numbers, never half a number.  With several
inputs the lines of a group are written out whole (``weighted_delta_1 = 0 × 8.5 = 0``).
When the panel is short (a projector), the view takes the roomiest of :data:`LAYOUTS` that
shows every line without scrolling: the formula and the numbers as one chain, then the
numbers alone, then (several inputs) one vector line each for weighted_delta, alpha_delta and
the weights.  The view can highlight one of the six lines (the one being computed, in Step
mode) and scrolls it into view.  Text sizes are relative to the widget's font, which follows the
application font (the window scales it with the zoom).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor, QFont, QFontInfo, QFontMetricsF, QPalette, QTextCursor, QTextDocument, QTextOption,
)
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from gdnode_gui.core.equations import FORMULAS, LINE_KEYS, EquationLine

from gdnode_gui.ui.controls import escape_html, named
from gdnode_gui.ui.help.help_texts import HELP
from gdnode_gui.ui.style.theme import LIGHT, Theme

#: Size of the numbers relative to the widget font, and of the captions (never below the font).
NUMBER_SCALE = 1.2
CAPTION_SCALE = 1.0
#: The hanging indent of the numbers under a caption, in units of the widget font's size.
INDENT = 0.9
NBSP = "\u00a0"
#: The view keeps room for at least this many lines of numbers (more when the panel has room).
MIN_LINES = 2.5
#: The most compact layout asks for room for at most this many lines (more scroll).
MAX_MIN_LINES = 14
#: A line never breaks right after one of these (it breaks before them instead).
OPERATORS = ("=", "+", "−", "×", "÷", "·")


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


def breakable(text: str, fits: Callable[[str], bool] | None = None) -> str:
    """``text`` as HTML that never breaks a line right after an operator (``=``, ``+``, ``−``,
    ``×``, ``÷``, ``·``), so a wrapped line starts with the operator, and never inside a
    number.  A term ``a × b`` between "+" signs also stays whole when ``fits`` says it fits
    on a line."""
    out = []
    for n, term in enumerate(text.split(" + ")):
        whole = fits is not None and fits(f"= {term} =")  # with the operators around it
        words = term.split(" ")
        pieces = [escape_html(words[0])]
        for before, word in zip(words, words[1:]):
            glued = before in OPERATORS or (whole and word in OPERATORS)
            pieces.append((NBSP if glued else " ") + escape_html(word))
        out.append(("" if n == 0 else f" +{NBSP}") + "".join(pieces))
    return "".join(out)


def _chain(line: EquationLine, named: bool, number_px: int, fits: Callable[[str], bool] | None) -> str:
    """``= numbers = result`` (``name = …`` when ``named``), the result bold."""
    parts = [breakable(line.name)] if named else [""]
    if line.numbers:
        parts.append(breakable(line.numbers, fits))
    parts.append(f"<b>{breakable(line.result, fits)}</b>")
    text = f" ={NBSP}".join(parts).lstrip()
    return f'<span style="font-size:{number_px}px;">{text}</span>'


def _number_px(base_px: int, layout: str) -> int:
    """Numbers a little larger than their captions; as large as the text (never smaller) in
    the compact layouts, where room is short."""
    return max(8, round(base_px * (NUMBER_SCALE if layout == "captions" else 1.0)))


def _named_chain(line: EquationLine, theme: Theme, number_px: int, fits: Callable[[str], bool] | None,
                 with_formula: bool) -> str:
    """``name = formula = numbers = result`` as one chain (the formula in words muted), or
    without the formula: one line of the node in the least room."""
    parts = [breakable(line.name)]
    if with_formula:
        parts.append(f'<span style="color:{theme.muted};">{breakable(line.formula)}</span>')
    if line.numbers:
        parts.append(breakable(line.numbers, fits))
    parts.append(f"<b>{breakable(line.result, fits)}</b>")
    return f'<span style="font-size:{number_px}px;">{f" ={NBSP}".join(parts)}</span>'


def caption_html(caption: str, fits: Callable[[str], bool] | None = None) -> str:
    """A caption as HTML; when it does not fit one line (``fits``), it breaks before its
    first "=" (``delta`` / ``= prediction − goal``) and then only where it must."""
    name, sep, formula = caption.partition(" = ")
    if fits is None or fits(caption) or not sep:
        return breakable(caption, fits)
    return f"{breakable(name)}<br/>={NBSP}{breakable(formula, fits)}"


#: How the lines are laid out, from the roomiest to the most compact (the view takes the first
#: that shows every line without scrolling): the formula in words on a line of its own above
#: the numbers; the formula and the numbers as one chain; the numbers alone (the formula is
#: in the drawing, the help and the tooltip); with several inputs, last, the numbers alone with
#: one vector line each for weighted_delta, alpha_delta and the weights.
LAYOUTS = ("captions", "chains", "numbers", "vectors")


def equations_html(lines: Sequence[EquationLine], theme: Theme, base_px: int,
                   highlight: int | None = None, footer: str = "",
                   caption_fits: Callable[[str], bool] | None = None,
                   number_fits: Callable[[str], bool] | None = None, layout: str = "captions",
                   blocks: list[int] | None = None) -> str:
    """The lines as HTML: one paragraph per line of the node (its formula in words, then its
    numbers under a hanging indent, as ``layout`` says); the lines of ``highlight`` (0..5) on
    the theme's highlight colour.  ``caption_fits`` and ``number_fits`` say whether a text fits
    one line of the view (in the captions' or the numbers' font).  ``blocks``, when given,
    receives the line of the node (0..5) of each paragraph, in order."""
    number_px = _number_px(base_px, layout)
    caption_px = max(7, round(base_px * CAPTION_SCALE))
    indent = max(4, round(base_px * INDENT))
    parts = [f'<div style="color:{theme.foreground};">']
    for index in range(len(LINE_KEYS)):
        group = [line for line in lines if line.index == index]
        if not group:
            continue
        background = f"background-color:{theme.highlight};" if index == highlight else ""
        paragraph = (f'<p style="margin-top:{max(2, base_px // 4)}px; margin-bottom:0px; margin-left:{indent}px; '
                     f'text-indent:-{indent}px; {background}">')
        parts.append(paragraph)
        if blocks is not None:
            blocks.append(index)
        single = len(group) == 1
        if layout == "captions" or (layout == "chains" and not single):
            caption = caption_html(group_caption(lines, index), caption_fits)
            parts.append(f'<span style="color:{theme.muted}; font-size:{caption_px}px;">{caption}</span><br/>')
        for n, line in enumerate(group):
            note = (f' <span style="color:{theme.muted}; font-size:{caption_px}px;">'
                    f'({escape_html(line.note)})</span>') if line.note and layout == "captions" else ""
            if layout in ("chains", "numbers", "vectors") and single:
                chain = _named_chain(line, theme, number_px, number_fits, with_formula=layout == "chains")
            else:
                chain = _chain(line, not single or layout != "captions", number_px, number_fits)
            if n and layout != "captions":  # each input's line starts at the left, like the others
                parts.append("</p>" + paragraph)
                if blocks is not None:
                    blocks.append(index)
            elif n:
                parts.append("<br/>")
            parts.append(chain + note)
        parts.append("</p>")
    if footer and layout == "captions":
        parts.append(f'<p style="margin-top:{base_px // 2}px; color:{theme.muted}; '
                     f'font-size:{caption_px}px;">{escape_html(footer)}</p>')
    parts.append("</div>")
    return "".join(parts)


class EquationView(QTextBrowser):
    """Read-only view of the node's lines with live numbers; the text can be selected and copied."""

    #: :meth:`needed_height` changed (new lines, width or font).
    neededHeightChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "equationView", "The six lines of the node with this step's numbers",
              "The node's six lines with the real numbers of this step: "
              + HELP["prediction"] + " You can select and copy the numbers.")
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
        self._layout = LAYOUTS[0]
        self._vector_lines: list[EquationLine] = self._lines
        self._blocks: list[int] = []  # the line of the node (0..5) of each paragraph shown
        self._compact_height = 0  # the most compact layout's height at the current width
        self._heights: dict[tuple, float] = {}  # see _height_of

    # -- public --------------------------------------------------------------------------------
    @property
    def lines(self) -> list[EquationLine]:
        return list(self._lines)

    @property
    def highlighted_line(self) -> int | None:
        return self._highlight

    def set_lines(self, lines: Sequence[EquationLine], footer: str = "",
                  vector_lines: Sequence[EquationLine] | None = None) -> None:
        """Show ``lines``; ``vector_lines`` (the same step with one vector line each for the
        per-input lines) is the last resort when nothing else fits without scrolling."""
        self._lines = list(lines)
        self._vector_lines = list(vector_lines) if vector_lines else self._lines
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

    @property
    def layout_name(self) -> str:
        """The layout in use (one of :data:`LAYOUTS`)."""
        return self._layout

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Room for ``MIN_LINES`` lines of numbers: a short panel at projector zoom keeps
        showing the highlighted line rather than a sliver."""
        hint = super().minimumSizeHint()
        font = QFont(self.font())
        font.setPixelSize(self.number_pixel_size())
        lines = MIN_LINES * QFontMetricsF(font).lineSpacing() + 2 * self.document().documentMargin()
        return QSize(hint.width(), max(hint.height(), math.ceil(lines) + 2 * self.frameWidth()))

    def needed_height(self) -> int:
        """The height that shows every line in the most compact layout at the current width
        (the panel gives the drawing what is left), at most :data:`MAX_MIN_LINES` lines."""
        font = QFont(self.font())
        font.setPixelSize(self.number_pixel_size())
        most = MAX_MIN_LINES * QFontMetricsF(font).lineSpacing() + 2 * self.document().documentMargin()
        return math.ceil(min(self._compact_height, most)) + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The minimum: the panel gives the view whatever the drawing leaves (stretch)."""
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def number_pixel_size(self) -> int:
        """Pixel size of the numbers shown (the widget font's size × NUMBER_SCALE, or the
        font's size in the compact layouts)."""
        return _number_px(self._base_px(), self._layout)

    # -- internals -------------------------------------------------------------------------------
    def _base_px(self) -> int:
        return QFontInfo(self.font()).pixelSize()

    def _show_highlight(self) -> None:
        """Scroll (as little as needed) so the highlighted line is in view: one paragraph
        (one text block) per line of the node, in order."""
        if self._highlight not in self._blocks:
            return
        block = self.document().findBlockByNumber(self._blocks.index(self._highlight))
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _fits(self, pixel_size: int, indent: bool) -> Callable[[str], bool]:
        """Whether a text in this size fits one line (under the hanging indent when
        ``indent``); measured as if the scroll bar were shown, so that showing it never
        changes the text (and the text never toggles the bar)."""
        font = QFont(self.font())
        font.setPixelSize(pixel_size)
        metrics = QFontMetricsF(font)
        room = (self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
                - 2 * self.document().documentMargin())
        if indent:
            room -= max(4, round(self._base_px() * INDENT))
        return lambda text: metrics.horizontalAdvance(text) <= room

    def _html(self, layout: str, blocks: list[int]) -> str:
        lines = self._vector_lines if layout == "vectors" else self._lines
        return equations_html(lines, self._theme, self._base_px(), self._highlight, self._footer,
                              self._fits(max(7, round(self._base_px() * CAPTION_SCALE)), False),
                              self._fits(_number_px(self._base_px(), layout), True), layout, blocks)

    def _height_of(self, text: str) -> float:
        """The height of ``text`` laid out at the view's width.  Kept for the last few texts:
        a change of height alone (a splitter, the window) asks again for the same ones."""
        width, font = max(1, self.viewport().width()), self.font()
        key = (text, width, font.key())
        height = self._heights.get(key)
        if height is None:
            document = QTextDocument()
            document.setDefaultFont(font)
            document.setDocumentMargin(self.document().documentMargin())
            document.setHtml(text)
            document.setTextWidth(width)
            height = document.size().height()
            if len(self._heights) >= 16:
                self._heights.clear()
            self._heights[key] = height
        return height

    def _render(self) -> None:
        """The roomiest layout that shows every line without scrolling (the most compact when
        none does)."""
        room = self.viewport().height()
        text = ""
        layouts = LAYOUTS if self._vector_lines is not self._lines else LAYOUTS[:-1]
        for layout in layouts:
            blocks: list[int] = []
            text = self._html(layout, blocks)
            height = self._height_of(text)
            if layout == layouts[-1]:
                if abs(height - self._compact_height) > 1:
                    self._compact_height = height
                    self.neededHeightChanged.emit()
            elif height <= room:
                break
        self._layout = layout
        self._blocks = blocks
        if text == self._rendered:
            return
        self._rendered = text
        bar = self.verticalScrollBar()
        position = bar.value()
        self.setHtml(text)
        bar.setValue(position)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._render()  # captions break for the new width
        elif event.oldSize().height() != event.size().height():
            self._render()  # a roomier or a more compact layout may fit now
        self._show_highlight()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._rendered = ""
            self._render()
            self.updateGeometry()


__all__ = ["EquationView", "breakable", "caption_html", "equations_html", "group_caption"]
