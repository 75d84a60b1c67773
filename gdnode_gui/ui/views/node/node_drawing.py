"""The drawing of the node (the picture at the top of "Inside the node").

Holds :class:`NodeDrawing`, the painted widget, and what lays it out: :class:`NodeLayout`
and :class:`DrawnText` (where each shape and text goes), the font metrics and the planner
that fits the layout to a width, and the painting of input circles, weight boxes, the Σ node,
the values and the update arrow.  The panel around it (step label, "All digits", the six
lines) is :class:`gdnode_gui.ui.views.node.node_panel.NodePanel`.

The drawing shows the inputs (with their values), the weights on the edges (the weight now
and, after the arrow, the new weight), the Σ node, the prediction, the goal, delta and mse,
and the update arrow going back from delta to the weights.

The drawing does not shrink its texts to fit: every text is at least the application font
(which the window scales with the zoom).  It is laid out from font metrics, for the width it
gets: the values go beside the Σ node when there is room, else under it in a grid that
wraps; with little height it leaves out decorations (the caption, the column titles) and
shows only a few of many inputs ("… 12 more").  Only a panel too short even for that draws
it smaller (``NodeDrawing.scale_used``), rather than push the window past the screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from gdnode_gui.core.equations import step_texts
from gdnode_gui.core.number_text import MINUS, Shown, maths, short
from gdnode_gui.core.setup import Setup

from gdnode_gui.ui.controls import named
from gdnode_gui.ui.style.theme import LIGHT, Theme

#: More inputs than this are drawn as the first few, "…", and the last.
MAX_DRAWN_INPUTS = 6
#: The layout reserves this much room for a value, so it does not jump while the numbers change.
RESERVED_VALUE = "−0.000000"
#: The caption under the drawing, longest first; the first that fits is shown.
CAPTIONS = ("update: new weight = weight − alpha × delta × input", "update: weight − alpha × delta × input")
#: What to leave out when the drawing is too tall, in order: (column titles, caption, input
#: names, most input rows drawn).  Names go only when they do not fit the width.
LEVELS = ((True, True, True, 6), (True, False, True, 6), (False, False, True, 6),
          (False, False, True, 4), (False, False, True, 3), (False, False, True, 2), (False, False, True, 1))
#: The most compact level: the last, without the input names.
NAMELESS = LEVELS[-1][:2] + (False,) + LEVELS[-1][3:]


def _drawn(value: float, digits: int = 4) -> str:
    """A short number for the drawing (``digits`` significant digits), with a real minus sign."""
    return maths(short(value, digits))


@dataclass
class DrawnText:
    """One text of the drawing: where, in which font, in which theme colour."""

    rect: QRectF
    text: str
    font: QFont
    role: str = "foreground"  # a Theme attribute, or "curve0"/"curve1"
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter
    cut: bool = False  # wider than its place: drawn cut short with "…" (a last resort)


@dataclass
class NodeLayout:
    """Where everything of the drawing goes, for one width (pixels, widget coordinates)."""

    height: int = 0
    texts: list[DrawnText] = field(default_factory=list)
    pills: list[QRectF] = field(default_factory=list)  # the inputs
    boxes: list[QRectF] = field(default_factory=list)  # the weights
    edges: list[tuple[QPointF, QPointF]] = field(default_factory=list)  # input to weight
    arrows: list[tuple[QPointF, QPointF]] = field(default_factory=list)  # weight to Σ
    sum_arrow: tuple[QPointF, QPointF] | None = None  # Σ to the values beside it
    sum_rect: QRectF = field(default_factory=QRectF)
    cells: list[tuple[QRectF, int]] = field(default_factory=list)  # value cells, their line
    values: list[QRectF] = field(default_factory=list)  # where each value is written
    update_path: QPainterPath | None = None
    update_tip: QPointF | None = None
    sum_path: QPainterPath | None = None  # Σ down to the values under it (grid layouts)
    beside: bool = True  # the values beside Σ (else under the node, in a grid)
    columns: int = 1  # columns of the values grid
    rows: list[int | None] = field(default_factory=list)  # inputs drawn (None: "…")
    titles: bool = False
    caption: bool = False
    names: bool = False


class _Metrics:
    """Text sizes of the drawing's fonts: the widget font, bold, and a big Σ."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.sigma = QFont(self.bold)
        if font.pointSizeF() > 0:
            self.sigma.setPointSizeF(font.pointSizeF() * 1.4)
        else:
            self.sigma.setPixelSize(round(font.pixelSize() * 1.4))
        self._fm, self._fmb = QFontMetricsF(self.font), QFontMetricsF(self.bold)
        self.u = self._fm.height()
        self._seen: dict[tuple[bool, str], float] = {}  # the levels measure the same texts

    def wide(self, text: str) -> float:
        key = (False, text)
        if key not in self._seen:
            self._seen[key] = self._fm.horizontalAdvance(text)
        return self._seen[key]

    def wide_bold(self, text: str) -> float:
        key = (True, text)
        if key not in self._seen:
            self._seen[key] = self._fmb.horizontalAdvance(text)
        return self._seen[key]

    def width_in(self, font: QFont, text: str) -> float:
        if font is self.font:
            return self.wide(text)
        return self.wide_bold(text) if font is self.bold else QFontMetricsF(font).horizontalAdvance(text)


def _rows(n: int, most: int) -> list[int | None]:
    """The inputs drawn: all of a few, else the first ones, "…" (None) and the last."""
    if n <= most:
        return list(range(n))
    if most < 3:  # the first input, and "… 2 more"
        return [0, None]
    return list(range(most - 2)) + [None, n - 1]


def _entries(setup: Setup, row: dict, drawn) -> list[tuple[str, str, int]]:
    """The values column: (label, value, line of the node it belongs to)."""
    if setup.order == "batch":
        m = f"all {setup.n_examples:,}"  # the caption says "all 5 examples at once (batch)"
        return [("predictions", m, 0), ("goals", m, 1), ("deltas", m, 1), ("mse (mean)", drawn(row["mse"]), 2)]
    return [("prediction", drawn(row["prediction"]), 0), ("goal", drawn(row["goal"]), 1),
            ("delta", drawn(row["delta"]), 1), ("mse", drawn(row["mse"]), 2)]


class _Planner:
    """Lays the node out from font metrics for a width: see :meth:`plan`."""

    def __init__(self, setup: Setup, row: dict, metrics: _Metrics, pill_text_width) -> None:
        self.setup, self.row, self.k = setup, row, metrics
        self.pill_text_width = pill_text_width  # digits -> the widest input value
        self.digits = 4  # of the inputs and weights drawn
        self._made: dict[tuple, NodeLayout] = {}  # (width, level) -> its layout
        # No number rounded into another: the stalled weight 0.5999999999999994 never reads
        # as the goal 0.6 (issue 13); the same texts as the lines below.
        self._texts = {4: step_texts(setup, row)}
        self.entries = _entries(setup, row, self._drawn)

    def _drawn(self, value: float, digits: int = 4) -> str:
        """The text of ``value`` in the drawing: ``digits`` significant digits at least, more
        where it would read as another number of the step."""
        if digits not in self._texts:
            values = [v for key, v in self.row.items() if key not in ("step", "example")]
            self._texts[digits] = Shown((v for v in values if v == v), digits)
        return maths(self._texts[digits](value))

    def plan(self, width: float, max_height: float, room: float = math.inf) -> NodeLayout:
        """The first layout of ``LEVELS`` that fits ``max_height``, else the most compact;
        without the input names when only that fits the ``room`` there is at all."""
        layout = NodeLayout()
        for level in LEVELS:
            layout = self._level(width, *level)
            if layout.height <= max_height:
                break
        if layout.height > room and layout.names:
            layout = self._level(width, *NAMELESS)
        for text in layout.texts:
            text.cut = self.k.width_in(text.font, text.text) > text.rect.width() + 0.5
        return layout

    def smallest(self, width: float) -> NodeLayout:
        """The most compact layout at ``width`` (what :meth:`plan` gives when nothing fits)."""
        layout = self._level(width, *LEVELS[-1])
        return self._level(width, *NAMELESS) if layout.names else layout

    def _level(self, width: float, *level) -> NodeLayout:
        """The layout of one level at ``width``, made once: the panel asks again for the
        same width as it finds its height (the room left changes the level, not the layouts)."""
        key = (width, level)
        if key not in self._made:
            if len(self._made) > 64:  # a window being resized: keep only the recent widths
                self._made.clear()
            self._made[key] = self._plan(width, *level)
        return self._made[key]

    # -- one level ---------------------------------------------------------------------------------
    def _plan(self, width: float, titles: bool, caption: bool, names: bool, most: int) -> NodeLayout:
        k, u = self.k, self.k.u
        out = NodeLayout(titles=titles, rows=_rows(self.setup.n_inputs, most))
        margin, pill_h, box_h = 0.2 * u, 1.35 * u, 2.35 * u
        sum_d = max(1.7 * u, QFontMetricsF(k.sigma).height() + 0.2 * u)
        label_w = max(k.wide(label) for label, _, _ in self.entries)
        value_w = max([k.wide_bold(v) for _, v, _ in self.entries] + [k.wide_bold(RESERVED_VALUE)])
        gutter, out_arrow = 0.8 * u, 1.1 * u
        ideal, least = (1.2 * u, 2.2 * u), (0.5 * u, 0.9 * u)
        beside_w = out_arrow + gutter + label_w + 0.5 * u + value_w
        # Room kept for changing numbers first; then the widths of these numbers; then a digit
        # less for the inputs and weights (the lines below have them all); then no names.
        for reserve, out.names, self.digits in ((True, names, 4), (False, names, 4), (False, names, 3),
                                                (False, False, 3)):
            pill_w, col_in, box_w = self._widths(out, width, reserve, pill_h)
            fixed = 2 * margin + col_in + box_w + sum_d
            if fixed + sum(least) <= width:
                break
        out.beside = fixed + sum(least) + beside_w <= width
        room = width - fixed - (beside_w if out.beside else 0.0)
        if room >= sum(ideal):
            gaps = ideal
        elif room >= sum(least):
            t = (room - sum(least)) / (sum(ideal) - sum(least))
            gaps = tuple(a + t * (b - a) for a, b in zip(least, ideal))
        else:  # too narrow even so: the boxes give way (their numbers are cut with "…")
            gaps = least
            box_w *= max(0.3, (room - sum(least) + box_w) / box_w)
        content_w = col_in + gaps[0] + box_w + gaps[1] + sum_d + (beside_w if out.beside else 0.0)
        x0 = max(margin, (width - content_w) / 2)
        xs = {"in": x0, "box": x0 + col_in + gaps[0], "sum": x0 + col_in + gaps[0] + box_w + gaps[1]}
        y = margin
        if titles:
            self._titles(out, xs, y, (col_in, box_w, sum_d), width)
            y += 1.15 * u
        rows_h = self._rows_height(out, box_h, pill_h, out.names)
        values_h = len(self.entries) * 1.15 * u if out.beside else 0.0
        body_h = max(rows_h, sum_d, values_h)
        self._inputs(out, xs, y + (body_h - rows_h) / 2, (col_in, pill_w, pill_h, box_w, box_h), out.names)
        mid_y = y + body_h / 2
        out.sum_rect = QRectF(xs["sum"], mid_y - sum_d / 2, sum_d, sum_d)
        out.texts.append(DrawnText(out.sum_rect, "Σ", k.sigma))
        for box in out.boxes:
            start = QPointF(box.right(), box.center().y())
            out.arrows.append((start, self._towards(start, out.sum_rect.center(), sum_d / 2)))
        bottom = y + body_h
        gap_y = bottom + 0.45 * u
        if out.beside:
            v_left = xs["sum"] + sum_d + out_arrow + gutter
            out.sum_arrow = (QPointF(out.sum_rect.right(), mid_y), QPointF(v_left - gutter * 0.6, mid_y))
            self._list(out, v_left, mid_y - values_h / 2, label_w, value_w, 1, 1.15 * u, inline=True)
            y = bottom + 1.1 * u
            self._update_arrow(out, gutter, gap_y)
        else:
            y = self._grid(out, width, margin, bottom + 1.25 * u, gutter, label_w, value_w)
            self._update_arrow(out, gutter, gap_y)
            self._sum_elbow(out, bottom + 0.85 * u)
        if caption:
            text = next((c for c in CAPTIONS if k.wide(c) <= width - 2 * margin), None)
            if text is not None:
                out.caption = True
                out.texts.append(DrawnText(QRectF(margin, y, width - 2 * margin, u), text, k.font, "muted"))
                y += u
        out.height = math.ceil(y + margin)
        return out

    def _widths(self, out: NodeLayout, width: float, reserve: bool, pill_h: float) -> tuple[float, float, float]:
        """(input, input column, weight box) widths for the inputs drawn."""
        k, u, setup, row = self.k, self.k.u, self.setup, self.row
        shown = [i for i in out.rows if i is not None]
        pill_w = max(pill_h, self.pill_text_width(self.digits) + 0.6 * u)
        col_in = pill_w
        if out.names:  # a name wider than its input may reach under the edge to the weight
            widest = max(k.wide(setup.input_name(i)) for i in shown)
            col_in = max(pill_w, widest - 0.5 * u) if widest <= 0.35 * width else math.inf
        d = self.digits
        texts = [f"× {self._drawn(row[f'weight_{i + 1}'], d)}" for i in shown]
        texts += [f"× {RESERVED_VALUE}"] if reserve else []
        texts += ["frozen" if setup.frozen[i] else f"→ {self._drawn(row[f'new_weight_{i + 1}'], d)}" for i in shown]
        return pill_w, col_in, max(k.wide_bold(t) for t in texts) + 0.6 * u

    def _titles(self, out: NodeLayout, xs: dict, y: float, widths: tuple, width: float) -> None:
        k = self.k
        for text, x, w in zip(("input", "weight", "node"), (xs["in"], xs["box"], xs["sum"]), widths):
            if k.wide(text) <= w + 0.6 * k.u:
                left = min(max(0.0, x + w / 2 - k.wide(text) / 2), width - k.wide(text))
                out.texts.append(DrawnText(QRectF(left, y, k.wide(text), k.u), text, k.font, "muted"))

    def _row_height(self, box_h: float, pill_h: float, names: bool) -> float:
        return max(box_h, box_h / 2 + pill_h / 2 + 1.05 * self.k.u) if names else box_h

    def _rows_height(self, out: NodeLayout, box_h: float, pill_h: float, names: bool) -> float:
        heights = [self._row_height(box_h, pill_h, names) if i is not None else 1.3 * self.k.u for i in out.rows]
        return sum(heights) + 0.35 * self.k.u * (len(heights) - 1)

    def _inputs(self, out: NodeLayout, xs: dict, y: float, sizes: tuple, names: bool) -> None:
        k, u, setup, row = self.k, self.k.u, self.setup, self.row
        col_in, pill_w, pill_h, box_w, box_h = sizes
        batch = setup.order == "batch"
        for i in out.rows:
            if i is None:
                more = setup.n_inputs - len(out.rows) + 1
                # the last row: keep clear of the update arrow going up to the weight above
                right = xs["box"] + (box_w / 2 - 0.5 * u if i is out.rows[-1] else box_w)
                span = right - xs["in"]
                text = next((t for t in (f"… {more} more inputs", f"… {more} more", "…")
                             if k.wide(t) <= span), "…")
                out.texts.append(DrawnText(QRectF(xs["in"], y + 0.15 * u, span, u), text, k.font, "muted"))
                y += 1.3 * u + 0.35 * u
                continue
            cy = y + box_h / 2
            pill = QRectF(xs["in"] + (col_in - pill_w) / 2, cy - pill_h / 2, pill_w, pill_h)
            out.pills.append(pill)
            value = "x" if batch else self._drawn(row[f"input_{i + 1}"], self.digits)
            out.texts.append(DrawnText(pill, value, k.bold))
            if names:
                name_w = min(k.wide(setup.input_name(i)), xs["box"] - 0.2 * u)
                left = min(max(0.0, pill.center().x() - name_w / 2), xs["box"] - 0.2 * u - name_w)
                out.texts.append(DrawnText(QRectF(left, pill.bottom() + 0.05 * u, name_w, u),
                                           setup.input_name(i), k.font, "muted"))
            box = QRectF(xs["box"], y, box_w, box_h)
            out.boxes.append(box)
            out.edges.append((QPointF(pill.right(), cy), QPointF(box.left(), cy)))
            half = (box_h - 0.3 * u) / 2
            out.texts.append(DrawnText(QRectF(box.left(), y + 0.15 * u, box_w, half),
                                       f"× {self._drawn(row[f'weight_{i + 1}'], self.digits)}", k.bold))
            below, role = ("frozen", "muted") if setup.frozen[i] else \
                (f"→ {self._drawn(row[f'new_weight_{i + 1}'], self.digits)}", "curve0")
            out.texts.append(DrawnText(QRectF(box.left(), y + 0.15 * u + half, box_w, half), below, k.bold, role))
            y += self._row_height(box_h, pill_h, names) + 0.35 * u

    def _grid(self, out: NodeLayout, width: float, margin: float, y: float, gutter: float,
              label_w: float, value_w: float) -> float:
        """The values under the node in the lowest grid that fits (with room kept for
        changing numbers when that costs no lines); returns the y under it."""
        u, room = self.k.u, width - 2 * margin - gutter
        gap = max(gutter, 0.8 * u)
        actual = max(self.k.wide_bold(v) for _, v, _ in self.entries)
        best = None
        for wide in (value_w, actual):
            for inline, columns in ((False, 4), (True, 4), (True, 2), (False, 2), (True, 1), (False, 1)):
                cell_w = label_w + 0.5 * u + wide if inline else max(label_w, wide)
                needed = columns * cell_w + (columns - 1) * gap
                lines = math.ceil(len(self.entries) / columns) * (1 if inline else 2)
                if needed <= room and (best is None or lines < best[0]):
                    best = (lines, inline, columns, cell_w, needed, wide)
        if best is None:  # nothing fits: one column of labels over values, cut where it must
            best = (8, False, 1, max(label_w, actual), max(label_w, actual), actual)
        lines, inline, columns, cell_w, needed, value_w = best
        out.columns = columns
        left = margin + gutter + max(0.0, (room - needed) / 2)
        line_h = 1.0 * u
        self._list(out, left, y, label_w, value_w, columns, line_h, inline, cell_w + gap)
        return y + lines * line_h + 0.2 * u

    def _list(self, out: NodeLayout, left: float, top: float, label_w: float, value_w: float, columns: int,
              line_h: float, inline: bool, pitch: float = 0.0) -> None:
        """The value cells, ``columns`` to a row: "label value" (inline) or label over value."""
        k, u = self.k, self.k.u
        for n, (label, value, index) in enumerate(self.entries):
            x = left + (n % columns) * pitch
            if inline:
                y = top + (n // columns) * line_h
                cell = QRectF(x - 0.2 * u, y, label_w + 0.9 * u + value_w, line_h)
                label_rect = QRectF(x, y, label_w, line_h)
                value_rect = QRectF(x + label_w + 0.5 * u, y, value_w, line_h)
            else:
                y = top + (n // columns) * 2 * line_h
                w = max(label_w, value_w)
                cell = QRectF(x - 0.2 * u, y, w + 0.4 * u, 2 * line_h)
                label_rect, value_rect = QRectF(x, y, w, line_h), QRectF(x, y + line_h, w, line_h)
            out.cells.append((cell, index))
            out.values.append(QRectF(value_rect.left(), value_rect.top(),
                                     min(value_rect.width(), k.wide_bold(value)), value_rect.height()))
            left_align = Qt.AlignmentFlag.AlignLeft
            out.texts.append(DrawnText(label_rect, label, k.font, "muted", left_align))
            role = "warning" if value in ("inf", MINUS + "inf", "nan") else "foreground"
            out.texts.append(DrawnText(value_rect, value, k.bold, role, left_align))

    def _update_arrow(self, out: NodeLayout, gutter: float, gap_y: float) -> None:
        """The dashed update arrow: from delta back under the node up to the last weight."""
        delta = next((cell for (cell, _), (label, _, _) in zip(out.cells, self.entries)
                      if label.startswith("delta")), None)
        if delta is None or not out.boxes:
            return
        target = out.boxes[-1]
        x = delta.left() + 0.2 * self.k.u - gutter / 2
        y = delta.center().y()
        path = QPainterPath(QPointF(delta.left() + 0.1 * self.k.u, y))
        path.lineTo(QPointF(x, y))
        path.lineTo(QPointF(x, gap_y))
        path.lineTo(QPointF(target.center().x(), gap_y))
        path.lineTo(QPointF(target.center().x(), target.bottom() + 0.45 * self.k.u))
        out.update_path = path
        out.update_tip = QPointF(target.center().x(), target.bottom() + 0.1 * self.k.u)

    def _sum_elbow(self, out: NodeLayout, y: float) -> None:
        """Σ to the prediction under it: down, across at ``y``, down into the prediction."""
        x, top = out.values[0].center().x(), out.cells[0][0].top()
        path = QPainterPath(QPointF(out.sum_rect.center().x(), out.sum_rect.bottom()))
        path.lineTo(QPointF(out.sum_rect.center().x(), y))
        path.lineTo(QPointF(x, y))
        path.lineTo(QPointF(x, top))
        out.sum_path = path

    @staticmethod
    def _towards(start: QPointF, centre: QPointF, radius: float) -> QPointF:
        dx, dy = centre.x() - start.x(), centre.y() - start.y()
        length = math.hypot(dx, dy) or 1.0
        return QPointF(centre.x() - dx / length * radius, centre.y() - dy / length * radius)


class NodeDrawing(QWidget):
    """The painted node.  Texts are the widget font (so the app zoom), never smaller; pens
    scale with ``set_zoom``; the layout follows the width (see :class:`_Planner`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "nodeDrawing", "Drawing of the node: inputs, weights, sum, prediction, goal and delta",
              "The node: each input is multiplied by its weight and summed (Σ) into the prediction; "
              "delta = prediction − goal; the dashed arrow is the update back to the weights: "
              "new weight = weight − alpha × delta × input.")
        # Its full height when there is room; less only in a panel too short for it (then it
        # is drawn smaller, see ``scale_used``), so the dock never grows past the screen.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._setup: Setup | None = None
        self._row: dict | None = None
        self._highlight: int | None = None
        self._theme = LIGHT
        self._zoom = 1.0
        self._max_height = 10_000
        self._room = 10_000
        self._pill_cache: tuple = (None, {})  # (setup, {(font, digits): widest input value})
        self.layout_used = NodeLayout()  # the layout of the current state and width
        self._hinted = 0  # the height last given as the size hint
        self._planner: tuple = (None, None, None, None)  # (font key, setup, row, its _Planner)

    # -- state -------------------------------------------------------------------------------
    def set_state(self, setup: Setup | None, row: dict | None) -> None:
        self._setup, self._row = setup, row
        self._relayout()

    def set_highlight(self, index: int | None) -> None:
        if index != self._highlight:
            self._highlight = index
            self.update()

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._relayout()

    def set_max_height(self, pixels: int, room: int | None = None) -> None:
        """Try to stay at most ``pixels`` high, leaving out decorations; ``room``: the most
        there is at all (the input names go too before the drawing is drawn smaller)."""
        room = 10_000 if room is None else room
        if (pixels, room) != (self._max_height, self._room):
            self._max_height, self._room = pixels, room
            self._relayout()

    def smallest_height(self) -> int:
        """The height of the most compact layout at the current width, drawn at its size
        (laid out once per width, font and step: the planner keeps it)."""
        if self._setup is None or self._row is None:
            return 0
        return math.ceil(self._planner_now().smallest(float(max(self.width(), 1))).height)

    def _planner_now(self) -> _Planner:
        """The planner of the current step and font (it keeps the layouts it has made)."""
        font_key, setup, row, planner = self._planner
        if font_key != self.font().key() or setup is not self._setup or row is not self._row:
            metrics = _Metrics(self.font())
            planner = _Planner(self._setup, self._row, metrics, lambda d: self._pill_text_width(metrics, d))
            self._planner = (self.font().key(), self._setup, self._row, planner)
        return planner

    # -- layout --------------------------------------------------------------------------------
    def _pill_text_width(self, metrics: _Metrics, digits: int) -> float:
        """The widest input value of the setup (every example: the layout does not jump
        from one example to the next); the first 200 examples are enough to judge."""
        setup = self._setup
        key = (id(setup), metrics.bold.toString(), digits)
        if self._pill_cache[0] is not setup:
            self._pill_cache = (setup, {})
        widths = self._pill_cache[1]
        if key not in widths:
            if setup.order == "batch":
                widths[key] = metrics.wide_bold("x")
            else:
                widths[key] = max(metrics.wide_bold(_drawn(x, digits)) for e in setup.examples[:200] for x in e.inputs)
        return widths[key]

    def _relayout(self) -> None:
        if self._setup is None or self._row is None:
            self.layout_used = NodeLayout(height=math.ceil(2 * QFontMetricsF(self.font()).height()))
        else:
            self.layout_used = self._planner_now().plan(float(max(self.width(), 1)), self._max_height, self._room)
        if self.layout_used.height != self._hinted:
            self._hinted = self.layout_used.height
            self.updateGeometry()
        self.update()

    @property
    def scale_used(self) -> float:
        """1.0, or less when the panel is too short for the drawing and it is drawn smaller."""
        return min(1.0, self.height() / max(1, self.layout_used.height))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, self.layout_used.height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(160, min(self.layout_used.height, math.ceil(3 * QFontMetricsF(self.font()).height())))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._relayout()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._relayout()

    # -- for tests: what a reader would miss ------------------------------------------------------
    def clipped_texts(self) -> list[str]:
        """Texts of the drawing that do not fit their place (cut with "…") or the drawing."""
        bounds = QRectF(0, 0, self.width(), self.layout_used.height).adjusted(-0.5, -0.5, 0.5, 0.5)
        return [t.text for t in self.layout_used.texts if t.cut or not bounds.contains(t.rect)]

    def smallest_font(self) -> QFont | None:
        """The smallest font the drawing uses (None when there is nothing to draw)."""
        fonts = [t.font for t in self.layout_used.texts]
        return min(fonts, key=lambda f: f.pointSizeF() if f.pointSizeF() > 0 else f.pixelSize()) if fonts else None

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(self._theme.base))
        if self._setup is not None and self._row is not None:
            scale = self.scale_used
            if scale < 1.0:  # a panel too short even for the most compact layout
                painter.translate(self.width() * (1.0 - scale) / 2, 0)
                painter.scale(scale, scale)
            self._paint(painter, self.layout_used)
        painter.end()

    def _colour(self, role: str) -> QColor:
        if role.startswith("curve"):
            return QColor(self._theme.curve_colour(int(role[5:])))
        return QColor(getattr(self._theme, role))

    def _paint(self, p: QPainter, out: NodeLayout) -> None:
        theme, lit = self._theme, self._highlight
        pen_w = max(1.0, theme.line_width * self._zoom * 0.75)
        u = QFontMetricsF(self.font()).height()
        round_ = 0.3 * u
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(theme.highlight))
        for cell, index in out.cells:
            if index == lit:
                p.drawRoundedRect(cell, round_, round_)
        if out.update_path is not None and lit in (3, 4):
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(QColor(theme.highlight), pen_w * 5))
            p.drawPath(out.update_path)
        edge = QPen(self._colour("curve0"), pen_w)
        for a, b in out.edges:
            p.setPen(edge)
            p.drawLine(a, b)
        for a, b in out.arrows:
            self._arrow(p, a, b, self._colour("curve0"), pen_w, u)
        if out.sum_arrow is not None:
            self._arrow(p, *out.sum_arrow, QColor(theme.foreground), pen_w, u)
        if out.sum_path is not None:
            p.setPen(QPen(QColor(theme.foreground), pen_w))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(out.sum_path)
            end = out.sum_path.currentPosition()
            self._head(p, end, math.pi / 2, QColor(theme.foreground), u)
        p.setPen(QPen(QColor(theme.foreground), pen_w))
        for pill in out.pills:
            p.setBrush(QColor(theme.highlight) if lit == 3 else QColor(theme.base))
            p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        p.setPen(QPen(QColor(theme.muted), max(1.0, self._zoom)))
        for box in out.boxes:
            p.setBrush(QColor(theme.highlight) if lit in (0, 5) else QColor(theme.base))
            p.drawRoundedRect(box, round_, round_)
        p.setPen(QPen(QColor(theme.foreground), pen_w * 1.3))
        p.setBrush(QColor(theme.highlight) if lit == 0 else QColor(theme.base))
        p.drawEllipse(out.sum_rect)
        if out.update_path is not None:
            colour = self._colour("curve1")
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(colour, pen_w, Qt.PenStyle.DashLine))
            p.drawPath(out.update_path)
            self._head(p, out.update_tip, -math.pi / 2, colour, u)
        for text in out.texts:
            self._text(p, text)

    def _text(self, p: QPainter, text: DrawnText) -> None:
        p.setFont(text.font)
        p.setPen(self._colour(text.role))
        shown = text.text
        if text.cut:
            shown = QFontMetricsF(text.font).elidedText(shown, Qt.TextElideMode.ElideRight, text.rect.width() + 0.5)
        p.drawText(text.rect, int(text.align | Qt.AlignmentFlag.AlignVCenter), shown)

    def _arrow(self, p: QPainter, a: QPointF, b: QPointF, colour: QColor, width: float, u: float) -> None:
        p.setPen(QPen(colour, width))
        p.drawLine(a, b)
        self._head(p, b, math.atan2(b.y() - a.y(), b.x() - a.x()), colour, u)

    @staticmethod
    def _head(p: QPainter, tip: QPointF, angle: float, colour: QColor, u: float) -> None:
        size = u * 0.45
        left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
        right = QPointF(tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(QPolygonF([tip, left, right]))


__all__ = ["DrawnText", "NodeDrawing", "NodeLayout"]
