"""``gdnode-trace``: run one gradient-descent node and print or export every step.

DESIGN.md §3 fixes the interface::

    gdnode-trace [--preset NAME | --setup FILE.json] [--inputs X...] [--weights W...]
                 [--goal G] [--alpha A] [--steps N] [--tolerance T] [--no-stop-on-stall]
                 [--order cyclic|shuffled|batch] [--seed S] [--csv PATH|-] [--list-presets]
                 [--export-python FILE|-] [--export-notebook FILE.ipynb]
                 [--sweep-alpha FROM:TO:COUNT]

Standard output gets the result (a readable table, or the CSV with ``--csv -``);
standard error gets the one-line summary, which starts with the outcome word.
Exit status: 0 for any finished run (``diverged`` is a result), 2 for invalid input
(one line ``gdnode-trace: error: ...`` naming the flag or field), 1 when the output
cannot be written.  No Qt here: this runs without a display.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import signal
import sys
import textwrap
import threading
from typing import Callable, Iterator, Sequence

from gdnode_gui import __version__
from gdnode_gui.core.atomic import check_writable, write_atomically
from gdnode_gui.core.code_export import notebook_json, python_script
from gdnode_gui.core.csv_trace import write_csv, write_csv_to
from gdnode_gui.core.outcome import OUTCOME_SENTENCES, summary
from gdnode_gui.core.run import Run, run_to_end
from gdnode_gui.core.sweep import (
    SweepSpecError, parse_sweep_spec, sweep, sweep_alphas, sweep_csv_text, sweep_summary, sweep_table_text,
)
from gdnode_gui.core.atomic import write_atomically
from gdnode_gui.core.setup import (
    MAX_INPUTS, MAX_STEPS, ORDERS, QUOTE_LIMIT, Example, Setup, SetupError, load_setup, quoted,
    seed_setup, shown,
)
from gdnode_gui.core.trace import Trace
from gdnode_gui.stdout import StdoutError, to_stdout

PROG = "gdnode-trace"

#: A long run's table shows this many steps from the start and from the end.
TABLE_HEAD = 20
TABLE_TAIL = 10

EXIT_OK, EXIT_OUTPUT, EXIT_INVALID = 0, 1, 2

#: Setup fields that a flag sets, for messages about a value given on the command line.
_FIELD_FLAGS = {
    "alpha": "--alpha", "max_steps": "--steps", "tolerance": "--tolerance",
    "seed": "--seed", "order": "--order", "weights": "--weights",
    "examples[1].inputs": "--inputs", "examples[1].goal": "--goal",
}


class InvalidInput(Exception):
    """Input the command cannot run: exit 2 with this one-line message."""


class OutputError(Exception):
    """Output that cannot be written: exit 1 with this one-line message."""


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl+C, so a file being written is removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and raises InvalidInput, long
    values are cut in messages, and help and version text that cannot be printed is an
    OutputError."""

    #: The command line being parsed (set by :func:`main`), to cut long values in messages.
    tokens: Sequence[str] = ()

    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith("argument "):  # "argument --alpha: ..." -> "--alpha: ..."
            message = message[len("argument "):]
        raise InvalidInput(f"{_shortened(message, self.tokens)} (see {PROG} --help)")

    def _print_message(self, message: str, file=None) -> None:  # type: ignore[override]
        if not message:
            return
        if file is None or file is sys.stdout:  # --help, --version (None: stdout is closed)
            _to_stdout(lambda: sys.stdout.write(message))
        else:
            super()._print_message(message, file)


def _shortened(message: str, tokens: Sequence[str] = ()) -> str:
    """``message`` with every long command-line value in it cut to about QUOTE_LIMIT characters."""
    for token in sorted({t for t in tokens if len(t) > QUOTE_LIMIT}, key=len, reverse=True):
        message = message.replace(repr(token), quoted(token)).replace(token, quoted(token)[1:-1])
    return re.sub(r"\S{%d,}" % (QUOTE_LIMIT + 1), lambda m: m.group()[: QUOTE_LIMIT - 3] + "...", message)


# -- argument types: every number must be finite, in ASCII digits ---------------------------------
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_WHOLE_TEXT = re.compile(r"[+-]?\d+", re.ASCII)
_NOT_FINITE_WORDS = ("inf", "infinity", "nan")
#: Longest whole number read from a flag (Python converts at most 4,300 digits).
_MAX_DIGITS = 400


def _finite(text: str) -> float:
    """A finite float written with ASCII digits (``1_0`` and ``١٠`` are refused, unlike float())."""
    cleaned = text.strip()
    if not _NUMBER_TEXT.fullmatch(cleaned):
        if cleaned.lower().lstrip("+-") in _NOT_FINITE_WORDS:
            raise argparse.ArgumentTypeError(f"must be a finite number, not {quoted(text)}")
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a number")
    value = float(cleaned)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {quoted(text)} "
                                         "(the largest is about 1.8e308)")
    return value


def _whole(text: str) -> int:
    """A whole number written with ASCII digits: ``10``, or ``1e3`` (a float that is whole)."""
    cleaned = text.strip()
    if _WHOLE_TEXT.fullmatch(cleaned):
        digits = len(cleaned.lstrip("+-"))
        if digits > _MAX_DIGITS:
            raise argparse.ArgumentTypeError(f"{quoted(text)} has {digits:,} digits; far too large")
        return int(cleaned)
    value = float(cleaned) if _NUMBER_TEXT.fullmatch(cleaned) else math.nan
    if not (math.isfinite(value) and value.is_integer()):
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a whole number")
    return int(value)


def _sweep_spec(text: str) -> tuple[float, float, int]:
    try:
        return parse_sweep_spec(text)
    except SweepSpecError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _outcome_epilog() -> str:
    words = "\n".join(f"  {word:<10} {sentence}" for word, sentence in OUTCOME_SENTENCES.items()
                      if word != "stopped")
    return f"""\
The run ends with one outcome word, checked after every step in this order:
{words}
The last line on standard error is the summary: the outcome word, then why, with the numbers.

Exit status: 0 for any finished run (diverged is a result, not an error), 2 for invalid
input, 1 when the output cannot be written.

Examples:
  {PROG}                                  the article's example, as a table
  {PROG} --preset death-spiral --csv -    every step as CSV on standard output
  {PROG} --alpha 0.5 --steps 50           the article's example with another alpha
  {PROG} --inputs 1 2 --weights 0.1 0.2 --goal 1
  {PROG} --sweep-alpha 0:4:41             the article's example with 41 alphas, one row each
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=textwrap.fill(
            "Run one gradient-descent node (prediction = sum of weight*input, delta = prediction - goal, "
            "weight -= alpha*delta*input) step by step and show every number. With neither "
            "--preset nor --setup it runs the article's example: input 1, weight 0.4, goal 0.6, "
            "alpha 0.1. The other flags change the chosen setup.", width=78,
        ),
        epilog=_outcome_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # "-1e-3", "-.5" and "-inf" are values, not options (argparse only knows "-1" and "-1.5");
    # "-inf" is then refused as not finite rather than as an unknown option; so is "-1:2:5", a
    # sweep from a negative alpha, which --sweep-alpha then refuses by name.
    parser._negative_number_matcher = re.compile(
        r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(:\S*)?$|^-(inf|infinity|nan)$", re.IGNORECASE | re.ASCII)
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--preset", metavar="NAME",
                       help="start from a built-in setup (see --list-presets), e.g. seed")
    start.add_argument("--setup", metavar="FILE.json",
                       help="start from a setup file saved by the app (or written by hand)")
    parser.add_argument("--inputs", metavar="X", nargs="+", type=_finite,
                        help="the input values of the first example, one per weight (to change "
                             "how many inputs there are, give --weights too)")
    parser.add_argument("--weights", metavar="W", nargs="+", type=_finite,
                        help="the starting weights, one per input")
    parser.add_argument("--goal", metavar="G", type=_finite,
                        help="the goal of the first example: the value it should predict")
    parser.add_argument("--alpha", metavar="A", type=_finite,
                        help="the learning rate: how big a part of each miss the weights move by")
    parser.add_argument("--steps", metavar="N", type=_whole,
                        help=f"the most steps to run (max_steps, 1 to {MAX_STEPS:,})")
    parser.add_argument("--tolerance", metavar="T", type=_finite,
                        help="stop 'converged' once the mse (mean of one pass) is below this; "
                             "0 waits for an mse of exactly 0")
    parser.add_argument("--no-stop-on-stall", dest="stop_on_stall", action="store_false", default=None,
                        help="keep going when the weights stop changing (normally the run ends 'stalled')")
    parser.add_argument("--order", choices=ORDERS,
                        help="which example each step uses: cyclic (1, 2, 3, 1, ...), shuffled "
                             "(a fresh random order each pass) or batch (every step uses the mean over all)")
    parser.add_argument("--seed", metavar="S", type=_whole,
                        help="the random seed of the shuffled order (same seed, same run)")
    parser.add_argument("--csv", metavar="PATH|-",
                        help="write every step as CSV to the file PATH, or to standard output with '-', "
                             "instead of printing the table")
    parser.add_argument("--export-python", metavar="FILE|-",
                        help="write the run as a standalone Python script (the article's loop; "
                             "it prints the same CSV as --csv -) to FILE, or to standard output with '-'")
    parser.add_argument("--export-notebook", metavar="FILE.ipynb",
                        help="write the run as a Jupyter notebook that explains each line and "
                             "writes the same CSV to trace.csv beside it")
    parser.add_argument("--sweep-alpha", metavar="FROM:TO:COUNT", type=_sweep_spec,
                        help="run the setup once for each of COUNT alphas from FROM to TO (evenly "
                             "spaced, both included) and print one row per alpha: alpha, outcome, steps, "
                             "final_mse and the final weights (with --csv, as CSV)")
    parser.add_argument("--list-presets", action="store_true",
                        help="list the built-in setups and stop")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="print the version and stop")
    return parser


# -- the setup: a preset, a file or the seed, then the flags ----------------------------------------
def _base_setup(args: argparse.Namespace) -> Setup:
    if args.preset is not None:
        from gdnode_gui.resources import load_preset

        try:
            return load_preset(args.preset)
        except KeyError as error:
            raise InvalidInput(_shortened(f"--preset: {error.args[0]}", (args.preset,))) from None
        except SetupError as error:
            raise InvalidInput(f"--preset {shown(args.preset)}: {error}") from None
    if args.setup is not None:
        try:
            return load_setup(args.setup)
        except SetupError as error:  # names the field, or the problem with the file
            where = "--setup" if shown(args.setup) in str(error) else f"--setup {shown(args.setup)}"
            raise InvalidInput(f"{where}: {error}") from None
    return seed_setup()


def _flag_message(error: SetupError) -> str:
    """A SetupError caused by a flag's value, named by the flag."""
    field = error.field
    for key, flag in _FIELD_FLAGS.items():
        if field == key:
            return f"{flag}: {error.problem}"
        if field.startswith(key + "["):  # weights[3]: the third number of --weights
            number = field[len(key) + 1 : field.index("]", len(key))]
            return f"{flag} (number {number}): {error.problem}"
    return str(error)


def _apply_flags(base: Setup, args: argparse.Namespace) -> Setup:
    n = base.n_inputs
    weights = tuple(args.weights) if args.weights is not None else base.weights
    inputs = tuple(args.inputs) if args.inputs is not None else base.examples[0].inputs
    if len(inputs) != len(weights):
        if args.inputs is not None and args.weights is not None:
            raise InvalidInput(f"--inputs gives {len(inputs)} numbers but --weights gives "
                               f"{len(weights)}; give one weight per input")
        if args.inputs is not None:
            raise InvalidInput(f"--inputs: gives {len(inputs)} numbers but the setup has {n} "
                               f"weight{'s' if n != 1 else ''}; give --weights with {len(inputs)} "
                               "numbers too")
        raise InvalidInput(f"--weights: gives {len(weights)} numbers but the setup has {n} "
                           f"input{'s' if n != 1 else ''}; give --inputs with {len(weights)} numbers too")
    if len(weights) > MAX_INPUTS:
        raise InvalidInput(f"--weights: a node has at most {MAX_INPUTS} inputs, not {len(weights)}")
    changes: dict = {}
    if len(weights) != n:
        if base.n_examples > 1:
            raise InvalidInput(f"--inputs: the setup has {base.n_examples} examples of {n} inputs; "
                               "--inputs replaces only the first one's, so it must give "
                               f"{n} number{'s' if n != 1 else ''}")
        changes.update(input_names=(), frozen=())  # they were for the old inputs
    if args.inputs is not None or args.goal is not None:
        goal = args.goal if args.goal is not None else base.examples[0].goal
        changes["examples"] = (Example(inputs, goal),) + base.examples[1:]
    if args.weights is not None:
        changes["weights"] = weights
    for key, value in (("alpha", args.alpha), ("max_steps", args.steps), ("tolerance", args.tolerance),
                       ("stop_on_stall", args.stop_on_stall), ("order", args.order), ("seed", args.seed)):
        if value is not None:
            changes[key] = value
    if not changes:
        return base
    try:
        return base.replace(**changes)
    except SetupError as error:
        raise InvalidInput(_flag_message(error)) from None


# -- output ----------------------------------------------------------------------------------------
def _csv_target(path: str) -> None:
    """Refuse, before a long run, a CSV path that cannot be written (a folder, a missing or
    read-only folder, a read-only file): what writing it would refuse, checked first."""
    if path == "":
        raise InvalidInput("--csv: give a file name, or - for standard output")
    _writable(path, "the CSV")


def _writable(path: str, what: str) -> None:
    """Refuse a target that is a folder, in a missing folder, or not writable."""
    if os.path.isdir(path):
        raise OutputError(f"cannot write {what} to {shown(path)}: it is a folder")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {what} to {shown(path)}: the folder {shown(folder)} does not exist")
    try:
        check_writable(path)
    except OSError as error:
        raise OutputError(f"cannot write {what} to {shown(path)}: {error.strerror or error}") from None


def _export_targets(args: argparse.Namespace) -> None:
    """Refuse, before a long run, export paths that cannot be written or that clash."""
    to_stdout = [flag for flag, path in (("--csv", args.csv), ("--export-python", args.export_python),
                                         ("--export-notebook", args.export_notebook)) if path == "-"]
    if len(to_stdout) > 1:
        raise InvalidInput(f"{' and '.join(to_stdout)} cannot both write to standard output (-); "
                           "give one of them a file name")
    for flag, path, what in (("--export-python", args.export_python, "the script"),
                             ("--export-notebook", args.export_notebook, "the notebook")):
        if path is None or path == "-":
            continue
        if path == "":
            raise InvalidInput(f"{flag}: give a file name, or - for standard output")
        if os.path.isdir(path):
            raise OutputError(f"cannot write {what} to {shown(path)}: it is a folder")
        if flag == "--export-notebook" and not path.lower().endswith(".ipynb"):
            raise InvalidInput(f"{flag}: the file name must end in .ipynb (Jupyter opens only "
                               f"those), not {quoted(path)}")
        _writable(path, what)


def _write_exports(args: argparse.Namespace, run: Run) -> None:
    """--export-python and --export-notebook: each file all or nothing (write_atomically)."""
    for path, what, make in ((args.export_python, "the script", lambda: python_script(run.setup)),
                             (args.export_notebook, "the notebook", lambda: notebook_json(run.setup, run))):
        if path is None:
            continue
        data = make().encode("utf-8")
        if path == "-":
            _to_stdout(lambda: _write_bytes_stdout(data))
            continue
        try:
            write_atomically(path, data)
        except OSError as error:
            raise OutputError(f"cannot write {what} to {shown(path)}: {error.strerror or error}") from None


def _write_bytes_stdout(data: bytes) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        out.write(data)
        out.flush()


def table_text(trace: Trace, head: int = TABLE_HEAD, tail: int = TABLE_TAIL) -> str:
    """The trace as an aligned table with every digit (Python's repr of each float).

    Columns: step, example (several examples), the weights before the step, prediction
    and delta (not in batch order), mse, the weights after the step.  A long trace shows
    its first ``head`` and last ``tail`` steps around a line saying how many are left out.
    """
    setup = trace.setup
    n = trace.n_steps
    count = setup.n_inputs
    if n > head + tail + 1:
        shown = list(range(head)) + list(range(n - tail, n))
    else:
        shown = list(range(n))
    rows = [trace.row(k + 1) for k in shown]  # each in constant time, whatever the length
    columns: list[tuple[str, list[str]]] = [("step", [str(row["step"]) for row in rows])]
    if setup.n_examples > 1 and not trace.batch:
        columns.append(("example", [str(row["example"]) for row in rows]))
    names = [f"weight_{i + 1}" for i in range(count)]
    if not trace.batch:
        names += ["prediction", "delta"]
    names.append("mse")
    names += [f"new_weight_{i + 1}" for i in range(count)]
    for name in names:
        columns.append((name, [repr(float(row[name])) for row in rows]))
    widths = [max(len(name), *(len(cell) for cell in cells)) for name, cells in columns]
    lines = ["  ".join(name.rjust(width) for (name, _), width in zip(columns, widths)).rstrip()]
    for row, k in enumerate(shown):
        if row == head and len(shown) < n:
            left_out = n - len(shown)
            lines.append(f"... {left_out:,} step{'s' if left_out != 1 else ''} not shown ...")
        lines.append("  ".join(cells[row].rjust(width) for (_, cells), width in zip(columns, widths)))
    return "\n".join(lines) + "\n"


def _presets_text() -> str:
    from gdnode_gui.resources import preset_summaries

    summaries = preset_summaries()
    if not summaries:
        return "(no presets found)\n"
    width = max(len(name) for name, _, _ in summaries)
    lines = [f"Built-in setups (use one with {PROG} --preset NAME):", ""]
    for name, title, description in summaries:
        lines.append(f"{name.ljust(width)}  {title}")
        lines.append(f"{' ' * width}  {_first_sentence(description)}")
    return "\n".join(lines) + "\n"


def _first_sentence(text: str, limit: int = 100) -> str:
    """The first sentence of ``text``, cut to ``limit`` characters."""
    text = " ".join(text.split())
    match = re.search(r"[.!?](\s|$)", text)
    sentence = text[: match.start() + 1] if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 3].rstrip() + "..."


def _to_stdout(write: Callable[[], object]) -> None:
    """Run ``write()`` (which writes to standard output) and flush; output that cannot be
    written is an :class:`OutputError` (one line on standard error, exit status 1)."""
    try:
        to_stdout(write, " (write the CSV to a file with --csv FILE)")
    except StdoutError as error:
        raise OutputError(str(error)) from None


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`_Terminated` while the command runs, so that the
    file being written removes its temporary file (SIGINT already raises KeyboardInterrupt).
    A signal that was ignored (``nohup``) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def unwind(signum, _frame):
        raise _Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None or signal.getsignal(number) is signal.SIG_IGN:
            continue
        previous[number] = signal.signal(number, unwind)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _write_csv_stdout(trace: Trace) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    write_csv_to(trace, out if out is not None else sys.stdout)
    if out is not None:
        out.flush()


def _run(args: argparse.Namespace) -> Run:
    setup = _apply_flags(_base_setup(args), args)
    if args.csv not in (None, "-"):
        _csv_target(args.csv)
    _export_targets(args)
    try:
        return run_to_end(setup)
    except MemoryError:
        raise OutputError(f"not enough memory to record {setup.max_steps:,} steps; "
                          "try fewer --steps") from None


def _sweep(args: argparse.Namespace) -> None:
    """``--sweep-alpha``: one row per alpha, as CSV or as a table, and a summary on stderr."""
    setup = _apply_flags(_base_setup(args), args)
    if args.csv not in (None, "-"):
        _csv_target(args.csv)
    rows = list(sweep(setup, sweep_alphas(*args.sweep_alpha)))
    n = setup.n_inputs
    if args.csv == "-":
        _to_stdout(lambda: sys.stdout.write(sweep_csv_text(rows, n)))
    elif args.csv is not None:
        try:
            write_atomically(args.csv, sweep_csv_text(rows, n).encode("ascii"))
        except OSError as error:
            raise OutputError(f"cannot write the CSV to {shown(args.csv)}: {error.strerror or error}") from None
    else:
        _to_stdout(lambda: sys.stdout.write(sweep_table_text(rows, n)))
    print(sweep_summary(rows, setup.weights), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``gdnode-trace`` command; returns the exit status."""
    parser = build_parser()
    parser.tokens = list(sys.argv[1:] if argv is None else argv)
    try:
        with _signals_unwind():
            return _main(parser, argv)
    except _Terminated as stop:
        print(f"{PROG}: stopped by {signal.Signals(stop.signum).name}", file=sys.stderr)
        return 128 + stop.signum


def _main(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help, --version
            return int(done.code or 0)
        if args.list_presets:
            _to_stdout(lambda: sys.stdout.write(_presets_text()))
            return EXIT_OK
        if args.sweep_alpha is not None:
            _sweep(args)
            return EXIT_OK
        run = _run(args)
        if args.csv == "-":
            _to_stdout(lambda: _write_csv_stdout(run.trace))
        elif args.csv is not None:
            try:
                write_csv(run.trace, args.csv)
            except OSError as error:
                raise OutputError(f"cannot write the CSV to {shown(args.csv)}: "
                                  f"{error.strerror or error}") from None
        elif args.export_python is None and args.export_notebook is None:
            _to_stdout(lambda: sys.stdout.write(table_text(run.trace)))
        _write_exports(args, run)
        print(summary(run), file=sys.stderr)
        return EXIT_OK
    except InvalidInput as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OutputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
