"""The lesson of a run: one plain line, with the run's own numbers, once it ends.

:func:`lesson` is what the node panel's ``lessonLabel`` shows under the equations when a
run has ended.  It fits one line at 2x zoom (at most :data:`MAX_LENGTH` characters) and
says what the run teaches, not what the program did::

    seed          Stuck at 0.5999999999999994, not 0.6: each update (5.55e−17) is no larger
                  than half the float gap (1.11e−16).
    three pigs    Example 1 (house 0): weighted_delta = delta × 0 = 0, so its mse 0.04 can
                  never shrink.

The lessons are chosen from the setup, the trace and the outcome, never from a preset's
name, so any setup gets one: the float stall, an example that cannot learn, the death
spiral (``|r| > 1``), overshooting that settles (``−1 < r < 0``), the one-step alpha
(``r = 0``), a frozen weight, several inputs sharing one delta, one example per step
(the mean mse over a pass), batch order, bouncing, and a fallback per outcome.

Also here: :func:`stuck_examples` (examples whose inputs of the learning weights are all
0: no step can change their error) and :func:`stall_sentence` (the float stall in one
short sentence).  Numbers are written with :mod:`gdnode_gui.core.number_text`: a real
minus sign, 3 significant digits, every digit where a rounded one would read as another.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from .analysis import Analysis, analyse, learning_weights
from .number_text import distinct, full, maths, short
from .setup import Setup

if TYPE_CHECKING:
    from .trace import Trace

#: A lesson fits one line at 2x zoom in the node panel.
MAX_LENGTH = 110
#: Significant digits of a number in a lesson.
DIGITS = 3
#: How each order takes the examples, in plain words.
ORDER_WORDS = {
    "cyclic": "one example per step, in turn",
    "shuffled": "one example per step, in a new random order every pass",
    "batch": "all the examples in every step, averaged",
}


def _n(value: float) -> str:
    return maths(short(value, DIGITS))


def _steps(n: int) -> str:
    return f"{n:,} step" + ("" if n == 1 else "s")


# -- examples that cannot learn -----------------------------------------------------------------
def stuck_examples(setup: Setup) -> list[tuple[int, float]]:
    """Examples no step can improve: their inputs of the learning weights are all 0.

    Such an example's weighted_delta is ``delta × 0 = 0`` for every learning weight, so a
    step on it moves nothing, and no other step changes its prediction either.

    Returns
    -------
    list of (int, float)
        The 1-based example number and its mse (the node's arithmetic, at the starting
        weights; it never changes), for the examples whose mse is not 0.
    """
    learning = learning_weights(setup)
    if not learning:
        return []
    stuck = []
    for e, example in enumerate(setup.examples, start=1):
        x = example.inputs
        if any(x[i] != 0 for i in learning):
            continue
        prediction = setup.weights[0] * x[0]
        for i in range(1, len(x)):
            prediction = prediction + setup.weights[i] * x[i]
        delta = prediction - example.goal
        mse = delta * delta
        if mse != 0:
            stuck.append((e, mse))
    return stuck


def _example_name(setup: Setup, e: int) -> str:
    """``example 1 (house 0)``: the number and, with one named input, its value."""
    example = setup.examples[e - 1]
    if setup.n_inputs == 1:
        name = setup.input_names[0] if setup.input_names else "input"
        return f"example {e} ({name} {_n(example.inputs[0])})"
    return f"example {e}"


# -- the float stall ----------------------------------------------------------------------------
def stall_sentence(weight: float, alpha_delta: float, goal_weight: float | None = None) -> str | None:
    """The float stall in one short sentence, or None when the weight is not stuck.

    ``Stuck at 0.5999999999999994, not 0.6: each update (5.55e−17) is no larger than half
    the float gap (1.11e−16).``  "No larger than" is the truth for both cases: smaller
    than half the gap rounds back, and exactly half (the seed) is a tie that rounds to the
    float whose last bit is even -- the weight itself.

    Parameters
    ----------
    weight, alpha_delta : float
        The weight and its update in the last step.
    goal_weight : float, optional
        The weight that would fit exactly (one example: goal ÷ input), shown after "not".
    """
    weight, alpha_delta = float(weight), float(alpha_delta)
    if not (math.isfinite(weight) and math.isfinite(alpha_delta)) or alpha_delta == 0:
        return None
    if weight - alpha_delta != weight:
        return None
    gap = abs(math.nextafter(weight, -math.inf if alpha_delta > 0 else math.inf) - weight)
    if goal_weight is not None and math.isfinite(goal_weight) and goal_weight != weight:
        shown, aim = distinct([weight, goal_weight])
        where = f"Stuck at {maths(shown)}, not {maths(aim)}"
    else:
        where = f"Stuck at {maths(full(weight))}"
    return (f"{where}: each update ({_n(abs(alpha_delta))}) is no larger than half the float "
            f"gap ({_n(gap)}).")


# -- the lesson ---------------------------------------------------------------------------------
def lesson(run) -> str:
    """The lesson of a finished run in one line (at most :data:`MAX_LENGTH` characters).

    Parameters
    ----------
    run : Run or Frame
        Anything with ``trace`` (whose ``setup`` is the run's setup) and ``outcome``.

    Returns
    -------
    str
        The lesson; ``""`` while the run has not ended or has no step.
    """
    return lesson_of(run.trace.setup, run.trace, run.outcome)


def lesson_of(setup: Setup, trace: Trace, outcome: str | None) -> str:
    """:func:`lesson` from its parts: the run's setup, its trace and its outcome word."""
    if outcome is None or trace.n_steps == 0:
        return ""
    for candidate in _candidates(setup, trace, outcome):
        if candidate and len(candidate) <= MAX_LENGTH:
            return candidate
    return _fallback(outcome, trace.n_steps)


def _fallback(outcome: str, n: int) -> str:
    return {
        "diverged": f"The error grew until the numbers overflowed at step {n:,}: alpha is too large.",
        "converged": f"The prediction reached the goal after {_steps(n)}.",
        "stalled": "The weights stopped moving: each update is too small to change a stored number.",
        "max_steps": f"The run used all {_steps(n)} it was allowed before it could settle.",
        "stopped": f"Stopped after {_steps(n)}, before the run could end on its own.",
    }.get(outcome, "")


def _analysis(setup: Setup) -> Analysis | None:
    try:
        return analyse(setup)
    except (ArithmeticError, ValueError):
        return None


def _candidates(setup: Setup, trace: Trace, outcome: str):
    """Lessons from the most specific to the most general; the first that fits wins."""
    a = _analysis(setup)
    n = trace.n_steps
    learning = learning_weights(setup)
    m = setup.n_examples
    if not learning or setup.alpha == 0 or (a is not None and a.regime == "not learning"):
        yield _nothing_learns(setup, learning)
    stuck = stuck_examples(setup)
    if stuck and outcome != "diverged":
        yield from _stuck(setup, stuck, m)
    # A diverging alpha is the lesson however the run ended (also cut short by its step limit
    # or by the user before the overflow).
    if outcome == "diverged" or (a is not None and a.regime == "diverging"):
        yield from _spiral(setup, a, n, outcome == "diverged")
    stalled = _stalled_weight(setup, trace, learning)
    if stalled is not None and outcome in ("stalled", "max_steps", "stopped"):
        yield stalled
    if a is not None and outcome != "diverged":
        yield from _regime(setup, trace, a, outcome, n)
    yield _fallback(outcome, n)


def _nothing_learns(setup: Setup, learning: Sequence[int]) -> str:
    if not learning:
        return "Every weight is frozen, so nothing can learn: the error stays where it started."
    if setup.alpha == 0:
        return "Alpha is 0, so every correction is 0 × weighted_delta = 0: nothing can learn."
    return "Every input of a learning weight is 0, so every weighted_delta is 0: nothing can learn."


def _stuck(setup: Setup, stuck: list[tuple[int, float]], m: int):
    e, mse = stuck[0]
    name = _example_name(setup, e)
    zero = "0" if len(learning_weights(setup)) == 1 else "0s"
    more = f" (and {len(stuck) - 1} more)" if len(stuck) > 1 else ""
    text = f"{name}{more}: weighted_delta = delta × {zero} = 0, so its mse {_n(mse)} can never shrink."
    yield text[0].upper() + text[1:]
    yield f"Example {e} has inputs of 0: its mse {_n(mse)} can never shrink, whatever the weights."


def _spiral(setup: Setup, a: Analysis | None, n: int, overflowed: bool = True):
    if a is None or not math.isfinite(a.r):
        return
    alpha, top = _n(setup.alpha), _n(a.max_stable_alpha)
    if not overflowed:
        yield from _spiral_under_way(setup, a, alpha, top)
        return
    one_way = setup.n_examples == 1 or setup.order == "batch"
    if one_way and a.regime == "diverging" and a.r < -1:
        grow = _n(abs(a.r))
        yield (f"Alpha {alpha} is too big (over {top}): each miss is {grow} times the last, on the "
               f"other side, until overflow.")
        yield f"Alpha {alpha} is above {top}: each miss is {grow} times the one before, until overflow."
    if setup.order != "batch" and setup.n_examples > 1:
        yield (f"Alpha {alpha} is too big for the example with the largest inputs (keep it below "
               f"{top}): the error exploded.")
    yield f"Alpha {alpha} is too big (keep it below {top}): the error grew every step until overflow."


def _spiral_under_way(setup: Setup, a: Analysis, alpha: str, top: str):
    """A death spiral cut short (step limit, Stop) before the numbers overflowed."""
    if (setup.n_examples == 1 or setup.order == "batch") and a.r < -1:
        yield (f"Alpha {alpha} is too big (over {top}): each miss is {_n(abs(a.r))} times the last, "
               f"on the other side; more steps would overflow.")
    yield f"Alpha {alpha} is too big (keep it below {top}): the error grows; more steps would overflow."


def _goal_weight(setup: Setup, learning: Sequence[int]) -> float | None:
    """One example, one learning weight: the weight that fits it exactly, in floats."""
    if setup.n_examples != 1 or len(learning) != 1:
        return None
    example = setup.examples[0]
    i = learning[0]
    if example.inputs[i] == 0:
        return None
    rest = 0.0
    for j, x in enumerate(example.inputs):
        if j != i:
            rest += setup.weights[j] * x
    return (example.goal - rest) / example.inputs[i]


def _stalled_weight(setup: Setup, trace: Trace, learning: Sequence[int]) -> str | None:
    """The float stall of the last step, if every learning weight of it stayed put."""
    row = trace.row(trace.n_steps)
    moved = [i for i in learning if row[f"new_weight_{i + 1}"] != row[f"weight_{i + 1}"]]
    if moved or not learning:
        return None
    for i in learning:
        sentence = stall_sentence(row[f"weight_{i + 1}"], row[f"alpha_delta_{i + 1}"],
                                  _goal_weight(setup, learning))
        if sentence is not None:
            if len(learning) > 1:
                return ("The weights stopped moving: each update is no larger than half the gap "
                        "between neighbouring floats.")
            return sentence
    return None


def _last_pass_mse(trace: Trace, window: int) -> float:
    values = trace.mse[-window:].tolist()
    return math.fsum(values) / len(values)


def _regime(setup: Setup, trace: Trace, a: Analysis, outcome: str, n: int):
    m = setup.n_examples
    learning = learning_weights(setup)
    reached = {
        "converged": f"after {_steps(n)}",
        "stalled": f"after {_steps(n)}",
    }.get(outcome)
    if a.regime == "bouncing":
        yield ("r = −1: each step flips delta and keeps its size, so the weight bounces across the "
               "goal forever.")
    if m > 1:
        yield from _data_set(setup, trace, a, outcome, n)
        return
    frozen = [i for i, flag in enumerate(setup.frozen) if flag]
    if frozen and outcome == "converged":
        names = _weight_names(setup, frozen)
        kept = "kept its start value" if len(frozen) == 1 else "kept their start values"
        yield (f"The frozen {names} {kept}; the others did all the learning and the error still "
               f"reached 0.")
        yield f"Frozen weights never learn; the other weights reached the goal {reached or ''}".rstrip() + "."
    if a.regime == "one step" and outcome == "converged":
        s = _n(a.sum_x_squared) if a.sum_x_squared is not None else "Σx²"
        yield (f"Alpha {_n(setup.alpha)} = 1 ÷ Σx² (1 ÷ {s}) is the perfect alpha: the prediction "
               f"lands on the goal in one step.")
    if a.regime == "oscillating" and outcome == "converged":
        yield (f"Alpha {_n(setup.alpha)} overshoots the goal every step, but each miss is "
               f"{_n(abs(a.r))} times the last, so it settles.")
    if len(learning) > 1 and outcome == "converged":
        big = max(learning, key=lambda i: abs(setup.examples[0].inputs[i]))
        x = setup.examples[0].inputs[big]
        label = _input_label(setup, big)
        yield (f"One delta, shared: each weight moves by alpha × delta × its own input, so {label} "
               f"({_n(x)}) moved most.")
        yield "One delta, shared: each weight moves by alpha × delta × its own input."
    if a.regime == "steady" and outcome == "converged":
        closes = 1 - a.r
        yield (f"Each step closes {_percent(closes)} of the gap to the goal: the error reached "
               f"0 after {_steps(n)}." if trace.mse[-1] == 0 else
               f"Each step closes {_percent(closes)} of the gap to the goal: the mse fell below "
               f"{_n(setup.tolerance)} after {_steps(n)}.")
    if outcome == "max_steps":
        yield (f"The run used all {_steps(n)} it was allowed; the mse is still {_n(float(trace.mse[-1]))}: "
               f"more steps or a larger alpha (below {_n(a.max_stable_alpha)}).")


def _data_set(setup: Setup, trace: Trace, a: Analysis, outcome: str, n: int):
    m = setup.n_examples
    mean = _last_pass_mse(trace, setup.epoch)
    if setup.order == "batch":
        if outcome == "converged":
            below = f"below {_n(setup.tolerance)}" if setup.tolerance else "to 0"
            yield (f"Each step learned from all {m:,} examples at once (their mean): a smooth path, "
                   f"mean mse {below} after {_steps(n)}.")
        if not a.fits_exactly and outcome in ("stalled", "max_steps"):
            yield (f"No weights fit all {m:,} examples: the mean mse stays near {_n(a.min_mse)}, "
                   "the best these inputs allow.")
        yield f"Each step learned from all {m:,} examples at once, averaged: mean mse now {_n(mean)}."
        return
    if outcome == "converged":
        below = f"below {_n(setup.tolerance)}" if setup.tolerance else "to 0"
        yield (f"Each step's mse is one example's; the mean over a pass of {m:,} fell {below} "
               f"at step {n:,}.")
    if not a.fits_exactly and outcome in ("stalled", "max_steps"):
        yield (f"No weights fit all {m:,} examples: each pulls its own way; the mean mse of a pass "
               f"stays near {_n(mean)}.")
    yield (f"{ORDER_WORDS[setup.order].capitalize()}: the mean mse over the last pass "
           f"({m:,} steps) is {_n(mean)}.")


def _percent(share: float) -> str:
    value = 100 * share
    text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    return f"{text}%"


def _input_label(setup: Setup, i: int) -> str:
    if setup.input_names and setup.input_names[i]:
        return f"the {setup.input_names[i]} weight"
    return f"weight_{i + 1}"


def _weight_names(setup: Setup, indices: Sequence[int]) -> str:
    if len(indices) == 1:
        i = indices[0]
        name = setup.input_names[i] if setup.input_names and setup.input_names[i] else ""
        return f"{name} weight" if name else f"weight_{i + 1}"
    return "weights " + ", ".join(f"weight_{i + 1}" for i in indices)


# -- words on controls (issue 13: no number that reads as another) --------------------------------
def value_label(kind: str, i: int, name: str = "") -> str:
    """The label before an input's or a weight's value box.

    ``stick input:`` / ``stick weight:`` with a name, ``input 1:`` / ``weight 1:`` without:
    never "stick (input 1)" right before the value 1, which reads as two numbers.

    Parameters
    ----------
    kind : {"input", "weight"}
    i : int
        0-based index of the input.
    name : str
        The input's name ("" for none).
    """
    if kind not in ("input", "weight"):
        raise ValueError(f"kind must be 'input' or 'weight', not {kind!r}")
    name = name.strip()
    return f"{name} {kind}:" if name else f"{kind} {i + 1}:"


def best_alpha_text(best: float, alpha: float | None = None) -> str:
    """The "use best alpha" button: ``Use best alpha = 1``, a value, not a count.

    With the current ``alpha``, the best one never reads as it when they differ
    (:func:`~gdnode_gui.core.number_text.distinct`).
    """
    if not math.isfinite(best):
        return "Use best alpha"
    text = short(best) if alpha is None else distinct([best, alpha])[0]
    return f"Use best alpha = {maths(text)}"


def setup_line(setup: Setup) -> str:
    """The values the node uses, in one line (shown above the node on a projector, where the
    setup itself is a tab behind it)::

        input 1 · start weight 0.4 · goal 0.6 · alpha 0.1
        3 examples, one per step, in turn · start weights 0.5, 0.5 · alpha 0.1
    """
    def many(values) -> str:
        texts = [maths(full(v)) for v in values]
        return ", ".join(texts[:4]) + (f", … ({len(texts)} in all)" if len(texts) > 4 else "")

    plural = "s" if setup.n_inputs > 1 else ""
    frozen = " (frozen: " + ", ".join(str(i + 1) for i, f in enumerate(setup.frozen) if f) + ")" \
        if any(setup.frozen) else ""
    weights = f"start weight{plural} {many(setup.weights)}{frozen}"
    if setup.n_examples == 1:
        example = setup.examples[0]
        parts = [f"input{plural} {many(example.inputs)}", weights, f"goal {maths(full(example.goal))}"]
    else:
        parts = [f"{setup.n_examples} examples, {ORDER_WORDS[setup.order]}", weights]
    return " · ".join(parts + [f"alpha {maths(full(setup.alpha))}"])


__all__ = ["MAX_LENGTH", "ORDER_WORDS", "best_alpha_text", "lesson", "lesson_of", "setup_line", "stall_sentence",
           "stuck_examples", "value_label"]
