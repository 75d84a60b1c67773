"""Reading numbers and tables of examples as people type, paste and export them (no Qt)."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdnode_gui.core import examples_io
from gdnode_gui.core.examples_io import (
    ExamplesParseError, NumberError, examples_to_text, number_text, parse_examples, parse_number,
    read_examples_csv,
)
from gdnode_gui.core.setup import Example, Setup

finite = st.floats(allow_nan=False, allow_infinity=False)


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


# -- numbers -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("0.1", 0.1), ("1e-7", 1e-07), ("0.1119", 0.1119), ("-3.5e-12", -3.5e-12),
    ("0.5999999999999994", 0.5999999999999994), ("0,5", 0.5), (" 2 ", 2.0), ("\u22121", -1.0),
    (".5", 0.5), ("5.", 5.0), ("+3", 3.0), ("1E3", 1000.0), ("-0,001", -0.001), ("1e-320", 1e-320),
])
def test_parse_number_reads_exactly_what_was_typed(text, expected):
    assert bits(parse_number(text)) == bits(expected)


@pytest.mark.parametrize("text, words", [
    ("", "empty"), ("   ", "empty"), ("abc", "'abc' is not a number"), ("nan", "not a finite number"),
    ("inf", "not a finite number"), ("-Infinity", "not a finite number"), ("1e999", "too large"),
    ("1,000.5", "decimal point only once"), ("1,2,3", "decimal point only once"), ("1.2.3", "not a number"),
    ("1_000", "not a number"), ("0x10", "not a number"), ("1e", "not a number"), ("--1", "not a number"),
])
def test_parse_number_refuses_with_a_plain_message(text, words):
    with pytest.raises(NumberError) as caught:
        parse_number(text)
    assert words in str(caught.value)


@pytest.mark.parametrize("value, text", [
    (1.0, "1"), (0.1, "0.1"), (1e-07, "1e-07"), (0.5999999999999994, "0.5999999999999994"),
    (-3.5e-12, "-3.5e-12"), (1e300, "1e+300"), (-0.0, "-0"), (123.25, "123.25"),
])
def test_number_text_is_the_shortest_exact_text(value, text):
    assert number_text(value) == text


@given(finite)
def test_number_text_reads_back_bit_for_bit(x):
    assert bits(parse_number(number_text(x))) == bits(x)


# -- tables --------------------------------------------------------------------------------
def test_tab_separated_block_from_a_spreadsheet():
    parsed = parse_examples("1\t0.6\n2\t1.2\n")
    assert parsed.examples == [Example((1.0,), 0.6), Example((2.0,), 1.2)]
    assert parsed.input_names is None


def test_semicolons_with_decimal_commas_and_a_header():
    parsed = parse_examples("stick;goal\n1;0,6\n\n2,5;1,2\n")
    assert parsed.examples == [Example((1.0,), 0.6), Example((2.5,), 1.2)]
    assert parsed.input_names == ["stick"]


def test_tab_separated_with_decimal_commas():
    assert parse_examples("0,5\t0,25\n").examples == [Example((0.5,), 0.25)]


def test_comma_separated_csv_with_a_header_and_several_inputs():
    parsed = parse_examples("toes,wlrec,nfans,win\n8.5,0.65,1.2,1\n9.5,0.8,1.3,1\n")
    assert parsed.examples == [Example((8.5, 0.65, 1.2), 1.0), Example((9.5, 0.8, 1.3), 1.0)]
    assert parsed.input_names == ["toes", "wlrec", "nfans"]


def test_comma_separated_understands_quoted_decimal_commas():
    parsed = parse_examples('x,goal\n"0,5","1,25"\n')
    assert parsed.examples == [Example((0.5,), 1.25)]


def test_unquoted_decimal_commas_in_csv_are_explained():
    with pytest.raises(ExamplesParseError) as caught:
        parse_examples("1,0,5\n2,1\n")
    assert "row 2" in str(caught.value)
    assert "tabs or ';'" in str(caught.value)


def test_spaces_separate_columns_when_nothing_else_does():
    assert parse_examples("1 0.6\n2   1.2").examples == [Example((1.0,), 0.6), Example((2.0,), 1.2)]
    assert parse_examples("1 0,5\n2 1,5").examples == [Example((1.0,), 0.5), Example((2.0,), 1.5)]
    assert parse_examples("1, 0.6\n2, 1.2").examples == [Example((1.0,), 0.6), Example((2.0,), 1.2)]


def test_a_header_cell_named_goal_marks_the_goal_column():
    parsed = parse_examples("Goal\ta\tb\n3\t1\t2\n")
    assert parsed.examples == [Example((1.0, 2.0), 3.0)]
    assert parsed.input_names == ["a", "b"]


def test_default_names_in_a_header_give_no_names():
    parsed = parse_examples("input 1\tinput 2\tgoal\n1\t2\t3\n")
    assert parsed.input_names is None


def test_long_names_are_cut_to_what_a_setup_allows():
    name = "a" * 60
    parsed = parse_examples(f"{name}\tgoal\n1\t2\n")
    assert parsed.input_names == ["a" * 40]
    Setup(examples=tuple(parsed.examples), weights=(0.0,), alpha=0.1, input_names=tuple(parsed.input_names))


def test_trailing_empty_cells_and_blank_lines_are_ignored():
    parsed = parse_examples("\n\n1\t2\t\t\n\n3\t4\t\n\n")
    assert parsed.examples == [Example((1.0,), 2.0), Example((3.0,), 4.0)]


def test_crlf_line_ends():
    assert parse_examples("x;goal\r\n1;2\r\n").examples == [Example((1.0,), 2.0)]


@pytest.mark.parametrize("text, message", [
    ("1\t0.6\n2\tabc\n", "row 2, column 2: 'abc' is not a number"),
    ("x\tgoal\n1\t0.6\n\n3\t\n", "row 4: has 1 columns but the table has 2"),
    ("1\t2\n\t3\n", "row 2, column 1: the cell is empty"),
    ("1\tnan\n", "row 1, column 2: 'nan' is not a finite number"),
    ("1\t1e999\n", "row 1, column 2: '1e999' is too large"),
    ("1\n2\n", "needs at least two columns"),
    ("", "there is no table here"),
    ("x\tgoal\n", "header row but no examples"),
    ("goal\tgoal\n1\t2\n", "more than one column is called 'goal'"),
])
def test_errors_name_the_row_and_column(text, message):
    with pytest.raises(ExamplesParseError) as caught:
        parse_examples(text)
    assert message in str(caught.value)


def test_error_rows_count_every_line_as_a_spreadsheet_does():
    with pytest.raises(ExamplesParseError) as caught:
        parse_examples("a;goal\n\n1;2\nx;3\n")
    assert caught.value.row == 4 and caught.value.column == 1


def test_more_than_16_inputs_is_refused():
    row = "\t".join(["1"] * 18)
    with pytest.raises(ExamplesParseError, match="17 inputs; a node takes at most 16"):
        parse_examples(row + "\n")
    assert parse_examples("\t".join(["1"] * 17)).n_inputs == 16


def test_more_than_10000_examples_is_refused():
    ok = "1\t2\n" * 10_000
    assert len(parse_examples(ok).examples) == 10_000
    with pytest.raises(ExamplesParseError, match="more than 10,000 examples"):
        parse_examples(ok + "1\t2\n")


def test_n_inputs_must_match_when_given():
    assert parse_examples("1\t2\t3\n", n_inputs=2).n_inputs == 2
    with pytest.raises(ExamplesParseError, match="has 2 input columns but the node has 1 input"):
        parse_examples("1\t2\t3\n", n_inputs=1)


# -- round trips and files -----------------------------------------------------------------
@settings(max_examples=60)
@given(st.integers(1, 4).flatmap(lambda n: st.lists(
    st.builds(Example, st.tuples(*[finite] * n), finite), min_size=1, max_size=6)))
def test_copy_then_paste_gives_the_same_floats(examples):
    text = examples_to_text(examples, ())
    parsed = parse_examples(text)
    assert [tuple(map(bits, (*e.inputs, e.goal))) for e in parsed.examples] == \
        [tuple(map(bits, (*e.inputs, e.goal))) for e in examples]
    assert parsed.input_names is None


def test_examples_to_text_writes_names_and_a_goal_header():
    text = examples_to_text([Example((1.0, 0.1), 0.6)], ("stick", ""))
    assert text == "stick\tinput 2\tgoal\n1\t0.1\t0.6\n"
    assert parse_examples(text).input_names == ["stick", ""]


def test_a_name_that_reads_as_a_number_stays_a_header():
    text = examples_to_text([Example((1.0,), 2.0)], ("2024",))
    parsed = parse_examples(text)
    assert parsed.examples == [Example((1.0,), 2.0)]
    assert parsed.input_names == ["2024 (name)"]


def test_read_csv_file_with_bom_and_windows_text(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes("\ufeffsize;goal\r\n1,5;3\r\n".encode("utf-8"))
    assert read_examples_csv(path).examples == [Example((1.5,), 3.0)]
    path.write_bytes("größe;goal\n1;2\n".encode("cp1252"))
    assert read_examples_csv(path).input_names == ["größe"]


def test_read_csv_problems_are_parse_errors(tmp_path, monkeypatch):
    with pytest.raises(ExamplesParseError, match="cannot read"):
        read_examples_csv(tmp_path / "missing.csv")
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\x00\x00")
    with pytest.raises(ExamplesParseError, match="not a text file"):
        read_examples_csv(binary)
    big = tmp_path / "big.csv"
    big.write_text("1\t2\n" * 100)
    monkeypatch.setattr(examples_io, "MAX_TABLE_BYTES", 50)
    with pytest.raises(ExamplesParseError, match="larger than"):
        read_examples_csv(big)


def test_parsed_examples_make_a_valid_setup():
    parsed = parse_examples("a;b;goal\n1;2;3\n4;5;6\n")
    setup = Setup(examples=tuple(parsed.examples), weights=(0.0, 0.0), alpha=0.01,
                  input_names=tuple(parsed.input_names))
    assert Setup.from_dict(setup.to_dict()) == setup
    assert all(math.isfinite(x) for e in setup.examples for x in (*e.inputs, e.goal))
