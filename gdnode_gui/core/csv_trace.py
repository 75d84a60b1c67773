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
``new_weight`` reuses the strings of the next step's ``weight``.  Rows are assembled
with ``','.join`` over ``zip`` and written in blocks, so memory stays bounded however
long the run.
"""

from __future__ import annotations

import os
from itertools import repeat
from typing import BinaryIO, Iterator, TextIO

import numpy as np

from .atomic import write_atomically
from .trace import Trace

#: Rows formatted and written at a time: large enough to amortise the per-block work,
#: small enough to keep memory modest (a few MB of text per block).
BLOCK_ROWS = 32768

#: Columns that belong to one example, empty in batch order (one step uses all examples).
_PER_EXAMPLE = ("prediction", "delta", "goal")

_float_repr = float.__repr__


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
        return list(map(_float_repr, values.tolist()))
    starts = np.concatenate(([0], changes + 1))
    texts = np.array(list(map(_float_repr, values[starts].tolist())), dtype=object)
    return texts.repeat(np.diff(np.append(starts, k))).tolist()


class _Plan:
    """How to make each column's text for a block of rows ``a..b`` (0-based, b exclusive)."""

    def __init__(self, trace: Trace, n: int) -> None:
        setup = trace.setup
        self.n = n
        self.header = ",".join(trace.column_names())
        labels = [str(e) for e in range(setup.n_examples + 1)]
        self.sources: list = []
        for name, values in trace.columns(n):
            base = name.rsplit("_", 1)[0] if name[-1].isdigit() else name
            if name == "step":
                self.sources.append(("step", None))
            elif name == "example":
                if trace.batch or setup.n_examples == 1:
                    self.sources.append(("const", "0" if trace.batch else "1"))
                else:
                    self.sources.append(("lookup", (labels, values)))
            elif trace.batch and (base == "input" or name in _PER_EXAMPLE):
                self.sources.append(("const", ""))
            elif base == "input" or name == "goal":
                # The inputs and goal of the example each step used: one text per example.
                if base == "input":
                    column = trace.inputs[:, int(name.rsplit("_", 1)[1]) - 1]
                else:
                    column = trace.goals
                texts = ["", *map(_float_repr, column.tolist())]  # examples count from 1
                if setup.n_examples == 1:
                    self.sources.append(("const", texts[1]))
                else:
                    self.sources.append(("lookup", (texts, trace.example[:n])))
            elif name == "alpha":
                self.sources.append(("const", _float_repr(setup.alpha)))
            elif base == "weight":
                self.sources.append(("weight", int(name.rsplit("_", 1)[1]) - 1))
            elif base == "new_weight":
                self.sources.append(("new_weight", int(name.rsplit("_", 1)[1]) - 1))
            else:
                self.sources.append(("floats", values))
        self._weight_path = [trace.weight_path(i) for i in range(setup.n_inputs)]

    def block(self, a: int, b: int) -> str:
        """The rows ``a+1 .. b`` of the CSV, each ending with '\\n'."""
        k = b - a
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
                path = self._weight_path[i][a : b + 1]
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
                texts, index = source
                part = list(map(texts.__getitem__, index[a:b].tolist()))
            elif kind == "weight":
                part = weight_texts(source)[0]
            elif kind == "new_weight":
                part = weight_texts(source)[1]
            else:
                part = float_texts(source[a:b])
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] = parts[-1] + "," + part  # neighbouring constants: one cell of text
            else:
                parts.append(part)
        columns = [repeat(part, k) if isinstance(part, str) else part for part in parts]
        return "\n".join(map(",".join, zip(*columns))) + "\n"

    def texts(self) -> Iterator[str]:
        yield self.header + "\n"
        for a in range(0, self.n, BLOCK_ROWS):
            yield self.block(a, min(self.n, a + BLOCK_ROWS))


def _plan(trace: Trace, n: int | None) -> _Plan:
    total = trace.n_steps
    n = total if n is None else int(n)
    if not 0 <= n <= total:
        raise ValueError(f"n must be from 0 to the {total} steps of the trace, not {n}")
    return _Plan(trace, n)


def csv_text(trace: Trace, n: int | None = None) -> str:
    """The CSV of the first ``n`` steps of ``trace`` (default: all) as one string."""
    return "".join(_plan(trace, n).texts())


def write_csv_to(trace: Trace, stream: TextIO | BinaryIO, n: int | None = None) -> None:
    """Write the CSV to an open stream, e.g. ``sys.stdout.buffer`` or ``sys.stdout``.

    A binary stream gets the exact bytes.  A text stream gets the text; open it with
    ``newline=""`` where the platform would otherwise turn '\\n' into '\\r\\n'.
    """
    binary = not hasattr(stream, "encoding")
    for text in _plan(trace, n).texts():
        stream.write(text.encode("ascii") if binary else text)


def write_csv(trace: Trace, path: str | os.PathLike, n: int | None = None) -> None:
    """Write the CSV to the file ``path``, all or nothing, streamed in blocks so a long
    trace never needs its whole text in memory (see :func:`.atomic.write_atomically`:
    a failure leaves the old file or none, a read-only file is refused)."""
    plan = _plan(trace, n)
    write_atomically(path, (text.encode("ascii") for text in plan.texts()))


__all__ = ["csv_text", "write_csv", "write_csv_to", "BLOCK_ROWS"]
