"""The setup file (DESIGN.md §3): every refusal names the field; saving and loading are exact."""

from __future__ import annotations

import json
import os

import pytest

from gdnode_gui.core import Example, Setup, SetupError, load_setup, save_setup, seed_setup
from gdnode_gui.core.setup import MAX_EXAMPLES, MAX_FILE_BYTES, read_setup_text

GOOD = {"examples": [{"inputs": [1.0], "goal": 0.6}], "weights": [0.4], "alpha": 0.1}


BIG = "@1e999@"  # json.dumps would write inf as Infinity: put the text 1e999 in its place


def refused(data) -> SetupError:
    text = data if isinstance(data, str) else json.dumps(data).replace(f'"{BIG}"', "1e999")
    with pytest.raises(SetupError) as caught:
        read_setup_text(text)
    return caught.value


def with_(**changes):
    return {**GOOD, **changes}


def test_the_minimal_setup_is_accepted():
    setup = read_setup_text(json.dumps(GOOD))
    assert setup.weights == (0.4,) and setup.alpha == 0.1
    assert setup.examples == (Example((1.0,), 0.6),)


@pytest.mark.parametrize("data, field", [
    # unknown keys, at the top and inside an example
    (with_(colour="red"), "colour"),
    (with_(examples=[{"inputs": [1.0], "goal": 0.6, "weight": 1}]), "examples[1].weight"),
    # required fields
    ({"weights": [0.4], "alpha": 0.1}, "examples"),
    ({"examples": GOOD["examples"], "alpha": 0.1}, "weights"),
    ({"examples": GOOD["examples"], "weights": [0.4]}, "alpha"),
    (with_(examples=[{"goal": 0.6}]), "examples[1].inputs"),
    (with_(examples=[{"inputs": [1.0]}]), "examples[1].goal"),
    # wrong types
    (with_(alpha="0.1"), "alpha"),
    (with_(alpha=True), "alpha"),
    (with_(alpha=None), "alpha"),
    (with_(weights=0.4), "weights"),
    (with_(weights=["0.4"]), "weights[1]"),
    (with_(examples={"inputs": [1.0], "goal": 0.6}), "examples"),
    (with_(examples=[[1.0, 0.6]]), "examples[1]"),
    (with_(examples=[{"inputs": 1.0, "goal": 0.6}]), "examples[1].inputs"),
    (with_(examples=[{"inputs": [1.0], "goal": "0.6"}]), "examples[1].goal"),
    (with_(examples=[{"inputs": [None], "goal": 0.6}]), "examples[1].inputs[1]"),
    (with_(max_steps=1.5), "max_steps"),
    (with_(max_steps="10"), "max_steps"),
    (with_(tolerance="0"), "tolerance"),
    (with_(stop_on_stall="yes"), "stop_on_stall"),
    (with_(stop_on_stall=1), "stop_on_stall"),
    (with_(order="random"), "order"),
    (with_(seed=0.5), "seed"),
    (with_(frozen=[1]), "frozen[1]"),
    (with_(input_names=[3]), "input_names[1]"),
    (with_(name=5), "name"),
    (with_(description=["x"]), "description"),
    (with_(version=2), "version"),
    (with_(version=True), "version"),
    # counts that do not match
    (with_(weights=[0.4, 0.5]), "examples[1].inputs"),
    (with_(examples=[{"inputs": [1.0], "goal": 0.6}, {"inputs": [1.0, 2.0], "goal": 0.6}]),
     "examples[2].inputs"),
    (with_(frozen=[False, True]), "frozen"),
    (with_(input_names=["a", "b"]), "input_names"),
    (with_(weights=[]), "weights"),
    (with_(examples=[]), "examples"),
    # values out of range
    (with_(alpha=-0.1), "alpha"),
    (with_(tolerance=-1e-9), "tolerance"),
    (with_(max_steps=0), "max_steps"),
    (with_(max_steps=10_000_001), "max_steps"),
    (with_(max_steps=-5), "max_steps"),
    (with_(seed=-1), "seed"),
    (with_(seed=2**63), "seed"),
    (with_(name="x" * 201), "name"),
    (with_(input_names=["x" * 41]), "input_names[1]"),
    # non-finite numbers that JSON can spell without NaN/Infinity: 1e999 reads as inf
    (with_(alpha=BIG), "alpha"),
    (with_(weights=[BIG]), "weights[1]"),
    (with_(examples=[{"inputs": [BIG], "goal": 0.6}]), "examples[1].inputs[1]"),
    (with_(examples=[{"inputs": [1.0], "goal": BIG}]), "examples[1].goal"),
    (with_(tolerance=BIG), "tolerance"),
    (with_(alpha=10**400), "alpha"),  # an integer too large for a float
    # sizes
    (with_(examples=[{"inputs": [1.0] * 17, "goal": 0.6}], weights=[0.1] * 17), "examples[1].inputs"),
    (with_(weights=[0.1] * 17), "weights"),
    (with_(examples=[{"inputs": [1.0], "goal": 0.6}] * (MAX_EXAMPLES + 1)), "examples"),
])
def test_refusals_name_the_field(data, field):
    error = refused(data)
    assert error.field == field
    assert str(error).startswith(field + ":")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(literal):
    text = json.dumps(GOOD).replace("0.1", literal)
    error = refused(text)
    assert literal in str(error)
    assert "finite" in str(error)


def test_nan_literal_names_its_field():
    error = refused(json.dumps(GOOD).replace("0.1", "NaN"))
    assert error.field == "alpha"


@pytest.mark.parametrize("text, words", [
    ('{"examples": [', ["JSON", "line 1"]),
    ("", ["JSON"]),
    ("[1, 2]", ["object"]),
    ('"a setup"', ["object"]),
    ("[" * 100_000 + "]" * 100_000, ["JSON"]),
])
def test_malformed_json(text, words):
    error = refused(text)
    for word in words:
        assert word in str(error)


def test_file_over_sixteen_megabytes_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    padding = " " * (MAX_FILE_BYTES + 1 - len(json.dumps(GOOD)))
    path.write_text(json.dumps(GOOD) + padding)
    assert path.stat().st_size == MAX_FILE_BYTES + 1
    with pytest.raises(SetupError) as caught:
        load_setup(path)
    assert "big.json" in str(caught.value) and "16,000,000 bytes" in str(caught.value)
    path.write_text(json.dumps(GOOD) + padding[:-1])  # exactly the limit is fine
    assert load_setup(path).alpha == 0.1


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(with_(name="caf\u00e9"), ensure_ascii=False).encode("latin-1"))
    with pytest.raises(SetupError) as caught:
        load_setup(path)
    assert "latin1.json" in str(caught.value) and "UTF-8" in str(caught.value)


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(with_(name="caf\u00e9")).encode("utf-8"))
    assert load_setup(path).name == "caf\u00e9"


def test_missing_file_and_folder(tmp_path):
    for path in (tmp_path / "missing.json", tmp_path):
        with pytest.raises(SetupError) as caught:
            load_setup(path)
        assert "cannot read" in str(caught.value)


def test_constructor_validates_too():
    with pytest.raises(SetupError) as caught:
        seed_setup().replace(alpha=float("nan"))
    assert caught.value.field == "alpha"
    with pytest.raises(SetupError) as caught:
        Setup(examples=(Example((1.0,), 0.6),), weights=(0.4,), alpha=0.1, max_steps=10_000_001)
    assert caught.value.field == "max_steps"


# -- saving and loading ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [0.1, 1e-7, 0.1119, 0.5999999999999994, 5e-324, 1.7976931348623157e308])
def test_save_load_round_trip_is_exact(tmp_path, value):
    setup = Setup(
        examples=(Example((value, -value), value), Example((1.0, 2.0), -0.25)),
        weights=(value, 0.4), frozen=(False, True), alpha=value, tolerance=value,
        input_names=("stick", "stone"), name="round trip", description="exact floats",
        max_steps=10_000_000, stop_on_stall=False, order="shuffled", seed=2**63 - 1,
    )
    path = tmp_path / "setup.json"
    save_setup(setup, path)
    loaded = load_setup(path)
    assert loaded == setup
    assert loaded.alpha.hex() == value.hex()
    assert loaded.examples[0].inputs[1].hex() == (-value).hex()
    assert load_setup(path).to_json() == path.read_text()


def test_presets_round_trip(tmp_path):
    from gdnode_gui.resources import load_preset, preset_names

    for name in preset_names():
        setup = load_preset(name)
        path = tmp_path / f"{name}.json"
        save_setup(setup, path)
        assert load_setup(path) == setup


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "setup.json"
    save_setup(seed_setup(), path)
    before = path.read_bytes()

    def fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        save_setup(seed_setup().replace(alpha=0.2), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["setup.json"]
    with pytest.raises(OSError):
        save_setup(seed_setup(), tmp_path / "new.json")
    assert os.listdir(tmp_path) == ["setup.json"]


def test_saved_file_is_plain_json_without_nan(tmp_path):
    path = tmp_path / "setup.json"
    save_setup(seed_setup(), path)
    data = json.loads(path.read_text(), parse_constant=lambda name: pytest.fail(name))
    assert data["version"] == 1 and data["weights"] == [0.4]


def test_one_rule_adds_and_drops_inputs():
    from gdnode_gui.core.setup import NEW_INPUT, with_input_count

    examples = (Example((2.0,), 1.0), Example((3.0,), 0.5))
    grown = with_input_count(examples, 3)
    assert grown == (Example((2.0, NEW_INPUT, NEW_INPUT), 1.0), Example((3.0, NEW_INPUT, NEW_INPUT), 0.5))
    assert with_input_count(grown, 1) == examples
