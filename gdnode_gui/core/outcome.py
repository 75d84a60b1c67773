"""How a run ended, in plain words: the one-line summary and the status-bar sentence.

:func:`summary` is the command line's last line and the window's finished message; it
starts with the outcome word (DESIGN §3) and explains it with the run's own numbers::

    stalled after step 318: weight_1 stays at 0.5999999999999994: the update alpha_delta
    (5.55e-17) is exactly half the gap between neighbouring floats near 0.6 (1.11e-16);
    such a tie rounds to the float whose last bit is even, which is the weight itself

:func:`describe` is the short form for a status bar, in plain words only (no code word
such as ``max_steps``): ``stopped at the step limit (325 steps): the mse is 3.08e-31``;
``stalled after step 174: the weight no longer changes, but example 1 (house 0) still
has mse 0.04``.  Both fall back on the same sentence per outcome
(:data:`OUTCOME_SENTENCES`), so the wording lives in one place.  The summary is ASCII
(a terminal may not show "−"); numbers come from :mod:`gdnode_gui.core.number_text`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .analysis import analyse, float_stall_explanation, learning_weights
from .lesson import stuck_examples
from .number_text import MINUS, full, short

if TYPE_CHECKING:
    from .run import Run

#: One short plain sentence per outcome word (no numbers), for a status bar or a legend.
OUTCOME_SENTENCES = {
    "diverged": "the numbers grew too large for the computer to store (inf or nan)",
    "converged": "the mse fell below the tolerance (or to exactly 0)",
    "stalled": "the weights no longer change: each update is too small to move the stored number",
    "max_steps": "the run reached its step limit",
    "stopped": "the run was stopped before it ended",
}

#: More weights than this are summed up as "and N more" in a summary.
_LISTED_WEIGHTS = 3


def _short(value: float) -> str:
    """A number for a sentence: 3 significant digits, 0 as 0, inf and nan as words."""
    return short(value, 3)


def _ascii(text: str) -> str:
    """The summary is ASCII: the real minus sign of a sentence becomes '-'."""
    return text.replace(MINUS, "-")


def _head(outcome: str, run: Run | None) -> str:
    """``stalled after step 318``: the outcome word and where the run ended."""
    if run is None:
        return outcome
    n = run.n_steps
    if outcome == "diverged":
        return f"diverged at step {n:,}"
    return f"{outcome} after step {n:,}"


def _status_head(outcome: str, run: Run | None) -> str:
    """``stalled after step 318``, ``stopped at the step limit (325 steps)``: plain words."""
    if outcome == "max_steps":
        return "stopped at the step limit" + ("" if run is None else f" ({run.n_steps:,} steps)")
    return _head(outcome, run)


def describe(outcome: str, run: Run | None = None) -> str:
    """A short plain sentence for ``outcome``, e.g. for the window's status bar.

    ``stalled after step 318: the weights no longer change: ...``; without a run just
    ``stalled: ...``.  ``max_steps`` reads ``stopped at the step limit (325 steps)``; a
    stall that leaves an example no step can improve says so with its mse.
    """
    if outcome not in OUTCOME_SENTENCES:
        raise ValueError(f"not an outcome word: {outcome!r} (known: {', '.join(OUTCOME_SENTENCES)})")
    head = _status_head(outcome, run)
    if run is None or run.n_steps == 0:
        return f"{head}: {OUTCOME_SENTENCES[outcome]}" if outcome != "max_steps" else head
    if outcome == "max_steps":
        return f"{head}: the mse of the last step is {_short(float(run.trace.mse[-1]))}"
    if outcome == "stalled":
        stuck = _stuck_words(run)
        if stuck:
            weights = "weight no longer changes" if len(learning_weights(run.setup)) == 1 \
                else "weights no longer change"
            return f"{head}: the {weights}, but {stuck}"
    return f"{head}: {OUTCOME_SENTENCES[outcome]}"


def _stuck_words(run: Run) -> str:
    """``example 1 (house 0) still has mse 0.04``, for the first example no step can improve."""
    stuck = stuck_examples(run.setup)
    if not stuck:
        return ""
    e, mse = stuck[0]
    setup = run.setup
    if setup.n_inputs == 1:
        name = setup.input_names[0] if setup.input_names else "input"
        which = f"example {e} ({name} {_short(setup.examples[e - 1].inputs[0])})"
    else:
        which = f"example {e} (its inputs are 0)"
    more = f" and {len(stuck) - 1} more" if len(stuck) > 1 else ""
    return f"{which}{more} still has mse {_short(mse)}, which no step can change"


def summary(run: Run) -> str:
    """The one-line summary of a finished run: the outcome word, then why, with the numbers.

    A run not finished yet gives ``running: N steps so far``.
    """
    outcome = run.outcome
    if outcome is None:
        return f"running: {run.n_steps:,} steps so far"
    if run.n_steps == 0:  # stopped before the first step
        return describe(outcome, run)
    detail = {
        "diverged": _diverged,
        "converged": _converged,
        "stalled": _stalled,
        "max_steps": _max_steps,
        "stopped": _stopped,
    }[outcome](run)
    return f"{_head(outcome, run)}: {detail or OUTCOME_SENTENCES[outcome]}"


# -- one explanation per outcome ------------------------------------------------------------------
def _last_mse(run: Run) -> str:
    setup = run.setup
    mse = float(run.trace.mse[-1])
    if setup.order == "batch" and setup.n_examples > 1:
        return f"the mean mse of the last step is {full(mse)}"
    return f"the mse of the last step is {full(mse)}"


def _epoch_words(run: Run) -> str:
    setup = run.setup
    if setup.order == "batch":
        return "the mse of the last step (the mean over all examples)" if setup.n_examples > 1 \
            else "the mse of the last step"
    if setup.n_examples == 1:
        return "the mse of the last step"
    return f"the mean mse of the last {setup.n_examples:,} steps (one pass over the examples)"


def _converged(run: Run) -> str:
    setup = run.setup
    trace = run.trace
    window = setup.epoch
    mean = math.fsum(trace.mse[-window:].tolist()) / window
    what = _epoch_words(run)
    if mean == 0:
        return f"{what} is exactly 0: the prediction hits the goal"
    return f"{what} is {full(mean)}, below the tolerance {full(setup.tolerance)}"


def _stalled(run: Run) -> str:
    setup = run.setup
    trace = run.trace
    learning = learning_weights(setup)
    if not learning:
        return "every weight is frozen, so nothing can change"
    if setup.alpha == 0:
        return "alpha is 0, so every update is 0 and no weight moves"
    row = trace.row(run.n_steps)
    parts = []
    for i in learning[:_LISTED_WEIGHTS]:
        name = f"weight_{i + 1}"
        weight = row[name]
        alpha_delta = row[f"alpha_delta_{i + 1}"]
        sentence = float_stall_explanation(weight, alpha_delta)
        if sentence is None:  # the update is exactly 0 (its input is 0)
            parts.append(f"{name} stays at {full(weight)}: its update alpha_delta is 0")
        elif sentence.startswith("The weight "):
            parts.append(f"{name} {sentence[len('The weight '):].rstrip('.')}")
        else:
            parts.append(f"{name}: {sentence.rstrip('.')}")
    more = len(learning) - _LISTED_WEIGHTS
    if more > 0:
        parts.append(f"and {more} more weight{'s' if more > 1 else ''} the same way")
    text = "; ".join(parts)
    if setup.epoch > 1:
        text += f" (no weight changed during the last {setup.epoch:,} steps, one pass over the examples)"
    stuck = _stuck_words(run)
    if stuck:
        text += f"; {stuck}"
    return _ascii(text)


def _diverged(run: Run) -> str:
    setup = run.setup
    row = run.trace.row(run.n_steps)
    per_example = ("goal", "prediction", "delta")  # empty (nan) in batch order, like input_i

    def blank(name: str) -> bool:
        return setup.order == "batch" and (name in per_example or name.startswith("input_"))

    bad = [name for name, value in row.items()
           if name not in ("step", "example") and not blank(name) and not math.isfinite(value)]
    if any(math.isinf(row[name]) for name in bad):
        became = "overflowed to inf"
    else:
        became = "became nan (not a number)"
    listed = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
    text = f"the values grew too large for a float: {listed} {became}"
    try:
        analysis = analyse(setup)
    except (ArithmeticError, ValueError):  # the closed form cannot be worked out
        return text
    top = analysis.max_stable_alpha
    if 0 < top < setup.alpha:
        if setup.order == "batch" and setup.n_examples > 1:
            rule = "2 / (the largest eigenvalue of X^T X / m)"
        elif setup.n_examples == 1:
            rule = "2 / sum(input**2)"
        else:
            rule = "2 / sum(input**2) of the example with the largest inputs"
        text += (f"; alpha {full(setup.alpha)} is above the largest stable alpha "
                 f"{rule} = {_short(top)}")
    return text


def _max_steps(run: Run) -> str:
    return f"stopped at the step limit ({run.n_steps:,} steps); {_last_mse(run)}"


def _stopped(run: Run) -> str:
    reason = getattr(run, "stop_reason", None) or OUTCOME_SENTENCES["stopped"]
    if run.n_steps == 0:
        return reason
    return f"{reason}; {_last_mse(run)}"


__all__ = ["OUTCOME_SENTENCES", "describe", "summary"]
