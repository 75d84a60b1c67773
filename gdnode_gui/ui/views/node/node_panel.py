"""Inside the node: the panel with a drawing of the node and its six lines with the numbers of one step.

Holds :class:`NodePanel`: the step label, the "All digits" check box, the drawing
(:class:`gdnode_gui.ui.views.node.node_drawing.NodeDrawing`, which lays out and paints the node) and
under it the six lines of the article with the real numbers (:class:`EquationView`).  The
panel gives the drawing its share of the height (``MAX_DRAWING_SHARE``).

In Step mode the window calls ``set_stepping(True)``: each new step then walks through the
six lines, highlighting one after the other (in the drawing too) for ``line_ms`` each, and
settles on the new weight.  When steps come faster than that (a run at a pace), the walk is
dropped and the new weight line is highlighted at once.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QTextDocumentFragment
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QStyle, QVBoxLayout, QWidget

from gdnode_gui.core.equations import EquationLine, step_equations
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.frame import Frame, preview_row
from gdnode_gui.core.lesson import lesson as run_lesson
from gdnode_gui.core.lesson import setup_line
from gdnode_gui.core.trace import Trace

from gdnode_gui.ui.controls import named
from gdnode_gui.ui.views.node.equations import EquationView
from gdnode_gui.ui.help.help_texts import HELP
from gdnode_gui.ui.views.node.node_drawing import NodeDrawing
from gdnode_gui.ui.style.theme import Theme

#: Milliseconds each line stays highlighted while a step is walked through.
LINE_MS = 150
#: The drawing tries to stay within this share of the panel's height (the lines get the rest);
#: it leaves out decorations to get there, but never makes its texts smaller.
MAX_DRAWING_SHARE = 0.5
SHORT_FOOTER = "4 digits; more where two numbers would otherwise read alike."


class NodePanel(QWidget):
    """"Inside the node": the drawing and the six lines with the numbers of the step shown.

    Signals
    -------
    fullPrecisionToggled(bool)
        The user ticked or cleared "All digits" (full precision; the window may remember it).
    """

    fullPrecisionToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodePanel")
        self.setAccessibleName("Inside the node")
        self._setup: Setup | None = None
        self._trace: Trace | None = None
        self._total: int | None = None  # the newest step of the frame shown
        self._presenting = False
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
        named(self.stepLabel, "nodeStepLabel", "Which step the node shows",
              HELP["step"] + " Before the first step the node shows the next step, "
              "with the starting weights.")
        self.stepLabel.setWordWrap(True)
        self.drawing = NodeDrawing(self)
        # "All digits" (the table's word too): short enough to sit beside "Step 1,000" at 2x zoom.
        self.fullPrecisionCheckBox = QCheckBox("All digits", self)
        named(self.fullPrecisionCheckBox, "fullPrecisionCheckBox", "All digits (full precision)",
              "Full precision: show every digit the computer keeps in the lines below. "
              "Off: 4 significant digits, and more wherever two different numbers "
              "would otherwise read alike (so 0.5999999999999994 never shows as the goal 0.6).")
        self.fullPrecisionCheckBox.toggled.connect(self._on_full_precision)
        self.equationView = EquationView(self)
        self.equationView.neededHeightChanged.connect(self._update_drawing_room)
        self.setupLabel = QLabel(self)
        named(self.setupLabel, "setupSummaryLabel", "The values the node uses",
              "The setup's values (edit them in the Setup tab)")
        self.setupLabel.setWordWrap(True)
        self.setupLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.setupLabel.hide()
        self.lessonLabel = QLabel(self)
        named(self.lessonLabel, "lessonLabel", "The lesson of the run",
              "What this run shows, in words, once it has ended")
        self.lessonLabel.setWordWrap(True)
        self.lessonLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.lessonLabel.hide()
        # The step and the checkbox share a row when the step fits beside it (see _place_checkbox).
        self._top = QGridLayout()
        self._top.setContentsMargins(0, 0, 0, 0)
        self._top.setColumnStretch(0, 1)
        self._top.addWidget(self.stepLabel, 0, 0)
        self._checkbox_beside: bool | None = None
        layout.addLayout(self._top)
        layout.addWidget(self.setupLabel)
        layout.addWidget(self.drawing)
        layout.addWidget(self.equationView, 1)
        layout.addWidget(self.lessonLabel)
        self._place_checkbox()

    def _place_checkbox(self, room: bool = True) -> None:
        """Beside the step when its caption fits there on one line, else under it.  For the
        steps of a run the caption measured is a usual one ("Step 1,000 · example 2 of 3"),
        not the one shown, so the checkbox does not jump while the run goes on.  Then the
        drawing's room is worked out anew (unless ``room`` is False: the caller does it)."""
        setup = self._setup
        if self._step == 0 and self.stepLabel.text():
            caption = QTextDocumentFragment.fromHtml(self.stepLabel.text()).toPlainText()
        else:
            caption = f"Step {setup.max_steps if setup else 1000:,}"
            if setup is not None and (setup.order == "batch" or setup.n_examples > 1):
                caption += f" · example {setup.n_examples} of {setup.n_examples}"
        bold = QFont(self.stepLabel.font())
        bold.setBold(True)
        needed = QFontMetricsF(bold).horizontalAdvance(caption) + self.fullPrecisionCheckBox.sizeHint().width()
        beside = needed + self._top.horizontalSpacing() + 10 <= self.width()
        if beside != self._checkbox_beside:
            self._checkbox_beside = beside
            self._top.removeWidget(self.fullPrecisionCheckBox)
            if beside:
                self._top.addWidget(self.fullPrecisionCheckBox, 0, 1, Qt.AlignmentFlag.AlignTop)
            else:
                self._top.addWidget(self.fullPrecisionCheckBox, 1, 0, 1, 2)
        if room:
            self._update_drawing_room()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The drawing and the lines of the step (up to ~12 lines): the panel's layout asks
        only for a few lines (they take what the drawing leaves), a splitter asks for more."""
        hint = super().sizeHint()
        view = self.equationView
        lines = QFontMetricsF(view.font()).lineSpacing() * 12
        wanted = min(view.document().size().height(), lines) - view.sizeHint().height()
        return QSize(hint.width(), hint.height() + max(0, math.ceil(wanted)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_checkbox()

    def _update_drawing_room(self) -> None:
        """The drawing's share of the height, and all the room there is for it (what the
        step, the checkbox and a few lines of numbers leave)."""
        layout = self.layout()
        margins = layout.contentsMargins()
        free = (self.height() - margins.top() - margins.bottom() - 3 * layout.spacing()
                - self._top.sizeHint().height() - self.lessonLabel.sizeHint().height() * self.lessonLabel.isVisible())
        room = free - self.equationView.minimumSizeHint().height()
        # Every line of the step in view comes first: the drawing takes what they leave, when
        # that still holds it at its size (else the lines scroll and the drawing keeps its size).
        share = int(self.height() * MAX_DRAWING_SHARE)
        left = free - self.equationView.needed_height()
        fits = left >= self.drawing.smallest_height()
        if fits:
            share = min(share, left)
        # On a projector the lines are the lesson: the drawing (the same numbers again) gives
        # way when the two do not fit together.
        self.drawing.setVisible(fits or not self._presenting)
        self.drawing.set_max_height(max(80, share), max(80, room))

    # -- the view interface ----------------------------------------------------------------------
    def show_frame(self, frame: Frame) -> None:
        """Show the step ``frame`` shows (the view protocol); step 0 previews step 1."""
        if frame.trace is not self._trace:
            self.set_trace(frame.trace)
        self._total = frame.steps
        self.refresh(frame.shown)
        self.setupLabel.setText(setup_line(frame.setup))
        lesson = run_lesson(frame) if frame.finished and frame.latest and not frame.edited else ""
        if lesson != self.lessonLabel.text() or bool(lesson) != self.lessonLabel.isVisible():
            self.lessonLabel.setText(lesson)
            self.lessonLabel.setVisible(bool(lesson))
            self._update_drawing_room()

    def set_presenting(self, on: bool) -> None:
        """Presentation layout: the setup's values stay on screen above the node (the setup
        itself is a tab behind it)."""
        self._presenting = bool(on)
        self.setupLabel.setVisible(on)
        self._update_drawing_room()

    def set_setup(self, setup: Setup) -> None:
        """A new setup: show the first step as the next one, with the starting weights."""
        self._setup = setup
        if self._trace is not None and self._trace.setup is not setup:
            self._trace = None  # the old run's trace; the window sends the new one next
        self._shown = None
        self._step = 0
        self._place_checkbox(room=False)  # _show works it out, with the new lines
        self._show()

    def set_trace(self, trace: Trace | None) -> None:
        self._trace = trace
        if trace is not None and trace.setup is not self._setup:
            self._setup = trace.setup
            self._place_checkbox(room=False)  # _show works it out, with the new lines
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
        self._place_checkbox()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fullPrecisionCheckBox.setFont(self.font())
            self._place_checkbox()

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
            return self._trace.row(self._step)
        return preview_row(self._setup)

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
        self._place_checkbox()  # cheap; it moves only between the next step and the steps taken
        full = self.full_precision
        self.drawing.set_state(setup, row)
        vectors = step_equations(setup, row, full, vectors=True) if setup.n_inputs > 1 else None
        self.equationView.set_lines(step_equations(setup, row, full), "" if full else SHORT_FOOTER, vectors)

    def _caption(self, setup: Setup, row: dict) -> str:
        if setup.order == "batch":
            which = f"all {setup.n_examples} examples at once (batch)"
        elif setup.n_examples > 1:
            which = f"example {row['example']} of {setup.n_examples}"
        else:
            which = ""
        if self._step == 0:
            head = "<b>Next step: 1</b> (not taken yet)"
        else:
            total = self._total if self._total is not None else (
                self._trace.n_steps if self._trace is not None else self._step)
            of = f" of {total:,}" if total != self._step else ""
            head = f"<b>Step {self._step:,}{of}</b>"  # "Step 316 of 318" reads whole in text()
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
