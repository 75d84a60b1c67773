"""The run as a Jupyter notebook: :func:`notebook_json`.

An nbformat-4 notebook (written as JSON by hand: nbformat itself is not needed to make
one) whose markdown cells explain the setup, the stop rules and each line of the node
in plain words and state the run's lesson, and whose code cells, run top to bottom in a
fresh kernel, run the node and write ``trace.csv`` beside the notebook: the same bytes
as ``gdnode-trace --csv -``.  Then they show the first ten rows and the last one, and,
when matplotlib is installed, plot the weights and the mse.  No IPython magics: every
cell is plain Python.

The lesson reuses the app's own sentences: :func:`gdnode_gui.core.outcome.summary`
(how this run ended, with its numbers) and
:attr:`gdnode_gui.core.analysis.Analysis.regime_sentence` (what the closed form says).
"""

from __future__ import annotations

import json
import re

from ... import __version__
from ..analysis import analyse
from ..outcome import OUTCOME_SENTENCES, summary
from ..run import Run, run_to_end
from ..setup import Setup
from .pieces import Pieces, clean, header_lines, pieces

#: nbformat 4.5: cells carry an ``id``.
NBFORMAT, NBFORMAT_MINOR = 4, 5

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")

SHOW_ROWS = '''\
# The first ten steps and the last one, read back from trace.csv.
with open("trace.csv", encoding="ascii") as file:
    rows = [line.split(",") for line in file.read().splitlines()]
shown = rows[:11]  # the header and the first ten steps
if len(rows) > 12:
    shown.append(["..."])
if len(rows) > 11:
    shown.append(rows[-1])  # the last step
widths = [max(len(row[i]) for row in shown if i < len(row)) for i in range(len(rows[0]))]
for row in shown:
    print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))'''

PLOT = '''\
try:
    import matplotlib.pyplot as plt
except ImportError:
    print("No plot: matplotlib is not installed (pip install matplotlib to see one).")
else:
    column = {name: i for i, name in enumerate(header.split(","))}
    steps = [row[0] for row in trace]
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    for name in column:
        if name.startswith("new_weight_"):
            top.plot(steps, [row[column[name]] for row in trace], label=name)
    top.set_ylabel("weight after the step")
    top.legend()
    bottom.plot(steps, [row[column["mse"]] for row in trace])
    bottom.set_yscale("log")  # an mse of exactly 0 is left out on a log scale
    bottom.set_ylabel("mse")
    bottom.set_xlabel("step")
    plt.show()'''


def markdown_text(text: str) -> str:
    """User or app text for a markdown cell: one paragraph, markdown characters escaped
    (a setup's name or description can never turn into links, HTML or headings)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))


def _source(text: str) -> list[str]:
    """A cell's source as nbformat stores it: lines, each but the last ending in '\\n'."""
    return text.splitlines(keepends=True)


def _cell(kind: str, number: int, text: str) -> dict:
    cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {}, "source": _source(text)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _finished_run(setup: Setup, run: Run | None) -> Run:
    """``run`` when it is a finished run of ``setup`` (not stopped by the user, since the
    notebook always runs to the end); otherwise a new run to the end."""
    if run is not None and run.outcome not in (None, "stopped") and run.setup == setup:
        return run
    return run_to_end(setup)


def notebook_json(setup: Setup, run: Run | None = None) -> str:
    """A Jupyter notebook (nbformat 4 JSON text) that explains and runs ``setup``.

    Parameters
    ----------
    setup : Setup
        The setup to run.
    run : Run, optional
        A finished run of ``setup`` for the lesson's sentences (saves running it again);
        without it, or when it is unfinished or stopped, the setup is run to the end here.

    Returns
    -------
    str
        The notebook's JSON text (UTF-8 when written), ending with a newline.
    """
    code = pieces(setup)
    run = _finished_run(setup, run)
    texts = [
        ("markdown", _intro(setup, code)),
        ("markdown", _setup_words(setup)),
        ("code", code.imports + "\n\n" + code.setup),
        ("markdown", _rule_words(setup)),
        ("code", code.rules),
        ("markdown", _helper_words(setup)),
        ("code", code.helpers),
        ("markdown", _loop_words(setup)),
        ("code", code.loop + '\n\nprint(f"{outcome} after step {len(trace)}")'),
        ("markdown", _lesson(setup, run)),
        ("markdown", "## The trace as CSV\n\nOne row per step, in the columns of the app's "
                     "export, written to `trace.csv` beside this notebook: the same bytes as "
                     "`gdnode-trace --csv -` and the app's File > Export trace as CSV."),
        ("code", _write_csv(code)),
        ("code", SHOW_ROWS),
        ("markdown", "## A picture\n\nThe weights and the mse, step by step, when matplotlib "
                     "is installed (the notebook runs without it)."),
        ("code", PLOT),
    ]
    notebook = {
        "cells": [_cell(kind, i, text) for i, (kind, text) in enumerate(texts, start=1)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


# -- the markdown cells ---------------------------------------------------------------------------
def _intro(setup: Setup, code: Pieces) -> str:
    title = markdown_text(setup.name) or "One gradient-descent node"
    parts = [f"# {title}"]
    if setup.description:
        parts.append(markdown_text(setup.description))
    needs = "numpy (for the shuffled order)" if code.uses_numpy else "nothing but Python"
    parts.append(
        "One gradient-descent node learning step by step, as in the article *Gradient Descent "
        "Nodes*, with the real numbers. Run the cells from top to bottom: the last ones write "
        "every step to `trace.csv` beside this notebook, the same bytes as `gdnode-trace --csv -` "
        f"for this setup. It needs {needs}. "
        f"Written by gdnode-trace --export-notebook (gdnode-gui {__version__})."
    )
    return "\n\n".join(parts)


def _setup_words(setup: Setup) -> str:
    n, m = setup.n_inputs, setup.n_examples
    names = ", ".join(markdown_text(setup.input_name(i)) for i in range(n))
    lines = ["## The setup", ""]
    if n == 1:
        lines.append(f"- `weight`: the starting weight, the relative importance of the input ({names}).")
    else:
        lines.append(f"- `weight`: the starting weights, one per input ({names}); `n` is how many.")
    if any(setup.frozen):
        lines.append("- `frozen`: a frozen weight keeps its starting value whatever the error says.")
    if m == 1 and setup.order != "batch":
        lines.append("- `input`: the input value" + ("s" if n > 1 else "") + " of the example.")
        lines.append("- `goal`: the value the node should predict.")
    else:
        lines.append(f"- `inputs` and `goals`: the {m:,} example{'s' if m > 1 else ''}, "
                     "the inputs and the value the node should predict for each; `m` is how many.")
    lines.append("- `alpha`: the learning rate, the brake: each step moves the weights by only "
                 "this part of the correction.")
    if setup.order == "shuffled" and m > 1:
        lines.append("- `seed`: the random seed of the shuffled order; the same seed gives the "
                     "same order as the app.")
    return "\n".join(lines)


def _rule_words(setup: Setup) -> str:
    window = 1 if setup.order == "batch" else setup.n_examples
    if window > 1:
        over = (f" Here a pass over the examples is {window:,} steps, so the mse and the weights "
                "are judged over the last pass.")
    else:
        over = ""
    return "\n".join([
        "## When the run stops",
        "",
        "After every step the loop checks these rules, in this order, and the first that holds "
        f"ends the run with its word.{over}",
        "",
        f"1. `diverged`: {OUTCOME_SENTENCES['diverged']}.",
        f"2. `converged`: {OUTCOME_SENTENCES['converged']}.",
        f"3. `stalled` (when `stop_on_stall` is on): {OUTCOME_SENTENCES['stalled']}.",
        f"4. `max_steps`: {OUTCOME_SENTENCES['max_steps']}.",
    ])


def _helper_words(setup: Setup) -> str:
    lines = [
        "## Helpers",
        "",
        "`square(delta)` is `delta ** 2`, except that it gives `inf` (infinity) where Python "
        "would stop with OverflowError: the article's loop crashes when the numbers grow too "
        "large; here the run ends `diverged` instead.",
    ]
    if setup.order == "batch":
        lines += ["", "`add_up(values)` adds the values left to right, the way the app does, so "
                      "that every digit matches."]
    return "\n".join(lines)


def _loop_words(setup: Setup) -> str:
    n, m = setup.n_inputs, setup.n_examples
    batch = setup.order == "batch"
    many = n > 1
    lines = ["## The node, step by step", ""]
    if batch:
        lines += ["In batch order one step learns from every example at once: it works out "
                  "`prediction` and `delta` for each example, then uses their means.", ""]
    elif m > 1:
        how = ("in turn: 1, 2, ..., then again from the first" if setup.order == "cyclic"
               else "in a fresh random order each pass, from `numpy.random.default_rng(seed)` "
                    "as in the app")
        lines += [f"Each step takes one example, {how}.", ""]
    lines.append("The six lines of the article, in its order:")
    lines.append("")
    if many:
        lines.append("- `prediction = weight[0] * input[0] + ...`: the node's guess: each input "
                     "times its own weight, added up.")
    else:
        lines.append("- `prediction = weight * input`: the node's guess: the input times its weight.")
    lines.append("- `delta = prediction - goal`: how far the guess missed: positive when it is "
                 "too high, negative when it is too low.")
    if batch:
        lines.append("- `mse`: the mean of the squared deltas (`delta ** 2`): never negative, and a "
                     "big miss counts much more than a small one.")
        lines.append("- `weighted_delta`: the mean over the examples of `delta * input`: how much "
                     "each weight is to blame, and which way.")
    else:
        lines.append("- `mse = square(delta)`: the squared error, `delta ** 2`: never negative, and a "
                     "big miss counts much more than a small one.")
        lines.append("- `weighted_delta = delta * input`: the miss scaled by the input: how much "
                     + ("each weight" if many else "the weight") + " is to blame, and which way. An "
                     "input of 0 gives 0: that weight cannot learn from the example.")
    lines.append("- `alpha_delta = alpha * weighted_delta`: the brake: only the part alpha of it.")
    lines.append("- `weight = weight - alpha_delta`: the correction: "
                 + ("each weight" if many else "the weight") + " moves against the miss"
                 + (" (a frozen weight keeps its value)" if any(setup.frozen) else "")
                 + ", and the next step starts from there.")
    lines += ["", "Each step is kept in `trace`, one row of the CSV, before the stop rules decide "
                  "whether to go on."]
    return "\n".join(lines)


def _lesson(setup: Setup, run: Run) -> str:
    lines = ["## What this run shows", ""]
    try:
        lines += [f"Worked out from the setup alone: {markdown_text(analyse(setup).regime_sentence)}", ""]
    except (ArithmeticError, ValueError):  # no closed form for this setup
        pass
    text = markdown_text(summary(run))
    word = run.outcome
    if text.startswith(word):
        text = f"**{word}**{text[len(word):]}"
    lines.append(f"How this run ends: {text}.")
    return "\n".join(lines)


def _write_csv(code: Pieces) -> str:
    return "\n".join([
        *header_lines(code.header),
        "",
        "",
        code.csv_line,
        "",
        "",
        '# newline="\\n": every line ends with \\n on every system, as in the app\'s CSV.',
        'with open("trace.csv", "w", encoding="ascii", newline="\\n") as out:',
        '    out.write(header + "\\n")',
        "    for row in trace:",
        "        out.write(csv_line(row))",
        'print(f"trace.csv: the header and {len(trace)} steps")',
    ])
