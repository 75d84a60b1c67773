"""Writing to standard output without a traceback, for both commands (gdnode-trace, gdnode-gui).

A reader that went away (``| head``) is not an error: the rest is dropped quietly.  Output that
cannot be written (``> /dev/full``, a closed standard output) raises :class:`StdoutError` with
the reason in plain words; each command turns it into one line on standard error and exit 1.
"""

from __future__ import annotations

import os
import sys
from typing import Callable


class StdoutError(Exception):
    """Standard output cannot be written; the message says why."""


def silence_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def to_stdout(write: Callable[[], object], closed_hint: str = "") -> None:
    """Run ``write()`` (which writes to standard output) and flush (see the module docstring)."""
    if sys.stdout is None:  # started with standard output closed (>&-)
        raise StdoutError("standard output is closed, so nothing can be printed" + closed_hint)
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except (OSError, ValueError) as error:  # ValueError: a closed stream
        silence_stdout()
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise StdoutError(f"cannot write to standard output: {reason}") from None
