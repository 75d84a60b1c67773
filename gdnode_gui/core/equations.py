"""The six lines of the node (DESIGN.md §1) written out with the numbers of one step.

Pure text, no Qt: the "inside the node" panel shows these lines and the tests read them.
For step 1 of the article's example::

    prediction = 0.4 × 1 = 0.4
    delta = 0.4 − 0.6 = -0.19999999999999996
    mse = (−0.19999999999999996)² = 0.03999999999999998
    weighted_delta = −0.19999999999999996 × 1 = -0.19999999999999996
    alpha_delta = 0.1 × (−0.19999999999999996) = -0.019999999999999997
    weight = 0.4 − (−0.019999999999999997) = 0.42000000000000004

The numbers being combined are written as a mathematician would (a real minus sign "−",
negative numbers in parentheses after an operator); the result after the last "=" is
the number as the computer stores it (Python's text for it, copyable).  Two precisions:
``full`` shows every digit (the shortest text that reads back to the same float, so
``0.5999999999999994`` is not hidden), short shows 4 significant digits (``0.6``) --
but never rounds one number of the step into another
(:func:`gdnode_gui.core.number_text.distinct` over every number of the step): at the
seed's stall the weight 0.5999999999999994 stands beside the goal 0.6, so it keeps
its digits::

    delta = 0.5999999999999994 − 0.6 = -5.551e-16
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from . import number_text
from .setup import Setup

#: Writes one number of a step (ASCII '-'): see :func:`step_texts`.
Texts = Callable[[float], str]

#: The six lines of the node, in order; ``EquationLine.index`` points into this.
LINE_KEYS = ("prediction", "delta", "mse", "weighted_delta", "alpha_delta", "weight")
#: What each line computes, in words of the article.
FORMULAS = {
    "prediction": "weight × input",
    "delta": "prediction − goal",
    "mse": "delta²",
    "weighted_delta": "delta × input",
    "alpha_delta": "alpha × weighted_delta",
    "weight": "weight − alpha_delta",
}
SHORT_DIGITS = 4
#: Above this many inputs the last three lines are written as one vector line each.
MAX_INPUT_LINES = 3
#: In batch order, at most this many examples are written out; the rest become "…".
MAX_LISTED_EXAMPLES = 4
MINUS = "\u2212"


# -- numbers ------------------------------------------------------------------------------------
def number(value: float, full: bool = False) -> str:
    """``value`` as a result: Python's shortest exact text when ``full`` (``1.0`` as ``1``),
    else 4 significant digits.  An ASCII '-' for negatives, so the text can be copied.

    One number on its own; the numbers of a step are written with :func:`step_texts`.
    """
    value = float(value)
    if value == 0:
        return "0"  # also -0.0: "−0" would only puzzle a student
    return number_text.full(value) if full else number_text.short(value, SHORT_DIGITS)


def _texts(full: bool) -> Texts:
    return lambda value: number(value, full)


def _as_operand(text: str, first: bool) -> str:
    if not text.startswith("-"):
        return text
    text = MINUS + text[1:]
    return text if first else f"({text})"


def operand(value: float, full: bool = False, first: bool = False) -> str:
    """``value`` as a term of a formula: "−" as the sign, in parentheses after an operator."""
    return _as_operand(number(value, full), first)


def squared(value: float, full: bool = False) -> str:
    """``value²`` with parentheses around a negative number: ``(−0.2)²``."""
    return f"{operand(value, full)}²"


def _vector(values: Sequence[float], t: Texts, limit: int | None = None,
            total: int | None = None) -> str:
    total = len(values) if total is None else total
    if limit is not None and total <= limit + 1:
        limit = None  # "… 5 in all" in place of one value saves nothing
    shown = list(values) if limit is None else list(values)[:limit]
    parts = [_as_operand(t(v), True) for v in shown]
    if limit is not None:
        parts.append(f"… {total} in all")
    return "[" + ", ".join(parts) + "]"


def vector(values: Sequence[float], full: bool = False, limit: int | None = None,
           total: int | None = None) -> str:
    """``[a, b, c]``; with ``limit``, at most that many values, then "… N in all" (``total``
    is N when ``values`` holds only the first few of a longer list)."""
    return _vector(values, _texts(full), limit, total)


def step_texts(setup: Setup, row: Mapping[str, float], full: bool = False) -> Texts:
    """How the numbers of one step are written: every digit when ``full``; otherwise
    4 significant digits, more where two different numbers of the step would read alike
    (:func:`gdnode_gui.core.number_text.distinct` over every number the lines show)."""
    if full:
        return _texts(True)
    values = [value for key, value in row.items() if key not in ("step", "example")]
    if setup.order == "batch":
        n = setup.n_inputs
        shown = _shown_examples(setup.n_examples)
        predictions, deltas = batch_values(setup, [row[f"weight_{i + 1}"] for i in range(n)], shown)
        values += predictions + deltas
        for example in setup.examples[:shown]:
            values += [*example.inputs, example.goal]
        values += [d * d for d in deltas]
    shown_texts = number_text.Shown(v for v in values if v == v)  # nan: written "nan" anyway

    def text(value: float) -> str:
        return "0" if value == 0 else shown_texts(value)

    return text


# -- lines --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EquationLine:
    """One written-out line: ``name = numbers = result``, plus a note.

    ``index`` says which of the six lines of the node (``LINE_KEYS``) it belongs to;
    with several inputs, lines 4 to 6 have one ``EquationLine`` per input.
    """

    index: int
    name: str
    formula: str
    numbers: str
    result: str
    note: str = ""

    @property
    def key(self) -> str:
        return LINE_KEYS[self.index]

    @property
    def text(self) -> str:
        parts = [self.name]
        if self.numbers:
            parts.append(self.numbers)
        parts.append(self.result)
        text = " = ".join(parts)
        return f"{text}  ({self.note})" if self.note else text


def _suffix(setup: Setup, i: int) -> str:
    return "" if setup.n_inputs == 1 else f"_{i + 1}"


def step_equations(setup: Setup, row: Mapping[str, float], full: bool = False,
                   vectors: bool = False) -> list[EquationLine]:
    """The lines of one step, from its trace row (``Trace.row(k)``: CSV column names).

    One line each for prediction, delta and mse; for weighted_delta, alpha_delta and the
    new weight one line per input (up to 3 inputs, unless ``vectors``) or one vector line
    each.  In batch order the first lines are written for every example and the step's
    values are means.
    """
    n = setup.n_inputs
    t = step_texts(setup, row, full)
    if setup.order == "batch":
        lines = _batch_head(setup, row, t)
    else:
        lines = _example_head(setup, row, t)
    weights = [row[f"weight_{i + 1}"] for i in range(n)]
    weighted = [row[f"weighted_delta_{i + 1}"] for i in range(n)]
    alpha_deltas = [row[f"alpha_delta_{i + 1}"] for i in range(n)]
    new_weights = [row[f"new_weight_{i + 1}"] for i in range(n)]
    alpha = row["alpha"]
    if n > MAX_INPUT_LINES or (vectors and n > 1):
        lines += _vector_tail(setup, row, t, weights, weighted, alpha_deltas, new_weights)
        return lines
    batch = setup.order == "batch"
    for i in range(n):
        s = _suffix(setup, i)
        if batch:
            numbers = _batch_weighted_numbers(setup, weights, i, t)
            lines.append(EquationLine(3, f"weighted_delta{s}", f"mean of delta × input{s}",
                                      numbers, t(weighted[i])))
        else:
            x = row[f"input_{i + 1}"]
            lines.append(EquationLine(3, f"weighted_delta{s}", f"delta × input{s}",
                                      f"{_as_operand(t(row['delta']), True)} × {_as_operand(t(x), False)}",
                                      t(weighted[i])))
    for i in range(n):
        s = _suffix(setup, i)
        lines.append(EquationLine(4, f"alpha_delta{s}", f"alpha × weighted_delta{s}",
                                  f"{_as_operand(t(alpha), True)} × {_as_operand(t(weighted[i]), False)}",
                                  t(alpha_deltas[i])))
    for i in range(n):
        lines.append(_weight_line(setup, i, weights[i], alpha_deltas[i], new_weights[i], t))
    return lines


def _example_head(setup: Setup, row: Mapping[str, float], t: Texts) -> list[EquationLine]:
    n = setup.n_inputs
    terms = []
    for i in range(n):
        w, x = row[f"weight_{i + 1}"], row[f"input_{i + 1}"]
        terms.append(f"{_as_operand(t(w), (i == 0))} × {_as_operand(t(x), False)}")
    formula = "weight × input" if n == 1 else " + ".join(
        f"weight_{i + 1} × input_{i + 1}" for i in range(min(n, 2))) + (" + …" if n > 2 else "")
    delta = row["delta"]
    example = int(row["example"])
    note = f"example {example} of {setup.n_examples}" if setup.n_examples > 1 else ""
    return [
        EquationLine(0, "prediction", formula, " + ".join(terms), t(row["prediction"]), note),
        EquationLine(1, "delta", FORMULAS["delta"],
                     f"{_as_operand(t(row['prediction']), True)} − {_as_operand(t(row['goal']), False)}",
                     t(delta)),
        EquationLine(2, "mse", FORMULAS["mse"], f"{_as_operand(t(delta), False)}²", t(row["mse"])),
    ]


def _weight_line(setup: Setup, i: int, weight: float, alpha_delta: float, new_weight: float,
                 t: Texts) -> EquationLine:
    s = _suffix(setup, i)
    if setup.frozen[i]:
        return EquationLine(5, f"weight{s}", "frozen", "", t(new_weight),
                            f"frozen: stays {t(weight)}")
    note = ""
    if alpha_delta != 0 and new_weight == weight and math.isfinite(alpha_delta):
        note = "the change is too small to move the stored number"
    return EquationLine(5, f"weight{s}", f"weight{s} − alpha_delta{s}",
                        f"{_as_operand(t(weight), True)} − {_as_operand(t(alpha_delta), False)}",
                        t(new_weight), note)


def _vector_tail(setup, row, t, weights, weighted, alpha_deltas, new_weights) -> list[EquationLine]:
    if setup.order == "batch":
        wd_formula = "mean over the examples of delta × inputs"
        wd_numbers = ""
    else:
        inputs = [row[f"input_{i + 1}"] for i in range(setup.n_inputs)]
        wd_formula = "delta × inputs"
        wd_numbers = f"{_as_operand(t(row['delta']), True)} × {_vector(inputs, t)}"
    frozen = [i + 1 for i, flag in enumerate(setup.frozen) if flag]
    note = ""
    if frozen:
        names = ", ".join(f"weight_{i}" for i in frozen)
        note = f"frozen: {names} {'stays' if len(frozen) == 1 else 'stay'} as {'it is' if len(frozen) == 1 else 'they are'}"
    return [
        EquationLine(3, "weighted_deltas", wd_formula, wd_numbers, _vector(weighted, t)),
        EquationLine(4, "alpha_deltas", "alpha × weighted_deltas",
                     f"{_as_operand(t(row['alpha']), True)} × {_vector(weighted, t)}",
                     _vector(alpha_deltas, t)),
        EquationLine(5, "weights", "weights − alpha_deltas",
                     f"{_vector(weights, t)} − {_vector(alpha_deltas, t)}",
                     _vector(new_weights, t), note),
    ]


# -- batch order: every example in one step -------------------------------------------------------
def batch_values(setup: Setup, weights: Sequence[float],
                 count: int | None = None) -> tuple[list[float], list[float]]:
    """(predictions, deltas) of the first ``count`` examples (default all) for ``weights``,
    in the node's order of operations."""
    predictions, deltas = [], []
    for example in setup.examples[:count]:
        x = example.inputs
        prediction = weights[0] * x[0]
        for i in range(1, len(x)):
            prediction = prediction + weights[i] * x[i]
        predictions.append(prediction)
        deltas.append(prediction - example.goal)
    return predictions, deltas


def _shown_examples(m: int) -> int:
    """How many examples a batch step writes out: all of a few, else the first few."""
    return m if m <= MAX_LISTED_EXAMPLES + 1 else MAX_LISTED_EXAMPLES


def _listed(items: list[str], total: int) -> str:
    """``a + b + c``, or ``a + b + … (m examples)`` when only the first few are written."""
    if total > len(items):
        items = items + [f"… ({total} examples)"]
    return " + ".join(items)


def _batch_head(setup: Setup, row: Mapping[str, float], t: Texts) -> list[EquationLine]:
    n = setup.n_inputs
    m = setup.n_examples
    weights = [row[f"weight_{i + 1}"] for i in range(n)]
    shown = _shown_examples(m)
    # Only the examples written out are computed: a batch of 10,000 examples stays cheap.
    predictions, deltas = batch_values(setup, weights, shown)
    goals = [e.goal for e in setup.examples[:shown]]
    limit = MAX_LISTED_EXAMPLES
    note = f"batch: one step uses all {m} examples; the step's values are means over them"
    lines = [
        EquationLine(0, "predictions", "weights · inputs of each example",
                     "", _vector(predictions, t, limit, m), note),
        EquationLine(1, "deltas", "predictions − goals",
                     f"{_vector(predictions, t, limit, m)} − {_vector(goals, t, limit, m)}",
                     _vector(deltas, t, limit, m)),
        EquationLine(2, "mse", "mean of delta²",
                     f"({_listed([_as_operand(t(d), False) + '²' for d in deltas[:shown]], m)}) ÷ {m}",
                     t(row["mse"])),
    ]
    return lines


def _batch_weighted_numbers(setup: Setup, weights: Sequence[float], i: int, t: Texts) -> str:
    m = setup.n_examples
    shown = _shown_examples(m)
    _, deltas = batch_values(setup, weights, shown)
    terms = [f"{_as_operand(t(deltas[e]), (e == 0))} × {_as_operand(t(setup.examples[e].inputs[i]), False)}"
             for e in range(shown)]
    return f"({_listed(terms, m)}) ÷ {m}"


def equations_text(setup: Setup, row: Mapping[str, float], full: bool = False) -> str:
    """All lines of one step as plain text, one per line."""
    return "\n".join(line.text for line in step_equations(setup, row, full))


__all__ = [
    "EquationLine", "FORMULAS", "LINE_KEYS", "MINUS", "batch_values", "equations_text",
    "number", "operand", "squared", "step_equations", "step_texts", "vector",
]
