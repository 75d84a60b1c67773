"""Tables of examples at the edges (issue 12): cells meant as numbers are never a header,
only ASCII digits, only regular files (a named pipe never hangs), UTF-16 read or named."""

from __future__ import annotations

import codecs
import os
import threading

import pytest

from gdnode_gui.core.examples_io import (
    ExamplesParseError, NumberError, examples_to_text, parse_examples, parse_number, read_examples_csv,
)
from gdnode_gui.core.setup import Example


def refused(text: str) -> str:
    with pytest.raises(ExamplesParseError) as caught:
        parse_examples(text)
    return str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ("nan\tnan\n", "row 1, column 1: 'nan' is not a finite number"),
    ("NaN;nan\n1;2\n", "row 1, column 1: 'NaN' is not a finite number"),
    ("-inf\tinf\n", "row 1, column 1: '-inf' is not a finite number"),
    ("1e999\tx\n1\t2\n", "row 1, column 1: '1e999' is too large"),
    ("nan\n", "row 1: needs at least two columns"),
])
def test_cells_meant_as_numbers_are_data_not_a_header(text, expected):
    assert expected in refused(text)


@pytest.mark.parametrize("name", ["nan", "Inf", "1e999", "1" * 40])
def test_names_that_read_as_numbers_still_round_trip_as_a_header(name):
    parsed = parse_examples(examples_to_text([Example((1.0,), 2.0)], (name,)))
    assert parsed.examples == [Example((1.0,), 2.0)]
    assert parsed.input_names is not None and parsed.input_names[0].endswith("(name)")


@pytest.mark.parametrize("text", ["\u0661\u0660", "1_0", "\uff11\uff10", "1\u00b2"])
def test_only_ascii_digits_are_numbers(text):
    with pytest.raises(NumberError):
        parse_number(text)
    assert "row 1, column 1" in refused(f"{text}\t1\n")


def test_a_long_cell_is_quoted_short():
    message = refused("1\t" + "x" * 100_000 + "\n")
    assert len(message) < 200


# -- files -------------------------------------------------------------------------------
def test_a_named_pipe_is_refused_at_once(tmp_path):
    pipe = tmp_path / "examples.csv"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []

    def target():
        try:
            read_examples_csv(pipe)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(30)
    if thread.is_alive():
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail("read_examples_csv waited on a named pipe")
    assert isinstance(outcome[0], ExamplesParseError)
    assert "named pipe, not a regular file" in str(outcome[0])


@pytest.mark.parametrize("path, word", [(os.devnull, "device"), ("/", "folder")])
def test_devices_and_folders_are_refused(path, word):
    with pytest.raises(ExamplesParseError) as caught:
        read_examples_csv(path)
    assert f"{word}, not a regular file" in str(caught.value)


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path, encoding, bom):
    path = tmp_path / "excel.txt"
    path.write_bytes(bom + "gr\u00f6\u00dfe\tgoal\r\n1,5\t3\r\n".encode(encoding))
    parsed = read_examples_csv(path)
    assert parsed.examples == [Example((1.5,), 3.0)] and parsed.input_names == ["gr\u00f6\u00dfe"]


def test_utf16_without_a_mark_is_named(tmp_path):
    path = tmp_path / "nomark.csv"
    path.write_bytes("size;goal\n1;3\n".encode("utf-16-le"))
    with pytest.raises(ExamplesParseError) as caught:
        read_examples_csv(path)
    assert "UTF-16" in str(caught.value) and "save it as UTF-8" in str(caught.value)


def test_other_binary_files_are_still_not_text(tmp_path):
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ExamplesParseError) as caught:
        read_examples_csv(path)
    assert "not a text file" in str(caught.value)
