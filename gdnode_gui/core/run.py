"""The node learning: one run of gradient descent, advanced in chunks.

The arithmetic is the article's, in its order, in plain Python floats::

    prediction        = weight[0]*input[0] + weight[1]*input[1] + ...   (left to right)
    delta             = prediction - goal
    mse               = delta ** 2
    weighted_delta[i] = delta * input[i]
    alpha_delta[i]    = alpha * weighted_delta[i]
    new_weight[i]     = weight[i] - alpha_delta[i]          (a frozen weight keeps its value)

Only the weights depend on the step before, so the loop in Python computes just the
weights; the other values of a chunk are then computed from them with numpy
(:func:`.trace.derive`), one IEEE operation at a time in the same order, which gives the
same bits; they decide the stop rules and are not kept (the trace derives them again
when they are read).  ``mse`` is ``delta ** 2`` with Python's power (see
:func:`.trace.squares`).

A run ends with one outcome word, checked after every step in this order:
``diverged``, ``converged``, ``stalled``, ``max_steps``; ``stopped`` when the user
stops it.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .setup import Setup
from .trace import Trace, derive, square  # noqa: F401  (square: importable from here as before)

OUTCOMES = ("diverged", "converged", "stalled", "max_steps", "stopped")

#: Steps per chunk when there is no time budget: large enough to amortise numpy's overhead.
FULL_CHUNK = 8192

#: A step slower than this (seconds) is a chunk of its own, so a time budget is checked
#: between steps (a batch of thousands of examples takes milliseconds a step).
SLOW_STEP = 1e-3


class Run:
    """A run of one node over a setup.  Not thread-safe: drive it from one thread."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.trace = Trace(setup)
        self.outcome: str | None = None
        self._weights = list(setup.weights)
        self._rng = np.random.default_rng(setup.seed) if setup.order == "shuffled" else None
        self._pending = np.empty(0, dtype=np.int32)  # shuffled: rest of the current epoch
        self._recent_mse = np.empty(0)  # the mse of the last epoch - 1 steps, for "converged"
        self._seconds_per_step: float | None = None  # measured; None before the first step
        #: Why the run was stopped when the user did not stop it (e.g. memory ran out).
        self.stop_reason: str | None = None

    # -- state ----------------------------------------------------------------------------
    @property
    def n_steps(self) -> int:
        return self.trace.n_steps

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(self._weights)

    def stop(self) -> None:
        """End the run with the outcome ``stopped`` (no effect on a finished run)."""
        if self.outcome is None:
            self.outcome = "stopped"

    # -- advancing ------------------------------------------------------------------------
    def step(self) -> int:
        """Exactly one step (none on a finished run); returns the steps added."""
        return self.advance(1)

    def advance(self, steps: int | None = None, seconds: float | None = None) -> int:
        """Add up to ``steps`` steps (default: until the run ends), stopping early when
        ``seconds`` have passed or the run reaches an outcome.  Returns the steps added.

        With a time budget, the chunks are sized from the measured time per step, the
        first chunk of a run being one step; a step slower than :data:`SLOW_STEP` is a
        chunk of its own, so the budget is checked between steps.  At least one step is
        added when the run is not finished.  When memory runs out the run ends
        ``stopped`` with :attr:`stop_reason` saying so; the trace keeps every step
        recorded before."""
        start_steps = self.n_steps
        deadline = None if seconds is None else time.perf_counter() + seconds
        target = self.setup.max_steps if steps is None else min(self.setup.max_steps, self.n_steps + steps)
        while self.outcome is None and self.n_steps < target:
            remaining = target - self.n_steps
            per_step = self._seconds_per_step
            if deadline is None:
                chunk = min(remaining, FULL_CHUNK)
            else:
                left = deadline - time.perf_counter()
                if left <= 0 and self.n_steps > start_steps:
                    break
                if per_step is None or per_step > SLOW_STEP:
                    chunk = 1
                else:
                    chunk = int(max(left, 0.0) / per_step * 0.5)
                chunk = max(1, min(remaining, FULL_CHUNK, chunk))
            began = time.perf_counter()
            try:
                added = self._advance_chunk(chunk)
            except MemoryError:
                self._out_of_memory()
                break
            spent = time.perf_counter() - began
            self._seconds_per_step = max(spent / max(added, 1), 1e-9)
        return self.n_steps - start_steps

    def _out_of_memory(self) -> None:
        """End the run ``stopped``: the trace could not grow (it is unchanged and whole)."""
        self.outcome = "stopped"
        kept = self.n_steps
        self.stop_reason = f"not enough memory for more steps: {kept:,} step{'s' if kept != 1 else ''} kept"

    def _examples_for(self, start: int, k: int) -> np.ndarray:
        """1-based example index of steps start+1 .. start+k (0 in batch order)."""
        m = self.setup.n_examples
        order = self.setup.order
        if order == "batch":
            return np.zeros(k, dtype=np.int32)
        if order == "cyclic":
            return (np.arange(start, start + k, dtype=np.int64) % m + 1).astype(np.int32)
        parts = [self._pending]
        have = self._pending.shape[0]
        while have < k:
            epoch = (self._rng.permutation(m) + 1).astype(np.int32)
            parts.append(epoch)
            have += m
        joined = np.concatenate(parts)
        self._pending = joined[k:]
        return joined[:k]

    def _advance_chunk(self, k: int) -> int:
        """Up to ``k`` steps (fewer when an outcome is reached); returns the steps added."""
        setup = self.setup
        trace = self.trace
        start = trace.n_steps
        example = self._examples_for(start, k)
        new_weight = self._learn(example)  # (n, k)
        old_weight = np.concatenate((np.array(self._weights)[:, None], new_weight[:, :-1]), axis=1)
        one = setup.order == "batch" or setup.n_examples == 1
        prediction, delta, mse, weighted_delta, alpha_delta = trace_derive(
            setup, trace, None if one else example, old_weight)

        end, outcome = self._first_outcome(
            start, old_weight, new_weight, prediction, delta, mse, weighted_delta, alpha_delta
        )
        try:
            trace._append(new_weight[:, :end], example[:end] if setup.order == "shuffled" else None)
        except MemoryError:  # the steps that fitted are in the trace: carry on from there
            kept = trace.n_steps - start
            if kept:
                self._kept(new_weight, mse, kept)
            raise
        self._kept(new_weight, mse, end)
        if outcome is None and trace.n_steps >= setup.max_steps:
            outcome = "max_steps"
        self.outcome = outcome
        return end

    def _kept(self, new_weight: np.ndarray, mse: np.ndarray, end: int) -> None:
        """The first ``end`` steps of a chunk are in the trace: the run goes on from there."""
        window = self.setup.epoch
        if window > 1:
            recent = np.concatenate((self._recent_mse, mse[:end]))
            self._recent_mse = recent[-(window - 1):]
        self._weights = [float(w) for w in new_weight[:, end - 1]]

    # -- the learning loop: the weights, step after step ---------------------------------------
    def _learn(self, example: np.ndarray) -> np.ndarray:
        setup = self.setup
        n = setup.n_inputs
        k = example.shape[0]
        alpha = setup.alpha
        frozen = setup.frozen
        weight = list(self._weights)
        if all(frozen):
            return np.repeat(np.array(weight)[:, None], k, axis=1)
        if setup.order == "batch":
            return self._learn_batch(weight, k)
        inputs = [e.inputs for e in setup.examples]
        goals = [e.goal for e in setup.examples]
        if n == 1:
            out: list[float] = []
            keep = out.append
            w = weight[0]
            if setup.n_examples == 1:
                x = inputs[0][0]
                goal = goals[0]
                for _ in range(k):
                    prediction = w * x
                    delta = prediction - goal
                    w = w - alpha * (delta * x)
                    keep(w)
            else:
                xs = [row[0] for row in inputs]
                for e in (example - 1).tolist():
                    x = xs[e]
                    delta = w * x - goals[e]
                    w = w - alpha * (delta * x)
                    keep(w)
            return np.array(out, dtype=np.float64)[None, :]
        learning = [i for i in range(n) if not frozen[i]]
        rest = range(1, n)
        flat: list[float] = []
        keep_all = flat.extend
        for e in (example - 1).tolist():
            x = inputs[e]
            prediction = weight[0] * x[0]
            for i in rest:
                prediction = prediction + weight[i] * x[i]
            delta = prediction - goals[e]
            for i in learning:
                weight[i] = weight[i] - alpha * (delta * x[i])
            keep_all(weight)
        return np.array(flat, dtype=np.float64).reshape(k, n).T.copy()

    def _learn_batch(self, weight: list[float], k: int) -> np.ndarray:
        setup = self.setup
        n = setup.n_inputs
        m = setup.n_examples
        alpha = setup.alpha
        learning = [i for i in range(n) if not setup.frozen[i]]
        inputs = [e.inputs for e in setup.examples]
        goals = [e.goal for e in setup.examples]
        rest = range(1, n)
        flat: list[float] = []
        for _ in range(k):
            deltas = []
            for x, goal in zip(inputs, goals):
                prediction = weight[0] * x[0]
                for i in rest:
                    prediction = prediction + weight[i] * x[i]
                deltas.append(prediction - goal)
            for i in learning:
                total = deltas[0] * inputs[0][i]
                for e in range(1, m):
                    total = total + deltas[e] * inputs[e][i]
                weight[i] = weight[i] - alpha * (total / m)
            flat.extend(weight)
        return np.array(flat, dtype=np.float64).reshape(k, n).T.copy()

    # -- the stop rules ------------------------------------------------------------------------------
    def _first_outcome(self, start, old_weight, new_weight, prediction, delta, mse,
                       weighted_delta, alpha_delta) -> tuple[int, str | None]:
        """(steps of the chunk to keep, outcome or None), checking the rules of
        DESIGN.md §1 in order at each step."""
        setup = self.setup
        k = mse.shape[0]
        finite = np.isfinite(mse)
        finite &= np.isfinite(weighted_delta).all(axis=0)
        finite &= np.isfinite(alpha_delta).all(axis=0)
        finite &= np.isfinite(new_weight).all(axis=0)
        if setup.order != "batch":
            finite &= np.isfinite(prediction) & np.isfinite(delta)
        diverged = ~finite

        window = setup.epoch
        converged = self._converged(start, mse, window)
        if setup.stop_on_stall:
            changed = (new_weight != old_weight).any(axis=0)
            stalled = self._quiet_windows(start, changed, window, self._prior_changed(start, window))
        else:
            stalled = np.zeros(k, dtype=bool)

        hits = np.flatnonzero(diverged | converged | stalled)
        if hits.size == 0:
            return k, None
        j = int(hits[0])
        if diverged[j]:
            return j + 1, "diverged"
        if converged[j]:
            return j + 1, "converged"
        return j + 1, "stalled"

    def _prior_changed(self, start: int, window: int) -> np.ndarray:
        """Whether any weight changed, for the steps before the chunk inside a window."""
        first = max(0, start - (window - 1))
        weights = self.trace._weight
        return (weights[:, first + 1 : start + 1] != weights[:, first:start]).any(axis=0)

    @staticmethod
    def _quiet_windows(start: int, flag: np.ndarray, window: int, prior: np.ndarray) -> np.ndarray:
        """For each step of the chunk: is ``flag`` false on all of the last ``window`` steps,
        with at least ``window`` steps done?"""
        k = flag.shape[0]
        if window == 1:
            return ~flag
        full = np.concatenate((prior, flag))
        counts = np.concatenate(([0], np.cumsum(full, dtype=np.int64)))
        steps = np.arange(start + 1, start + k + 1)  # global 1-based step numbers
        ends = np.arange(prior.shape[0] + 1, full.shape[0] + 1)  # rows in ``full`` up to each step
        begins = ends - window
        quiet = np.zeros(k, dtype=bool)
        ok = (steps >= window) & (begins >= 0)
        quiet[ok] = (counts[ends[ok]] - counts[begins[ok]]) == 0
        return quiet

    def _converged(self, start: int, mse: np.ndarray, window: int) -> np.ndarray:
        """For each step: is the mean mse of the last ``window`` steps 0, or below the
        tolerance?  The mean is ``math.fsum(window values) / window``."""
        tolerance = self.setup.tolerance
        if window == 1:
            hit = mse == 0.0
            if tolerance > 0:
                hit |= mse < tolerance
            return hit
        prior_mse = self._recent_mse  # the mse of steps max(1, start - window + 2)..start
        nonzero = mse != 0.0
        prior_nonzero = prior_mse != 0.0
        hit = self._quiet_windows(start, nonzero, window, prior_nonzero)
        if tolerance <= 0:
            return hit
        full = np.concatenate((prior_mse, mse))
        offset = prior_mse.shape[0]
        k = mse.shape[0]
        steps = np.arange(start + 1, start + k + 1)
        candidates = np.flatnonzero((steps >= window) & (np.arange(k) + offset + 1 >= window) & ~hit)
        if candidates.size == 0:
            return hit
        with np.errstate(all="ignore"):
            windows = np.lib.stride_tricks.sliding_window_view(full, window)
            rows = candidates + offset + 1 - window
            approx = windows[rows].sum(axis=1) / window
        # Sums of non-negative numbers: any order is within window * eps of the exact sum.
        slack = 4 * window * np.finfo(np.float64).eps
        sure = approx < tolerance * (1 - slack)
        unsure = ~sure & (approx <= tolerance * (1 + slack))
        hit[candidates[sure]] = True
        for j, row in zip(candidates[unsure].tolist(), rows[unsure].tolist()):
            hit[j] = math.fsum(full[row : row + window].tolist()) / window < tolerance
        return hit


def trace_derive(setup: Setup, trace: Trace, example, weight: np.ndarray):
    """Every derived value of a chunk not yet in the trace (see :func:`.trace.derive`)."""
    return derive(setup, trace.inputs, trace.goals, example, weight)


def run_to_end(setup: Setup) -> Run:
    """A finished run of ``setup`` at full speed."""
    run = Run(setup)
    run.advance()
    return run
