"""The trace: every value of every step of a run, stored column by column.

Storage is float64 numpy arrays, preallocated and grown by doubling, written in chunks
by :class:`gdnode_gui.core.run.Run`.  Rows already written never change, so a reader
(the GUI thread) may keep a view ``trace.mse[:n]`` while the run goes on: take the
step count ``n = trace.n_steps`` first, then slice every column to ``n``.

Only the values that are not derivable from the setup are stored: the example each
step used, the weights, prediction, delta, mse, weighted_delta and alpha_delta.  The
inputs, goal and alpha of a step come from the setup; ``new_weight`` of a step is the
``weight`` of the next one (row 0 of the weight array holds the starting weights).
"""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from .setup import Setup

INITIAL_CAPACITY = 1024


class Trace:
    """Append-only columnar record of a run.  See the module docstring."""

    def __init__(self, setup: Setup, capacity: int = INITIAL_CAPACITY) -> None:
        self.setup = setup
        self.inputs = np.array([e.inputs for e in setup.examples], dtype=np.float64)  # (m, n)
        self.goals = np.array([e.goal for e in setup.examples], dtype=np.float64)  # (m,)
        self.batch = setup.order == "batch"
        n = setup.n_inputs
        capacity = max(1, int(capacity))
        self._n = 0
        self._example = np.zeros(capacity, dtype=np.int32)
        self._weight = np.empty((n, capacity + 1), dtype=np.float64)
        self._weight[:, 0] = setup.weights
        self._prediction = np.empty(capacity, dtype=np.float64)
        self._delta = np.empty(capacity, dtype=np.float64)
        self._mse = np.empty(capacity, dtype=np.float64)
        self._weighted_delta = np.empty((n, capacity), dtype=np.float64)
        self._alpha_delta = np.empty((n, capacity), dtype=np.float64)

    # -- size ------------------------------------------------------------------------------
    @property
    def n_steps(self) -> int:
        return self._n

    def __len__(self) -> int:
        return self._n

    @property
    def capacity(self) -> int:
        return self._example.shape[0]

    @property
    def nbytes(self) -> int:
        """Bytes held by the column buffers (allocated capacity, not only the rows used)."""
        return sum(a.nbytes for a in (
            self._example, self._weight, self._prediction, self._delta, self._mse,
            self._weighted_delta, self._alpha_delta,
        ))

    # -- columns (views of the first n_steps rows) ------------------------------------------
    @property
    def step(self) -> np.ndarray:
        """Step numbers 1..n (a new array)."""
        return np.arange(1, self._n + 1, dtype=np.int64)

    @property
    def example(self) -> np.ndarray:
        """1-based example index of each step; 0 in batch order (all examples)."""
        return self._example[: self._n]

    @property
    def prediction(self) -> np.ndarray:
        """Prediction of each step; nan in batch order (one per example there)."""
        return self._prediction[: self._n]

    @property
    def delta(self) -> np.ndarray:
        return self._delta[: self._n]

    @property
    def mse(self) -> np.ndarray:
        return self._mse[: self._n]

    def weight(self, i: int) -> np.ndarray:
        """Weight ``i`` (0-based) before each step."""
        return self._weight[i, : self._n]

    def new_weight(self, i: int) -> np.ndarray:
        """Weight ``i`` after each step."""
        return self._weight[i, 1 : self._n + 1]

    def weight_path(self, i: int) -> np.ndarray:
        """Weight ``i`` at the start and after every step (n_steps + 1 values)."""
        return self._weight[i, : self._n + 1]

    def weighted_delta(self, i: int) -> np.ndarray:
        return self._weighted_delta[i, : self._n]

    def alpha_delta(self, i: int) -> np.ndarray:
        return self._alpha_delta[i, : self._n]

    def input(self, i: int) -> np.ndarray:
        """Input ``i`` of the example each step used (a new array; nan in batch order)."""
        if self.batch:
            return np.full(self._n, np.nan)
        return self.inputs[self.example - 1, i]

    @property
    def goal(self) -> np.ndarray:
        """Goal of the example each step used (a new array; nan in batch order)."""
        if self.batch:
            return np.full(self._n, np.nan)
        return self.goals[self.example - 1]

    @property
    def current_weights(self) -> tuple[float, ...]:
        """The weights after the last step (the starting weights before any step)."""
        return tuple(float(w) for w in self._weight[:, self._n])

    # -- whole rows -------------------------------------------------------------------------
    def column_names(self) -> list[str]:
        """The trace CSV columns of DESIGN.md §3, in order."""
        n = self.setup.n_inputs
        numbered = lambda stem: [f"{stem}_{i}" for i in range(1, n + 1)]  # noqa: E731
        return (
            ["step", "example"] + numbered("input") + ["goal", "alpha"] + numbered("weight")
            + ["prediction", "delta", "mse"] + numbered("weighted_delta")
            + numbered("alpha_delta") + numbered("new_weight")
        )

    def columns(self, n: int | None = None) -> Iterator[tuple[str, np.ndarray]]:
        """``(name, values)`` for every CSV column, the first ``n`` rows (default: all)."""
        n = self._n if n is None else n
        count = self.setup.n_inputs
        yield "step", np.arange(1, n + 1, dtype=np.int64)
        yield "example", self._example[:n]
        for i in range(count):
            yield f"input_{i + 1}", (np.full(n, np.nan) if self.batch
                                     else self.inputs[self._example[:n] - 1, i])
        yield "goal", np.full(n, np.nan) if self.batch else self.goals[self._example[:n] - 1]
        yield "alpha", np.full(n, self.setup.alpha)
        for i in range(count):
            yield f"weight_{i + 1}", self._weight[i, :n]
        yield "prediction", self._prediction[:n]
        yield "delta", self._delta[:n]
        yield "mse", self._mse[:n]
        for i in range(count):
            yield f"weighted_delta_{i + 1}", self._weighted_delta[i, :n]
        for i in range(count):
            yield f"alpha_delta_{i + 1}", self._alpha_delta[i, :n]
        for i in range(count):
            yield f"new_weight_{i + 1}", self._weight[i, 1 : n + 1]

    def row(self, k: int) -> dict[str, float | int]:
        """Every value of step ``k`` (1-based) as plain Python numbers, keyed by CSV column;
        in time independent of the trace's length (the node panel asks 30 times a second)."""
        if not 1 <= k <= self._n:
            raise IndexError(f"step {k} is not in the trace (1..{self._n})")
        j = k - 1
        count = self.setup.n_inputs
        example = int(self._example[j])
        values: dict[str, float | int] = {"step": k, "example": example}
        for i in range(count):
            values[f"input_{i + 1}"] = math.nan if self.batch else float(self.inputs[example - 1, i])
        values["goal"] = math.nan if self.batch else float(self.goals[example - 1])
        values["alpha"] = self.setup.alpha
        for i in range(count):
            values[f"weight_{i + 1}"] = float(self._weight[i, j])
        values["prediction"] = float(self._prediction[j])
        values["delta"] = float(self._delta[j])
        values["mse"] = float(self._mse[j])
        for stem, column in (("weighted_delta", self._weighted_delta), ("alpha_delta", self._alpha_delta)):
            for i in range(count):
                values[f"{stem}_{i + 1}"] = float(column[i, j])
        for i in range(count):
            values[f"new_weight_{i + 1}"] = float(self._weight[i, k])
        return values

    # -- writing (the run's side) -------------------------------------------------------------
    def _reserve(self, extra: int) -> None:
        needed = self._n + extra
        capacity = self.capacity
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2

        def grown(array: np.ndarray, size: int) -> np.ndarray:
            bigger = np.empty(array.shape[:-1] + (size,), dtype=array.dtype)
            bigger[..., : array.shape[-1]] = array
            return bigger

        # Fill the new buffers first, then swap them in: a reader holding the old
        # buffers still sees every row it was told about.
        self._example = grown(self._example, capacity)
        self._weight = grown(self._weight, capacity + 1)
        self._prediction = grown(self._prediction, capacity)
        self._delta = grown(self._delta, capacity)
        self._mse = grown(self._mse, capacity)
        self._weighted_delta = grown(self._weighted_delta, capacity)
        self._alpha_delta = grown(self._alpha_delta, capacity)

    def _append(
        self,
        example: np.ndarray,
        new_weight: np.ndarray,
        prediction: np.ndarray,
        delta: np.ndarray,
        mse: np.ndarray,
        weighted_delta: np.ndarray,
        alpha_delta: np.ndarray,
    ) -> None:
        """Append ``k`` steps: ``example``, ``prediction``, ``delta``, ``mse`` of shape (k,),
        ``new_weight``, ``weighted_delta``, ``alpha_delta`` of shape (n_inputs, k)."""
        k = example.shape[0]
        if k == 0:
            return
        self._reserve(k)
        a, b = self._n, self._n + k
        self._example[a:b] = example
        self._weight[:, a + 1 : b + 1] = new_weight
        self._prediction[a:b] = prediction
        self._delta[a:b] = delta
        self._mse[a:b] = mse
        self._weighted_delta[:, a:b] = weighted_delta
        self._alpha_delta[:, a:b] = alpha_delta
        self._n = b  # last: readers only look at rows below _n
