"""The pieces of Python code that run one setup, shared by the script and the notebook.

The code is written for one setup, in the article's words and order::

    prediction = weight * input
    delta = prediction - goal
    mse = delta ** 2                  (here ``square(delta)``: inf instead of OverflowError)
    weighted_delta = delta * input
    alpha_delta = alpha * weighted_delta
    weight = weight - alpha_delta

With one input the values are plain numbers; with several, ``weight``, ``input``,
``weighted_delta`` and ``alpha_delta`` are lists and the prediction is written out as
``weight[0] * input[0] + weight[1] * input[1] + ...``, added left to right as the app
does (``sum()`` may not: Python 3.12 adds floats more precisely).  Several examples come
as the lists ``inputs`` and ``goals``.  The stop rules are plain ``if`` statements in the
order of DESIGN.md §1.  Run as they are, the pieces give every value of every step with
the same bits as :class:`gdnode_gui.core.run.Run`; the tests check it byte for byte.

User text (the setup's name, description and input names) only ever goes into
comments, cleaned of anything that is not a printable character, so a shared setup can
never inject code into the exported file.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..setup import Setup
from ..trace import Trace

#: Longest line the generated code aims for (lists of numbers wrap).
WIDTH = 88


# -- text helpers ---------------------------------------------------------------------------------
def clean(text: str) -> str:
    """``text`` on one line of printable characters (user text for a comment)."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def comment_lines(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    """``text`` as wrapped ``# `` comment lines."""
    lines = textwrap.wrap(clean(text), width=width - len(indent) - 2,
                          break_long_words=True, break_on_hyphens=False)
    return [f"{indent}# {line}" for line in lines]


def number(value: float) -> str:
    """A float as Python source that reads back to the same float."""
    return repr(float(value))


def number_list(values) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def assign(name: str, items: list[str], comment: str = "") -> list[str]:
    """``name = [item, item, ...]  # comment``, wrapped over several lines when long
    (the comment then goes above)."""
    tail = f"  # {clean(comment)}" if comment else ""
    one_line = f"{name} = [{', '.join(items)}]"
    rows = len(items) > 1 and all(item.startswith("[") for item in items)  # one per line
    if len(one_line) + len(tail) <= WIDTH and not rows:
        return [one_line + tail]
    lines = comment_lines(comment) if comment else []
    if len(one_line) <= WIDTH and not rows:
        return lines + [one_line]
    lines.append(f"{name} = [")
    if rows:
        lines += [f"    {item}," for item in items]
    else:
        lines += ["    " + line for line in textwrap.wrap(
            ", ".join(items) + ",", width=WIDTH - 4, break_long_words=False,
            break_on_hyphens=False)]
    lines.append("]")
    return lines


def header_lines(header: str) -> list[str]:
    """``header = "step,example,..."``, split into adjacent strings when long."""
    one = f'header = "{header}"'
    if len(one) <= WIDTH:
        return [one]
    names = header.split(",")
    lines, line = ["header = ("], ""
    for i, name in enumerate(names):
        piece = name + ("," if i < len(names) - 1 else "")
        if line and len(line) + len(piece) + 6 > WIDTH:
            lines.append(f'    "{line}"')
            line = ""
        line += piece
    lines.append(f'    "{line}"')
    lines.append(")")
    return lines


def scalar(name: str, value: str, comment: str) -> list[str]:
    """``name = value  # comment``, or the comment above when the line would be long."""
    line = f"{name} = {value}".ljust(20) + f"  # {clean(comment)}"
    if len(line) <= WIDTH:
        return [line]
    return comment_lines(comment) + [f"{name} = {value}"]


# -- the pieces -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pieces:
    """The code of one setup, piece by piece (each a block of lines without a final newline).

    Attributes
    ----------
    imports : str
        The imports the other pieces need (no ``sys``: the script adds that itself).
    setup : str
        weight, input(s), goal(s), alpha as plain assignments.
    rules : str
        max_steps, tolerance, stop_on_stall.
    helpers : str
        ``square`` (and ``add_up`` in batch order).
    loop : str
        The node, step by step, recording each step in ``trace`` and setting ``outcome``.
    header : str
        The CSV header line (without the newline).
    csv_line : str
        The function ``csv_line(row)`` that turns a row of ``trace`` into a CSV line.
    uses_numpy : bool
        Whether the code needs numpy (the shuffled order of several examples).
    """

    imports: str
    setup: str
    rules: str
    helpers: str
    loop: str
    header: str
    csv_line: str
    uses_numpy: bool


CSV_LINE = '''\
def csv_line(row):
    """One step as a line of CSV: every number as Python's repr (the shortest text
    that reads back as the same float: 0.1, 1e-07, inf, nan); None as an empty cell."""
    return ",".join("" if value is None else repr(value) for value in row) + "\\n"'''

SQUARE = '''\
def square(delta):
    """delta ** 2, but inf where Python would raise OverflowError (the article's
    loop stops with that error when the numbers grow too large; the app reports
    "diverged")."""
    try:
        return delta ** 2
    except OverflowError:
        return math.inf'''

ADD_UP = '''\
def add_up(values):
    """values[0] + values[1] + ..., added left to right as the app adds them.
    (sum() starts from 0, and on Python 3.12 and later adds floats more precisely,
    which can change the last digit.)"""
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total'''


def pieces(setup: Setup) -> Pieces:
    """The code that runs ``setup``, in pieces; see :class:`Pieces`."""
    n = setup.n_inputs
    m = setup.n_examples
    batch = setup.order == "batch"
    shuffled = setup.order == "shuffled" and m > 1
    window = 1 if batch else m  # one pass over the examples
    frozen = any(setup.frozen)

    imports = ["import math"]
    if window > 1:
        imports.append("from collections import deque")
    if shuffled:
        imports.append("")
        imports.append("import numpy  # only for the shuffled order: numpy.random.default_rng")

    return Pieces(
        imports="\n".join(imports),
        setup="\n".join(_setup_lines(setup)),
        rules="\n".join(_rule_lines(setup, window)),
        helpers=SQUARE + ("\n\n\n" + ADD_UP if batch else ""),
        loop="\n".join(_loop_lines(setup, n, m, batch, shuffled, window, frozen)),
        header=",".join(Trace(setup).column_names()),
        csv_line=CSV_LINE,
        uses_numpy=shuffled,
    )


def _setup_lines(setup: Setup) -> list[str]:
    n = setup.n_inputs
    m = setup.n_examples
    names = [clean(setup.input_name(i)) for i in range(n)]
    lines: list[str] = []
    if n == 1:
        lines += scalar("weight", number(setup.weights[0]), "the starting weight")
        if setup.frozen[0]:
            lines += scalar("frozen", "True", "a frozen weight keeps its value")
    else:
        lines += assign("weight", [number(w) for w in setup.weights],
                        "the starting weights, one per input")
        lines += scalar("n", "len(weight)", f"inputs: {', '.join(names)}")
        if any(setup.frozen):
            lines += assign("frozen", [str(f) for f in setup.frozen],
                            "a frozen weight keeps its value")
    if m == 1 and setup.order != "batch":  # batch order loops over a list of examples
        example = setup.examples[0]
        if n == 1:
            lines += scalar("input", number(example.inputs[0]), f"the input: {names[0]}")
        else:
            lines += assign("input", [number(x) for x in example.inputs], ", ".join(names))
        lines += scalar("goal", number(example.goal), "the value the node should predict")
    else:
        if n == 1:
            lines += assign("inputs", [number(e.inputs[0]) for e in setup.examples],
                            f"the input of each example: {names[0]}")
        else:
            lines += assign("inputs", [number_list(e.inputs) for e in setup.examples],
                            f"the inputs of each example: {', '.join(names)}")
        lines += assign("goals", [number(e.goal) for e in setup.examples],
                        "the goal of each example: the value the node should predict")
        lines += scalar("m", "len(goals)", "the number of examples")
    lines += scalar("alpha", number(setup.alpha),
                    "the learning rate: the part of each miss the weights move by")
    if setup.order == "shuffled" and m > 1:
        lines += scalar("seed", str(setup.seed),
                        "the random seed of the shuffled order (same seed, same run)")
    return lines


def _rule_lines(setup: Setup, window: int) -> list[str]:
    if setup.order == "batch" and setup.n_examples > 1:
        what = "the mse (the mean over all examples)"
    elif window > 1:
        what = "the mean mse of one pass over the examples"
    else:
        what = "the mse"
    return [
        *scalar("max_steps", str(setup.max_steps), "the most steps to run"),
        *scalar("tolerance", number(setup.tolerance),
                f"stop 'converged' once {what} is below this (0: only at exactly 0)"),
        *scalar("stop_on_stall", str(setup.stop_on_stall),
                "stop 'stalled' once the weights no longer change"),
    ]


def _loop_lines(setup: Setup, n: int, m: int, batch: bool, shuffled: bool, window: int,
                frozen: bool) -> list[str]:
    many = n > 1
    lines = ["trace = []  # one row per step: the CSV at the end"]
    if window > 1:
        lines += [
            "last_mse = deque(maxlen=m)  # the mse of the last m steps (one pass over the examples)",
            "last_moved = deque(maxlen=m)  # and whether a weight changed at each of them",
        ]
    if shuffled:
        lines.append("rng = numpy.random.default_rng(seed)  # the same random order as the app's")
    lines += [
        'outcome = "max_steps"  # rule 4, unless another rule stops the loop first',
        "for step in range(1, max_steps + 1):",
    ]
    body: list[str] = []
    if batch:
        example = "0"
    elif m == 1:
        example = "1"
    else:
        example = "example"
        if shuffled:
            body += [
                "if (step - 1) % m == 0:  # a new pass over the examples: a fresh random order",
                "    order = (rng.permutation(m) + 1).tolist()",
                "example = order[(step - 1) % m]",
            ]
        else:
            body.append("example = (step - 1) % m + 1  # cyclic: examples 1, 2, ..., m, 1, 2, ...")
        body += ["input = inputs[example - 1]", "goal = goals[example - 1]"]
    body += ["old_weight = weight  # the weight before the step, for the trace and the stall rule", ""]

    if many:
        terms = [f"weight[{i}] * input[{i}]" for i in range(n)]
        prediction = _sum_lines("prediction = ", terms, indent=4 + (4 if batch else 0))
    else:
        prediction = ["prediction = weight * input"]
    if batch:
        body += ["# A batch step learns from every example at once: the mean of their updates."]
        body += ["deltas = []", "for input, goal in zip(inputs, goals):"]
        body += ["    " + line for line in prediction]
        body += ["    delta = prediction - goal", "    deltas.append(delta)",
                 "mse = add_up([square(delta) for delta in deltas]) / m  # the mean of delta ** 2"]
        if many:
            body += ["weighted_delta = [add_up([deltas[e] * inputs[e][i] for e in range(m)]) / m",
                     "                  for i in range(n)]"]
        else:
            body.append("weighted_delta = add_up([delta * input for delta, input in zip(deltas, inputs)]) / m")
    else:
        body += prediction
        body += ["delta = prediction - goal",
                 "mse = square(delta)  # delta ** 2",
                 "weighted_delta = [delta * input[i] for i in range(n)]" if many
                 else "weighted_delta = delta * input"]
    if many:
        body.append("alpha_delta = [alpha * weighted_delta[i] for i in range(n)]")
        if frozen:
            body.append("weight = [weight[i] if frozen[i] else weight[i] - alpha_delta[i] "
                        "for i in range(n)]")
        else:
            body.append("weight = [weight[i] - alpha_delta[i] for i in range(n)]")
    else:
        body.append("alpha_delta = alpha * weighted_delta")
        if frozen:
            body += ["if not frozen:  # a frozen weight keeps its value",
                     "    weight = weight - alpha_delta"]
        else:
            body.append("weight = weight - alpha_delta")
    body.append("")

    star = "*" if many else ""
    if batch:
        blanks = "*[None] * n" if many else "None"
        body.append("# A batch step has no one input, goal, prediction or delta: empty cells.")
        row = (f"step, 0, {blanks}, None, alpha, {star}old_weight, None, None, mse, "
               f"{star}weighted_delta, {star}alpha_delta, {star}weight")
        values = f"mse, {star}weighted_delta, {star}alpha_delta, {star}weight"
    else:
        row = (f"step, {example}, {star}input, goal, alpha, {star}old_weight, prediction, delta, mse, "
               f"{star}weighted_delta, {star}alpha_delta, {star}weight")
        values = f"prediction, delta, mse, {star}weighted_delta, {star}alpha_delta, {star}weight"
    body += _wrap_call("trace.append([", row, "])")
    body += [
        "",
        "# The stop rules, checked after every step in this order:",
        "# 1. diverged: a value of this step grew too large for a float (inf) or is nan.",
        "#    The step stays in the trace.",
    ]
    body += _wrap_call("values = [", values, "]")
    body.append("if not all(math.isfinite(value) for value in values):")
    body += ['    outcome = "diverged"', "    break"]
    if window == 1:
        what = "the mse (the mean over all examples)" if batch and m > 1 else "the mse"
        body += [
            *comment_lines(f"2. converged: {what} is exactly 0, or below the tolerance.", "    "),
            "if mse == 0.0 or (tolerance > 0 and mse < tolerance):",
            '    outcome = "converged"',
            "    break",
            "# 3. stalled: no weight changed: the update is too small to move the stored number.",
            "if stop_on_stall and weight == old_weight:",
            '    outcome = "stalled"',
            "    break",
        ]
    else:
        body += [
            "# 2. converged: over the last m steps (one pass over the examples) the mse is",
            "#    exactly 0 every time, or its mean is below the tolerance (math.fsum adds",
            "#    without rounding, as the app does).",
            "last_mse.append(mse)",
            "if len(last_mse) == m:",
            "    mean_mse = math.fsum(last_mse) / m",
            "    if max(last_mse) == 0.0 or (tolerance > 0 and mean_mse < tolerance):",
            '        outcome = "converged"',
            "        break",
            "# 3. stalled: no weight changed during the last m steps: the updates are too small",
            "#    to move the stored numbers.",
            "last_moved.append(weight != old_weight)",
            "if stop_on_stall and len(last_moved) == m and not any(last_moved):",
            '    outcome = "stalled"',
            "    break",
        ]
    body.append("# 4. max_steps: the loop ends by itself after max_steps steps.")
    lines += [("    " + line) if line else "" for line in body]
    return lines


def _sum_lines(start: str, terms: list[str], indent: int) -> list[str]:
    """``start + terms[0] + terms[1] + ...`` on one line, or wrapped in parentheses."""
    one = start + " + ".join(terms)
    if indent + len(one) <= WIDTH:
        return [one]
    lines = [start + "("]
    line = ""
    for term in terms:
        piece = term if not line else f"{line} + {term}"
        if line and indent + 4 + len(piece) > WIDTH:
            lines.append(f"    {line}")
            line = f"+ {term}"
        else:
            line = piece
    lines.append(f"    {line}")
    lines.append(")")
    return lines


def _wrap_call(start: str, middle: str, end: str) -> list[str]:
    """``start + middle + end`` on one line, or wrapped after commas (at 4 + 4 indent)."""
    one = start + middle + end
    if 4 + len(one) <= WIDTH:
        return [one]
    words = middle.split(", ")
    lines, line = [], start
    for i, word in enumerate(words):
        piece = word + ("," if i < len(words) - 1 else end)
        if len(line) + 1 + len(piece) + 4 > WIDTH and line.strip() and line != start:
            lines.append(line.rstrip())
            line = " " * len(start) + piece
        else:
            line = line + ("" if line == start or line.endswith(" ") else " ") + piece
    lines.append(line)
    return lines
