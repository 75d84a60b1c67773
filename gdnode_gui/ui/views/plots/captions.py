"""Words about runs: what differs between the current run and the kept ones (their direct
labels, e.g. "alpha 0.1" / "alpha 0.5") and the caption of an exported image."""

from __future__ import annotations

import math

from gdnode_gui.core.frame import Frame
from gdnode_gui.core.setup import Setup
from gdnode_gui.core.trace import Trace


# -- what differs between runs --------------------------------------------------------------------------
def number_text(value: float) -> str:
    """A short, exact-looking number: 1, 0.25, 1e-09, 1.5e+308 (4 digits when long)."""
    value = float(value)
    if not math.isfinite(value) or abs(value) >= 1e4 or (value and abs(value) < 1e-3):
        return f"{value:.4g}"
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text if len(text) <= 8 else f"{value:.6g}"


def run_labels(current: Setup, kept: list[Setup]) -> tuple[str | None, list[str | None]]:
    """Short labels saying what differs between the current run's setup and the kept runs'
    (e.g. "alpha 0.5" and ["alpha 0.1"]); None where nothing tells them apart."""
    def pieces(setup: Setup, other: Setup) -> list[str]:
        out = []
        if setup.alpha != other.alpha:
            out.append(f"alpha {number_text(setup.alpha)}")
        if setup.weights != other.weights:
            out.append("weight" + ("s " if len(setup.weights) > 1 else " ")
                       + ", ".join(number_text(w) for w in setup.weights))
        if setup.order != other.order:
            out.append(setup.order)
        if setup.examples != other.examples:
            if setup.n_examples == 1 == other.n_examples and setup.examples[0].inputs == other.examples[0].inputs:
                out.append(f"goal {number_text(setup.examples[0].goal)}")
            else:
                out.append(f"{setup.n_examples} example" + ("s" if setup.n_examples > 1 else ""))
        if setup.frozen != other.frozen:
            out.append("frozen " + ", ".join(str(i + 1) for i, f in enumerate(setup.frozen) if f) if any(setup.frozen)
                       else "none frozen")
        return out[:2]

    kept_labels = []
    mine: list[str] = []
    for other in kept:
        theirs = pieces(other, current)
        kept_labels.append(", ".join(theirs) or None)
        for piece in pieces(current, other):
            if piece not in mine:
                mine.append(piece)
    return (", ".join(mine[:2]) or None), kept_labels


def caption_lines(trace: Trace, n: int, frame: Frame | None, kept: list[tuple[int, str]]) -> list[str]:
    """The caption under exported plots: the setup (inputs, goal, weights from the start to
    step ``n`` with every digit, alpha, order), the outcome and the step (and the step
    marked, while ``frame`` shows an earlier one), and the kept runs ((steps, label) each)."""
    setup = trace.setup
    names = ", ".join(setup.input_name(i) for i in range(setup.n_inputs))
    if setup.n_examples == 1:
        example = setup.examples[0]
        first = (f"input{'s' if setup.n_inputs > 1 else ''} ({names}) "
                 f"{', '.join(number_text(x) for x in example.inputs)} · goal {number_text(example.goal)}")
    else:
        first = (f"{setup.n_examples} examples ({names}), {setup.order} order · goals "
                 + ", ".join(number_text(e.goal) for e in setup.examples[:6])
                 + (", …" if setup.n_examples > 6 else ""))
    start = ", ".join(number_text(w) for w in setup.weights)
    now = ", ".join(repr(float(trace.weight_path(i)[n])) for i in range(setup.n_inputs))  # every digit
    first += f" · weight{'s' if setup.n_inputs > 1 else ''} {start} → {now} · alpha {number_text(setup.alpha)}"
    outcome = frame.outcome if frame is not None else None
    second = f"{outcome} after step {n:,}" if outcome else f"step {n:,}"
    if frame is not None and not frame.latest:
        second += f" · marked: step {frame.shown:,}"
    lines = [first, second]
    if kept:
        lines.append("dashed grey: kept runs: " + "; ".join(f"{label} ({steps:,} steps)" for steps, label in kept))
    return lines


__all__ = ["caption_lines", "run_labels"]
