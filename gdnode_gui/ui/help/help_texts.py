"""Plain-language explanations of every word the app uses, for tooltips and the help page.

Keys are simple lowercase words (``"alpha"``, ``"weighted_delta"``, ``"stop_on_stall"``) so
that any panel can write ``setToolTip(HELP["alpha"])``.  The texts speak to a student who
has read the article and nothing else.  No Qt here: ``help_html()`` returns plain HTML.
"""

from __future__ import annotations


#: Explanation of each term, 1 to 3 sentences.
HELP: dict[str, str] = {
    "input": (
        "A number the node is given, such as 1 for the stick house. Each input has its own weight; "
        "the node cannot change its inputs, only its weights."
    ),
    "weight": (
        "How much the node trusts one input: the prediction is each input times its weight, added up. "
        "Learning means changing the weights, a little every step, until the prediction hits the goal."
    ),
    "prediction": (
        "The node's guess: weight × input, summed over all inputs (0.4 × 1 = 0.4 in the article's first step)."
    ),
    "goal": (
        "The answer the node should give for an example (0.6 in the article). "
        "The node compares its prediction with it to see how far it missed."
    ),
    "delta": (
        "How far the prediction missed: prediction − goal. Negative means the guess was too low "
        "(0.4 − 0.6 = −0.2), positive means too high, 0 means exactly right."
    ),
    "mse": (
        "The squared error, delta² (delta × delta). Squaring makes every miss count as positive, so "
        "misses of −2 and +2 cannot cancel out when averaged; 'mean squared error' is its average."
    ),
    "weighted_delta": (
        "The miss scaled by the input: delta × input. It says which way and how much to move this weight; "
        "an input of 0 gives 0, so that weight does not move."
    ),
    "alpha_delta": (
        "The step the weight actually takes: alpha × weighted_delta. It is subtracted from the weight, "
        "so a negative alpha_delta makes the weight bigger."
    ),
    "alpha": (
        "The learning rate, the article's 'brake' on each correction. Small alphas learn slowly but surely; "
        "too big an alpha overshoots the goal further every step, the death spiral."
    ),
    "step": (
        "One pass through the six lines: predict, compare with the goal, and move the weights once. "
        "Step 1 is the first update."
    ),
    "example": (
        "One training case: a set of inputs with the goal the node should predict for them. "
        "A data set holds several examples."
    ),
    "epoch": (
        "One pass over all the examples. With one example an epoch is one step; with five examples "
        "taken one at a time it is five steps."
    ),
    "tolerance": (
        "An error small enough to call the job done. When the average squared error over the last epoch "
        "drops below it, the run stops 'converged'; 0 means stop only at exactly 0."
    ),
    "stop_on_stall": (
        "Stop the run when the weights have not changed for a whole epoch. Without it the node keeps "
        "repeating the same step until the step limit, as the article's 'really big number' loop does."
    ),
    "max_steps": (
        "The most steps a run may take, the article's 'really big number' m. "
        "The run ends 'max_steps' when it gets there."
    ),
    "stalled": (
        "The run ended because the weights stopped changing. The computer keeps about 16 digits, so a "
        "correction far smaller than the weight is lost in rounding: the article's 0.5999999999999994."
    ),
    "diverged": (
        "The run ended because the numbers became too big for the computer (infinity). The misses grew "
        "every step because alpha was too big: the death spiral."
    ),
    "converged": (
        "The run ended because the error became 0, or smaller than the tolerance: the node learned the goal."
    ),
    "frozen": (
        "A frozen weight keeps its starting value: the node still computes its weighted_delta, but never "
        "applies it. The other weights must do all the learning."
    ),
    "cyclic": (
        "Take the examples one per step, in their order, and start again at the first: "
        "the article's one-example-at-a-time (stochastic) gradient descent."
    ),
    "shuffled": (
        "Take the examples one per step, in a new random order every epoch. "
        "The seed number makes the 'random' order the same each time you run it."
    ),
    "batch": (
        "Use all examples in every step: the step's weighted_delta is the average over the examples, "
        "so the weights move once per epoch, smoothly instead of zig-zagging between examples."
    ),
    "order": (
        "Which example each step uses: cyclic (in turn), shuffled (random order each epoch) or batch (all at once)."
    ),
    "r": (
        "How much of the miss is left after a step: r = 1 − alpha × (sum of the squared inputs). "
        "Each delta is r times the one before, so the size of r decides whether the node settles or spirals away."
    ),
    "regime": (
        "What the run will do, read from r: steady (0 < r < 1, creeps towards the goal), oscillating "
        "(−1 < r < 0, zig-zags but settles), one step (r = 0), bouncing forever (r = −1) or diverging (r beyond ±1)."
    ),
    "sum_x_squared": (
        "The sum of the squared inputs of the weights that can learn (1 × 1 = 1 for the stick house). "
        "The bigger the inputs, the harder each correction pushes, so the smaller alpha must be."
    ),
    "max_stable_alpha": (
        "The largest alpha that still settles: 2 ÷ (sum of the squared inputs). "
        "Any alpha above it makes every miss bigger than the last."
    ),
    "best_alpha": (
        "The alpha that lands on the goal in one step for one example: 1 ÷ (sum of the squared inputs), "
        "which makes r = 0. With several examples it is the fastest alpha on average."
    ),
    "predicted_steps": (
        "How many steps the formula r says the run needs to bring the error below the tolerance, "
        "worked out before running; compare it with the steps the run really took."
    ),
    "error_surface": (
        "The average squared error for every value a weight could have: a bowl whose lowest point is "
        "the best weight. Gradient descent slides down it; the dots are the weights the node visited."
    ),
    "alpha_sweep": (
        "The Alpha sweep tab runs the node once for each of many alphas and plots how many steps each "
        "run took and how it ended: a valley at the best alpha and a cliff where the runs start to "
        "diverge, measured rather than predicted. Click a point to use its alpha."
    ),
    "step_back": (
        "Left shows the step before in the node and the lines, Right the next one again; the trace "
        "does not change. Clicking a row of the trace or a point of a plot shows that step. Once the "
        "newest step is shown, Right takes a new step."
    ),
    "export_code": (
        "File > Export as Python script writes the article's loop with this setup's numbers: run with "
        "python, it prints the same CSV as the app exports. Export as notebook writes a Jupyter notebook "
        "that explains each line and writes trace.csv."
    ),
    "presentation": (
        "For a projector: the node with its six lines gets most of the room, the setup's values stay "
        "on a line above it, the table is hidden and the plots give way first (View > Plots chooses "
        "which show). It turns on by itself at large zooms."
    ),
    "not_learning": (
        "No weight can move: every weight is frozen, its inputs are all 0, or alpha is 0. "
        "The node repeats the same prediction forever."
    ),
}

#: Titles for the help page, in reading order (the article's order first).
_SECTIONS = (
    ("The node, line by line", ("input", "weight", "prediction", "goal", "delta", "mse",
                                "weighted_delta", "alpha_delta", "alpha")),
    ("Steps and examples", ("step", "example", "epoch", "order", "cyclic", "shuffled", "batch", "frozen")),
    ("When a run ends", ("max_steps", "tolerance", "stop_on_stall", "converged", "stalled", "diverged")),
    ("Stability: will it settle?", ("sum_x_squared", "r", "regime", "max_stable_alpha", "best_alpha",
                                    "predicted_steps", "not_learning", "error_surface", "alpha_sweep")),
    ("Using the app", ("step_back", "presentation", "export_code")),
)


def help_text(key: str) -> str:
    """The explanation of ``key`` (an empty string for unknown keys, so a tooltip stays blank)."""
    return HELP.get(key, "")


def help_html() -> str:
    """Every explanation as one HTML page, grouped by topic."""
    import html  # here, not at the top: the tooltips need only HELP, at start-up

    parts = [
        "<html><body>",
        "<h2>The words of the node</h2>",
        "<p>Each step the node runs six lines: prediction, delta, mse, weighted_delta, "
        "alpha_delta and the new weight. These are the words the app uses for them.</p>",
    ]
    listed: set[str] = set()
    for title, keys in _SECTIONS:
        parts.append(f"<h3>{html.escape(title)}</h3><dl>")
        for key in keys:
            listed.add(key)
            parts.append(f"<dt><b>{html.escape(key)}</b></dt><dd>{html.escape(HELP[key])}</dd>")
        parts.append("</dl>")
    rest = [key for key in HELP if key not in listed]
    if rest:
        parts.append("<h3>More</h3><dl>")
        for key in rest:
            parts.append(f"<dt><b>{html.escape(key)}</b></dt><dd>{html.escape(HELP[key])}</dd>")
        parts.append("</dl>")
    parts.append("</body></html>")
    return "\n".join(parts)


__all__ = ["HELP", "help_html", "help_text"]
