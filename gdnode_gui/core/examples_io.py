"""Examples as text: exact number parsing and display, pasted tables and CSV files.

No Qt here: the spin boxes and the examples editor use these functions, and the tests
use them without a display.

Numbers
    :func:`parse_number` reads what a person types: ``0.1``, ``1e-7``, ``-3.5E-12``, ``.5``,
    and ``0,5`` (a decimal comma); a Unicode minus (``−``) counts as ``-``.  It refuses
    everything else with a sentence a student understands (``'abc' is not a number``),
    including ``nan``, ``inf`` and numbers too large for a float (``1e999``).
    :func:`number_text` shows a float as the shortest text that reads back to exactly the
    same float (Python's ``repr``, without a trailing ``.0``): ``0.1``, ``1e-07``, ``1``.

Tables (:func:`parse_examples`)
    One example per line; the last column is the goal, the others are the inputs.

    * Columns are separated by tabs (a block copied from a spreadsheet), semicolons
      (spreadsheets in countries that write ``0,5``), commas (CSV) or spaces.  The first of
      tab, ``;``, ``,`` found anywhere in the text decides; with none of them, runs of spaces
      separate the columns.  Text whose every line splits on spaces into the same number of
      numbers, commas only inside them (``1 0,5``), is read as space-separated.
    * Decimal comma: with tab-, semicolon- or space-separated columns ``0,5`` means 0.5.  In
      comma-separated text the comma separates the columns, so a decimal comma is only
      understood inside double quotes (``"0,5"``, as spreadsheets write it); unquoted, rows get
      more columns than the others and the message says to use tabs or semicolons.
    * An optional header row: when no cell of the first row is a number, its cells are the
      input names.  A header cell named ``goal`` (or ``target``) marks the goal column;
      otherwise the goal is the last column.  Names are cut to 40 characters.
    * Blank lines are skipped; empty cells at the end of a line (a spreadsheet selection one
      column too wide) are ignored.  Row numbers in messages count every line of the text, as
      a spreadsheet numbers its rows.
    * Refused with an :class:`ExamplesParseError` naming the row and column: cells that are
      not finite numbers, rows with a different number of columns, more than 16 inputs or
      10,000 examples.
"""

from __future__ import annotations

import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .number_text import full
from .setup import MAX_EXAMPLES, MAX_INPUTS, Example, shown
from .text_file import looks_like_utf16, read_regular_file, utf16_text

#: Largest file :func:`read_examples_csv` reads (10,000 rows of 17 long numbers fit easily).
MAX_TABLE_BYTES = 8_000_000
MAX_NAME_LENGTH = 40
_GOAL_NAMES = ("goal", "target")

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DEFAULT_NAME = re.compile(r"input\s*(\d+)", re.IGNORECASE | re.ASCII)


class NumberError(ValueError):
    """Text that is not a usable number; the message explains why, in plain words."""


class ExamplesParseError(ValueError):
    """A table of examples that cannot be read; the message names the row and column."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None) -> None:
        self.row = row
        self.column = column
        where = ""
        if row is not None and column is not None:
            where = f"row {row}, column {column}: "
        elif row is not None:
            where = f"row {row}: "
        super().__init__(where + message)


@dataclass(frozen=True)
class ParsedExamples:
    """What a table held: the examples and, when it had a header row, the input names."""

    examples: list[Example]
    input_names: list[str] | None

    @property
    def n_inputs(self) -> int:
        return len(self.examples[0].inputs)


# -- single numbers ----------------------------------------------------------------------
def parse_number(text: str) -> float:
    """The exact float a person typed; :class:`NumberError` says what is wrong otherwise.

    Accepts ``.`` or a single ``,`` as the decimal point, an exponent (``1e-7``), a leading
    ``+``/``-``/``−`` and surrounding spaces.  Refuses empty text, words, ``nan``, ``inf``,
    digit group separators and numbers beyond the float range.
    """
    cleaned = text.strip().replace("\u2212", "-").replace("\u2009", "").replace("\u00a0", "")
    if not cleaned:
        raise NumberError("the cell is empty; type a number")
    if "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            raise NumberError(f"{_quote(text)} is not a number; write the decimal point only once, as '.' or ','")
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        lowered = cleaned.lower().lstrip("+-")
        if lowered in ("nan", "inf", "infinity"):
            raise NumberError(f"{_quote(text)} is not a finite number; the node needs ordinary numbers")
        raise NumberError(f"{_quote(text)} is not a number")
    value = float(cleaned)
    if not math.isfinite(value):
        raise NumberError(f"{_quote(text)} is too large for the computer (the largest is about 1.8e308)")
    return value


def number_text(value: float) -> str:
    """The shortest text that reads back to exactly ``value``: ``0.1``, ``1e-07``, ``1``.

    The same as :func:`gdnode_gui.core.number_text.full`, the one place for number text.
    """
    return full(value)


def _quote(text: str) -> str:
    shown = text.strip()
    if len(shown) > 30:
        shown = shown[:27] + "..."
    return f"'{shown}'"


# -- tables ------------------------------------------------------------------------------
def _separator(lines: Sequence[str]) -> str | None:
    """Tab, ';' or ',' (the first found anywhere, in that order of preference); None = spaces."""
    for separator in ("\t", ";", ","):
        if any(separator in line for line in lines):
            return separator
    return None


def _spaced_with_decimal_commas(lines: Sequence[str]) -> bool:
    """True for text like ``1 0,5`` (spaces between columns, commas inside numbers)."""
    counts = set()
    for number, line in enumerate(lines):
        cells = line.split()
        if not cells:
            continue
        counts.add(len(cells))
        if any(cell.startswith(",") or cell.endswith(",") for cell in cells):
            return False
        if number > 0 and not all(_is_number(cell) for cell in cells):
            return False
    return len(counts) == 1 and counts.pop() >= 2


def _split_rows(text: str) -> tuple[list[tuple[int, list[str]]], str | None]:
    """(line number, cells) of every non-blank line, and the separator used."""
    lines = text.splitlines()
    separator = _separator(lines)
    if separator == "," and _spaced_with_decimal_commas(lines):
        separator = None
    rows: list[tuple[int, list[str]]] = []
    if separator is None:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                rows.append((number, line.split()))
        return rows, None
    import csv  # here: the window imports this module at start for its number rules alone

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"')
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            while cells and not cells[-1].strip():
                cells.pop()
            rows.append((reader.line_num, cells))
            if len(rows) > MAX_EXAMPLES + 1:
                break
    except csv.Error as error:
        raise ExamplesParseError(f"cannot read the table ({error})", row=reader.line_num) from None
    return rows, separator


def _is_number(cell: str) -> bool:
    try:
        parse_number(cell)
    except NumberError:
        return False
    return True


def _looks_like_a_number(cell: str) -> bool:
    """A number, or what is meant as one but cannot be used (``nan``, ``-inf``, ``1e999``):
    such a cell is data with a problem, never a column name."""
    if _is_number(cell):
        return True
    cleaned = cell.strip().replace("\u2212", "-").replace(",", ".")
    return (cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity")
            or _NUMBER.fullmatch(cleaned) is not None)


def _header_names(cells: list[str], goal_column: int) -> list[str] | None:
    """Input names from a header row; "input 1", "input 2", ... in their own place are the
    default names and become "" (and a header of defaults only gives None)."""
    names = [cell.strip()[:MAX_NAME_LENGTH].rstrip() for i, cell in enumerate(cells) if i != goal_column]
    for i, name in enumerate(names, start=1):
        match = _DEFAULT_NAME.fullmatch(name)
        if match is not None and int(match.group(1)) == i:
            names[i - 1] = ""
    return names if any(names) else None


def parse_examples(text: str, n_inputs: int | None = None) -> ParsedExamples:
    """Read a pasted block or a CSV text into examples (see the module docstring for the rules).

    Parameters
    ----------
    text
        The table, one example per line.
    n_inputs
        When given, the table must have exactly this many input columns (plus the goal).

    Raises
    ------
    ExamplesParseError
        With a message naming the row and column, e.g. ``row 3, column 2: 'abc' is not a number``.
    """
    rows, separator = _split_rows(text)
    if not rows:
        raise ExamplesParseError("there is no table here: paste rows of numbers, the goal in the last column")

    header: list[str] | None = None
    first_line, first_cells = rows[0]
    if not any(_looks_like_a_number(cell) for cell in first_cells):
        header = first_cells
        rows = rows[1:]
        if not rows:
            raise ExamplesParseError("the table has a header row but no examples below it")

    n_columns = len(header) if header is not None else len(rows[0][1])
    goal_column = n_columns - 1
    if header is not None:
        marked = [i for i, cell in enumerate(header) if cell.strip().lower() in _GOAL_NAMES]
        if len(marked) > 1:
            raise ExamplesParseError(f"more than one column is called {header[marked[1]].strip()!r}",
                                     row=first_line, column=marked[1] + 1)
        if marked:
            goal_column = marked[0]
    if n_columns < 2:
        raise ExamplesParseError(
            "needs at least two columns: the inputs, then the goal"
            + ("" if separator else " (separate the columns with tabs, ';', ',' or spaces)"),
            row=rows[0][0],
        )
    if n_columns - 1 > MAX_INPUTS:
        raise ExamplesParseError(f"has {n_columns - 1} inputs; a node takes at most {MAX_INPUTS}",
                                 row=first_line if header is not None else rows[0][0])
    if n_inputs is not None and n_columns - 1 != n_inputs:
        raise ExamplesParseError(
            f"has {n_columns - 1} input column{'s' * (n_columns != 2)} but the node has {n_inputs} "
            f"input{'s' * (n_inputs != 1)}; each row needs {n_inputs} input{'s' * (n_inputs != 1)} and the goal",
            row=rows[0][0],
        )
    if len(rows) > MAX_EXAMPLES:
        raise ExamplesParseError(f"has more than {MAX_EXAMPLES:,} examples, the most a setup can hold")

    examples = [_example(line, cells, n_columns, goal_column, separator) for line, cells in rows]
    names = _header_names(header, goal_column) if header is not None else None
    return ParsedExamples(examples, names)


def _example(line: int, cells: list[str], n_columns: int, goal_column: int, separator: str | None) -> Example:
    if len(cells) != n_columns:
        hint = ""
        if separator == ",":
            hint = ("; if your numbers use ',' as the decimal point, separate the columns "
                    "with tabs or ';' instead")
        raise ExamplesParseError(f"has {len(cells)} columns but the table has {n_columns}{hint}", row=line)
    values = []
    for column, cell in enumerate(cells, start=1):
        try:
            values.append(parse_number(cell))
        except NumberError as error:
            raise ExamplesParseError(str(error), row=line, column=column) from None
    goal = values.pop(goal_column)
    return Example(tuple(values), goal)


def read_examples_csv(path: str | os.PathLike) -> ParsedExamples:
    """Read examples from a CSV (or tab/semicolon-separated) text file.

    UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order mark or, failing
    those, Windows-1252 text; files over 8 MB are refused, and so is anything but a regular
    file (a named pipe is refused at once, never waited on).  Problems, I/O ones included,
    raise :class:`ExamplesParseError`.
    """
    path = Path(path)
    name = shown(path.name)
    try:
        raw = read_regular_file(path, MAX_TABLE_BYTES)
    except OSError as error:
        raise ExamplesParseError(f"cannot read {name}: {error.strerror or error}") from None
    if len(raw) > MAX_TABLE_BYTES:
        raise ExamplesParseError(f"{name} is larger than {MAX_TABLE_BYTES // 1_000_000} MB; "
                                 f"a setup holds at most {MAX_EXAMPLES:,} examples")
    try:
        text = utf16_text(raw)
    except UnicodeDecodeError as error:
        raise ExamplesParseError(f"{name} is {error.encoding[:6].upper()} text that cannot be read; "
                                 "save it as UTF-8") from None
    if text is None:
        if b"\x00" in raw:
            if looks_like_utf16(raw):
                raise ExamplesParseError(f"{name} is UTF-16 text (without a byte-order mark); save it as UTF-8")
            raise ExamplesParseError(f"{name} is not a text file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    return parse_examples(text)


def examples_to_text(examples: Iterable[Example], input_names: Sequence[str] = (),
                     header: bool = True) -> str:
    """Examples as tab-separated text (a header row, then one row per example, goal last).

    Values are written as :func:`number_text` so that pasting the text back gives exactly the
    same floats; empty names are written as ``input i``.
    """
    examples = list(examples)
    lines = []
    if header:
        n = len(examples[0].inputs) if examples else len(input_names)
        names = [(input_names[i] if i < len(input_names) and input_names[i] else f"input {i + 1}")
                 for i in range(n)]
        lines.append("\t".join([*(_header_cell(name) for name in names), "goal"]))
    for example in examples:
        lines.append("\t".join(number_text(value) for value in (*example.inputs, example.goal)))
    return "\n".join(lines) + "\n"


def _header_cell(name: str) -> str:
    # Tabs and newlines would break the table; a name that reads as a number would be taken as data.
    cleaned = " ".join(name.split())
    return cleaned if not _looks_like_a_number(cleaned) else f"{cleaned[:MAX_NAME_LENGTH - 7]} (name)"


__all__ = [
    "ExamplesParseError", "NumberError", "ParsedExamples", "examples_to_text", "number_text",
    "parse_examples", "parse_number", "read_examples_csv", "MAX_TABLE_BYTES",
]
