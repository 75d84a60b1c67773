"""Inside the node: a drawing of the node and its six lines with the numbers of one step.

The drawing shows the inputs (circles with their values), the weights on the edges (the
weight now and, after the arrow, the new weight), the Σ node, the prediction, the goal,
delta and mse, and the update arrow going back from delta to the weights.  Under it the
six lines of the article with the real numbers (:class:`EquationView`).

In Step mode the window calls ``set_stepping(True)``: each new step then walks through the
six lines, highlighting one after the other (in the drawing too) for ``line_ms`` each, and
settles on the new weight.  When steps come faster than that (a run at a pace), the walk is
dropped and the new weight line is highlighted at once.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy, QStyle, QVBoxLayout, QWidget

from gdnode_gui.core.equations import MINUS, EquationLine, number, row_at, step_equations
from gdnode_gui.core.run import Run
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.trace import Trace

from .equations import EquationView
from .help_texts import HELP
from .theme import LIGHT, Theme

#: Milliseconds each line stays highlighted while a step is walked through.
LINE_MS = 150
#: More inputs than this are drawn as the first few, "…", and the last.
MAX_DRAWN_INPUTS = 6
#: The drawing takes at most this share of the panel's height; the lines get the rest.
MAX_DRAWING_SHARE = 0.45
#: A wide panel draws the node up to this much bigger than its text size.
MAX_GROWTH = 1.25
#: The width the drawing takes, in units of its text size.
WIDTH_IN_F = 26.0
SHORT_FOOTER = "Numbers rounded to 4 digits: tick 'Full precision' to see every digit the computer keeps."


def _drawn(value: float) -> str:
    """A short number for the drawing, with a real minus sign."""
    return number(value).replace("-", MINUS)


class NodeDrawing(QWidget):
    """The painted node.  Text sizes follow the widget font (and so the app zoom); pens
    scale with ``set_zoom``; everything shrinks together when the widget is too narrow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodeDrawing")
        self.setAccessibleName("Drawing of the node: inputs, weights, sum, prediction, goal and delta")
        self.setToolTip(
            "The node: each input is multiplied by its weight and summed (Σ) into the prediction; "
            "delta = prediction − goal; the dashed arrow is the update back to the weights."
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._setup: Setup | None = None
        self._row: dict | None = None
        self._highlight: int | None = None
        self._theme = LIGHT
        self._zoom = 1.0
        self.scale_used = 1.0  # the scale of the last paint (below 1.0: shrunk to fit)
        self._max_height = 10_000

    # -- state -------------------------------------------------------------------------------
    def set_state(self, setup: Setup | None, row: dict | None) -> None:
        changed_size = self._setup is None or setup is None or setup.n_inputs != self._setup.n_inputs
        self._setup, self._row = setup, row
        if changed_size:
            self._fit_height()
        self.update()

    def set_highlight(self, index: int | None) -> None:
        if index != self._highlight:
            self._highlight = index
            self.update()

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._fit_height()
        self.update()

    # -- geometry ------------------------------------------------------------------------------
    def _font_px(self) -> float:
        return float(QFontMetricsF(self.font()).height()) * 0.8

    def _rows(self) -> list[int | None]:
        n = self._setup.n_inputs if self._setup else 1
        if n <= MAX_DRAWN_INPUTS:
            return list(range(n))
        return list(range(MAX_DRAWN_INPUTS - 2)) + [None, n - 1]

    def _needed_height(self, f: float) -> float:
        rows = len(self._rows())
        return f * (1.6 + max(rows * 3.3, 9.4) + 3.0)

    def set_max_height(self, pixels: int) -> None:
        """Shrink the drawing to at most ``pixels`` high (the panel keeps room for the lines)."""
        if pixels != self._max_height:
            self._max_height = pixels
            self._fit_height()
            self.update()

    def _scale(self, width: float) -> float:
        """How much the drawing must shrink to fit ``width`` and the height allowed (1.0: not at
        all; up to ``MAX_GROWTH`` when there is room to spare)."""
        f = self._font_px()
        return min(MAX_GROWTH, width / (f * WIDTH_IN_F), self._max_height / self._needed_height(f))

    def _fit_height(self) -> None:
        f = self._font_px() * self._scale(self.width())
        self.setFixedHeight(math.ceil(self._needed_height(f)))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, math.ceil(self._needed_height(self._font_px() * self._scale(self.width()))))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(160, self.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(self._theme.base))
        if self._setup is None or self._row is None:
            painter.end()
            return
        f = self._font_px()
        scale = min(self._scale(self.width()), self.height() / self._needed_height(f))
        self.scale_used = scale
        f *= scale
        # Centred: a drawing shrunk to fit the height leaves room at the sides.
        content = min(float(self.width()), WIDTH_IN_F * f * 1.15)
        painter.translate((self.width() - content) / 2, 0)
        self._paint_node(painter, f, content)
        painter.end()

    def _font(self, px: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(6, math.floor(px)))
        font.setBold(bold)
        return font

    def _text(self, painter: QPainter, rect: QRectF, text: str, px: float, colour: str,
              bold: bool = False, align=Qt.AlignmentFlag.AlignCenter) -> None:
        font = self._font(px, bold)
        wide = QFontMetricsF(font).horizontalAdvance(text)
        if wide > rect.width():  # shrink a long number (down to 60 %) before cutting it
            font = self._font(px * max(0.6, 0.97 * rect.width() / wide), bold)
        painter.setFont(font)
        painter.setPen(QColor(colour))
        elided = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), elided)

    def _box(self, painter: QPainter, rect: QRectF, lit: bool, round_: float) -> None:
        theme = self._theme
        pen = QPen(QColor(theme.muted), max(1.0, self._zoom))
        painter.setPen(pen)
        painter.setBrush(QColor(theme.highlight) if lit else QColor(theme.base))
        painter.drawRoundedRect(rect, round_, round_)

    def _paint_node(self, p: QPainter, f: float, width: float) -> None:
        theme, setup, row, lit = self._theme, self._setup, self._row, self._highlight
        batch = setup.order == "batch"
        rows = self._rows()
        pen_w = max(1.0, theme.line_width * self._zoom * 0.75)
        top = f * 1.6
        body = max(len(rows) * 3.3, 9.4) * f
        mid_y = top + body / 2
        row_h = body / len(rows)
        # columns: input circles | weights | Σ | values
        radius = 1.25 * f
        in_x = f * 0.6 + radius
        w_left, w_width = in_x + radius + f * 1.2, f * 6.6
        sum_r = 1.5 * f
        sum_x = w_left + w_width + f * 2.4 + sum_r
        v_left = sum_x + sum_r + f * 1.6
        v_width = max(f * 5.5, width - v_left - f * 0.4)
        small = 0.8 * f
        for label, x0, w in (("input", in_x - radius - f * 0.5, 2 * radius + f),
                             ("weight", w_left, w_width), ("node", sum_x - sum_r - f, 2 * sum_r + 2 * f)):
            self._text(p, QRectF(x0, 0, w, top), label, small, theme.muted)

        weight_boxes: list[QRectF] = []
        for k, i in enumerate(rows):
            y = top + row_h * (k + 0.5)
            if i is None:
                self._text(p, QRectF(0, y - f, w_left + w_width, 2 * f),
                           f"… {setup.n_inputs - len(rows) + 1} more inputs …", small, theme.muted)
                continue
            # the edge, from the input through the weight to Σ
            p.setPen(QPen(QColor(theme.curve_colour(0)), pen_w))
            p.drawLine(QPointF(in_x + radius, y), QPointF(w_left, y))
            self._arrow(p, QPointF(w_left + w_width, y), self._towards(QPointF(w_left + w_width, y),
                        QPointF(sum_x, mid_y), sum_r), theme.curve_colour(0), pen_w, f)
            # the input circle
            p.setPen(QPen(QColor(theme.foreground), pen_w))
            p.setBrush(QColor(theme.highlight) if lit == 3 else QColor(theme.base))
            p.drawEllipse(QPointF(in_x, y), radius, radius)
            value = "x" if batch else _drawn(row[f"input_{i + 1}"])
            self._text(p, QRectF(in_x - radius, y - radius, 2 * radius, 2 * radius), value, f, theme.foreground, True)
            name = setup.input_name(i)
            self._text(p, QRectF(0, y + radius - f * 0.1, in_x + radius + f * 1.1, f * 1.0), name,
                       small * 0.9, theme.muted, align=Qt.AlignmentFlag.AlignLeft)
            # the weight box: the weight now, and the new weight after the arrow
            box = QRectF(w_left, y - f * 1.15, w_width, f * 2.3)
            weight_boxes.append(box)
            self._box(p, box, lit in (0, 5), f * 0.3)
            old, new = row[f"weight_{i + 1}"], row[f"new_weight_{i + 1}"]
            self._text(p, QRectF(box.left(), box.top(), box.width(), box.height() / 2),
                       f"× {_drawn(old)}", f, theme.foreground, True)
            if setup.frozen[i]:
                below, colour = "frozen", theme.muted
            else:
                below, colour = f"→ {_drawn(new)}", theme.curve_colour(0)
            self._text(p, QRectF(box.left(), box.center().y(), box.width(), box.height() / 2),
                       below, small, colour, True)

        # Σ
        p.setPen(QPen(QColor(theme.foreground), pen_w * 1.3))
        p.setBrush(QColor(theme.highlight) if lit == 0 else QColor(theme.base))
        p.drawEllipse(QPointF(sum_x, mid_y), sum_r, sum_r)
        self._text(p, QRectF(sum_x - sum_r, mid_y - sum_r, 2 * sum_r, 2 * sum_r), "Σ", f * 1.5, theme.foreground, True)
        self._arrow(p, QPointF(sum_x + sum_r, mid_y), QPointF(v_left - f * 0.2, mid_y), theme.foreground, pen_w, f)

        # the values column
        if batch:
            m = setup.n_examples
            entries = [("predictions", f"{m} examples", 0), ("goals", f"{m} examples", 1),
                       ("deltas", f"{m} examples", 1), ("mse (mean)", _drawn(row["mse"]), 2)]
        else:
            entries = [("prediction", _drawn(row["prediction"]), 0), ("goal", _drawn(row["goal"]), 1),
                       ("delta", _drawn(row["delta"]), 1), ("mse", _drawn(row["mse"]), 2)]
        entry_h = f * 2.15
        y0 = mid_y - entry_h * len(entries) / 2
        delta_box = None
        for k, (label, value, index) in enumerate(entries):
            rect = QRectF(v_left, y0 + k * entry_h, v_width, entry_h - f * 0.15)
            if lit == index:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(theme.highlight))
                p.drawRoundedRect(rect, f * 0.3, f * 0.3)
            self._text(p, QRectF(rect.left() + f * 0.2, rect.top(), rect.width(), f * 0.95), label, small,
                       theme.muted, align=Qt.AlignmentFlag.AlignLeft)
            colour = theme.warning if value in ("inf", MINUS + "inf", "nan") else theme.foreground
            self._text(p, QRectF(rect.left() + f * 0.2, rect.top() + f * 0.85, rect.width(), f * 1.2), value,
                       f * 1.1, colour, True, Qt.AlignmentFlag.AlignLeft)
            if label.startswith("delta"):
                delta_box = rect

        # the update arrow: from delta back under the node to the weights
        if weight_boxes and delta_box is not None:
            colour = theme.curve_colour(1)
            pen = QPen(QColor(colour), pen_w, Qt.PenStyle.DashLine)
            bottom = top + body + f * 1.0
            target = weight_boxes[-1]
            path = QPainterPath(QPointF(delta_box.left(), delta_box.center().y()))
            path.lineTo(QPointF(v_left - f * 0.8, delta_box.center().y()))
            path.lineTo(QPointF(v_left - f * 0.8, bottom))
            path.lineTo(QPointF(target.center().x(), bottom))
            path.lineTo(QPointF(target.center().x(), target.bottom() + f * 0.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            if lit in (3, 4):
                p.setPen(QPen(QColor(theme.highlight), pen_w * 5))
                p.drawPath(path)
            p.setPen(pen)
            p.drawPath(path)
            self._head(p, QPointF(target.center().x(), target.bottom() + f * 0.15), -math.pi / 2, colour, f)
            self._text(p, QRectF(0, bottom + f * 0.2, width, f * 1.3),
                       "update: new weight = weight − alpha × delta × input", small, theme.muted)

    @staticmethod
    def _towards(start: QPointF, centre: QPointF, radius: float) -> QPointF:
        dx, dy = centre.x() - start.x(), centre.y() - start.y()
        length = math.hypot(dx, dy) or 1.0
        return QPointF(centre.x() - dx / length * radius, centre.y() - dy / length * radius)

    def _arrow(self, p: QPainter, a: QPointF, b: QPointF, colour: str, width: float, f: float) -> None:
        p.setPen(QPen(QColor(colour), width))
        p.drawLine(a, b)
        self._head(p, b, math.atan2(b.y() - a.y(), b.x() - a.x()), colour, f)

    @staticmethod
    def _head(p: QPainter, tip: QPointF, angle: float, colour: str, f: float) -> None:
        size = f * 0.55
        left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
        right = QPointF(tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(colour))
        p.drawPolygon(QPolygonF([tip, left, right]))


class NodePanel(QWidget):
    """"Inside the node": the drawing and the six lines with the numbers of the step shown.

    Signals
    -------
    fullPrecisionToggled(bool)
        The user ticked or cleared "Full precision" (the window may remember it).
    """

    fullPrecisionToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodePanel")
        self.setAccessibleName("Inside the node")
        self._setup: Setup | None = None
        self._trace: Trace | None = None
        self._preview: dict | None = None
        self._shown: tuple | None = None  # (trace id, step, full) last rendered
        self._step = 0
        self._stepping = False
        self._walk = QTimer(self)
        self._walk.setObjectName("nodeWalkTimer")
        self._walk.setInterval(LINE_MS)
        self._walk.timeout.connect(self._on_walk)
        self._walk_index = 0
        self._last_move = -math.inf
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.stepLabel = QLabel(self)
        self.stepLabel.setObjectName("nodeStepLabel")
        self.stepLabel.setAccessibleName("Which step the node shows")
        self.stepLabel.setToolTip(HELP["step"])
        self.stepLabel.setWordWrap(True)
        self.drawing = NodeDrawing(self)
        self.fullPrecisionCheckBox = QCheckBox("Full precision", self)
        self.fullPrecisionCheckBox.setObjectName("fullPrecisionCheckBox")
        self.fullPrecisionCheckBox.setAccessibleName("Full precision")
        self.fullPrecisionCheckBox.setToolTip(
            "Show every digit the computer keeps (0.5999999999999994 instead of 0.6). "
            "Off: numbers rounded to 4 digits."
        )
        self.fullPrecisionCheckBox.toggled.connect(self._on_full_precision)
        self.equationView = EquationView(self)
        layout.addWidget(self.stepLabel)
        layout.addWidget(self.drawing)
        layout.addWidget(self.fullPrecisionCheckBox)
        layout.addWidget(self.equationView, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.drawing.set_max_height(max(80, int(self.height() * MAX_DRAWING_SHARE)))

    # -- the view interface ----------------------------------------------------------------------
    def set_setup(self, setup: Setup) -> None:
        """A new setup: show the first step as the next one, with the starting weights."""
        self._setup = setup
        if self._trace is not None and self._trace.setup is not setup:
            self._trace = None  # the old run's trace; the window sends the new one next
        self._preview = None
        self._shown = None
        self._step = 0
        self._show()

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        if trace is not None and trace.setup is not self._setup:
            self._setup = trace.setup
            self._preview = None
        self._shown = None
        self._step = 0
        self._show()

    def refresh(self, n: int) -> None:
        """Show step ``n`` (0: the next step, not taken yet)."""
        trace = self._trace
        n = max(0, min(n, trace.n_steps if trace is not None else 0))
        moved = n != self._step
        now = time.monotonic()
        # Walk only when steps come slower than a walk takes (Step pressed now and then).
        calm = now - self._last_move >= 6 * self._walk.interval() / 1000
        if moved:
            self._last_move = now
        self._step = n
        self._show()
        if not (self._stepping and moved):
            return
        if n > 0 and calm and not self._walk.isActive():
            self._start_walk()
        else:
            self._walk.stop()
            self.highlight_line(5 if n > 0 else None)

    def apply_theme(self, theme: Theme) -> None:
        self.drawing.apply_theme(theme)
        self.equationView.apply_theme(theme)

    def set_zoom(self, factor: float) -> None:
        self.drawing.set_zoom(factor)
        box = self.fullPrecisionCheckBox
        size = round(box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) * factor)
        box.setStyleSheet("" if abs(factor - 1.0) < 1e-6 else
                          f"QCheckBox::indicator {{ width: {size}px; height: {size}px; }}")
        box.setFont(self.font())  # a style sheet stops it following the application font

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fullPrecisionCheckBox.setFont(self.font())

    # -- public extras ----------------------------------------------------------------------------
    @property
    def shown_step(self) -> int:
        """The step shown (0: the next step, not taken yet)."""
        return self._step

    @property
    def full_precision(self) -> bool:
        return self.fullPrecisionCheckBox.isChecked()

    def set_full_precision(self, on: bool) -> None:
        self.fullPrecisionCheckBox.setChecked(on)

    @property
    def stepping(self) -> bool:
        return self._stepping

    def set_stepping(self, on: bool) -> None:
        """Step mode: each new step walks through the six lines (``LINE_MS`` each)."""
        self._stepping = bool(on)
        if not on:
            self._walk.stop()
            self.highlight_line(None)

    def highlight_line(self, index: int | None) -> None:
        """Highlight line ``index`` (0 prediction … 5 weight) in the lines and the drawing."""
        self.equationView.set_highlight(index)
        self.drawing.set_highlight(index)

    @property
    def highlighted_line(self) -> int | None:
        return self.equationView.highlighted_line

    def equation_lines(self) -> list[EquationLine]:
        return self.equationView.lines

    def equations_text(self) -> str:
        """The lines shown, as plain text (one per line)."""
        return "\n".join(line.text for line in self.equationView.lines)

    # -- internals ---------------------------------------------------------------------------------
    def _row(self) -> dict | None:
        if self._setup is None:
            return None
        if self._step > 0 and self._trace is not None:
            return row_at(self._trace, self._step)
        if self._preview is None:
            run = Run(self._setup)
            run.step()
            self._preview = row_at(run.trace, 1) if run.n_steps else None
        return self._preview

    def _show(self) -> None:
        key = (id(self._trace), self._step, self.full_precision, id(self._setup))
        if key == self._shown:
            return
        self._shown = key
        row = self._row()
        setup = self._setup
        if row is None:
            self.stepLabel.setText("")
            self.drawing.set_state(None, None)
            self.equationView.set_lines([])
            return
        self.stepLabel.setText(self._caption(setup, row))
        full = self.full_precision
        self.drawing.set_state(setup, row)
        self.equationView.set_lines(step_equations(setup, row, full), "" if full else SHORT_FOOTER)

    def _caption(self, setup: Setup, row: dict) -> str:
        if setup.order == "batch":
            which = f"all {setup.n_examples} examples at once (batch)"
        elif setup.n_examples > 1:
            which = f"example {row['example']} of {setup.n_examples}"
        else:
            which = ""
        if self._step == 0:
            head = "<b>Next step: step 1</b> (not taken yet), with the starting weights"
        else:
            total = self._trace.n_steps if self._trace is not None else self._step
            head = f"<b>Step {self._step:,}</b>" + (f" of {total:,}" if total != self._step else "")
        return head + (f" · {which}" if which else "")

    def _start_walk(self) -> None:
        self._walk_index = 0
        self.highlight_line(0)
        self._walk.start()

    def _on_walk(self) -> None:
        self._walk_index += 1
        self.highlight_line(self._walk_index)
        if self._walk_index >= 5:
            self._walk.stop()

    def _on_full_precision(self, on: bool) -> None:
        self._show()
        self.fullPrecisionToggled.emit(on)


__all__ = ["LINE_MS", "NodeDrawing", "NodePanel"]
