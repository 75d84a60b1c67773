"""The trace CSV of DESIGN.md §3: the same bytes from the GUI's export and the command line.

One header row, then one row per step, in the columns of :meth:`Trace.column_names`::

    step,example,input_1..n,goal,alpha,weight_1..n,prediction,delta,mse,
    weighted_delta_1..n,alpha_delta_1..n,new_weight_1..n

- Floats are Python's ``repr`` (the shortest text that reads back to the same float;
  ``inf``, ``-inf``, ``nan``), always with '.' as the decimal point; ``step`` and
  ``example`` are plain integers.
- In batch order one step uses every example, so the per-example cells (``input_i``,
  ``goal``, ``prediction``, ``delta``) are empty and ``example`` is 0.
- Lines end with ``'\\n'`` (not the csv module's default ``'\\r\\n'``): the file is the
  same on every system and ``str.splitlines``, pandas and the csv module read it alike.
  The last row ends with ``'\\n'`` too.  The text is ASCII, written as UTF-8 without a BOM.
  Nothing needs quoting (no cell holds a comma, quote or line break).

Writing is fast because most of the time of a naive writer goes into ``repr`` of every
float: here each distinct column is formatted once per block of rows, a run of equal
values (a constant input, alpha, a stalled or frozen weight) is formatted once, and
``new_weight`` reuses the strings of the next step's ``weight``.  When the optional
``orjson`` package is installed, its float formatter (the shortest text that reads back
to the same float, like ``repr``) writes the values whose text is the same as ``repr``'s
(every finite value outside 1e-9 <= |v| < 1e-4, where orjson writes ``0.00001`` or
``1e-7`` instead of ``1e-05`` and ``1e-07``); the others get ``repr`` itself
(tests/test_csv.py checks the bytes against ``repr`` on ten million random floats).
Rows are assembled with ``','.join`` over ``zip`` and written in blocks, so memory
stays bounded however long the run.

The derived values (prediction, delta, mse, weighted_delta, alpha_delta) are worked
out from the trace's weights once per block (:meth:`Trace.derive`).
"""

from __future__ import annotations

import os
from itertools import repeat
from typing import BinaryIO, Callable, Iterator, TextIO

import numpy as np

try:  # optional: a float formatter several times faster than repr (see the docstring)
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None

from .atomic import write_atomically
from .trace import Trace

#: Rows formatted and written at a time: large enough to amortise the per-block work,
#: small enough to keep memory modest (a few MB of text per block).
BLOCK_ROWS = 32768

#: Columns that belong to one example, empty in batch order (one step uses all examples).
_PER_EXAMPLE = ("prediction", "delta", "goal")

_float_repr = float.__repr__

#: Fewer values than this are formatted with repr alone (orjson's call costs more).
_FAST_MIN = 16

#: A progress callback: ``progress(rows_done, rows_total)``; False cancels.
Progress = Callable[[int, int], bool]


def reprs(values: np.ndarray) -> list[str]:
    """``repr(float(v))`` of each value of a float64 array, the same text, faster.

    With orjson installed, orjson formats every value and the values where its text is
    not ``repr``'s (not finite, or 1e-9 <= |v| < 1e-4) are formatted again with repr.
    """
    if orjson is None or values.shape[0] < _FAST_MIN:
        return list(map(_float_repr, values.tolist()))
    values = np.ascontiguousarray(values, dtype=np.float64)
    texts = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY).decode("ascii")[1:-1].split(",")
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        other = ~np.isfinite(values) | ((size >= 1e-9) & (size < 1e-4))
    for j in np.flatnonzero(other).tolist():
        texts[j] = _float_repr(float(values[j]))
    return texts


def _float_texts(values: np.ndarray) -> str | list[str]:
    """``repr`` of each value; a single ``str`` when every value is the same float.

    Runs of the same value (same bits, so 0.0 and -0.0 stay apart) are formatted once.
    """
    k = values.shape[0]
    bits = np.ascontiguousarray(values).view(np.int64)
    changes = np.flatnonzero(bits[1:] != bits[:-1])
    if changes.size == 0:
        return _float_repr(float(values[0]))
    if 2 * changes.size >= k:  # mostly different: no runs worth finding
        return reprs(values)
    starts = np.concatenate(([0], changes + 1))
    texts = np.array(reprs(values[starts]), dtype=object)
    return texts.repeat(np.diff(np.append(starts, k))).tolist()


class Cancelled(Exception):
    """The progress callback asked to stop writing."""


class _Plan:
    """How to make each column's text for a block of rows ``a..b`` (0-based, b exclusive)."""

    def __init__(self, trace: Trace, n: int) -> None:
        setup = trace.setup
        self.trace = trace
        self.n = n
        self.header = ",".join(trace.column_names())
        labels = [str(e) for e in range(setup.n_examples + 1)]
        several = setup.n_examples > 1 and not trace.batch
        self.sources: list = []
        for name in trace.column_names():
            base, _, number = name.rpartition("_") if name[-1].isdigit() else (name, "", "")
            index = int(number) - 1 if number else -1
            if name == "step":
                self.sources.append(("step", None))
            elif name == "example":
                if several:
                    self.sources.append(("lookup", labels))
                else:
                    self.sources.append(("const", "0" if trace.batch else "1"))
            elif trace.batch and (base == "input" or name in _PER_EXAMPLE):
                self.sources.append(("const", ""))
            elif base == "input" or name == "goal":
                # The inputs and goal of the example each step used: one text per example.
                column = trace.inputs[:, index] if base == "input" else trace.goals
                texts = ["", *map(_float_repr, column.tolist())]  # examples count from 1
                self.sources.append(("lookup", texts) if several else ("const", texts[1]))
            elif name == "alpha":
                self.sources.append(("const", _float_repr(setup.alpha)))
            elif base in ("weight", "new_weight"):
                self.sources.append((base, index))
            else:
                self.sources.append(("derived", (base, index)))

    def block(self, a: int, b: int) -> str:
        """The rows ``a+1 .. b`` of the CSV, each ending with '\\n'."""
        k = b - a
        trace = self.trace
        prediction, delta, mse, weighted_delta, alpha_delta = trace.derive(a, b)
        derived = {"prediction": prediction, "delta": delta, "mse": mse}
        examples = trace._examples(a, b).tolist() if any(
            kind == "lookup" for kind, _ in self.sources) else None
        formatted: list[tuple[np.ndarray, str | list[str]]] = []  # (bits, texts) of this block

        def float_texts(values: np.ndarray) -> str | list[str]:
            # A column equal to one already formatted (prediction is weight when the
            # input is 1, weighted_delta is delta) reuses its texts.
            bits = np.ascontiguousarray(values).view(np.int64)
            for other, texts in formatted:
                if other[0] == bits[0] and other[-1] == bits[-1] and np.array_equal(other, bits):
                    return texts
            texts = _float_texts(values)
            formatted.append((bits, texts))
            return texts

        weights: dict[int, tuple[str | list[str], str | list[str]]] = {}

        def weight_texts(i: int) -> tuple[str | list[str], str | list[str]]:
            # The weights before steps a..b-1 and after them are b - a + 1 values,
            # formatted once for the weight_i and new_weight_i columns.
            if i not in weights:
                path = trace._weight[i, a : b + 1]
                both = float_texts(path)
                if isinstance(both, str):
                    weights[i] = both, both
                else:
                    weights[i] = both[:-1], both[1:]
                    formatted.append((np.ascontiguousarray(path[:-1]).view(np.int64), weights[i][0]))
            return weights[i]

        parts: list[str | list[str]] = []
        for kind, source in self.sources:
            if kind == "step":
                part: str | list[str] = list(map(str, range(a + 1, b + 1)))
            elif kind == "const":
                part = source
            elif kind == "lookup":
                part = list(map(source.__getitem__, examples))
            elif kind == "weight":
                part = weight_texts(source)[0]
            elif kind == "new_weight":
                part = weight_texts(source)[1]
            else:
                name, i = source
                if name == "weighted_delta":
                    values = weighted_delta[i]
                elif name == "alpha_delta":
                    values = alpha_delta[i]
                else:
                    values = derived[name]
                part = float_texts(values)
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] = parts[-1] + "," + part  # neighbouring constants: one cell of text
            else:
                parts.append(part)
        if len(parts) == 1 and isinstance(parts[0], str):
            return (parts[0] + "\n") * k
        columns = [repeat(part, k) if isinstance(part, str) else part for part in parts]
        return "\n".join(map(",".join, zip(*columns))) + "\n"

    def texts(self, progress: Progress | None = None) -> Iterator[str]:
        """The header line, then the rows block by block.  ``progress(rows_done,
        rows_total)``, when given, is called after the header and after each block (once
        the consumer has taken it); when it returns False, :class:`Cancelled` is raised."""

        def check(done: int) -> None:
            if progress is not None and not progress(done, self.n):
                raise Cancelled

        yield self.header + "\n"
        check(0)
        for a in range(0, self.n, BLOCK_ROWS):
            b = min(self.n, a + BLOCK_ROWS)
            yield self.block(a, b)
            check(b)


def _plan(trace: Trace, n: int | None) -> _Plan:
    total = trace.n_steps
    n = total if n is None else int(n)
    if not 0 <= n <= total:
        raise ValueError(f"n must be from 0 to the {total} steps of the trace, not {n}")
    return _Plan(trace, n)


def csv_text(trace: Trace, n: int | None = None) -> str:
    """The CSV of the first ``n`` steps of ``trace`` (default: all) as one string."""
    return "".join(_plan(trace, n).texts())


def write_csv_to(trace: Trace, stream: TextIO | BinaryIO, n: int | None = None,
                 progress: Progress | None = None) -> bool:
    """Write the CSV to an open stream, e.g. ``sys.stdout.buffer`` or ``sys.stdout``.

    A binary stream gets the exact bytes.  A text stream gets the text; open it with
    ``newline=""`` where the platform would otherwise turn '\\n' into '\\r\\n'.
    ``progress(rows_done, rows_total)`` is called after each block; when it returns
    False writing stops (what was written stays written) and the result is False.
    """
    binary = not hasattr(stream, "encoding")
    try:
        for text in _plan(trace, n).texts(progress):
            stream.write(text.encode("ascii") if binary else text)
    except Cancelled:
        return False
    return True


def write_csv(trace: Trace, path: str | os.PathLike, n: int | None = None,
              progress: Progress | None = None) -> bool:
    """Write the CSV to the file ``path``, all or nothing, streamed in blocks so a long
    trace never needs its whole text in memory (see :func:`.atomic.write_atomically`:
    a failure leaves the old file or none, a read-only file is refused).

    Parameters
    ----------
    progress
        Called as ``progress(rows_done, rows_total)`` after the header and after each
        block of :data:`BLOCK_ROWS` rows, from the writing thread.  Returning False
        cancels: the old file stays as it was (or no file is made) and the result is
        False.  (A path that is not a regular file, such as a pipe, is written to
        directly and keeps what was written before the cancel.)

    Returns
    -------
    bool
        True when the file was written, False when ``progress`` cancelled it.
    """
    plan = _plan(trace, n)
    try:
        write_atomically(path, (text.encode("ascii") for text in plan.texts(progress)))
    except Cancelled:
        return False
    return True


__all__ = ["BLOCK_ROWS", "Cancelled", "Progress", "csv_text", "reprs", "write_csv", "write_csv_to"]
