"""The setup of a run: examples, starting weights, alpha and the stop rules.

A :class:`Setup` is immutable and always valid: every way of making one (the
constructor, :meth:`Setup.from_dict`, :func:`load_setup`) checks every field and
raises :class:`SetupError` naming the field when something is wrong.  Setup files
are shared between teachers and students, so reading one never executes anything
and never trusts its sizes.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from .atomic import write_atomically
from .text_file import looks_like_utf16, read_regular_file, utf16_text

FORMAT_VERSION = 1
MAX_INPUTS = 16
MAX_EXAMPLES = 10_000
MAX_STEPS = 10_000_000
#: A setup file or text over this size is refused; the largest setup (10,000 examples of 16
#: inputs, every number 24 characters long) takes about 6 MB.
MAX_FILE_BYTES = 16_000_000
#: Messages quote at most this many characters of anything read or typed.
QUOTE_LIMIT = 80
DEFAULT_MAX_STEPS = 1000
ORDERS = ("cyclic", "shuffled", "batch")

_KNOWN_KEYS = (
    "version", "name", "description", "examples", "input_names", "weights", "frozen",
    "alpha", "max_steps", "tolerance", "stop_on_stall", "order", "seed",
)
_REQUIRED_KEYS = ("examples", "weights", "alpha")


class SetupError(ValueError):
    """A setup that cannot be used; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` in quotes for a message, cut to about ``limit`` characters: a message never
    repeats a whole pasted paragraph or a 100,000-character name."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


def shown(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A name or path for a message: as it is when short and printable, else quoted and cut
    in the middle (so a path keeps its file name)."""
    text = str(text)
    if len(text) <= limit and text.isprintable():
        return text
    if len(text) > limit:
        half = (limit - 3) // 2
        text = text[:half] + "..." + text[-half:]
    return repr(text)


def whole_number_text(value: int) -> str:
    """``value`` with thousands separators, or its size when it is too long to show."""
    if abs(value) < 10 ** 24:
        return f"{value:,}"
    digits = int(value.bit_length() * math.log10(2)) + 1
    return f"a {'negative ' if value < 0 else ''}number of about {digits:,} digits"


class _LongInteger:
    """A JSON integer with too many digits to convert; validation refuses it naming the field."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a whole number of {self.digits:,} digits"


#: Longest JSON integer converted (Python refuses to convert more than 4,300 digits).
_MAX_INTEGER_DIGITS = 400


def _parse_int(text: str) -> int | _LongInteger:
    digits = len(text.lstrip("-"))
    return _LongInteger(digits) if digits > _MAX_INTEGER_DIGITS else int(text)


def _number(value: Any, where: str) -> float:
    """A finite float from an int or float (never from a bool or a string)."""
    if isinstance(value, _LongInteger):
        raise SetupError(where, f"is {value!r}, too large to be a float")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SetupError(where, f"must be a number, not {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise SetupError(where, "is too large to be a float") from None
    if not math.isfinite(number):
        word = "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
        raise SetupError(where, f"must be a finite number, not {word}")
    return number


def _integer(value: Any, where: str) -> int:
    if isinstance(value, _LongInteger):
        raise SetupError(where, f"is {value!r}, far too large")
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise SetupError(where, f"must be a whole number, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        return f"text ({quoted(value, 20)})"
    if isinstance(value, int):
        return whole_number_text(value)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def _key_name(key: str) -> str:
    return shown(key, 40)


def _are(count: int, noun: str) -> str:
    return f"is 1 {noun}" if count == 1 else f"are {count} {noun}s"


def _sequence(value: Any, where: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise SetupError(where, f"must be a list, not {_kind(value)}")
    return list(value)


@dataclass(frozen=True)
class Example:
    """One training example: the inputs and the goal the node should predict."""

    inputs: tuple[float, ...]
    goal: float


@dataclass(frozen=True)
class Setup:
    """Everything a run needs.  Always valid once constructed."""

    examples: tuple[Example, ...]
    weights: tuple[float, ...]
    alpha: float
    name: str = ""
    description: str = ""
    input_names: tuple[str, ...] = ()
    frozen: tuple[bool, ...] = ()
    max_steps: int = DEFAULT_MAX_STEPS
    tolerance: float = 0.0
    stop_on_stall: bool = True
    order: str = "cyclic"
    seed: int = 0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        weights = _sequence(self.weights, "weights")
        if not 1 <= len(weights) <= MAX_INPUTS:
            raise SetupError("weights", f"must hold 1 to {MAX_INPUTS} numbers, not {len(weights)}")
        n = len(weights)
        set_(self, "weights", tuple(_number(w, f"weights[{i + 1}]") for i, w in enumerate(weights)))

        examples = _sequence(self.examples, "examples")
        if not 1 <= len(examples) <= MAX_EXAMPLES:
            raise SetupError("examples", f"must hold 1 to {MAX_EXAMPLES:,} examples, not {len(examples):,}")
        checked = []
        for e, example in enumerate(examples, start=1):
            if isinstance(example, Example):
                inputs, goal = example.inputs, example.goal
            else:
                raise SetupError(f"examples[{e}]", "must be an example (inputs and goal)")
            inputs = _sequence(inputs, f"examples[{e}].inputs")
            if len(inputs) != n:
                raise SetupError(
                    f"examples[{e}].inputs",
                    f"has {len(inputs)} numbers but there {_are(n, 'weight')}; each input needs one weight",
                )
            checked.append(Example(
                tuple(_number(x, f"examples[{e}].inputs[{i + 1}]") for i, x in enumerate(inputs)),
                _number(goal, f"examples[{e}].goal"),
            ))
        set_(self, "examples", tuple(checked))

        alpha = _number(self.alpha, "alpha")
        if alpha < 0:
            raise SetupError("alpha", f"must not be negative (got {alpha!r}); a negative alpha climbs up the error")
        set_(self, "alpha", alpha)

        names = _sequence(self.input_names, "input_names")
        if names and len(names) != n:
            raise SetupError("input_names", f"has {len(names)} names but there {_are(n, 'input')}")
        for i, name in enumerate(names):
            if not isinstance(name, str):
                raise SetupError(f"input_names[{i + 1}]", f"must be text, not {_kind(name)}")
            if len(name) > 40:
                raise SetupError(f"input_names[{i + 1}]", "is longer than 40 characters")
        set_(self, "input_names", tuple(names))

        frozen = _sequence(self.frozen, "frozen") or [False] * n
        if len(frozen) != n:
            raise SetupError("frozen", f"has {len(frozen)} flags but there {_are(n, 'weight')}")
        for i, flag in enumerate(frozen):
            if not isinstance(flag, bool):
                raise SetupError(f"frozen[{i + 1}]", f"must be true or false, not {_kind(flag)}")
        set_(self, "frozen", tuple(frozen))

        for key, limit in (("name", 200), ("description", 5000)):
            value = getattr(self, key)
            if not isinstance(value, str):
                raise SetupError(key, f"must be text, not {_kind(value)}")
            if len(value) > limit:
                raise SetupError(key, f"is longer than {limit:,} characters")

        max_steps = _integer(self.max_steps, "max_steps")
        if not 1 <= max_steps <= MAX_STEPS:
            raise SetupError("max_steps", f"must be from 1 to {MAX_STEPS:,}, not {whole_number_text(max_steps)}")
        set_(self, "max_steps", max_steps)

        tolerance = _number(self.tolerance, "tolerance")
        if tolerance < 0:
            raise SetupError("tolerance", f"must not be negative (got {tolerance!r})")
        set_(self, "tolerance", tolerance)

        if not isinstance(self.stop_on_stall, bool):
            raise SetupError("stop_on_stall", f"must be true or false, not {_kind(self.stop_on_stall)}")
        if self.order not in ORDERS:
            raise SetupError("order", f"must be one of {', '.join(ORDERS)}, not {_kind(self.order)}")
        seed = _integer(self.seed, "seed")
        if not 0 <= seed < 2**63:
            raise SetupError("seed", f"must be a whole number from 0 to 2**63 - 1, not {whole_number_text(seed)}")
        set_(self, "seed", seed)

    # -- derived -------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        return len(self.weights)

    @property
    def n_examples(self) -> int:
        return len(self.examples)

    @property
    def epoch(self) -> int:
        """Steps in one pass over the examples (1 in batch order, where a step uses all)."""
        return 1 if self.order == "batch" else len(self.examples)

    def input_name(self, i: int) -> str:
        """The name of input ``i`` (0-based): the given one, or ``input 1`` etc."""
        if self.input_names and self.input_names[i]:
            return self.input_names[i]
        return f"input {i + 1}"

    def replace(self, **changes: Any) -> "Setup":
        """A copy with some fields changed, validated again."""
        return replace(self, **changes)

    # -- JSON ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "name": self.name,
            "description": self.description,
            "examples": [{"inputs": list(e.inputs), "goal": e.goal} for e in self.examples],
            "input_names": list(self.input_names),
            "weights": list(self.weights),
            "frozen": list(self.frozen),
            "alpha": self.alpha,
            "max_steps": self.max_steps,
            "tolerance": self.tolerance,
            "stop_on_stall": self.stop_on_stall,
            "order": self.order,
            "seed": self.seed,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Setup":
        if not isinstance(data, Mapping):
            raise SetupError("", f"a setup must be a JSON object, not {_kind(data)}")
        unknown = [key for key in data if key not in _KNOWN_KEYS]
        if unknown:
            raise SetupError(_key_name(unknown[0]), f"is not a setup field (known fields: {', '.join(_KNOWN_KEYS)})")
        for key in _REQUIRED_KEYS:
            if key not in data:
                raise SetupError(key, "is missing; a setup needs examples, weights and alpha")
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise SetupError("version", f"must be {FORMAT_VERSION}, not {_kind(version)}")
        raw_examples = _sequence(data["examples"], "examples")
        if len(raw_examples) > MAX_EXAMPLES:
            raise SetupError("examples", f"must hold 1 to {MAX_EXAMPLES:,} examples, not {len(raw_examples):,}")
        examples = []
        for e, raw in enumerate(raw_examples, start=1):
            if not isinstance(raw, Mapping):
                raise SetupError(f"examples[{e}]", f"must be an object with inputs and goal, not {_kind(raw)}")
            extra = [key for key in raw if key not in ("inputs", "goal")]
            if extra:
                raise SetupError(f"examples[{e}].{_key_name(extra[0])}", "is not an example field (known: inputs, goal)")
            for key in ("inputs", "goal"):
                if key not in raw:
                    raise SetupError(f"examples[{e}].{key}", "is missing")
            inputs = _sequence(raw["inputs"], f"examples[{e}].inputs")
            if len(inputs) > MAX_INPUTS:
                raise SetupError(f"examples[{e}].inputs", f"must hold 1 to {MAX_INPUTS} numbers, not {len(inputs)}")
            examples.append(Example(tuple(inputs), raw["goal"]))
        kwargs = {key: data[key] for key in _KNOWN_KEYS if key in data and key not in ("version", "examples")}
        for key in ("weights", "frozen", "input_names"):
            if key in kwargs:
                kwargs[key] = tuple(_sequence(kwargs[key], key))
        return cls(examples=tuple(examples), **kwargs)


def read_setup_text(text: str) -> Setup:
    """Parse a setup from JSON text (a file's, or the one the window remembered).

    ``NaN`` and ``Infinity`` literals are read as floats so that validation refuses
    them naming their field; integers too long to convert are refused naming theirs.

    Raises
    ------
    SetupError
        With the reason in plain words, e.g. ``the setup is larger than 16 MB`` or
        ``alpha: is a whole number of 5,000 digits, too large to be a float``.
    """
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise SetupError("", f"the setup is larger than {_megabytes(MAX_FILE_BYTES)}")
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise SetupError("", f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except RecursionError:
        raise SetupError("", "the JSON is nested too deeply") from None
    return Setup.from_dict(data)


def load_setup(path: str | os.PathLike) -> Setup:
    """Read a setup file; :class:`SetupError` names what is wrong, including I/O problems.

    Only a regular file is read (a named pipe, a device or a folder is refused at once,
    without waiting); UTF-8, or UTF-16 with its byte-order mark.
    """
    path = Path(path)
    name = shown(path.name)
    try:
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except OSError as error:
        raise SetupError("", f"cannot read {shown(str(path))}: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SetupError("", f"{name} is larger than {_megabytes(MAX_FILE_BYTES)}; setups are smaller files")
    try:
        text = utf16_text(raw)
        if text is None:
            if looks_like_utf16(raw):
                raise SetupError("", f"{name} is UTF-16 text (without a byte-order mark); save it as UTF-8")
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.encoding.startswith(("utf-16", "utf-32")):
            raise SetupError("", f"{name} is {error.encoding[:6].upper()} text that cannot be read; "
                                 "save it as UTF-8") from None
        raise SetupError("", f"{name} is not UTF-8 text") from None
    return read_setup_text(text)


def save_setup(setup: Setup, path: str | os.PathLike) -> None:
    """Write ``setup`` to ``path`` (all or nothing), after checking that it reads back.

    Raises
    ------
    SetupError
        The text would not open again as the same setup (the file is not written).
    OSError
        The file cannot be written.
    """
    write_atomically(path, setup_file_text(setup).encode("utf-8"))


def setup_file_text(setup: Setup) -> str:
    """The JSON text of ``setup``, checked to read back as exactly ``setup``.

    Raises
    ------
    SetupError
        It would not (too large, or a value JSON cannot hold), saying why.
    """
    text = setup.to_json()
    try:
        again = read_setup_text(text)
    except SetupError as error:
        raise SetupError(error.field, f"the setup could not be opened again: {error.problem}") from None
    if again != setup:
        raise SetupError("", "the setup could not be opened again as it is (a value would change)")
    return text


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB ({size:,} bytes)"


#: The value a new input gets in every example: a constant 1, a bias input.
NEW_INPUT = 1.0
#: The starting weight of a new input.
NEW_WEIGHT = 0.0


def with_input_count(examples: Sequence[Example], n: int) -> tuple[Example, ...]:
    """``examples`` with ``n`` inputs: new inputs are :data:`NEW_INPUT` in every example (a
    bias input), inputs past ``n`` are dropped.  The one rule for adding and removing inputs."""
    return tuple(Example((e.inputs + (NEW_INPUT,) * n)[:n], e.goal) for e in examples)


def seed_setup() -> Setup:
    """The article's example: a stick house (input 1), weight 0.4, goal 0.6, alpha 0.1."""
    return Setup(
        name="The article's seed example",
        description=(
            "One input (the stick house, 1), a starting weight of 0.4, a goal of 0.6 and alpha 0.1, "
            "as in the article. The weight creeps up towards 0.6 and stops at 0.5999999999999994: "
            "the last updates are too small to move a float any more."
        ),
        examples=(Example((1.0,), 0.6),),
        input_names=("stick",),
        weights=(0.4,),
        alpha=0.1,
        max_steps=325,
    )


__all__ = [
    "Example", "Setup", "SetupError", "load_setup", "save_setup", "read_setup_text",
    "setup_file_text", "quoted", "shown", "whole_number_text", "QUOTE_LIMIT",
    "seed_setup", "write_atomically", "ORDERS", "MAX_INPUTS", "MAX_EXAMPLES", "MAX_STEPS",
    "MAX_FILE_BYTES", "DEFAULT_MAX_STEPS", "FORMAT_VERSION",
]
