"""Closed-form analysis of a setup, for the teaching panels.

Everything here is worked out from the setup alone, before (or beside) a run, in the
article's words: weight, input, goal, alpha, delta, mse.

One example
-----------
With one example the node's delta obeys a simple rule.  A step changes each weight
that is not frozen by ``alpha * delta * input[i]``, so the next prediction changes by
``alpha * delta * sum(input[i]**2)`` and the next delta is::

    delta_next = r * delta,    r = 1 - alpha * sum(input[i]**2)   (weights not frozen)

so ``delta_k = delta_1 * r**(k - 1)`` and the trace's mse of step k (the mse *before*
the update of step k) is ``delta_1**2 * r**(2 * (k - 1))``.  The value of r decides
the regime:

=================  ===============  ==================================================
r                  regime           what the weight does
=================  ===============  ==================================================
``0 < r < 1``      ``steady``       creeps towards the goal, delta keeps its sign
``r == 0``         ``one step``     the first step lands the prediction on the goal
``-1 < r < 0``     ``oscillating``  overshoots, back and forth, closer every time
``r == -1``        ``bouncing``     jumps across the goal and back forever
``|r| > 1``        ``diverging``    overshoots further every time; the run blows up
``r == 1``         ``not learning`` nothing moves (alpha 0, inputs 0, all frozen)
=================  ===============  ==================================================

So alpha must stay below ``2 / sum(input**2)``, and ``1 / sum(input**2)`` is the
best alpha (one step).

Several examples
----------------
- ``cyclic`` / ``shuffled``: each step uses one example, which on its own has its own
  ``r_e = 1 - alpha * sum(input_e**2)``; the worst (largest ``|r_e|``) sets the regime.
  Whether the run as a whole blows up is decided by a whole pass over the examples:
  the *epoch factor* (spectral radius of the product of the steps' linear maps) in
  cyclic order, exact; in shuffled order it is exact with one learning weight (the
  factors commute) and otherwise judged from the worst example.
- ``batch``: one step uses the mean gradient, so the weights' error shrinks along each
  eigenvector of ``A = X^T X / m`` (columns of the learning weights) by
  ``r_j = 1 - alpha * lambda_j``: stable while ``alpha < 2 / lambda_max``; the alpha
  that shrinks the slowest and the fastest direction equally fast is
  ``2 / (lambda_max + lambda_min)`` (``lambda_min``: the smallest eigenvalue that is not
  zero).  The mean mse of step k is ``min_mse + sum_j lambda_j * c_j**2 * r_j**(2(k-1))``.

The least-squares weights (:func:`least_squares`) are where batch descent ends: the
weights that minimise the mean mse, the frozen weights held at their values, and of all
such weights the one nearest the starting weights.  The mean mse there
(``min_mse``) is not zero when no weights fit every example exactly.

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
from typing import Sequence

import numpy as np

from .setup import Setup

#: The regime words, in the order of the table in the module docstring.
REGIMES = ("steady", "one step", "oscillating", "bouncing", "diverging", "not learning")

_EPS = float(np.finfo(np.float64).eps)


# -- one example ---------------------------------------------------------------------------------
def learning_weights(setup: Setup) -> tuple[int, ...]:
    """The 0-based indices of the weights that learn (are not frozen).

    Parameters
    ----------
    setup : Setup
        The setup.

    Returns
    -------
    tuple of int
        Indices ``i`` with ``setup.frozen[i]`` false, in order.
    """
    return tuple(i for i in range(setup.n_inputs) if not setup.frozen[i])


def sum_x_squared(setup: Setup, example: int = 1) -> float:
    """``sum(input[i]**2)`` of one example, over the weights that are not frozen.

    Parameters
    ----------
    setup : Setup
        The setup.
    example : int, optional
        1-based number of the example (default the first).

    Returns
    -------
    float
        The sum (``math.fsum``, correctly rounded); 0.0 when every weight is frozen.
    """
    if not 1 <= example <= setup.n_examples:
        raise IndexError(f"example {example} is not in the setup (1..{setup.n_examples})")
    inputs = setup.examples[example - 1].inputs
    return math.fsum(inputs[i] * inputs[i] for i in learning_weights(setup))


def factor_r(alpha: float, s: float) -> float:
    """The factor ``r = 1 - alpha * s`` by which each step multiplies delta.

    Parameters
    ----------
    alpha : float
        The learning rate (not negative).
    s : float
        ``sum(input**2)`` over the learning weights (or an eigenvalue in batch order).

    Returns
    -------
    float
        ``1 - alpha * s``; exactly 1.0 when ``alpha`` or ``s`` is 0 (nothing learns),
        ``-inf`` when the product overflows.
    """
    if alpha == 0 or s == 0:
        return 1.0
    return 1.0 - alpha * s


def regime(r: float) -> str:
    """The regime word for the factor ``r`` (exact comparisons, as the run's floats are).

    Parameters
    ----------
    r : float
        The factor of :func:`factor_r`.

    Returns
    -------
    str
        ``"steady"`` (0 < r < 1), ``"one step"`` (r == 0), ``"oscillating"``
        (-1 < r < 0), ``"bouncing"`` (r == -1), ``"diverging"`` (|r| > 1, or nan) or
        ``"not learning"`` (r == 1).
    """
    if r == 1:
        return "not learning"
    if r == 0:
        return "one step"
    if r == -1:
        return "bouncing"
    if 0 < r < 1:
        return "steady"
    if -1 < r < 0:
        return "oscillating"
    return "diverging"


def max_stable_alpha(s: float) -> float:
    """The alpha that alpha must stay below: ``2 / s``.

    At exactly this alpha ``r == -1`` (bouncing forever); above it the run diverges.

    Parameters
    ----------
    s : float
        ``sum(input**2)`` over the learning weights (``lambda_max`` in batch order).

    Returns
    -------
    float
        ``2 / s``; ``inf`` when ``s`` is 0 (no alpha makes anything move).
    """
    return math.inf if s == 0 else 2.0 / s


def best_alpha(s: float) -> float:
    """The alpha that reaches the goal in one step: ``1 / s`` (then ``r == 0``).

    Parameters
    ----------
    s : float
        ``sum(input**2)`` over the learning weights.

    Returns
    -------
    float
        ``1 / s``; ``inf`` when ``s`` is 0.
    """
    return math.inf if s == 0 else 1.0 / s


def first_delta(setup: Setup, example: int = 1) -> float:
    """Delta of an example at the starting weights, in the node's own float arithmetic.

    ``prediction = weight[0]*input[0] + weight[1]*input[1] + ...`` summed left to right,
    ``delta = prediction - goal``: the first step's delta, bit for bit as the run has it.

    Parameters
    ----------
    setup : Setup
        The setup.
    example : int, optional
        1-based number of the example (default the first).

    Returns
    -------
    float
        The delta (may be inf or nan for huge numbers).
    """
    e = setup.examples[example - 1]
    w = setup.weights
    prediction = w[0] * e.inputs[0]
    for i in range(1, setup.n_inputs):
        prediction = prediction + w[i] * e.inputs[i]
    return prediction - e.goal


def predicted_steps(delta1: float, r: float, tolerance: float) -> int | None:
    """The step at which a one-example run ends ``converged``, in exact arithmetic.

    The trace's mse of step k is the mse before that step's update,
    ``mse_k = (delta1 * r**(k-1))**2``, and a run converges at the first step whose mse
    is 0 or (when ``tolerance > 0``) below ``tolerance``.  With ``d = delta1**2``, for
    ``0 < |r| < 1`` and ``d >= tolerance > 0`` that is ``s = 1 + k`` for the smallest
    whole ``k >= 1`` with ``k * log(r**2) < log(tolerance / d)``, i.e.
    ``k = floor(log(tolerance / d) / log(r**2)) + 1``.

    Parameters
    ----------
    delta1 : float
        Delta of the first step (:func:`first_delta`).
    r : float
        The factor of :func:`factor_r`.
    tolerance : float
        The setup's tolerance on mse (0: only an mse of exactly 0 converges).

    Returns
    -------
    int or None
        The 1-based step number: 1 when ``delta1**2`` is already 0 or below the
        tolerance, 2 when ``r == 0`` (one step), otherwise the formula above.  None
        when the run never converges: ``|r| >= 1``, ``tolerance == 0`` with
        ``0 < |r| < 1`` (delta only shrinks towards 0; in floats the run stalls
        instead), or ``delta1**2`` overflowing (the first step already diverges).
    """
    if math.isnan(delta1) or math.isnan(r) or math.isnan(tolerance) or tolerance < 0:
        raise ValueError("delta1, r and tolerance must be numbers, tolerance not negative")
    if math.isinf(delta1):
        return None
    try:
        d = delta1**2
    except OverflowError:
        return None
    if d == 0 or d < tolerance:
        return 1
    if r == 0:
        return 2
    if abs(r) >= 1 or tolerance == 0:
        return None
    gap = math.log(tolerance) - math.log(d)  # <= 0
    per_step = 2.0 * math.log(abs(r))  # < 0
    if per_step == 0:  # |r| rounds so close to 1 that its log is 0: never in practice
        return None
    k = max(1, math.floor(gap / per_step) + 1)
    # The division can round across a whole number: settle k with the comparison itself.
    while k > 1 and (k - 1) * per_step < gap:
        k -= 1
    while not k * per_step < gap:
        k += 1
    return k + 1


# -- several examples ----------------------------------------------------------------------------
def _arrays(setup: Setup) -> tuple[np.ndarray, np.ndarray]:
    inputs = np.array([e.inputs for e in setup.examples], dtype=np.float64)
    goals = np.array([e.goal for e in setup.examples], dtype=np.float64)
    return inputs, goals


def _learning_problem(setup: Setup, weights: Sequence[float] | None = None):
    """(X over the learning columns, goals less the frozen weights' part, learning idx)."""
    x, g = _arrays(setup)
    w = np.array(setup.weights if weights is None else weights, dtype=np.float64)
    learning = list(learning_weights(setup))
    frozen = [i for i in range(setup.n_inputs) if setup.frozen[i]]
    with np.errstate(all="ignore"):
        target = g - x[:, frozen] @ w[frozen] if frozen else g.copy()
    return x[:, learning], target, learning


def per_example_r(setup: Setup) -> tuple[float, ...]:
    """``r_e = 1 - alpha * sum(input_e**2)`` for every example on its own.

    Parameters
    ----------
    setup : Setup
        The setup.

    Returns
    -------
    tuple of float
        One factor per example, in order.
    """
    return tuple(factor_r(setup.alpha, sum_x_squared(setup, e)) for e in range(1, setup.n_examples + 1))


def batch_eigenvalues(setup: Setup) -> np.ndarray:
    """Eigenvalues of ``A = X^T X / m`` over the learning weights' columns, ascending.

    In batch order a step multiplies the weights' error along eigenvector j by
    ``r_j = 1 - alpha * lambda_j``.

    Parameters
    ----------
    setup : Setup
        The setup.

    Returns
    -------
    numpy.ndarray
        The eigenvalues (clipped at 0; rounding can make a zero one slightly negative),
        one per learning weight; empty when every weight is frozen.
    """
    x, _, learning = _learning_problem(setup)
    if not learning:
        return np.empty(0)
    a = x.T @ x / setup.n_examples
    return np.clip(np.linalg.eigvalsh(a), 0.0, None)


def _positive(eigenvalues: np.ndarray) -> np.ndarray:
    """The eigenvalues that are not zero (relative to the largest)."""
    if eigenvalues.size == 0:
        return eigenvalues
    top = float(eigenvalues.max())
    if top == 0:
        return eigenvalues[:0]
    return eigenvalues[eigenvalues > top * eigenvalues.size * 16 * _EPS]


def mean_mse(setup: Setup, weights: Sequence[float] | None = None) -> float:
    """The mean over the examples of ``delta**2`` at ``weights`` (default the starting ones).

    Parameters
    ----------
    setup : Setup
        The setup.
    weights : sequence of float, optional
        One weight per input.

    Returns
    -------
    float
        The mean mse (inf when it overflows).
    """
    x, g = _arrays(setup)
    w = np.array(setup.weights if weights is None else weights, dtype=np.float64)
    with np.errstate(all="ignore"):
        residual = x @ w - g
        return float(np.mean(residual * residual))


def least_squares(setup: Setup) -> tuple[tuple[float, ...], float]:
    """The weights that minimise the mean mse over the examples, and that minimum.

    The frozen weights keep their starting values.  When many weights give the same
    minimum (more learning weights than independent examples) this is the one nearest
    the starting weights, which is where batch descent goes.  Uses ``np.linalg.lstsq``.

    Parameters
    ----------
    setup : Setup
        The setup.

    Returns
    -------
    weights : tuple of float
        All the weights (one per input), frozen ones unchanged.
    min_mse : float
        The mean mse at those weights: the smallest mean mse any run can reach; not zero
        when no weights fit every example exactly.
    """
    w0 = np.array(setup.weights, dtype=np.float64)
    x, target, learning = _learning_problem(setup)
    best = w0.copy()
    if learning:
        with np.errstate(all="ignore"):
            residual = target - x @ w0[learning]
        if np.all(np.isfinite(residual)) and np.all(np.isfinite(x)):
            step, *_ = np.linalg.lstsq(x, residual, rcond=None)
            best[learning] = w0[learning] + step
    return tuple(float(v) for v in best), mean_mse(setup, best)


def _fits_exactly(setup: Setup, weights: Sequence[float], min_mse: float) -> bool:
    """Whether ``min_mse`` is rounding noise, i.e. some weights fit every example."""
    if min_mse == 0:
        return True
    x, g = _arrays(setup)
    with np.errstate(all="ignore"):
        scale = float(np.mean(g * g) + np.mean((x @ np.asarray(weights)) ** 2))
    return math.isfinite(scale) and min_mse <= 1e-20 * scale


def epoch_factor(setup: Setup) -> float | None:
    """How much one pass over the examples multiplies the weights' error, at most.

    In cyclic order: the spectral radius of ``P_m ... P_2 P_1`` with
    ``P_e = I - alpha * x_e x_e^T`` (learning weights only): the run diverges when it is
    above 1 (and any delta is not 0).  With one learning weight this is
    ``|r_1 * r_2 * ... * r_m|`` in any order.  In batch order, one step is one pass:
    ``max_j |1 - alpha * lambda_j|``.

    Parameters
    ----------
    setup : Setup
        The setup.

    Returns
    -------
    float or None
        The factor (``inf`` when it overflows); None in shuffled order with more than
        one learning weight, where each pass has another order and another factor.
    """
    alpha = setup.alpha
    learning = learning_weights(setup)
    if not learning or alpha == 0:
        return 1.0
    if setup.order == "batch":
        positive = _positive(batch_eigenvalues(setup))
        if positive.size == 0:
            return 1.0
        return float(max(abs(factor_r(alpha, float(positive.max()))),
                         abs(factor_r(alpha, float(positive.min())))))
    if setup.n_examples == 1:
        return abs(factor_r(alpha, sum_x_squared(setup)))
    if len(learning) == 1:
        rs = per_example_r(setup)
        if any(r == 0 for r in rs):
            return 0.0
        total = math.fsum(math.log(abs(r)) if math.isfinite(r) else math.inf for r in rs)
        return math.exp(total) if total < 709 else math.inf
    if setup.order == "shuffled":
        return None
    x, _, _ = _learning_problem(setup)
    n = len(learning)
    product = np.eye(n)
    log_scale = 0.0
    with np.errstate(all="ignore"):
        for row in x:
            product = product - alpha * np.outer(row, row @ product)
            size = float(np.abs(product).max())
            if not math.isfinite(size):
                return math.inf
            if size == 0:
                return 0.0
            if size > 1e100 or size < 1e-100:
                product /= size
                log_scale += math.log(size)
        radius = float(np.abs(np.linalg.eigvals(product)).max())
    if radius == 0:
        return 0.0
    total = log_scale + math.log(radius)
    return math.exp(total) if total < 709 else math.inf


def predicted_batch_steps(setup: Setup, tolerance: float | None = None) -> int | None:
    """The step at which a batch-order run ends ``converged``, in exact arithmetic.

    The mean mse of step k (before its update) is
    ``min_mse + sum_j lambda_j * c_j**2 * r_j**(2(k-1))`` with ``c_j`` the starting
    weights' offset from the least-squares weights along eigenvector j; it only falls
    while every ``|r_j| < 1``, so the first step below the tolerance is found by
    bisection.

    Parameters
    ----------
    setup : Setup
        The setup (its order is not looked at: the prediction is for batch order).
    tolerance : float, optional
        The tolerance on the mean mse (default the setup's).

    Returns
    -------
    int or None
        The 1-based step; None when the run never gets there (``min_mse`` not below
        the tolerance, tolerance 0 without an exact fit, or a direction that does not
        shrink).
    """
    tolerance = setup.tolerance if tolerance is None else float(tolerance)
    start = mean_mse(setup)
    if not math.isfinite(start):
        return None
    if start == 0 or start < tolerance:
        return 1
    learning = learning_weights(setup)
    if not learning or setup.alpha == 0:
        return None
    best, min_mse = least_squares(setup)
    fits = _fits_exactly(setup, best, min_mse)
    x, _, _ = _learning_problem(setup)
    a = x.T @ x / setup.n_examples
    eigenvalues, vectors = np.linalg.eigh(a)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    offset = np.array(setup.weights)[list(learning)] - np.array(best)[list(learning)]
    c = vectors.T @ offset
    positive = _positive(eigenvalues)
    if positive.size == 0:
        return None
    keep = eigenvalues >= positive.min()
    lam, c = eigenvalues[keep], c[keep]
    weight = lam * c * c  # each direction's share of the excess mse at step 1
    r = np.array([factor_r(setup.alpha, float(v)) for v in lam])
    active = weight > 0
    if not active.any():
        return 1
    if np.any(np.abs(r[active]) >= 1):
        return None
    if tolerance == 0:
        return 2 if fits and np.all(r[active] == 0) else None
    floor = 0.0 if fits else min_mse
    if floor >= tolerance:
        return None
    room = tolerance - floor
    if np.all(r[active] == 0):
        return 2
    weight, r = weight[active], r[active]
    with np.errstate(divide="ignore"):
        logs = 2.0 * np.log(np.abs(r))  # -inf for r == 0

    def excess(k: int) -> float:
        with np.errstate(all="ignore"):
            return float(np.sum(weight * np.exp((k - 1) * logs)))

    slowest = float(logs.max())
    high = 2 + max(0, math.ceil(math.log(room / float(weight.sum())) / slowest))
    while not excess(high) < room:
        high *= 2
    low = 1  # excess(1) >= room, since start >= tolerance
    while high - low > 1:
        mid = (low + high) // 2
        if excess(mid) < room:
            high = mid
        else:
            low = mid
    return high


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

    @property
    def worst_r(self) -> float:
        """The per-example factor largest in size (that of ``worst_example``)."""
        return self.per_example_r[self.worst_example - 1]


def _number(value: float) -> str:
    """A short, readable number for a sentence."""
    if value == 0:
        return "0"
    if math.isinf(value):
        return "infinity" if value > 0 else "minus infinity"
    return f"{value:.3g}"


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


def _batch_sentence(kind: str, r_fast: float, r_slow: float, reason: str) -> str:
    fast, slow = _number(r_fast), _number(r_slow)
    if kind == "not learning":
        return f"Nothing changes, because {reason}: the mean mse stays the same step after step."
    if kind == "diverging":
        return (f"Each batch step multiplies the error along the steepest direction by {fast}: "
                "the weights overshoot further every time and the run blows up; alpha is too "
                "large.")
    if kind == "bouncing":
        return ("Each batch step flips the error along the steepest direction at the same size: "
                "the weights bounce across the valley forever.")
    if kind == "one step":
        return ("Alpha is just right: one batch step takes the weights to the bottom of the "
                "error bowl.")
    if kind == "oscillating":
        return (f"Each batch step flips the error along the steepest direction and shrinks it "
                f"to {_number(abs(r_fast))} of its size (the gentlest direction: {slow}): the "
                "weights zigzag down the error bowl.")
    return (f"Each batch step shrinks the error along the gentlest direction to {slow} of "
            f"itself (the steepest: {fast}): the weights slide steadily down the error bowl.")


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
        sentence = _batch_sentence(kind, r_fast, r_slow, _not_learning_reason(setup, lam_max or 0.0))
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
    )


# -- the error bowl ------------------------------------------------------------------------------
def mse_surface(
    setup: Setup,
    weights_grid_i: Sequence[float] | np.ndarray,
    i: int,
    j: int | None = None,
    grid_j: Sequence[float] | np.ndarray | None = None,
    fixed_weights: Sequence[float] | None = None,
) -> np.ndarray:
    """The mean mse over the examples as a function of one or two weights.

    The other weights are held at ``fixed_weights``.  The mean mse is a bowl (a
    quadratic); it is computed as its lowest point plus a sum of squares along the
    bowl's axes, so it never goes below that lowest point through rounding, and the
    cost does not grow with the number of examples times the grid size.

    Parameters
    ----------
    setup : Setup
        The setup (its examples).
    weights_grid_i : array_like
        Values of weight ``i``.
    i : int
        0-based index of the first weight.
    j : int, optional
        0-based index of a second weight (for a contour plot); needs ``grid_j``.
    grid_j : array_like, optional
        Values of weight ``j``.  When both grids are 1-D the result is the mesh
        ``out[a, b] = mse(weight_i = grid_i[a], weight_j = grid_j[b])`` (``indexing="ij"``,
        shape ``(len(grid_i), len(grid_j))``, as pyqtgraph's ImageItem takes it); otherwise
        the two grids are broadcast together (e.g. the outputs of ``np.meshgrid``).
    fixed_weights : sequence of float, optional
        All the weights, of which the ones other than ``i`` (and ``j``) are used
        (default: the setup's starting weights).

    Returns
    -------
    numpy.ndarray
        The mean mse, shaped like ``weights_grid_i`` (1-D case) or as described above.
    """
    n = setup.n_inputs
    if not 0 <= i < n:
        raise IndexError(f"weight {i} is not in the setup (0..{n - 1})")
    if (j is None) != (grid_j is None):
        raise ValueError("give both j and grid_j, or neither")
    if j is not None and (not 0 <= j < n or j == i):
        raise IndexError(f"the second weight must be another of 0..{n - 1}, not {j}")
    w = np.array(setup.weights if fixed_weights is None else fixed_weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"fixed_weights must hold {n} weights")
    x, g = _arrays(setup)
    m = setup.n_examples
    chosen = [i] if j is None else [i, j]
    others = [k for k in range(n) if k not in chosen]
    grid_i = np.asarray(weights_grid_i, dtype=np.float64)
    if j is None:
        grids = [grid_i]
    else:
        grid_b = np.asarray(grid_j, dtype=np.float64)
        if grid_i.ndim == 1 and grid_b.ndim == 1:
            grids = list(np.meshgrid(grid_i, grid_b, indexing="ij"))
        else:
            grids = list(np.broadcast_arrays(grid_i, grid_b))
    with np.errstate(all="ignore"):
        base = (x[:, others] @ w[others] if others else np.zeros(m)) - g
        columns = x[:, chosen]
        if np.all(np.isfinite(base)) and np.all(np.isfinite(columns)):
            lowest, *_ = np.linalg.lstsq(columns, -base, rcond=None)
        else:
            lowest = np.zeros(len(chosen))
        residual = base + columns @ lowest
        floor = float(np.mean(residual * residual))
        eigenvalues, vectors = np.linalg.eigh(columns.T @ columns / m)
        eigenvalues = np.clip(eigenvalues, 0.0, None)
        surface = np.full(grids[0].shape, floor)
        for lam, axis in zip(eigenvalues, vectors.T):
            along = sum(axis[a] * (grids[a] - lowest[a]) for a in range(len(chosen)))
            surface = surface + lam * along * along
    return surface


# -- floating point ------------------------------------------------------------------------------
def float_stall_explanation(weight: float, alpha_delta: float) -> str | None:
    """Why ``weight - alpha_delta`` gives back ``weight`` itself, in one sentence.

    Floats near a weight are spaced ``math.ulp(weight)`` apart; subtracting an update
    smaller than half the gap to the neighbouring float (in the direction of the update)
    rounds back to the weight, and an update of exactly half is a tie, which rounds to
    the neighbour with an even last digit.  The seed stalls that way at step 318:
    weight 0.5999999999999994, alpha_delta -5.551115123125783e-17, exactly half the
    spacing 1.1102230246251565e-16 near 0.6, and the tie goes to the weight itself.

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
    half = gap / 2
    size = abs(alpha_delta)
    near = _number(weight)
    if size == half:
        return (f"The weight stays at {weight!r}: the update alpha_delta ({size:.2g}) is exactly "
                f"half the spacing between neighbouring floats near {near} ({gap:.2g}), and that "
                "tie rounds to the neighbour with an even last digit, which is the weight itself.")
    return (f"The weight stays at {weight!r}: the update alpha_delta ({size:.2g}) is smaller than "
            f"half the spacing between neighbouring floats near {near} (half of {gap:.2g} is "
            f"{half:.2g}), so weight - alpha_delta rounds back to the weight itself.")


__all__ = [
    "Analysis", "REGIMES", "analyse", "batch_eigenvalues", "best_alpha", "epoch_factor",
    "factor_r", "first_delta", "float_stall_explanation", "learning_weights", "least_squares",
    "max_stable_alpha", "mean_mse", "mse_surface", "per_example_r", "predicted_batch_steps",
    "predicted_steps", "regime", "sum_x_squared",
]
