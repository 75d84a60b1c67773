"""The closed form for a data set: several examples, and the mean mse over them.

How the order of the examples decides what a step does:

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

The error bowl (:func:`mse_surface`) is that mean mse as a function of one or two
weights, for the error-surface plot.  Built on :mod:`gdnode_gui.core.one_example`;
nothing in this module imports Qt.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

import numpy as np

from .one_example import factor_r, learning_weights, sum_x_squared
from .setup import Setup

_EPS = float(np.finfo(np.float64).eps)


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


# -- on the error bowl: a step's slope, the bowl's identity, starting weights to read -----------
def mse_slopes(row: dict, n_inputs: int) -> tuple[float, ...]:
    """The slope of the mse with respect to each weight, at the weights of a step.

    ``mse = delta**2`` and ``delta`` grows by ``input[i]`` per unit of ``weight[i]``, so the
    slope is ``2 * delta * input[i] = 2 * weighted_delta[i]``: weighted_delta is half the
    slope, and a step moves each weight by ``alpha * weighted_delta`` against it.  In
    batch order ``weighted_delta`` is the mean over the examples, so this is the slope of
    the mean mse (the error surface); in cyclic or shuffled order with several examples
    it is the slope of the step's own example's mse.

    Parameters
    ----------
    row : dict
        A step's values (:meth:`gdnode_gui.core.trace.Trace.row`, or
        :func:`gdnode_gui.core.frame.preview_row`).
    n_inputs : int
        How many weights.

    Returns
    -------
    tuple of float
        ``2 * weighted_delta_i`` for every weight (exact: doubling a float is exact, unless
        it overflows to inf).
    """
    return tuple(2.0 * float(row[f"weighted_delta_{i + 1}"]) for i in range(n_inputs))


def same_error_surface(first: Setup, second: Setup) -> bool:
    """Whether the mean mse is the same function of the weights for both setups: the same
    examples (inputs and goals; their order does not change a mean)."""
    if first.n_inputs != second.n_inputs or first.n_examples != second.n_examples:
        return False
    return Counter(first.examples) == Counter(second.examples)


def round_to_span(value: float, span: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits of ``span``: a weight a student can
    read, as fine as a view ``span`` wide can show.

    ``round_to_span(0.2503918, 1.6)`` is ``0.25`` (a span of 1.6 reads to 0.01);
    ``round_to_span(123.456, 400)`` is ``123.0``.  Rounding is Python's ``round`` (the
    float nearest the decimal, so its text is short); -0.0 becomes 0.0.  A value or span
    that is not finite, or a span that is not positive, leaves ``value`` as it is.

    Parameters
    ----------
    value : float
        The value (a weight dragged on the error surface).
    span : float
        The width of the range it was chosen in (the view's axis range).
    digits : int
        Significant digits of ``span`` kept (at least 1).

    Returns
    -------
    float
    """
    value, span = float(value), float(span)
    if not (math.isfinite(value) and math.isfinite(span) and span > 0):
        return value
    places = max(1, int(digits)) - 1 - math.floor(math.log10(span))
    rounded = round(value, places)
    return rounded + 0.0 if math.isfinite(rounded) else value


__all__ = [
    "batch_eigenvalues", "epoch_factor", "least_squares", "mean_mse", "mse_slopes", "mse_surface",
    "per_example_r", "predicted_batch_steps", "round_to_span", "same_error_surface",
]
