"""One place for number text (gdnode_gui.core.number_text): full, short, distinct."""

from __future__ import annotations

import math
import struct
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdnode_gui.core.number_text import MINUS, Shown, distinct, full, maths, short

finite = st.floats(allow_nan=False, allow_infinity=False)
anything = st.floats()


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


# -- full and short -----------------------------------------------------------------------------
@pytest.mark.parametrize("value, text", [
    (1.0, "1"), (0.1, "0.1"), (1e-07, "1e-07"), (0.5999999999999994, "0.5999999999999994"),
    (-3.5e-12, "-3.5e-12"), (1e300, "1e+300"), (-0.0, "-0"), (0.0, "0"),
    (math.inf, "inf"), (-math.inf, "-inf"), (math.nan, "nan"),
])
def test_full_is_the_shortest_exact_text(value, text):
    assert full(value) == text


@given(finite)
def test_full_reads_back_bit_for_bit(x):
    assert bits(float(full(x))) == bits(x)


@pytest.mark.parametrize("value, digits, text", [
    (0.5999999999999994, 4, "0.6"), (-0.019999999999999997, 4, "-0.02"),
    (-5.551115123125783e-17, 4, "-5.551e-17"), (-5.551115123125783e-17, 3, "-5.55e-17"),
    (1.5e-7, 4, "1.5e-7"), (1e-7, 4, "1e-7"), (1.0, 4, "1"), (-0.0, 4, "0"),
    (12345678.0, 4, "1.235e7"), (0.41125, 3, "0.411"),
    (math.inf, 4, "inf"), (-math.inf, 3, "-inf"), (math.nan, 4, "nan"),
])
def test_short_rounds_to_a_few_significant_digits(value, digits, text):
    assert short(value, digits) == text


def test_short_marks_a_rounded_text_when_asked():
    assert short(0.5999999999999994, approx=True) == "\u22480.6"
    assert short(0.6, approx=True) == "0.6"
    assert short(0.42000000000000004, approx=True) == "\u22480.42"
    with pytest.raises(ValueError):
        short(1.0, 0)


def test_maths_uses_the_real_minus_sign():
    assert maths(short(-5.551115123125783e-17)) == f"{MINUS}5.551e{MINUS}17"
    assert maths(full(-math.inf)) == f"{MINUS}inf"
    assert maths("0.6") == "0.6"


# -- distinct: no number rounded into another -----------------------------------------------------
def test_the_weight_at_the_stall_never_reads_as_the_goal():
    weight, goal, delta = 0.5999999999999994, 0.6, -5.551115123125783e-16
    assert distinct([weight, goal, delta]) == ["0.5999999999999994", "0.6", "-5.551e-16"]
    assert distinct([weight]) == ["0.6"]  # alone, nothing on screen to be mistaken for


def test_distinct_adds_only_the_digits_it_needs():
    assert distinct([0.59999999, 0.6]) == ["0.59999999", "0.6"]
    assert distinct([0.5999912345678, 0.6]) == ["0.599991", "0.6"]
    assert distinct([0.42000000000000004, 0.4, 0.1]) == ["0.42", "0.4", "0.1"]
    assert distinct([0.1 + 0.2, 0.3]) == ["0.30000000000000004", "0.3"]


def test_equal_values_share_a_text_and_words_stay_words():
    texts = distinct([0.0, -0.0, 1.0, 1.0, math.inf, -math.inf, math.nan, 1e308])
    assert texts == ["0", "0", "1", "1", "inf", "-inf", "nan", "1e308"]
    assert distinct([]) == []
    assert distinct([2.5], digits=1) == ["2"]  # alone, one digit is enough
    assert distinct([2.5, 2.0], digits=1) == ["2.5", "2"]  # beside 2 it needs its second


def test_shown_looks_texts_up_by_value():
    shown = Shown([0.5999999999999994, 0.6, math.nan])
    assert shown(0.6) == "0.6"
    assert shown(0.5999999999999994) == "0.5999999999999994"
    assert shown(math.nan) == "nan"
    assert shown(0.123456789) == "0.123456789"  # not among them: every digit


def _check(values: list[float], texts: list[str]) -> None:
    assert len(texts) == len(values)
    for v, t in zip(values, texts):
        if math.isnan(v):
            assert t == "nan"
            continue
        back = float(t)
        if not math.isfinite(v):
            assert back == v
            continue
        for w, u in zip(values, texts):
            if math.isnan(w) or w == v:
                continue
            assert t != u, (v, w, t)
            # reads back strictly closer to its own value than to any other shown value
            assert abs(Fraction(back) - Fraction(v)) < abs(Fraction(back) - Fraction(w)) \
                if math.isfinite(w) else True, (v, w, t)
            assert back != w


@settings(max_examples=300, deadline=None)
@given(st.lists(anything, max_size=12))
def test_distinct_never_shows_two_different_numbers_alike(values):
    _check(values, distinct(values))


@settings(max_examples=300, deadline=None)
@given(finite, st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=6))
def test_distinct_keeps_neighbouring_floats_apart(x, ulps, digits):
    """The hard case: numbers a few floats apart (the stalled weight beside the goal)."""
    y = x
    for _ in range(ulps):
        y = math.nextafter(y, math.inf)
    values = [x, y, -x]
    texts = distinct(values, digits)
    _check(values, texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=1, max_size=8), st.integers(min_value=1, max_value=6))
def test_a_number_alone_or_far_from_the_others_is_just_short(values, digits):
    spread = [v * 10.0 ** (3 * k) for k, v in enumerate(values)]
    texts = distinct(spread, digits)
    _check(spread, texts)
    lonely = distinct(spread[:1], digits)
    assert lonely == [short(spread[0], digits)]
