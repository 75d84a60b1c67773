"""The run as a standalone Python script: :func:`python_script`.

``python SCRIPT`` prints the trace CSV, the same bytes as ``gdnode-trace --csv -`` for
the setup, and the outcome on standard error.  It needs the standard library only
(numpy too for the shuffled order of several examples), never gdnode_gui.
"""

from __future__ import annotations

from ... import __version__
from ..setup import Setup
from .pieces import comment_lines, header_lines, pieces


def _banner(title: str) -> str:
    return f"# -- {title} ".ljust(88, "-")


def _about(setup: Setup) -> list[str]:
    """The setup's name and description as comments (never as code)."""
    lines = comment_lines(setup.name)
    if setup.name and setup.description:
        lines.append("#")
    return lines + comment_lines(setup.description)


def python_script(setup: Setup) -> str:
    """A readable, standalone script that runs ``setup`` and prints its trace as CSV.

    Parameters
    ----------
    setup : Setup
        The setup to run.

    Returns
    -------
    str
        The script's text (UTF-8 when written: the setup's name may not be ASCII).
    """
    code = pieces(setup)
    needs = ("Python's standard library and numpy (for the shuffled order)" if code.uses_numpy
             else "only Python's standard library")
    intro = [
        '"""One gradient-descent node learning, step by step, as in the article',
        '"Gradient Descent Nodes".',
        "",
        f"Written by gdnode-trace --export-python (gdnode-gui {__version__}). Run it with",
        "",
        "    python this_file.py > trace.csv",
        "",
        "to get every step as CSV: the same bytes as gdnode-trace --csv - for this setup",
        "(and the app's File > Export trace as CSV). The outcome goes to standard error.",
        f"It needs {needs}.",
        '"""',
    ]
    parts = [
        "\n".join(intro),
        code.imports.replace("import math", "import math\nimport sys", 1),
        "\n".join([_banner("the setup"), *_about(setup), code.setup]),
        _banner("the stop rules") + "\n" + code.rules,
        _banner("helpers") + "\n" + code.helpers,
        _banner("the node, step by step") + "\n" + code.loop,
        "\n".join([
            _banner("the trace as CSV, and the outcome"),
            *header_lines(code.header),
            "",
            "",
            code.csv_line,
            "",
            "",
            "out = sys.stdout.buffer  # bytes, so that every line ends with \\n on every system",
            'out.write((header + "\\n").encode("ascii"))',
            "for row in trace:",
            '    out.write(csv_line(row).encode("ascii"))',
            "out.flush()",
            'print(f"{outcome} after step {len(trace)}", file=sys.stderr)',
        ]),
    ]
    return "\n\n\n".join(parts) + "\n"
