"""The lesson of a run in one line (gdnode_gui.core.lesson), for every preset and beyond."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.core.frame import Frame
from gdnode_gui.core.lesson import (
    MAX_LENGTH, best_alpha_text, lesson, lesson_of, stall_sentence, stuck_examples, value_label,
)
from gdnode_gui.core.number_text import MINUS
from gdnode_gui.resources import load_preset, preset_summaries

PRESETS = [name for name, _, _ in preset_summaries()]


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    return {name: run_to_end(load_preset(name)) for name in PRESETS}


def test_every_preset_has_a_lesson_that_fits_one_line(runs):
    assert len(PRESETS) >= 8
    for name, run in runs.items():
        text = lesson(run)
        assert text and len(text) <= MAX_LENGTH, (name, text)
        assert "\n" not in text and text.endswith("."), (name, text)
        for code in ("max_steps", "None", "nan", "infinity"):
            assert code not in text, (name, text)
    assert len({lesson(run) for run in runs.values()}) == len(runs)  # each teaches its own thing


def test_the_seed_stalls_on_a_float_gap(runs):
    run = runs["seed"]
    assert run.outcome == "stalled"
    text = lesson(run)
    # every digit of the weight, beside the weight that would fit (0.6): never rounded into it
    assert text == (f"Stuck at 0.5999999999999994, not 0.6: each update (5.55e{MINUS}17) is no larger "
                    f"than half the float gap (1.11e{MINUS}16).")
    # the numbers are the run's own: 2**-54 is the update, 2**-53 the gap below 0.6
    row = run.trace.row(318)
    assert abs(row["alpha_delta_1"]) == 2.0 ** -54 and math.ulp(row["weight_1"]) == 2.0 ** -53


def test_the_death_spiral_says_alpha_and_how_fast_it_grows(runs):
    text = lesson(runs["death-spiral"])
    assert runs["death-spiral"].outcome == "diverged"
    assert text.startswith("Alpha 0.6 is too big (over 0.5): each miss is 1.4 times the last")


def test_overshooting_that_settles_and_the_perfect_alpha(runs):
    assert lesson(runs["oscillating"]) == ("Alpha 1.5 overshoots the goal every step, but each miss is "
                                           "0.5 times the last, so it settles.")
    one = lesson(runs["one-step"])
    assert one.startswith("Alpha 0.25 = 1 ÷ Σx² (1 ÷ 4) is the perfect alpha")
    assert "one step" in one


def test_frozen_and_several_inputs(runs):
    frozen = lesson(runs["frozen-weight"])
    assert frozen.startswith("The frozen toes weight kept its start value")
    several = lesson(runs["several-inputs"])
    assert "alpha × delta × its own input" in several and "toes weight (8.5)" in several


def test_the_straw_house_cannot_learn(runs):
    run = runs["three-little-pigs"]
    assert stuck_examples(run.setup) == [(1, 0.2 * 0.2)]
    assert lesson(run) == ("Example 1 (house 0): weighted_delta = delta × 0 = 0, so its mse 0.04 can "
                           "never shrink.")
    # it is the straw example's own error, in the trace, at every straw step
    straw = run.trace.mse[run.trace.example == 1]
    assert set(straw.tolist()) == {0.2 * 0.2}
    for order in ("batch", "shuffled"):
        assert "mse 0.04 can never shrink" in lesson(run_to_end(run.setup.replace(order=order)))


def test_data_sets_speak_of_the_pass_and_of_batch(runs):
    cyclic = lesson(runs["small-data-set"])
    assert "the mean over a pass of 5" in cyclic and f"1e{MINUS}12" in cyclic
    batch = lesson(run_to_end(load_preset("small-data-set").replace(order="batch")))
    assert batch.startswith("Each step learned from all 5 examples at once")


def test_lessons_wait_for_the_end_and_read_frames():
    setup = seed_setup()
    run = Run(setup)
    assert lesson(run) == ""
    run.advance(10)
    assert lesson(run) == ""  # still running
    done = run_to_end(setup)
    frame = Frame(setup=setup, trace=done.trace, steps=done.n_steps, outcome=done.outcome)
    assert lesson(frame) == lesson(done)
    assert lesson_of(setup, done.trace, None) == ""


@pytest.mark.parametrize("changes, words", [
    (dict(alpha=0.0), "Alpha is 0"),
    (dict(frozen=(True,)), "Every weight is frozen"),
    (dict(alpha=2.0, max_steps=50), "bounces across the goal forever"),
    (dict(max_steps=50), "more steps or a larger alpha (below 2)"),
    (dict(stop_on_stall=False), "Stuck at 0.5999999999999994, not 0.6"),
    (dict(alpha=0.5, tolerance=1e-20), "Each step closes 50% of the gap"),
])
def test_generic_lessons_by_outcome_and_regime(changes, words):
    run = run_to_end(seed_setup().replace(**changes))
    text = lesson(run)
    assert words in text and len(text) <= MAX_LENGTH, text


def test_a_stopped_run_has_a_lesson():
    run = Run(seed_setup())
    run.advance(5)
    run.stop()
    assert lesson(run) == "Stopped after 5 steps, before the run could end on its own."


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inputs=st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, -1.5, 3.0]), min_size=1, max_size=3),
    goal=st.sampled_from([0.0, 0.6, -1.0, 2.5]),
    alpha=st.sampled_from([0.0, 0.01, 0.1, 0.3, 0.5, 1.0, 1.9]),
    examples=st.integers(min_value=1, max_value=3),
    order=st.sampled_from(["cyclic", "shuffled", "batch"]),
)
def test_any_setup_gets_one_short_line(inputs, goal, alpha, examples, order):
    n = len(inputs)
    rows = tuple(Example(tuple(x * (e + 1) for x in inputs), goal + e) for e in range(examples))
    setup = Setup(examples=rows, weights=(0.1,) * n, alpha=alpha, order=order, max_steps=400)
    run = run_to_end(setup)
    text = lesson(run)
    assert text and len(text) <= MAX_LENGTH and "\n" not in text, text


# -- the pieces ---------------------------------------------------------------------------------
def test_stall_sentence_only_when_the_weight_is_stuck():
    assert stall_sentence(0.6, 1e-3) is None  # it moves
    assert stall_sentence(0.6, 0.0) is None  # no update at all: nothing to explain
    assert stall_sentence(math.inf, 1e-20) is None
    text = stall_sentence(0.6, 2e-17)
    assert text == f"Stuck at 0.6: each update (2e{MINUS}17) is no larger than half the float gap (1.11e{MINUS}16)."
    assert stall_sentence(0.6, 2e-17, goal_weight=0.6000000000000001).startswith(
        "Stuck at 0.6, not 0.6000000000000001")


def test_stuck_examples_count_only_learning_inputs_and_real_errors():
    setup = Setup(examples=(Example((0.0, 1.0), 0.5), Example((1.0, 0.0), 0.0), Example((2.0, 1.0), 1.0)),
                  weights=(0.0, 0.5), frozen=(False, True), alpha=0.1)
    # example 1: only the frozen input is non-zero, prediction 0.5 hits its goal: no error
    # example 2: the learning input is 1: it can learn
    assert stuck_examples(setup) == []
    setup = setup.replace(examples=(Example((0.0, 1.0), 0.9),) + setup.examples[1:])
    assert stuck_examples(setup) == [(1, (0.5 - 0.9) ** 2)]
    assert stuck_examples(setup.replace(frozen=(True, True))) == []  # nothing learns at all


def test_words_on_controls():
    assert value_label("input", 0, "stick") == "stick input:"
    assert value_label("weight", 2, "") == "weight 3:"
    assert value_label("input", 1, "  ") == "input 2:"
    with pytest.raises(ValueError):
        value_label("goal", 0)
    assert best_alpha_text(1.0) == "Use best alpha = 1"
    assert best_alpha_text(math.inf) == "Use best alpha"
    assert best_alpha_text(0.13513513513513514, alpha=0.1351) == "Use best alpha = 0.135135"


def test_a_death_spiral_cut_short_by_its_step_limit_still_teaches_the_spiral() -> None:
    from gdnode_gui.core import run_to_end
    from gdnode_gui.resources import load_preset

    run = run_to_end(load_preset("death-spiral").replace(max_steps=12))
    assert run.outcome == "max_steps"
    text = lesson(run)
    assert "too big" in text and "larger alpha" not in text and "overflow" in text
