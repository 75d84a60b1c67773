"""The six lines of the node written out with the numbers of a step (gdnode_gui.core.equations)."""

from __future__ import annotations

import pytest

from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.core.equations import (
    LINE_KEYS, equations_text, number, operand, squared, step_equations, vector,
)
from gdnode_gui.resources import load_preset


@pytest.fixture(scope="module")
def seed_run() -> Run:
    return run_to_end(seed_setup())


def texts(setup: Setup, row: dict, full: bool) -> list[str]:
    return [line.text for line in step_equations(setup, row, full)]


# -- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, full, text", [
    (0.6, False, "0.6"),
    (-0.019999999999999997, False, "-0.02"),
    (0.5999999999999994, False, "0.6"),
    (0.5999999999999994, True, "0.5999999999999994"),
    (1.0, True, "1"),
    (-5.551115123125783e-17, False, "-5.551e-17"),
    (-5.551115123125783e-17, True, "-5.551115123125783e-17"),
    (float("inf"), True, "inf"),
    (float("-inf"), False, "-inf"),
    (float("nan"), False, "nan"),
    (-0.0, True, "0"),
])
def test_number_short_and_full(value: float, full: bool, text: str) -> None:
    assert number(value, full) == text


def test_full_precision_reads_back_exactly() -> None:
    for value in (0.1 + 0.2, 1 / 3, -2.5e-300, 1e22, 0.42000000000000004):
        assert float(number(value, True)) == value


def test_operands_use_a_real_minus_and_parentheses_after_an_operator() -> None:
    assert operand(-0.2) == "(\u22120.2)"
    assert operand(-0.2, first=True) == "\u22120.2"
    assert operand(0.2) == "0.2"
    assert squared(-0.2) == "(\u22120.2)²"
    assert squared(0.5) == "0.5²"
    assert vector([0.1, -0.2]) == "[0.1, \u22120.2]"
    assert vector([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], limit=4) == "[1, 2, 3, 4, … 7 in all]"


# -- the article's numbers ------------------------------------------------------------------------
def test_seed_step_1_full_precision(seed_run: Run) -> None:
    lines = texts(seed_run.setup, seed_run.trace.row(1), True)
    assert lines == [
        "prediction = 0.4 × 1 = 0.4",
        "delta = 0.4 − 0.6 = -0.19999999999999996",
        "mse = (−0.19999999999999996)² = 0.03999999999999998",
        "weighted_delta = −0.19999999999999996 × 1 = -0.19999999999999996",
        "alpha_delta = 0.1 × (−0.19999999999999996) = -0.019999999999999997",
        "weight = 0.4 − (−0.019999999999999997) = 0.42000000000000004",
    ]


def test_seed_step_1_short_is_the_articles_text(seed_run: Run) -> None:
    lines = texts(seed_run.setup, seed_run.trace.row(1), False)
    assert lines == [
        "prediction = 0.4 × 1 = 0.4",
        "delta = 0.4 − 0.6 = -0.2",
        "mse = (−0.2)² = 0.04",
        "weighted_delta = −0.2 × 1 = -0.2",
        "alpha_delta = 0.1 × (−0.2) = -0.02",
        "weight = 0.4 − (−0.02) = 0.42",
    ]


def test_seed_step_318_shows_the_stall(seed_run: Run) -> None:
    assert seed_run.n_steps == 318
    full = texts(seed_run.setup, seed_run.trace.row(318), True)
    assert full[0] == "prediction = 0.5999999999999994 × 1 = 0.5999999999999994"
    assert full[1] == "delta = 0.5999999999999994 − 0.6 = -5.551115123125783e-16"
    assert full[5].startswith(
        "weight = 0.5999999999999994 − (−5.551115123125783e-17) = 0.5999999999999994")
    assert "too small to move the stored number" in full[5]
    # Issue 13: the short lines never round the weight into the goal beside it.
    short = texts(seed_run.setup, seed_run.trace.row(318), False)
    assert short[0] == "prediction = 0.5999999999999994 × 1 = 0.5999999999999994"
    assert short[1] == "delta = 0.5999999999999994 − 0.6 = -5.551e-16"
    assert short[5].startswith("weight = 0.5999999999999994 − (−5.551e-17) = 0.5999999999999994")


def test_no_step_of_the_seed_rounds_a_number_into_another(seed_run: Run) -> None:
    """Every step, short lines: the two sides of "delta = prediction − goal" differ as the
    numbers do, and the weight line shows a change exactly when the weight changed."""
    setup, trace = seed_run.setup, seed_run.trace
    for k in range(1, seed_run.n_steps + 1):
        row = trace.row(k)
        lines = step_equations(setup, row, False)
        prediction, goal = lines[1].numbers.split(" − ")
        assert (prediction == goal) == (row["prediction"] == row["goal"]), k
        before, _ = lines[5].numbers.split(" − ")
        assert (before == lines[5].result) == (row["weight_1"] == row["new_weight_1"]), k
        # and a text never reads back as another number of the step
        assert float(prediction) != row["goal"] or row["prediction"] == row["goal"], k
    # as many digits as it takes, no more: the delta keeps its 4
    assert texts(setup, trace.row(100), False)[1] == "delta = 0.5999941 − 0.6 = -5.903e-6"


def test_the_numbers_shown_are_the_traces(seed_run: Run) -> None:
    """Every result written in full precision reads back to the trace's own float."""
    trace = seed_run.trace
    for k in (1, 2, 3, 100, 318):
        row = trace.row(k)
        results = {line.key: float(line.result) for line in step_equations(seed_run.setup, row, True)}
        assert results["prediction"] == row["prediction"]
        assert results["delta"] == row["delta"]
        assert results["mse"] == row["mse"]
        assert results["weighted_delta"] == row["weighted_delta_1"]
        assert results["alpha_delta"] == row["alpha_delta_1"]
        assert results["weight"] == row["new_weight_1"]
    assert [trace.row(k)["new_weight_1"] for k in (1, 2, 3)] == [
        0.42000000000000004, 0.43800000000000006, 0.45420000000000005]


def test_trace_row_equals_the_csv_columns_in_every_order() -> None:
    for order in ("cyclic", "shuffled", "batch"):
        setup = load_preset("small-data-set").replace(order=order, max_steps=40)
        trace = run_to_end(setup).trace
        columns = dict(trace.columns())
        for k in (1, 7, trace.n_steps):
            got = trace.row(k)
            assert list(got) == trace.column_names()
            for key, value in got.items():
                expected = columns[key][k - 1]
                assert value == expected or (value != value and expected != expected), key
    with pytest.raises(IndexError):
        trace.row(trace.n_steps + 1)


# -- several inputs, frozen, batch -------------------------------------------------------------------
def test_several_inputs_sum_every_term_and_give_one_line_per_weight() -> None:
    setup = load_preset("several-inputs")
    row = run_to_end(setup).trace.row(1)
    lines = texts(setup, row, False)
    assert lines[0] == "prediction = 0.1 × 8.5 + 0.2 × 0.65 + (−0.1) × 1.2 = 0.86"
    assert lines[1] == "delta = 0.86 − 1 = -0.14"
    assert "weighted_delta_1 = −0.14 × 8.5 = -1.19" in lines
    assert "alpha_delta_3 = 0.01 × (−0.168) = -0.00168" in lines
    assert "weight_1 = 0.1 − (−0.0119) = 0.1119" in lines
    assert "weight_3 = −0.1 − (−0.00168) = -0.09832" in lines
    keys = [line.key for line in step_equations(setup, row, False)]
    assert keys == ["prediction", "delta", "mse"] + ["weighted_delta"] * 3 + ["alpha_delta"] * 3 + ["weight"] * 3
    # full precision shows the float sum of the article's order exactly
    full = step_equations(setup, row, True)
    assert full[0].result == repr(row["prediction"]) == "0.8600000000000001"


def test_a_frozen_weight_says_it_stays() -> None:
    setup = load_preset("frozen-weight")
    row = run_to_end(setup).trace.row(2)
    lines = texts(setup, row, False)
    assert "weight_1 = 0.1  (frozen: stays 0.1)" in lines
    assert any(line.startswith("weight_2 = 0.2273 − (−0.01205) = 0.2393") for line in lines)


def test_more_than_three_inputs_use_vector_lines() -> None:
    setup = Setup(examples=(Example((1.0, 2.0, 3.0, 4.0), 1.0),), weights=(0.0, 0.0, 0.0, 0.5),
                  frozen=(False, True, False, False), alpha=0.01)
    row = run_to_end(setup).trace.row(1)
    lines = step_equations(setup, row, False)
    assert len(lines) == 6
    assert lines[0].text == "prediction = 0 × 1 + 0 × 2 + 0 × 3 + 0.5 × 4 = 2"
    assert lines[3].text == "weighted_deltas = 1 × [1, 2, 3, 4] = [1, 2, 3, 4]"
    assert lines[4].text == "alpha_deltas = 0.01 × [1, 2, 3, 4] = [0.01, 0.02, 0.03, 0.04]"
    assert lines[5].text.startswith("weights = [0, 0, 0, 0.5] − [0.01, 0.02, 0.03, 0.04] = "
                                    "[−0.01, 0, −0.03, 0.46]")
    assert "frozen: weight_2 stays" in lines[5].note


def test_batch_order_shows_every_example_and_the_means() -> None:
    setup = load_preset("small-data-set").replace(order="batch")
    row = run_to_end(setup).trace.row(1)
    lines = step_equations(setup, row, False)
    text = "\n".join(line.text for line in lines)
    assert "one step uses all 5 examples" in lines[0].note
    assert lines[1].text == ("deltas = [0, 0, 0, 0, 0] − [0.55, 0.65, 0.7, 1.2, 1.06] = "
                             "[−0.55, −0.65, −0.7, −1.2, −1.06]")
    assert lines[2].text.startswith("mse = ((−0.55)² + (−0.65)² + (−0.7)² + (−1.2)² + (−1.06)²) ÷ 5 = ")
    assert float(lines[2].result) == pytest.approx(row["mse"], rel=1e-3)
    assert "weighted_delta_1 = (−0.55 × 1 + (−0.65) × 0.5 + (−0.7) × 2 + (−1.2) × 1.5 + (−1.06) × 0.2) ÷ 5" in text
    full = {line.name: line.result for line in step_equations(setup, row, True)}
    assert float(full["weighted_delta_1"]) == row["weighted_delta_1"]
    assert float(full["weight_2"]) == row["new_weight_2"]


def test_batch_with_many_examples_lists_only_the_first_few() -> None:
    examples = tuple(Example((float(e),), 0.5 * e) for e in range(1, 41))
    setup = Setup(examples=examples, weights=(0.0,), alpha=0.001, order="batch", max_steps=3)
    row = run_to_end(setup).trace.row(1)
    text = equations_text(setup, row)
    assert "… (40 examples)) ÷ 40" in text
    assert "… 40 in all]" in text
    assert len(text) < 2000


def test_a_diverged_step_writes_inf() -> None:
    setup = load_preset("death-spiral")
    run = run_to_end(setup)
    assert run.outcome == "diverged"
    lines = step_equations(setup, run.trace.row(run.n_steps), True)
    assert lines[2].result == "inf"
    assert [line.key for line in lines] == list(LINE_KEYS)


# -- the words of the node (gdnode_gui.ui.help.help_texts: plain text, no Qt) ---------------------------
def test_every_word_has_a_short_plain_explanation() -> None:
    from gdnode_gui.ui.help.help_texts import HELP, help_html, help_text

    required = ("input", "weight", "prediction", "goal", "delta", "mse", "weighted_delta",
                "alpha_delta", "alpha", "step", "example", "epoch", "tolerance", "stop_on_stall",
                "stalled", "diverged", "converged", "frozen", "cyclic", "shuffled", "batch", "r",
                "regime")
    for key in required:
        text = help_text(key)
        assert text, key
        sentences = text.count(". ") + 1
        assert 1 <= sentences <= 3 and len(text) < 400, key
    assert help_text("no such word") == ""
    page = help_html()
    assert page.startswith("<html>") and page.rstrip().endswith("</html>")
    for key, text in HELP.items():
        assert f"<b>{key}</b>" in page
    assert "0.4 − 0.6 = −0.2" in page  # the article's own numbers
