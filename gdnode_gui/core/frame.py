"""A frame: what every view shows at one moment, as one immutable value.

The session (``gdnode_gui.ui.session``) makes a new frame whenever something a view shows
changes (a step, an edit, an outcome, stepping back through history) and hands the same
frame to every view's ``show(frame)``.  Views never ask the window or each other for state:
all they need is here, and what the core knows (the outcome, the regime, a preview of the
first step) they take from the core, never re-derive.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .setup import Setup
from .trace import Trace


@dataclass(frozen=True)
class Frame:
    """One moment of a session.

    setup
        The setup the controls hold.  It differs from ``trace.setup`` after an edit while a
        run is paused (``edited`` is then True): the next Run or Step starts a new run.
    trace
        The current run's trace (append-only: rows below ``steps`` never change).
    steps
        How many steps of ``trace`` this frame covers (the newest step shown).
    outcome
        The run's outcome word once it ended (``diverged``, ``converged``, ``stalled``,
        ``max_steps``, ``stopped``), else None.
    shown
        The step the node panel and the markers show: ``steps`` normally, less while the
        user steps back through the history (0: before the first step).
    running
        Whether the node is playing or running to the end.
    """

    setup: Setup
    trace: Trace
    steps: int
    outcome: str | None = None
    shown: int = -1
    running: bool = False

    def __post_init__(self) -> None:
        if self.shown < 0:
            object.__setattr__(self, "shown", self.steps)

    @property
    def edited(self) -> bool:
        """The setup was changed after this run started (its trace is of the old setup)."""
        return self.setup is not self.trace.setup and self.setup != self.trace.setup

    @property
    def finished(self) -> bool:
        """The run has ended and this frame shows its last step."""
        return self.outcome is not None and self.steps == self.trace.n_steps

    @property
    def latest(self) -> bool:
        """The shown step is the newest one."""
        return self.shown == self.steps


@lru_cache(maxsize=16)
def preview_row(setup: Setup) -> dict[str, float | int] | None:
    """The values of step 1 of ``setup``, not taken yet (what the node shows before a step)."""
    from .run import Run  # run imports trace imports setup: no cycle at module level

    run = Run(setup)
    run.step()
    return run.trace.row(1) if run.n_steps else None

