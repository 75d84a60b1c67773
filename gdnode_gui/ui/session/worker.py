"""The worker: one thread that drives a :class:`~gdnode_gui.core.run.Run` while the node runs.

A worker lives only as long as its work (superqt's way): the session starts one for Run,
Run to end or Step, and it ends by itself when the run pauses, ends or is stopped.  So no
thread is alive while the node is not running, and there is nothing to forget when a window
goes away.  It is a plain :class:`threading.Thread` (a daemon), not a ``QThread``: Qt cannot
abort the process for a thread object destroyed while it runs.  Every live worker is kept in
:data:`_LIVE` until it ends, and :func:`stop_all` (registered with :mod:`atexit`, also called
when a session is destroyed) stops and joins them: ending the interpreter never leaves one
running.

The worker runs a plain Python loop with no Qt event loop, so it is controlled through
plain fields and :class:`threading.Event` objects set from the GUI thread; it reports
through the signals of its :class:`WorkerSignals` object, which Qt queues to the GUI thread:

- ``stepped(n_steps)``: the trace now holds ``n_steps`` steps (one by one at a slow pace or
  when stepping; about :data:`BATCHES_PER_SECOND` times a second when faster);
- ``ended(reason)``: the worker is done: ``"finished"`` (the run has its outcome),
  ``"paused"``, ``"memory"`` (no memory for more steps) or ``"error"`` (an unexpected error;
  the traceback goes to standard error); in the last two the run was stopped and
  ``run.stop_reason`` says why.

A new worker for the same run first waits for the one before it (in its own thread, never in
the GUI thread), so two workers never advance a run at the same time.
"""

from __future__ import annotations

import atexit
import threading
import time
import traceback

from PySide6.QtCore import QObject, Signal

from gdnode_gui.core.run import Run

BATCHES_PER_SECOND = 30
#: Up to this pace (steps per second) each step is reported and shown on its own.
SINGLE_STEP_PACE = BATCHES_PER_SECOND
MIN_PACE, MAX_PACE = 1, 100_000
#: At full speed the worker computes in slices this long, so that it can make way for the
#: GUI thread between them (Python runs one thread at a time).
SLICE_SECONDS = 0.004
#: The longest the worker waits for the GUI to finish drawing (a safety net).
GUI_WAIT_LIMIT = 0.25
#: How long stopping waits for a worker to end (a step of a large data set takes ~20 ms).
JOIN_SECONDS = 2.0

PLAY, FULL, STEPS = "play", "full", "steps"

_LIVE: set["RunWorker"] = set()
_LIVE_LOCK = threading.Lock()


class WorkerSignals(QObject):
    """The worker's reports (made in the GUI thread, emitted from the worker's)."""

    stepped = Signal(int)
    ended = Signal(str)


class Pace:
    """Steps per second for Play, shared by the session and its workers (changes at once)."""

    def __init__(self, steps_per_second: float = 10) -> None:
        self.value = 10.0
        self.set(steps_per_second)

    def set(self, steps_per_second: float) -> None:
        self.value = float(min(max(steps_per_second, MIN_PACE), MAX_PACE))

    @property
    def batched(self) -> bool:
        """Whether Play reports steps in batches rather than one at a time."""
        return self.value > SINGLE_STEP_PACE


class RunWorker:
    """One stretch of running: ``mode`` is :data:`PLAY` (at ``pace``), :data:`FULL` (to the
    end) or :data:`STEPS` (``steps`` single steps, more can be added with :meth:`add_step`)."""

    def __init__(self, run: Run, mode: str, pace: Pace, gui_idle: threading.Event,
                 steps: int = 0, after: "RunWorker | None" = None) -> None:
        self.run = run
        self.mode = mode
        self.signals = WorkerSignals()
        self._pace = pace
        self._gui_idle = gui_idle
        self._after = after
        self._lock = threading.Lock()
        self._steps = steps
        self._done = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._main, name=f"gdnode-{mode}", daemon=True)

    # -- control, from the GUI thread ----------------------------------------------------------
    def start(self) -> None:
        with _LIVE_LOCK:
            _LIVE.add(self)
        self._thread.start()

    def stop(self) -> None:
        """Ask the worker to end after the step it is in (it then reports ``paused``)."""
        self._stop.set()

    def join(self, timeout: float = JOIN_SECONDS) -> bool:
        """Wait for the worker to end; True when it has."""
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def add_step(self) -> bool:
        """One more single step for a stepping worker; False when it is already ending."""
        with self._lock:
            if self._done or self.mode != STEPS or self._stop.is_set():
                return False
            self._steps += 1
            return True

    @property
    def stopping(self) -> bool:
        """Whether the worker was asked to stop."""
        return self._stop.is_set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def batched(self) -> bool:
        """Whether steps are reported in batches (drawn by the session's timer)."""
        return self.mode == FULL or (self.mode == PLAY and self._pace.batched)

    # -- the worker thread ---------------------------------------------------------------------
    def _main(self) -> None:
        try:
            if self._after is not None:
                self._after.join(None)
                self._after = None
            reason = self._work()
        except MemoryError:
            self.run.stop()
            self.run.stop_reason = (f"not enough memory for more steps: "
                                    f"{self.run.n_steps:,} steps kept")
            reason = "memory"
        except Exception as error:  # a defect: the run stops, the window unlocks and says why
            traceback.print_exc()
            self.run.stop()
            self.run.stop_reason = f"the run stopped on an unexpected error ({type(error).__name__}: {error})"
            reason = "error"
        finally:
            with self._lock:
                self._done = True
            with _LIVE_LOCK:
                _LIVE.discard(self)
        self.signals.stepped.emit(self.run.n_steps)
        self.signals.ended.emit(reason)

    def _work(self) -> str:
        run = self.run
        if self.mode == STEPS:
            while not self._stop.is_set() and not run.finished:
                with self._lock:
                    if self._steps <= 0:
                        return "paused"
                    self._steps -= 1
                run.advance(1)
                self.signals.stepped.emit(run.n_steps)
            return "finished" if run.finished else "paused"
        if self.mode == FULL:
            while not self._stop.is_set() and not run.finished:
                self._advance_batch()
                self.signals.stepped.emit(run.n_steps)
            return "finished" if run.finished else "paused"
        return self._play()

    def _advance_batch(self) -> None:
        """About 1/30 s of steps, in slices of a few milliseconds, each taken only while the
        GUI thread is not drawing."""
        run = self.run
        end = time.perf_counter() + 1.0 / BATCHES_PER_SECOND
        while not run.finished and not self._stop.is_set():
            self._gui_idle.wait(GUI_WAIT_LIMIT)
            run.advance(seconds=SLICE_SECONDS)
            if time.perf_counter() >= end:
                break

    def _play(self) -> str:
        """Steps fall due on a clock at the pace (which may change while playing)."""
        run = self.run
        next_due = time.perf_counter()
        while not run.finished:
            wait = next_due - time.perf_counter()
            if wait > 0 and self._stop.wait(wait):
                break
            if self._stop.is_set():
                break
            pace = self._pace.value
            now = time.perf_counter()
            if pace <= SINGLE_STEP_PACE:
                due = 1
            else:
                due = max(1, int(pace / BATCHES_PER_SECOND))
                self._gui_idle.wait(GUI_WAIT_LIMIT)
            next_due = max(next_due + due / pace, now - due / pace)
            while due > 0 and not run.finished and not self._stop.is_set():
                due -= run.advance(due, seconds=SLICE_SECONDS * 4)
            self.signals.stepped.emit(run.n_steps)
        return "finished" if run.finished else "paused"


def stop_all(timeout: float = JOIN_SECONDS) -> None:
    """Stop every live worker and wait for them (at exit, and when a session goes away)."""
    with _LIVE_LOCK:
        workers = list(_LIVE)
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.join(timeout)


def live_workers() -> int:
    """How many workers are running (for tests)."""
    with _LIVE_LOCK:
        return sum(1 for worker in _LIVE if worker.alive)


atexit.register(stop_all)
