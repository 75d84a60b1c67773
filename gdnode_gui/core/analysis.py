"""Closed-form analysis of a setup, for the teaching panels: :func:`analyse`.

Everything here is worked out from the setup alone, before (or beside) a run, in the
article's words: weight, input, goal, alpha, delta, mse.  The closed form lives in two
modules, and this one puts them together into one :class:`Analysis` with a sentence
for a student:

- :mod:`gdnode_gui.core.one_example`: one example, ``r = 1 - alpha * sum(input**2)``
  and its regime (``steady``, ``one step``, ``oscillating``, ``bouncing``,
  ``diverging``, ``not learning``), the largest stable and the best alpha, and the
  step a run converges at;
- :mod:`gdnode_gui.core.data_set_analysis`: several examples, per example (cyclic,
  shuffled), per pass (the epoch factor) and per eigenvector of ``X^T X / m`` (batch),
  the least-squares weights, and the mean mse as a surface over the weights.

Every public name of both is importable from here as well, as the UI and the tests
import them.

Floating point
--------------
The closed form is exact arithmetic.  A run is in floats: it can stall (an update too
small to move a float, :func:`float_stall_explanation`) before the closed form says
it converges, and :func:`predicted_steps` can be one step off the run near the
tolerance.  Nothing in this module imports Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data_set_analysis import (
    _arrays,
    _fits_exactly,
    _positive,
    batch_eigenvalues,
    epoch_factor,
    least_squares,
    mean_mse,
    mse_surface,
    per_example_r,
    predicted_batch_steps,
)
from .one_example import (
    REGIMES,
    best_alpha,
    factor_r,
    first_delta,
    learning_weights,
    max_stable_alpha,
    predicted_steps,
    regime,
    sum_x_squared,
)
from .number_text import full, maths, short
from .setup import Setup


# -- the analysis --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Analysis:
    """The closed-form analysis of a setup; see :func:`analyse`.

    Attributes
    ----------
    order : str
        The setup's order of the examples.
    n_examples : int
        Number of examples.
    alpha : float
        The learning rate.
    learning : tuple of int
        0-based indices of the weights that learn (not frozen).
    sum_x_squared : float or None
        One example: ``sum(input**2)`` over the learning weights; None for several.
    lambda_max, lambda_min : float or None
        Batch order: the largest and the smallest non-zero eigenvalue of ``X^T X / m``
        (learning columns); None in other orders.
    r : float
        The factor that sets the regime: one example, ``1 - alpha * sum_x_squared``;
        cyclic/shuffled, the worst example's; batch, whichever of ``r_at_lambda_max``
        and ``r_at_lambda_min`` is larger in size.
    r_at_lambda_max, r_at_lambda_min : float or None
        Batch order: ``1 - alpha * lambda`` of the fastest and of the slowest direction.
    per_example_r : tuple of float
        ``1 - alpha * sum(input_e**2)`` of every example on its own.
    worst_example : int
        1-based number of the example with the largest ``|r_e|``.
    epoch_factor : float or None
        See :func:`epoch_factor`.
    regime : str
        One of :data:`REGIMES`, from ``r``.
    regime_sentence : str
        One plain sentence for a student.
    max_stable_alpha : float
        Alpha must stay below this: ``2 / sum_x_squared`` (one example),
        ``2 / lambda_max`` (batch), ``2 / max_e sum(input_e**2)`` (cyclic, shuffled:
        every example stable on its own).
    best_alpha : float
        ``1 / sum_x_squared`` (one example: one step), ``2 / (lambda_max + lambda_min)``
        (batch: the slowest and fastest directions shrink alike),
        ``1 / max_e sum(input_e**2)`` (cyclic, shuffled: a rule of thumb, the example
        with the largest inputs settles in one step).
    delta1 : float
        Delta of the first example at the starting weights.
    initial_mse : float
        Mean mse over the examples at the starting weights.
    tolerance : float
        The tolerance ``predicted_steps`` is for.
    predicted_steps : int or None
        The step at which the run ends ``converged`` in exact arithmetic; None when it
        never does, or (cyclic/shuffled with several examples) when there is no closed
        form.
    will_diverge : bool
        Whether the run will blow up (inf or nan).
    least_squares_weights : tuple of float
        See :func:`least_squares`.
    min_mse : float
        The smallest mean mse reachable; 0.0 when the weights fit every example.
    fits_exactly : bool
        Whether some weights fit every example (``min_mse`` is 0 up to rounding).
    details : str
        The mathematics behind ``regime_sentence`` (``r``, ``Σx²``; in batch order the
        eigenvalues ``λ`` of ``XᵀX ÷ m``), for a "details" disclosure under the plain
        sentence.
    """

    order: str
    n_examples: int
    alpha: float
    learning: tuple[int, ...]
    sum_x_squared: float | None
    lambda_max: float | None
    lambda_min: float | None
    r: float
    r_at_lambda_max: float | None
    r_at_lambda_min: float | None
    per_example_r: tuple[float, ...]
    worst_example: int
    epoch_factor: float | None
    regime: str
    regime_sentence: str
    max_stable_alpha: float
    best_alpha: float
    delta1: float
    initial_mse: float
    tolerance: float
    predicted_steps: int | None
    will_diverge: bool
    least_squares_weights: tuple[float, ...]
    min_mse: float
    fits_exactly: bool
    details: str = ""

    @property
    def worst_r(self) -> float:
        """The per-example factor largest in size (that of ``worst_example``)."""
        return self.per_example_r[self.worst_example - 1]


def _number(value: float) -> str:
    """A short number for a sentence: 3 significant digits, a real minus sign, ``inf``."""
    return maths(short(value, 3))


def _not_learning_reason(setup: Setup, s: float) -> str:
    if setup.alpha == 0:
        return "alpha is 0"
    if not learning_weights(setup):
        return "every weight is frozen"
    if s == 0:
        return "every input of a learning weight is 0"
    return "alpha times the sum of the squared inputs is too small to change a float"


def _single_sentence(kind: str, r: float, reason: str) -> str:
    shown = _number(r)
    if kind == "steady":
        return (f"Each step shrinks delta to {shown} of itself: the weight creeps steadily "
                "towards the goal.")
    if kind == "one step":
        return ("Alpha is just right: the first step takes delta to 0 and the prediction "
                "lands on the goal in one step.")
    if kind == "oscillating":
        return (f"Each step flips the sign of delta and shrinks it to {_number(abs(r))} of its "
                "size: the weight overshoots the goal, back and forth, closer every time.")
    if kind == "bouncing":
        return ("Each step flips the sign of delta and keeps its size: the weight jumps back and "
                "forth across the goal forever, never closer.")
    if kind == "diverging":
        return (f"Each step multiplies delta by {shown}: the weight overshoots further every "
                "time and the run blows up; alpha is too large.")
    return f"Nothing changes, because {reason}: delta stays the same step after step."


def _batch_sentence(kind: str, m: int, r_fast: float, r_slow: float, reason: str) -> str:
    """Batch order in plain words: no eigenvalues, no directions (see :func:`_batch_details`)."""
    every = f"Each step learns from all {m:,} examples at once (the mean of their corrections)"
    if kind == "not learning":
        return f"Nothing changes, because {reason}: the mean mse stays the same step after step."
    if kind == "diverging":
        return (f"{every}, but alpha is too large: each step overshoots further and the run "
                "blows up.")
    if kind == "bouncing":
        return f"{every}: each step jumps across the best weights and back, forever, never closer."
    if kind == "one step":
        return f"{every}: alpha is just right, and one step lands on the best weights."
    slowest = _number(max(abs(r_fast), abs(r_slow)))
    if kind == "oscillating":
        return (f"{every}: each step overshoots the best weights, but by less every time "
                f"(at most {slowest} of the miss before), so the weights zigzag in.")
    if r_fast == r_slow:  # one direction to learn (one weight): one factor
        return (f"{every}: the error shrinks to {slowest} of itself every step, and the weights "
                "slide steadily to the best fit.")
    return (f"{every}: the error shrinks every step (the slowest part to {slowest} of itself), "
            "and the weights slide steadily to the best fit.")


def _batch_details(m: int, alpha: float, lam_max: float | None, lam_min: float | None,
                   r_fast: float | None, r_slow: float | None) -> str:
    """The eigenvalue view of a batch step, for a details disclosure."""
    if lam_max is None or r_fast is None or r_slow is None:
        return f"XᵀX ÷ {m:,} has no eigenvalue above 0: the learning inputs are all 0."
    a = _number(alpha)
    if lam_min is None or lam_max == lam_min:
        return (f"With one direction to learn, λ = {_number(lam_max)} (the eigenvalue of XᵀX ÷ {m:,}, "
                f"the mean of the squared inputs) and r = 1 − alpha × λ = 1 − {a} × "
                f"{_number(lam_max)} = {_number(r_fast)}; alpha must stay below 2 ÷ λ.")
    return (f"Along the steepest direction of the error bowl λmax = {_number(lam_max)} (the largest "
            f"eigenvalue of XᵀX ÷ {m:,}) and r = 1 − {a} × λmax = {_number(r_fast)}; along the "
            f"gentlest, λmin = {_number(lam_min)} and r = {_number(r_slow)}. Alpha must stay "
            "below 2 ÷ λmax.")


def _single_details(alpha: float, s: float | None, r: float) -> str:
    if s is None:
        return ""
    return (f"r = 1 − alpha × Σx² = 1 − {_number(alpha)} × {_number(s)} = {_number(r)}, where Σx² is "
            "the sum of the squared inputs of the learning weights; alpha must stay below 2 ÷ Σx².")


def _stochastic_details(alpha: float, rs: tuple[float, ...], worst: int, factor: float | None) -> str:
    shown = ", ".join(_number(r) for r in rs[:6]) + (", …" if len(rs) > 6 else "")
    text = (f"Each example on its own: r = 1 − alpha × its Σx² = {shown}; the largest in size is "
            f"example {worst}'s.")
    if factor is not None:
        text += f" One whole pass over the examples multiplies the error by about {_number(factor)}."
    return text


def _stochastic_sentence(kind: str, r: float, worst: int, diverges: bool, reason: str) -> str:
    if kind == "not learning":
        return f"Nothing changes, because {reason}: the weights stay where they are."
    shown = _number(r)
    which = "the one with the largest inputs" if r < 0 else "the slowest on its own"
    action = {
        "steady": f"shrinks its delta to {shown} of itself",
        "one step": "takes its delta to 0",
        "oscillating": f"flips its delta and shrinks it to {_number(abs(r))} of its size",
        "bouncing": "flips its delta and keeps its size",
        "diverging": f"multiplies its delta by {shown}",
    }[kind]
    if diverges:
        whole = (": the weights overshoot further every pass and the run blows up; alpha is "
                 "too large.")
    elif kind in ("diverging", "bouncing"):
        whole = (", but the other examples pull the weights back within every pass, so the run "
                 "as a whole does not blow up.")
    else:
        whole = (": the weights settle towards weights that suit all the examples (each example "
                 "pulls its own way, so they may keep moving a little).")
    return f"Each step on example {worst}, {which}, {action}{whole}"


def analyse(setup: Setup, tolerance: float | None = None) -> Analysis:
    """The closed-form analysis of ``setup`` for the teaching panels.

    Parameters
    ----------
    setup : Setup
        The setup.
    tolerance : float, optional
        The tolerance for ``predicted_steps`` (default the setup's own).

    Returns
    -------
    Analysis
        See :class:`Analysis`.  One example (in any order) is analysed with
        ``sum_x_squared``; several examples in batch order with the eigenvalues of
        ``X^T X / m``; several in cyclic or shuffled order example by example.
    """
    tolerance = setup.tolerance if tolerance is None else float(tolerance)
    if math.isnan(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must not be negative (got {tolerance!r})")
    alpha = setup.alpha
    m = setup.n_examples
    learning = learning_weights(setup)
    sums = [sum_x_squared(setup, e) for e in range(1, m + 1)]
    rs = tuple(factor_r(alpha, s) for s in sums)
    # An example whose inputs are all 0 (the straw house) never moves a weight (r = 1):
    # the regime is that of the examples that do teach the node something.
    teaching = [e for e in range(m) if sums[e] != 0] or list(range(m))
    worst = max(teaching, key=lambda e: (abs(rs[e]) if not math.isnan(rs[e]) else math.inf, -e)) + 1
    delta1 = first_delta(setup)
    initial = mean_mse(setup)
    weights, min_mse = least_squares(setup)
    fits = _fits_exactly(setup, weights, min_mse)
    if fits:
        min_mse = 0.0
    factor = epoch_factor(setup)
    with np.errstate(all="ignore"):
        x, g = _arrays(setup)
        deltas = x @ np.array(setup.weights) - g
    moving = bool(np.any(deltas != 0))
    first_blows_up = not math.isfinite(initial)
    lam_max = lam_min = r_fast = r_slow = None
    s_one = None

    if m == 1:
        s_one = sums[0]
        r = rs[0]
        kind = regime(r)
        sentence = _single_sentence(kind, r, _not_learning_reason(setup, s_one))
        details = _single_details(alpha, s_one, r)
        top = max_stable_alpha(s_one)
        best = best_alpha(s_one)
        steps = predicted_steps(delta1, r, tolerance) if math.isfinite(delta1) else None
        diverge = first_blows_up or (abs(r) > 1 and delta1 != 0)
        if setup.order == "batch":
            lam_max = lam_min = s_one
            r_fast = r_slow = r
    elif setup.order == "batch":
        positive = _positive(batch_eigenvalues(setup))
        if positive.size and alpha != 0:
            lam_max, lam_min = float(positive.max()), float(positive.min())
            r_fast, r_slow = factor_r(alpha, lam_max), factor_r(alpha, lam_min)
            r = r_fast if abs(r_fast) >= abs(r_slow) or math.isnan(r_fast) else r_slow
            top = max_stable_alpha(lam_max)
            best = 2.0 / (lam_max + lam_min)
        else:
            if positive.size:
                lam_max, lam_min = float(positive.max()), float(positive.min())
                top, best = max_stable_alpha(lam_max), 2.0 / (lam_max + lam_min)
            else:
                top = best = math.inf
            r = 1.0
            r_fast = r_slow = 1.0
        kind = regime(r)
        sentence = _batch_sentence(kind, m, r_fast, r_slow, _not_learning_reason(setup, lam_max or 0.0))
        details = _batch_details(m, alpha, lam_max, lam_min, r_fast, r_slow)
        steps = predicted_batch_steps(setup, tolerance)
        diverge = first_blows_up or (moving and (abs(r_fast) > 1 or math.isnan(r_fast)))
    else:
        r = rs[worst - 1]
        kind = regime(r)
        biggest = max(sums)
        top = max_stable_alpha(biggest)
        best = best_alpha(biggest)
        # All deltas already 0: the run converges once one pass (m steps) is full of them.
        steps = m if initial == 0 else None
        if factor is None:
            diverge = first_blows_up or (moving and abs(r) > 1)
        else:
            diverge = first_blows_up or (moving and factor > 1)
        sentence = _stochastic_sentence(kind, r, worst, diverge,
                                        _not_learning_reason(setup, biggest))
        details = _stochastic_details(alpha, rs, worst, factor)

    return Analysis(
        order=setup.order,
        n_examples=m,
        alpha=alpha,
        learning=learning,
        sum_x_squared=s_one,
        lambda_max=lam_max,
        lambda_min=lam_min,
        r=r,
        r_at_lambda_max=r_fast,
        r_at_lambda_min=r_slow,
        per_example_r=rs,
        worst_example=worst,
        epoch_factor=factor,
        regime=kind,
        regime_sentence=sentence,
        max_stable_alpha=top,
        best_alpha=best,
        delta1=delta1,
        initial_mse=initial,
        tolerance=tolerance,
        predicted_steps=steps,
        will_diverge=bool(diverge),
        least_squares_weights=weights,
        min_mse=min_mse,
        fits_exactly=fits,
        details=details,
    )



# -- floating point ------------------------------------------------------------------------------
def float_stall_explanation(weight: float, alpha_delta: float) -> str | None:
    """Why ``weight - alpha_delta`` gives back ``weight`` itself, in one sentence.

    Floats near a weight are ``math.ulp(weight)`` apart; subtracting an update smaller
    than half the gap to the neighbouring float (in the direction of the update) rounds
    back to the weight, and an update of exactly half is a tie, which rounds to the float
    whose last bit is even.  The seed stalls that way at step 318: weight
    0.5999999999999994, alpha_delta -5.551115123125783e-17, exactly half the gap
    1.1102230246251565e-16 near 0.6, and the tie goes to the weight itself (so "no
    larger than half the gap" is the true short form; "smaller than" is not).

    Parameters
    ----------
    weight : float
        The weight before the step.
    alpha_delta : float
        The step's ``alpha * delta * input`` for that weight.

    Returns
    -------
    str or None
        The sentence when the update is not zero yet leaves the weight unchanged;
        None otherwise (the weight moves, the update is 0, or a value is not finite).
    """
    weight, alpha_delta = float(weight), float(alpha_delta)
    if not (math.isfinite(weight) and math.isfinite(alpha_delta)) or alpha_delta == 0:
        return None
    if weight - alpha_delta != weight:
        return None
    neighbour = math.nextafter(weight, -math.inf if alpha_delta > 0 else math.inf)
    gap = abs(neighbour - weight)
    size = abs(alpha_delta)
    near = _number(weight)
    start = (f"The weight stays at {full(weight)}: the update alpha_delta ({_number(size)}) is")
    where = f"the gap between neighbouring floats near {near} ({_number(gap)})"
    if size == gap / 2:
        return (f"{start} exactly half {where}; such a tie rounds to the float whose last bit is "
                "even, which is the weight itself.")
    return f"{start} smaller than half {where}, so weight − alpha_delta rounds back to the same weight."


__all__ = [
    "Analysis", "REGIMES", "analyse", "batch_eigenvalues", "best_alpha", "epoch_factor",
    "factor_r", "first_delta", "float_stall_explanation", "learning_weights", "least_squares",
    "max_stable_alpha", "mean_mse", "mse_surface", "per_example_r", "predicted_batch_steps",
    "predicted_steps", "regime", "sum_x_squared",
]
