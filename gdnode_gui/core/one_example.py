"""The closed form for one example: how a step changes delta, and the regime it gives.

Worked out from the setup alone, in the article's words: weight, input, goal, alpha,
delta, mse.  With one example the node's delta obeys a simple rule.  A step changes
each weight that is not frozen by ``alpha * delta * input[i]``, so the next prediction
changes by ``alpha * delta * sum(input[i]**2)`` and the next delta is::

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

The helpers here (:func:`learning_weights`, :func:`sum_x_squared`, :func:`factor_r`)
are also the building blocks of :mod:`gdnode_gui.core.data_set_analysis`.  The exact
arithmetic can be one step off a float run near the tolerance (see
:mod:`gdnode_gui.core.analysis`).  Nothing in this module imports Qt.
"""

from __future__ import annotations

import math

from .setup import Setup

#: The regime words, in the order of the table in the module docstring.
REGIMES = ("steady", "one step", "oscillating", "bouncing", "diverging", "not learning")


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



__all__ = [
    "REGIMES", "best_alpha", "factor_r", "first_delta", "learning_weights", "max_stable_alpha",
    "predicted_steps", "regime", "sum_x_squared",
]
