"""Setup files at the edges (issue 12): the largest setup round-trips, Save refuses what would
not open again, huge integers and long texts give short messages naming the field, only
regular files are read (a named pipe never hangs), UTF-16 is read or named."""

from __future__ import annotations

import codecs
import json
import os
import threading

import pytest

from gdnode_gui.core import setup as setup_code
from gdnode_gui.core.setup import (
    MAX_EXAMPLES, MAX_FILE_BYTES, MAX_INPUTS, QUOTE_LIMIT, Example, Setup, SetupError, load_setup,
    read_setup_text, save_setup, seed_setup, setup_file_text,
)

GOOD = {"examples": [{"inputs": [1.0], "goal": 0.6}], "weights": [0.4], "alpha": 0.1}
#: Messages may add their own words around a quoted input; none should come near this.
SHORT = 3 * QUOTE_LIMIT


def refused(text: str) -> SetupError:
    with pytest.raises(SetupError) as caught:
        read_setup_text(text)
    return caught.value


def largest_setup() -> Setup:
    """10,000 examples of 16 inputs, every number as long as a float's repr gets."""
    long_number = -1.2345678901234567e-300
    examples = tuple(Example(tuple(long_number * (1 + i + e) for i in range(MAX_INPUTS)), long_number * e)
                     for e in range(MAX_EXAMPLES))
    return Setup(examples=examples, weights=(long_number,) * MAX_INPUTS, alpha=long_number * -1,
                 input_names=tuple("n" * 40 for _ in range(MAX_INPUTS)), description="d" * 5000)


# -- the largest setup the app makes opens again ------------------------------------------
def test_the_largest_setup_saves_and_opens_again(tmp_path):
    setup = largest_setup()
    path = tmp_path / "largest.gdnode"
    save_setup(setup, path)
    size = path.stat().st_size
    assert 1_000_000 < size <= MAX_FILE_BYTES  # over the old limit that lost such setups
    assert load_setup(path) == setup
    assert read_setup_text(setup.to_json()) == setup  # what the window remembers, too


def test_save_refuses_what_would_not_open_again_and_writes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "setup.gdnode"
    save_setup(seed_setup(), path)
    before = path.read_bytes()
    monkeypatch.setattr(setup_code, "MAX_FILE_BYTES", 100)
    with pytest.raises(SetupError) as caught:
        save_setup(seed_setup().replace(alpha=0.2), path)
    assert "could not be opened again" in str(caught.value) and "larger than" in str(caught.value)
    assert path.read_bytes() == before
    with pytest.raises(SetupError):
        save_setup(seed_setup(), tmp_path / "new.gdnode")
    assert sorted(os.listdir(tmp_path)) == ["setup.gdnode"]


def test_setup_file_text_is_the_json_that_is_saved(tmp_path):
    path = tmp_path / "seed.gdnode"
    save_setup(seed_setup(), path)
    assert path.read_text() == setup_file_text(seed_setup()) == seed_setup().to_json()


def test_a_remembered_text_that_is_too_large_says_why():
    error = refused(" " * (MAX_FILE_BYTES + 1))
    assert "larger than 16 MB" in str(error)


# -- huge integers and long inputs ---------------------------------------------------------
@pytest.mark.parametrize("field, where", [
    ("alpha", "alpha"), ("tolerance", "tolerance"), ("max_steps", "max_steps"), ("seed", "seed"),
])
@pytest.mark.parametrize("digits", [401, 4_300, 5_000, 100_000])
def test_an_integer_too_long_to_convert_is_refused_naming_the_field(field, where, digits):
    text = json.dumps({**GOOD, field: "@"}).replace('"@"', "9" * digits)
    error = refused(text)
    assert error.field == where
    assert f"{digits:,} digits" in str(error) and len(str(error)) < SHORT


def test_a_long_integer_inside_an_example_is_refused_naming_its_place():
    text = json.dumps({**GOOD, "examples": [{"inputs": [1.0], "goal": 0.6}, {"inputs": [1], "goal": 2}]})
    text = text.replace('"goal": 2', '"goal": -' + "1" * 5000)
    error = refused(text)
    assert error.field == "examples[2].goal" and len(str(error)) < SHORT


def test_integers_that_convert_still_work():
    setup = read_setup_text(json.dumps({**GOOD, "alpha": 10 ** 300, "seed": 2 ** 63 - 1}))
    assert setup.alpha == float(10 ** 300) and setup.seed == 2 ** 63 - 1


@pytest.mark.parametrize("value", [10 ** 30, 10 ** 5000, -10 ** 5000], ids=["30 digits", "5000 digits", "negative"])
def test_a_huge_python_integer_in_the_constructor_gives_a_short_message(value):
    for field in ("seed", "max_steps"):
        with pytest.raises(SetupError) as caught:
            seed_setup().replace(**{field: value})
        assert caught.value.field == field and len(str(caught.value)) < SHORT


@pytest.mark.parametrize("length", [400, 100_000])
def test_messages_quote_at_most_a_few_dozen_characters_of_any_input(length):
    long = "x" * length
    for data in ({**GOOD, long: 1}, {**GOOD, "examples": [{"inputs": [1.0], "goal": 0.6, long: 1}]},
                 {**GOOD, "order": long}, {**GOOD, "alpha": long}, {**GOOD, "name": long},
                 {**GOOD, "input_names": [long]}, {**GOOD, "seed": long}):
        error = refused(json.dumps(data))
        assert len(str(error)) < SHORT + 200, str(error)[:300]  # the field list is ~150 characters
        assert "x" * (QUOTE_LIMIT + 1) not in str(error)


def test_a_long_file_name_is_cut_in_the_message(tmp_path):
    path = tmp_path / ("n" * 200 + ".json")
    path.write_text("{")
    with pytest.raises(SetupError) as caught:
        load_setup(path)
    assert "n" * (QUOTE_LIMIT + 1) not in str(caught.value)
    with pytest.raises(SetupError) as caught:
        load_setup(tmp_path / ("m" * 200 + ".json"))
    assert "cannot read" in str(caught.value) and "m" * (QUOTE_LIMIT + 1) not in str(caught.value)


# -- only regular files --------------------------------------------------------------------
def load_in_a_thread(path) -> BaseException | None:
    """load_setup(path) in a thread; fails the test if it does not return at once."""
    outcome: list[BaseException | None] = []

    def target():
        try:
            load_setup(path)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(30)
    if thread.is_alive():  # unblock it: a writer lets the reader's open() return
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail("load_setup waited on a named pipe")
    return outcome[0]


def test_a_named_pipe_is_refused_at_once(tmp_path):
    pipe = tmp_path / "setup.json"
    os.mkfifo(pipe)
    error = load_in_a_thread(pipe)
    assert isinstance(error, SetupError)
    assert "named pipe" in str(error) and "not a regular file" in str(error)


@pytest.mark.parametrize("path, word", [(os.devnull, "device"), ("/", "folder")])
def test_devices_and_folders_are_refused(path, word):
    with pytest.raises(SetupError) as caught:
        load_setup(path)
    assert word in str(caught.value) and "not a regular file" in str(caught.value)


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(SetupError) as caught:
            load_setup(path)
        assert "socket" in str(caught.value)
    finally:
        server.close()


# -- UTF-16 --------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path, encoding, bom):
    path = tmp_path / "notepad.json"
    path.write_bytes(bom + json.dumps({**GOOD, "name": "caf\u00e9"}).encode(encoding))
    assert load_setup(path).name == "caf\u00e9"


def test_utf16_without_a_mark_is_named(tmp_path):
    path = tmp_path / "nomark.json"
    path.write_bytes(json.dumps(GOOD).encode("utf-16-le"))
    with pytest.raises(SetupError) as caught:
        load_setup(path)
    assert "UTF-16" in str(caught.value) and "save it as UTF-8" in str(caught.value)


def test_broken_utf16_is_named(tmp_path):
    path = tmp_path / "broken.json"
    path.write_bytes(codecs.BOM_UTF16_LE + b"{\x00\x00\xd8")  # a lone surrogate half
    with pytest.raises(SetupError) as caught:
        load_setup(path)
    assert "UTF-16" in str(caught.value) and "UTF-8" in str(caught.value)
