"""The session: the one owner of the setup, the run, the worker, the pace and the shown step.

Data flows one way (DESIGN.md §2): an edit makes a new :class:`Setup`; the session starts a
:class:`Run` in a worker that lives only while the node runs; the worker grows the trace; the
session emits an immutable :class:`~gdnode_gui.core.frame.Frame` with :attr:`frameReady`,
and every view shows it.  Nothing else holds the setup or the run.

Commands (from the window's actions): :meth:`play`, :meth:`run_to_end`, :meth:`pause`,
:meth:`step`, :meth:`step_back`, :meth:`reset`, :meth:`load_setup`, :meth:`edit_setup`.

Frames are paced: at a slow pace and when stepping every step makes a frame at once; at full
speed the session makes at most :data:`FRAMES_PER_SECOND` frames a second, each only after
the one before has been painted (the worker makes way while the GUI draws, so the two never
share the interpreter lock), dropping the steps in between.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gdnode_gui.core.frame import Frame
from gdnode_gui.core.run import Run
from gdnode_gui.core.setup import Setup

from .worker import FULL, PLAY, STEPS, Pace, RunWorker

FRAMES_PER_SECOND = 25
#: A frame while running is due this long after the last one was painted, at the least.
FRAME_MS = 1000 // FRAMES_PER_SECOND
DEFAULT_PACE = 10


class _WorkerBox:
    """The session's current worker, for stopping it when the session is destroyed."""

    worker: RunWorker | None = None

    def stop(self, *_args) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker.join()


class Session(QObject):
    """See the module docstring."""

    #: A new frame for every view.
    frameReady = Signal(object)
    #: Once per run, with its outcome word (``stopped`` when abandoned part-way).
    runFinished = Signal(str)
    #: Whether the node runs (playing, running to the end or stepping) changed.
    runningChanged = Signal(bool)
    #: A passing message for the status bar (e.g. why a run stopped early).
    message = Signal(str)

    def __init__(self, setup: Setup, parent: QObject | None = None, pace: float = DEFAULT_PACE) -> None:
        super().__init__(parent)
        self._setup = setup
        self._run = Run(setup)
        self._worker: RunWorker | None = None
        self._pace = Pace(pace)
        self._gui_idle = threading.Event()
        self._gui_idle.set()
        self._steps = 0  # the newest step reported by the worker
        self._shown: int | None = None  # a step of the history, or None for the newest
        self._reported = False  # runFinished sent for this run
        self._running = False
        self._frame: Frame | None = None
        self._drawing_since = 0.0
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(FRAME_MS)
        self._frame_timer.timeout.connect(self._emit_frame)
        # Destroyed with its window (deleteLater, garbage collection): stop the worker.  The
        # callable holds the box, not the session, whose C++ side is gone by then.
        self._box = _WorkerBox()
        self.destroyed.connect(self._box.stop)

    # -- state ----------------------------------------------------------------------------------
    @property
    def setup(self) -> Setup:
        """The setup the controls hold (the next run's, after an edit)."""
        return self._setup

    @property
    def run(self) -> Run:
        """The current run (its trace grows while a worker runs it)."""
        return self._run

    @property
    def running(self) -> bool:
        """Whether the node is playing, running to the end or stepping."""
        return self._running

    @property
    def frame(self) -> Frame:
        """The newest frame (made now if none was emitted yet)."""
        return self._frame if self._frame is not None else self._make_frame()

    @property
    def pace(self) -> float:
        return self._pace.value

    def set_pace(self, steps_per_second: float) -> None:
        """Steps per second for Play; takes effect at once, also while playing."""
        self._pace.set(steps_per_second)

    @property
    def batched(self) -> bool:
        """Whether steps arrive in batches (full speed, or a fast pace): frames drop steps."""
        worker = self._worker
        return worker is not None and worker.batched

    @property
    def edited(self) -> bool:
        """The setup changed since the current run started."""
        return self._setup != self._run.setup

    # -- commands -------------------------------------------------------------------------------
    def play(self) -> None:
        """Run at the chosen pace (continuing the current run, or starting one)."""
        self._start(PLAY)

    def run_to_end(self) -> None:
        """Run at full speed until the run ends."""
        self._start(FULL)

    def step(self) -> None:
        """Show the next step of the history, or add exactly one step and hold."""
        if self._shown is not None and not self.edited:
            self._shown += 1
            if self._shown >= self._steps:
                self._shown = None
            self._emit_frame()
            return
        worker = self._worker
        if worker is not None and worker.alive and worker.mode == STEPS and worker.add_step():
            return
        self._start(STEPS)

    def step_back(self) -> None:
        """Show the step before the one shown, without changing the trace."""
        shown = self.frame.shown
        if shown <= 0:
            return
        if self._running:
            self.pause()
        self._shown = shown - 1
        self._emit_frame()

    def show_step(self, step: int) -> None:
        """Show step ``step`` of the trace (clicking a row or a point); the newest if it is."""
        if self._running:
            self.pause()
        step = max(0, min(int(step), self._steps))
        self._shown = None if step == self._steps else step
        self._emit_frame()

    def pause(self) -> None:
        """Hold after the step in progress (within a step's time, at most ~0.1 s)."""
        worker = self._worker
        if worker is not None:
            worker.stop()
        self._set_running(False)
        self._emit_frame()

    def reset(self) -> None:
        """A fresh run of the current setup: trace cleared, starting weights back."""
        self._new_run()

    def load_setup(self, setup: Setup) -> None:
        """Use ``setup`` and start a fresh run of it."""
        self._setup = setup
        self._new_run()

    def edit_setup(self, setup: Setup) -> None:
        """The user changed a control.  Before the first step the run starts over at once;
        after steps, the trace stays (to compare, keep or export) until the next Run or Step."""
        if self._running:
            self.pause()
        self._setup = setup
        if self._run.n_steps == 0:
            self._new_run()
        else:
            self._emit_frame()

    def shutdown(self) -> None:
        """Stop the worker and wait for it (closing the window)."""
        self._frame_timer.stop()
        worker = self._worker
        if worker is not None:
            worker.stop()
            worker.join()
            self._worker = self._box.worker = None
        self._set_running(False)
        self._report_stopped()

    # -- drawing handshake ----------------------------------------------------------------------
    def drawn(self) -> None:
        """The views have painted the last frame: the worker goes on."""
        self._gui_idle.set()
        if self._running and self._worker is not None and self._worker.batched:
            spent = (time.perf_counter() - self._drawing_since) * 1000
            # A fixed budget, stretched only when painting is slow: leave the worker at least
            # as long as the drawing took.
            self._frame_timer.start(int(max(FRAME_MS - spent, spent, 5)))

    # -- internals ------------------------------------------------------------------------------
    def _start(self, mode: str) -> None:
        if self.edited or self._run.finished:
            self._new_run()
        self._shown = None
        old = self._worker
        if old is not None and old.alive:
            if old.mode == mode and mode != STEPS and not old.stopping:
                return
            old.stop()
        worker = RunWorker(self._run, mode, self._pace, self._gui_idle,
                           steps=1 if mode == STEPS else 0, after=old if old is not None and old.alive else None)
        worker.signals.stepped.connect(self._on_stepped)
        worker.signals.ended.connect(self._on_ended)
        self._worker = self._box.worker = worker
        self._set_running(True)
        worker.start()
        if worker.batched:
            self._frame_timer.start()

    def _new_run(self) -> None:
        worker = self._worker
        if worker is not None:
            worker.stop()
            worker.signals.stepped.disconnect(self._on_stepped)
            worker.signals.ended.disconnect(self._on_ended)
            worker.join()
            self._worker = None
        self._report_stopped()
        self._run = Run(self._setup)
        self._steps = 0
        self._shown = None
        self._reported = False
        self._set_running(False)
        self._emit_frame()

    def _report_stopped(self) -> None:
        """A run abandoned part-way (Reset, a new setup, closing) ends ``stopped``."""
        if not self._reported and self._run.n_steps > 0:
            self._reported = True
            if not self._run.finished:
                self._run.stop()
            self.runFinished.emit("stopped")

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)

    def _current(self, signal_sender: QObject | None) -> bool:
        worker = self._worker
        return worker is not None and signal_sender is worker.signals

    @Slot(int)
    def _on_stepped(self, n_steps: int) -> None:
        if not self._current(self.sender()):
            return
        self._steps = n_steps
        if not self._worker.batched:
            self._emit_frame()  # one step at a time: show each at once
        elif not self._frame_timer.isActive() and self._gui_idle.is_set():
            self._frame_timer.start()

    @Slot(str)
    def _on_ended(self, reason: str) -> None:
        if not self._current(self.sender()):
            return
        run = self._run
        self._steps = run.n_steps
        self._worker = None
        self._frame_timer.stop()
        self._set_running(False)
        if reason in ("memory", "error"):
            self.message.emit(getattr(run, "stop_reason", "") or "the run stopped early")
        self._emit_frame()
        if run.finished and not self._reported:
            self._reported = True
            self.runFinished.emit(run.outcome)

    def _make_frame(self) -> Frame:
        run = self._run
        steps = min(self._steps, run.n_steps)
        finished = run.finished and steps == run.n_steps and not self._running
        shown = steps if self._shown is None else min(self._shown, steps)
        return Frame(self._setup, run.trace, steps, run.outcome if finished else None, shown, self._running)

    @Slot()
    def _emit_frame(self) -> None:
        self._frame = self._make_frame()
        if self._running:
            self._gui_idle.clear()  # the worker makes way until the views are painted
            self._drawing_since = time.perf_counter()
            QTimer.singleShot(0, self, self.drawn)
        self.frameReady.emit(self._frame)
