"""The run as code a student can read and run: a Python script and a Jupyter notebook.

- :func:`python_script` — a standalone script that prints the trace CSV, the same bytes
  as ``gdnode-trace --csv -`` for the setup;
- :func:`notebook_json` — an nbformat-4 notebook that explains each line of the node,
  states the run's lesson, and writes the same bytes to ``trace.csv``;
- :func:`write_python_script`, :func:`write_notebook` — the same, written to a file all
  or nothing (:func:`gdnode_gui.core.atomic.write_atomically`).

Both are built from the same :mod:`pieces` of code.  Nothing here imports Qt, and the
exported code never imports gdnode_gui.
"""

from __future__ import annotations

import os

from ..atomic import write_atomically
from ..setup import Setup
from .notebook import notebook_json
from .script import python_script


def write_python_script(setup: Setup, path: str | os.PathLike) -> None:
    """Write :func:`python_script` of ``setup`` to ``path`` (UTF-8), all or nothing;
    raises :class:`OSError` when it cannot be written."""
    write_atomically(path, python_script(setup).encode("utf-8"))


def write_notebook(setup: Setup, path: str | os.PathLike, run=None) -> None:
    """Write :func:`notebook_json` of ``setup`` to ``path`` (UTF-8), all or nothing;
    raises :class:`OSError` when it cannot be written.  ``run``: see :func:`notebook_json`."""
    write_atomically(path, notebook_json(setup, run).encode("utf-8"))


__all__ = ["python_script", "notebook_json", "write_python_script", "write_notebook"]
