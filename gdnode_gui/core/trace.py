"""The trace: every value of every step of a run, kept as little as possible.

Only what cannot be derived is stored:

- the weights before every step and after the last one, ``(n_inputs, steps + 1)``
  float64 (row 0 holds the starting weights; ``new_weight`` of a step is the
  ``weight`` of the next one);
- the example each step used, only in ``shuffled`` order (in the smallest integer type
  that holds the example count): ``cyclic`` step s uses example ``(s - 1) mod m + 1``,
  ``batch`` uses all of them (example 0).

Every other value (``prediction``, ``delta``, ``mse``, ``weighted_delta``,
``alpha_delta``) is worked out from the weights when it is asked for, with the
arithmetic of DESIGN.md §1 one IEEE operation at a time in the article's order, so it
has the same bits the run computed (:func:`derive`).  Those columns are
:class:`Column` objects: ``col[k]``, ``col[a:b]`` (negative indices too), ``len(col)``
and ``np.asarray(col)`` work as on a numpy array, and a slice costs time in proportion
to its length, not to the trace's.

The weight buffer is reserved for ``max_steps + 1`` values at the start.  ``np.empty``
of a large size only reserves address space; the system commits memory page by page as
steps are written, so the memory used follows the steps actually run, and the buffer
is never copied to grow.  Rows below ``n_steps`` never change, so a reader (the GUI
thread) may keep a view or a column while the run goes on: take ``n = trace.n_steps``
first, then read the first ``n`` rows.
"""

from __future__ import annotations

import math
import operator
from itertools import repeat
from typing import Iterator

import numpy as np

from .setup import Setup

#: Starting capacity when the full reservation is refused (then the buffers double).
INITIAL_CAPACITY = 1024

#: Steps derived at a time when a long column is asked for: bounds the temporaries.
DERIVE_CHUNK = 65536

#: Batch order: at most this many (example, step) values in one temporary array.
BATCH_CELLS = 2**18

#: Batch order: row() works in plain Python up to this many inputs x examples, in numpy beyond.
ROW_IN_PYTHON = 256


def _allocate(shape: tuple[int, ...], dtype) -> np.ndarray:
    """``np.empty``; a separate function so tests can make it fail like a full memory."""
    return np.empty(shape, dtype=dtype)


def example_dtype(count: int) -> np.dtype:
    """The smallest unsigned integer type that holds example numbers 0..count."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if count <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.uint64)


def square(value: float) -> float:
    """``value ** 2`` exactly as Python computes it, with inf instead of OverflowError."""
    try:
        return value**2
    except OverflowError:
        return math.inf


def squares(values: np.ndarray) -> np.ndarray:
    """Element-wise ``v ** 2`` with Python's float power.

    Python's ``delta ** 2`` calls the C library's ``pow``, which can differ from
    ``delta * delta`` in the last bit, so numpy's square would not give the same bits.
    An overflow gives inf instead of the OverflowError the article's loop would raise.
    """
    items = values.tolist()
    try:
        return np.array(list(map(float.__pow__, items, repeat(2.0))), dtype=np.float64)
    except OverflowError:
        return np.array([square(v) for v in items], dtype=np.float64)


class Column(np.lib.mixins.NDArrayOperatorsMixin):
    """A derived column of the first ``len(self)`` steps, computed when it is read.

    Indexing gives what a float64 numpy array would: ``col[k]`` a ``np.float64``,
    ``col[a:b]`` (any slice) a new numpy array; ``np.asarray(col)`` the whole column.
    Arithmetic, numpy functions and array methods (``min``, ``sum``, ``copy``...) work on
    it as on an array (they read it whole).
    """

    __slots__ = ("_trace", "_name", "_index", "_n")

    def __init__(self, trace: "Trace", name: str, index: int, n: int) -> None:
        self._trace = trace
        self._name = name
        self._index = index
        self._n = n

    def _values(self, a: int, b: int) -> np.ndarray:
        return self._trace._column(self._name, self._index, a, b)

    def __len__(self) -> int:
        return self._n

    @property
    def shape(self) -> tuple[int]:
        return (self._n,)

    @property
    def size(self) -> int:
        return self._n

    @property
    def ndim(self) -> int:
        return 1

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.int32) if self._name == "example" else np.dtype(np.float64)

    def __getitem__(self, key):
        if isinstance(key, slice):
            a, b, stride = key.indices(self._n)
            if stride == 1:
                return self._values(a, max(a, b))
            # Every stride-th step only (a decimated plot): those rows alone are derived.
            return self._trace._column_rows(self._name, self._index, np.arange(a, b, stride))
        try:
            k = operator.index(key)
        except TypeError:
            key = np.asarray(key)
            if key.dtype.kind in "iu" and key.ndim == 1:  # steps by index: those rows alone
                rows = np.where(key < 0, key + self._n, key)
                if rows.size and not (0 <= rows.min() and rows.max() < self._n):
                    raise IndexError(f"a step index is out of range for {self._n} steps") from None
                return self._trace._column_rows(self._name, self._index, rows)
            return np.asarray(self)[key]  # a mask: read the whole column
        if k < 0:
            k += self._n
        if not 0 <= k < self._n:
            raise IndexError(f"step index {key} is out of range for {self._n} steps")
        return self._values(k, k + 1)[0]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = self._values(0, self._n)
        return values if dtype is None else values.astype(dtype, copy=False)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = tuple(np.asarray(x) if isinstance(x, Column) else x for x in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __iter__(self) -> Iterator:
        for a in range(0, self._n, DERIVE_CHUNK):
            yield from self._values(a, min(self._n, a + DERIVE_CHUNK))

    def tolist(self) -> list:
        return np.asarray(self).tolist()

    def copy(self) -> np.ndarray:
        """The whole column as a new numpy array."""
        return np.asarray(self)

    def __getattr__(self, name: str):
        # Any other numpy array method or attribute (min, max, sum, all, reshape...) on the
        # whole column, so a Column stands in for the array it replaced.
        if not name.startswith("_") and hasattr(np.ndarray, name):
            return getattr(np.asarray(self), name)
        raise AttributeError(f"'Column' object has no attribute {name!r}")

    def __repr__(self) -> str:
        label = self._name if self._index < 0 else f"{self._name}_{self._index + 1}"
        return f"<Column {label} of {self._n} steps>"


def derive(setup: Setup, inputs: np.ndarray, goals: np.ndarray, example: np.ndarray,
           weight: np.ndarray, want: str = "all", index: int = -1):
    """The derived values of ``k`` steps, from the weights before each step.

    Parameters
    ----------
    setup, inputs, goals
        The setup, its inputs ``(m, n)`` and goals ``(m,)`` as float64 arrays.
    example
        1-based example of each step ``(k,)`` (ignored in batch order), or ``None``
        when there is one example.
    weight
        The weights before each step, ``(n, k)``.
    want
        ``"all"`` for ``(prediction, delta, mse, weighted_delta, alpha_delta)`` with the
        last two ``(n, k)``; otherwise one of those names (``index`` picks the weight
        for the last two) and only that array.

    The operations are the article's, in its order (DESIGN.md §1); in batch order
    ``weighted_delta`` and ``mse`` are means over the examples summed in example order,
    and ``prediction`` and ``delta`` are nan.
    """
    n = setup.n_inputs
    k = weight.shape[1]
    alpha = setup.alpha
    with np.errstate(all="ignore"):
        if setup.order == "batch":
            return _derive_batch(setup, inputs, goals, weight, want, index)
        if example is None:  # one example: its values broadcast
            x = inputs[0].tolist()
            goal = goals[0]
        else:
            x = [inputs[:, i][example - 1] for i in range(n)]
            goal = goals[example - 1]
        prediction = weight[0] * x[0]
        for i in range(1, n):
            prediction = prediction + weight[i] * x[i]
        if want == "prediction":
            return prediction
        delta = prediction - goal
        if want == "delta":
            return delta
        if want == "mse":
            return squares(delta)
        if want == "weighted_delta":
            return delta * x[index]
        if want == "alpha_delta":
            return alpha * (delta * x[index])
        weighted_delta = np.empty((n, k))
        for i in range(n):
            weighted_delta[i] = delta * x[i]
        return prediction, delta, squares(delta), weighted_delta, alpha * weighted_delta


def _derive_batch(setup: Setup, inputs: np.ndarray, goals: np.ndarray, weight: np.ndarray,
                  want: str, index: int):
    """:func:`derive` in batch order: every example at every step at once, as ``(m, k)``
    arrays (so thousands of examples cost a few numpy operations, not thousands), the
    sums over the examples taken in example order (``np.add.accumulate``, one addition
    after another, as the article's loop adds them)."""
    n, m, k = setup.n_inputs, setup.n_examples, weight.shape[1]
    alpha = setup.alpha
    if want in ("prediction", "delta"):
        return np.full(k, np.nan)
    per = max(1, BATCH_CELLS // m)
    if k > per:  # bound the (m, k) temporaries
        parts = [_derive_batch(setup, inputs, goals, weight[:, s : s + per], want, index)
                 for s in range(0, k, per)]
        if want != "all":
            return np.concatenate(parts)
        return tuple(np.concatenate([part[j] for part in parts], axis=-1) for j in range(5))

    def mean(values: np.ndarray) -> np.ndarray:  # over the examples, added in their order
        return np.add.accumulate(values, axis=0)[-1] / m

    prediction = weight[0][None, :] * inputs[:, 0:1]  # (m, k): example e at step s
    for i in range(1, n):
        prediction = prediction + weight[i][None, :] * inputs[:, i : i + 1]
    delta = prediction - goals[:, None]
    if want == "mse":
        return mean(squares(delta.ravel()).reshape(m, k))
    if want == "weighted_delta":
        return mean(delta * inputs[:, index : index + 1])
    if want == "alpha_delta":
        return alpha * mean(delta * inputs[:, index : index + 1])
    weighted_delta = np.empty((n, k))
    for i in range(n):
        weighted_delta[i] = mean(delta * inputs[:, i : i + 1])
    return (np.full(k, np.nan), np.full(k, np.nan), mean(squares(delta.ravel()).reshape(m, k)),
            weighted_delta, alpha * weighted_delta)


class Trace:
    """Append-only record of a run: the weights of every step.  See the module docstring."""

    def __init__(self, setup: Setup, capacity: int | None = None) -> None:
        self.setup = setup
        self.inputs = np.array([e.inputs for e in setup.examples], dtype=np.float64)  # (m, n)
        self.goals = np.array([e.goal for e in setup.examples], dtype=np.float64)  # (m,)
        self.batch = setup.order == "batch"
        self.shuffled = setup.order == "shuffled"
        self._n = 0
        wanted = setup.max_steps if capacity is None else max(1, int(capacity))
        try:
            self._weight, self._example = self._buffers(wanted)
        except MemoryError:  # no address space for it all: start small and grow
            self._weight, self._example = self._buffers(min(wanted, INITIAL_CAPACITY))
        self._weight[:, 0] = setup.weights
        # Plain Python copies for row(), which reads one step at a time.
        self._input_rows = [tuple(float(v) for v in e.inputs) for e in setup.examples]
        self._goal_list = [float(e.goal) for e in setup.examples]

    def _buffers(self, capacity: int) -> tuple[np.ndarray, np.ndarray | None]:
        weight = _allocate((self.setup.n_inputs, capacity + 1), np.float64)
        example = _allocate((capacity,), example_dtype(self.setup.n_examples)) if self.shuffled else None
        return weight, example

    # -- size ------------------------------------------------------------------------------
    @property
    def n_steps(self) -> int:
        return self._n

    def __len__(self) -> int:
        return self._n

    @property
    def capacity(self) -> int:
        """Steps the buffers can hold without growing."""
        return self._weight.shape[1] - 1

    @property
    def nbytes(self) -> int:
        """Bytes of the values stored so far (the rows written, not the reservation)."""
        used = self._weight[:, : self._n + 1].nbytes
        if self._example is not None:
            used += self._example[: self._n].nbytes
        return used

    @property
    def bytes_per_step(self) -> int:
        """Bytes each step adds: its weights, and its example in shuffled order."""
        return 8 * self.setup.n_inputs + (self._example.itemsize if self._example is not None else 0)

    # -- columns ------------------------------------------------------------------------------
    @property
    def step(self) -> np.ndarray:
        """Step numbers 1..n (a new array)."""
        return np.arange(1, self._n + 1, dtype=np.int64)

    @property
    def example(self) -> Column:
        """1-based example index of each step; 0 in batch order (all examples)."""
        return Column(self, "example", -1, self._n)

    @property
    def prediction(self) -> Column:
        """Prediction of each step; nan in batch order (one per example there)."""
        return Column(self, "prediction", -1, self._n)

    @property
    def delta(self) -> Column:
        """Delta of each step; nan in batch order."""
        return Column(self, "delta", -1, self._n)

    @property
    def mse(self) -> Column:
        """Mse of each step (in batch order the mean over the examples)."""
        return Column(self, "mse", -1, self._n)

    def weighted_delta(self, i: int) -> Column:
        return Column(self, "weighted_delta", self._weight_index(i), self._n)

    def alpha_delta(self, i: int) -> Column:
        return Column(self, "alpha_delta", self._weight_index(i), self._n)

    def weight(self, i: int) -> np.ndarray:
        """Weight ``i`` (0-based) before each step (a view)."""
        return self._weight[i, : self._n]

    def new_weight(self, i: int) -> np.ndarray:
        """Weight ``i`` after each step (a view)."""
        return self._weight[i, 1 : self._n + 1]

    def weight_path(self, i: int) -> np.ndarray:
        """Weight ``i`` at the start and after every step (n_steps + 1 values, a view)."""
        return self._weight[i, : self._n + 1]

    def input(self, i: int) -> np.ndarray:
        """Input ``i`` of the example each step used (a new array; nan in batch order)."""
        if self.batch:
            return np.full(self._n, np.nan)
        return self.inputs[self._examples(0, self._n) - 1, i]

    @property
    def goal(self) -> np.ndarray:
        """Goal of the example each step used (a new array; nan in batch order)."""
        if self.batch:
            return np.full(self._n, np.nan)
        return self.goals[self._examples(0, self._n) - 1]

    @property
    def current_weights(self) -> tuple[float, ...]:
        """The weights after the last step (the starting weights before any step)."""
        return tuple(float(w) for w in self._weight[:, self._n])

    def _weight_index(self, i: int) -> int:
        i = operator.index(i)
        if not 0 <= i < self.setup.n_inputs:
            raise IndexError(f"weight {i} is not one of the {self.setup.n_inputs} weights (0-based)")
        return i

    # -- computing the derived values ----------------------------------------------------------
    def _examples(self, a: int, b: int) -> np.ndarray:
        """1-based example of steps a+1..b (0-based rows a..b-1) as int32."""
        if self.batch:
            return np.zeros(b - a, dtype=np.int32)
        if self.shuffled:
            return self._example[a:b].astype(np.int32)
        m = self.setup.n_examples
        return (np.arange(a, b, dtype=np.int64) % m + 1).astype(np.int32)

    def derive(self, a: int, b: int, want: str = "all", index: int = -1):
        """:func:`derive` for the rows ``a..b-1`` (0-based) of the trace."""
        example = None if self.batch or self.setup.n_examples == 1 else self._examples(a, b)
        return derive(self.setup, self.inputs, self.goals, example, self._weight[:, a:b], want, index)

    def _column_rows(self, name: str, index: int, rows: np.ndarray) -> np.ndarray:
        """One column at the 0-based rows ``rows`` (any order), in chunks."""
        rows = rows.astype(np.int64, copy=False)
        if name == "example":
            return self._examples_at(rows)
        out = np.empty(rows.shape[0], dtype=np.float64)
        one = self.batch or self.setup.n_examples == 1
        for start in range(0, rows.shape[0], DERIVE_CHUNK):
            part = rows[start : start + DERIVE_CHUNK]
            example = None if one else self._examples_at(part)
            out[start : start + part.shape[0]] = derive(
                self.setup, self.inputs, self.goals, example, self._weight[:, part], name, index)
        return out

    def _examples_at(self, rows: np.ndarray) -> np.ndarray:
        """1-based example of the 0-based rows ``rows`` as int32."""
        if self.batch:
            return np.zeros(rows.shape[0], dtype=np.int32)
        if self.shuffled:
            return self._example[rows].astype(np.int32)
        return (rows % self.setup.n_examples + 1).astype(np.int32)

    def _column(self, name: str, index: int, a: int, b: int) -> np.ndarray:
        if name == "example":
            return self._examples(a, b)
        if b - a <= DERIVE_CHUNK:
            return self.derive(a, b, name, index)
        out = np.empty(b - a, dtype=np.float64)
        for start in range(a, b, DERIVE_CHUNK):
            end = min(b, start + DERIVE_CHUNK)
            out[start - a : end - a] = self.derive(start, end, name, index)
        return out

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

    def columns(self, n: int | None = None) -> Iterator[tuple[str, np.ndarray | Column]]:
        """``(name, values)`` for every CSV column, the first ``n`` rows (default: all).

        Stored columns are numpy arrays; derived ones are :class:`Column` objects
        (``np.asarray`` reads them whole)."""
        n = self._n if n is None else n
        count = self.setup.n_inputs
        yield "step", np.arange(1, n + 1, dtype=np.int64)
        example = self._examples(0, n)
        yield "example", example
        for i in range(count):
            yield f"input_{i + 1}", (np.full(n, np.nan) if self.batch else self.inputs[example - 1, i])
        yield "goal", np.full(n, np.nan) if self.batch else self.goals[example - 1]
        yield "alpha", np.full(n, self.setup.alpha)
        for i in range(count):
            yield f"weight_{i + 1}", self._weight[i, :n]
        for name in ("prediction", "delta", "mse"):
            yield name, Column(self, name, -1, n)
        for name in ("weighted_delta", "alpha_delta"):
            for i in range(count):
                yield f"{name}_{i + 1}", Column(self, name, i, n)
        for i in range(count):
            yield f"new_weight_{i + 1}", self._weight[i, 1 : n + 1]

    def row(self, k: int) -> dict[str, float | int]:
        """Every value of step ``k`` (1-based) as plain Python numbers, keyed by CSV column;
        in time independent of the trace's length (the node panel asks 30 times a second)."""
        if not 1 <= k <= self._n:
            raise IndexError(f"step {k} is not in the trace (1..{self._n})")
        j = k - 1
        setup = self.setup
        count = setup.n_inputs
        alpha = setup.alpha
        w = self._weight[:, j].tolist()
        if self.batch:
            example = 0
        elif self.shuffled:
            example = int(self._example[j])
        else:
            example = j % setup.n_examples + 1
        values: dict[str, float | int] = {"step": k, "example": example}
        if self.batch and setup.n_examples * count > ROW_IN_PYTHON:
            # Many examples: numpy over all of them at once (the same operations, bits).
            _, _, mse_, weighted_, _ = self.derive(j, j + 1)
            for i in range(count):
                values[f"input_{i + 1}"] = math.nan
            values["goal"] = math.nan
            prediction = delta = math.nan
            mse = float(mse_[0])
            weighted_delta = weighted_[:, 0].tolist()
        elif self.batch:
            m = setup.n_examples
            deltas = []
            mse = 0.0
            for e, (x, goal) in enumerate(zip(self._input_rows, self._goal_list)):
                prediction = w[0] * x[0]
                for i in range(1, count):
                    prediction = prediction + w[i] * x[i]
                delta = prediction - goal
                deltas.append(delta)
                mse = square(delta) if e == 0 else mse + square(delta)
            weighted_delta = []
            for i in range(count):
                total = deltas[0] * self._input_rows[0][i]
                for e in range(1, m):
                    total = total + deltas[e] * self._input_rows[e][i]
                weighted_delta.append(total / m)
            for i in range(count):
                values[f"input_{i + 1}"] = math.nan
            values["goal"] = math.nan
            prediction = delta = math.nan
            mse = mse / m
        else:
            x = self._input_rows[example - 1]
            goal = self._goal_list[example - 1]
            for i in range(count):
                values[f"input_{i + 1}"] = x[i]
            values["goal"] = goal
            prediction = w[0] * x[0]
            for i in range(1, count):
                prediction = prediction + w[i] * x[i]
            delta = prediction - goal
            mse = square(delta)
            weighted_delta = [delta * x[i] for i in range(count)]
        values["alpha"] = alpha
        for i in range(count):
            values[f"weight_{i + 1}"] = w[i]
        values["prediction"] = prediction
        values["delta"] = delta
        values["mse"] = mse
        for i in range(count):
            values[f"weighted_delta_{i + 1}"] = weighted_delta[i]
        for i in range(count):
            values[f"alpha_delta_{i + 1}"] = alpha * weighted_delta[i]
        new = self._weight[:, k].tolist()
        for i in range(count):
            values[f"new_weight_{i + 1}"] = new[i]
        return values

    # -- writing (the run's side) -------------------------------------------------------------
    def _reserve(self, extra: int) -> None:
        """Room for ``extra`` more steps.  With the full reservation made at the start this
        does nothing; otherwise the buffers double, one doubling at a time, up to
        max_steps (MemoryError when one cannot: the doublings before it stay)."""
        needed = self._n + extra
        while self.capacity < needed:
            capacity = max(self.capacity + 1, min(2 * self.capacity, self.setup.max_steps))
            weight, example = self._buffers(capacity)
            weight[:, : self._n + 1] = self._weight[:, : self._n + 1]
            if example is not None:
                example[: self._n] = self._example[: self._n]
            # Filled first, then swapped in: a reader holding the old buffers still sees
            # every row it was told about.
            self._weight, self._example = weight, example

    def _append(self, new_weight: np.ndarray, example: np.ndarray | None = None) -> None:
        """Append ``k`` steps: the weights after each, ``(n_inputs, k)``, and in shuffled
        order the 1-based example of each, ``(k,)``.

        When the buffers cannot grow enough, the steps that fit are appended and
        MemoryError is raised: the trace stays whole, ``n_steps`` says how many."""
        k = new_weight.shape[1]
        if k == 0:
            return
        try:
            self._reserve(k)
        except MemoryError:
            room = self.capacity - self._n
            if room > 0:
                self._write(new_weight[:, :room], None if example is None else example[:room])
            raise
        self._write(new_weight, example)

    def _write(self, new_weight: np.ndarray, example: np.ndarray | None) -> None:
        a, b = self._n, self._n + new_weight.shape[1]
        self._weight[:, a + 1 : b + 1] = new_weight
        if self._example is not None:
            self._example[a:b] = example
        self._n = b  # last: readers only look at rows below _n


__all__ = ["Column", "Trace", "derive", "square", "squares", "example_dtype"]
