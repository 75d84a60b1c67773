"""The trainer: a worker thread that drives a :class:`~gdnode_gui.core.run.Run`.

The worker runs a plain Python loop, so it has no Qt event loop: queued slots sent to
it would never arrive.  The GUI thread therefore controls it by calling
:meth:`Trainer.play`, :meth:`Trainer.run_to_end`, :meth:`Trainer.pause`,
:meth:`Trainer.step`, :meth:`Trainer.load` and :meth:`Trainer.shutdown` directly; they
only set fields under a :class:`threading.Condition` (superqt's way).

The worker reports through signals, which Qt queues to the GUI thread:

- ``stepped(generation, n_steps)``: the trace now holds ``n_steps`` steps.  At a pace
  of up to :data:`SINGLE_STEP_PACE` steps per second every step is reported on its own;
  faster, steps arrive in batches about :data:`BATCHES_PER_SECOND` times a second.
- ``finished(generation, outcome)``: the run ended with an outcome word.
- ``paused(generation)``: the worker holds (after Pause, or after a Step).

``generation`` counts the runs loaded with :meth:`Trainer.load`, so the window can drop
reports about a run it has already replaced.  The worker never touches a Qt object
other than emitting these signals, and it touches the Run only between chunks.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread, Signal

from gdnode_gui.core.run import Run

BATCHES_PER_SECOND = 30
#: Up to this pace (steps per second) each step is reported and shown on its own.
SINGLE_STEP_PACE = BATCHES_PER_SECOND
MIN_PACE, MAX_PACE = 1, 100_000
#: At full speed the worker computes in slices this long, so that it can make way for
#: the GUI thread between them (Python runs one thread at a time).
SLICE_SECONDS = 0.004
#: The longest the worker waits for the GUI to finish drawing (a safety net).
GUI_WAIT_LIMIT = 0.25

_HOLD, _PLAY, _FULL = "hold", "play", "full"


class Trainer(QThread):
    """Owns the worker thread and the run it drives.  See the module docstring."""

    stepped = Signal(int, int)
    finished = Signal(int, str)
    paused = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainerThread")
        self._condition = threading.Condition()
        self._run: Run | None = None
        self._generation = 0
        self._mode = _HOLD
        self._pending_steps = 0
        self._pace = 10.0
        self._quit = False
        self._gui_idle = threading.Event()
        self._gui_idle.set()

    # -- control, from the GUI thread ------------------------------------------------------
    def load(self, run: Run) -> int:
        """Hold and switch to ``run``; returns its generation number."""
        with self._condition:
            self._run = run
            self._generation += 1
            self._mode = _HOLD
            self._pending_steps = 0
            self._condition.notify_all()
            return self._generation

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def pace(self) -> float:
        return self._pace

    def set_pace(self, steps_per_second: float) -> None:
        """Steps per second for :meth:`play`; takes effect at once, also during a run."""
        with self._condition:
            self._pace = float(min(max(steps_per_second, MIN_PACE), MAX_PACE))
            self._condition.notify_all()

    def play(self) -> None:
        """Run at the chosen pace."""
        self._command(_PLAY)

    def run_to_end(self) -> None:
        """Run at full speed, reporting in batches."""
        self._command(_FULL)

    def pause(self) -> None:
        """Hold after the current chunk (at most about 1/30 s)."""
        self._command(_HOLD)

    def step(self) -> None:
        """Exactly one more step, then hold."""
        with self._condition:
            self._mode = _HOLD
            self._pending_steps += 1
            self._condition.notify_all()
        self._ensure_started()

    @property
    def batched(self) -> bool:
        """Whether steps are reported in batches (full speed, or a pace above
        :data:`SINGLE_STEP_PACE`) rather than one at a time."""
        return self._mode == _FULL or (self._mode == _PLAY and self._pace > SINGLE_STEP_PACE)

    @property
    def running(self) -> bool:
        """Whether the worker is (or is about to be) playing or running to the end."""
        return self._mode != _HOLD or self._pending_steps > 0

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker thread and wait for it; True when it has ended."""
        with self._condition:
            self._quit = True
            self._mode = _HOLD
            self._condition.notify_all()
        self._gui_idle.set()
        return self.wait(timeout_ms) if self.isRunning() else True

    def _command(self, mode: str) -> None:
        with self._condition:
            self._mode = mode
            self._pending_steps = 0
            self._condition.notify_all()
        self._ensure_started()

    def _ensure_started(self) -> None:
        if not self.isRunning() and not self._quit:
            self.start()

    # -- the worker thread -----------------------------------------------------------------------
    def run(self) -> None:  # executed in the worker thread
        next_due = time.perf_counter()
        while True:
            with self._condition:
                while not self._quit and (self._run is None or self._run.finished or
                                          (self._mode == _HOLD and self._pending_steps == 0)):
                    self._condition.wait()
                if self._quit:
                    return
                run, generation, mode, pace = self._run, self._generation, self._mode, self._pace
                single = self._pending_steps > 0
                if single:
                    self._pending_steps -= 1
            if single:
                run.advance(1)
                self.stepped.emit(generation, run.n_steps)
                if not self._report_end(run, generation):
                    with self._condition:
                        if self._generation == generation and self._pending_steps == 0:
                            self.paused.emit(generation)
                next_due = time.perf_counter()
                continue
            if mode == _FULL:
                self._advance_batch(run, generation)
                self.stepped.emit(generation, run.n_steps)
                self._report_end(run, generation)
                continue
            # _PLAY at a pace: steps fall due on a clock; wait for the next one.
            now = time.perf_counter()
            if now < next_due:
                with self._condition:
                    if self._generation == generation and self._mode == _PLAY and self._pending_steps == 0:
                        self._condition.wait(next_due - now)
                continue
            if pace <= SINGLE_STEP_PACE:
                due = 1
                next_due = max(next_due + 1.0 / pace, now - 1.0 / pace)
            else:
                due = max(1, int(pace / BATCHES_PER_SECOND))
                next_due = max(next_due + due / pace, now - due / pace)
            run.advance(due)
            self.stepped.emit(generation, run.n_steps)
            self._report_end(run, generation)

    def _advance_batch(self, run: Run, generation: int) -> None:
        """About 1/30 s of steps, in slices of a few milliseconds, each taken only
        while the GUI thread is not drawing (see :meth:`drawing`)."""
        end = time.perf_counter() + 1.0 / BATCHES_PER_SECOND
        while not run.finished and self._generation == generation and self._mode == _FULL:
            self._gui_idle.wait(GUI_WAIT_LIMIT)
            run.advance(seconds=SLICE_SECONDS)
            if time.perf_counter() >= end:
                break

    def drawing(self) -> None:
        """The GUI thread is about to draw: the worker holds between its slices so that
        drawing does not share the interpreter lock with it.  Call :meth:`drawn` after."""
        self._gui_idle.clear()

    def drawn(self) -> None:
        """The GUI thread has drawn; the worker goes on."""
        self._gui_idle.set()

    def _report_end(self, run: Run, generation: int) -> bool:
        """Emit ``finished`` when the run has ended; hold afterwards."""
        if not run.finished:
            return False
        with self._condition:
            if self._generation == generation:
                self._mode = _HOLD
                self._pending_steps = 0
        self.finished.emit(generation, run.outcome)
        return True
