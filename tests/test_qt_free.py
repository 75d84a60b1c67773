"""``gdnode_gui.core`` and the ``gdnode-trace`` command line never import Qt.

The core is plain Python + numpy: it is tested without a QApplication, and ``gdnode-trace``
runs on a server with no Qt libraries at all. Two checks:

- dynamic: a fresh interpreter imports every module below ``gdnode_gui.core`` and
  ``gdnode_gui.cli``; afterwards no Qt or plotting module may be loaded;
- static: no file under ``gdnode_gui/core`` imports one (also catches imports that are inside
  functions, and so are not run by a plain import).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "gdnode_gui"
CORE = PACKAGE / "core"

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2", "shiboken2", "qtpy")

_IMPORT_SCRIPT = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    forbidden = tuple(sys.argv[1].split(","))
    imported = []
    import gdnode_gui.core as core
    imported.append(core.__name__)
    for info in pkgutil.walk_packages(core.__path__, prefix=core.__name__ + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
    import gdnode_gui.cli
    imported.append("gdnode_gui.cli")
    loaded = sorted(
        name for name in sys.modules
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )
    print(json.dumps({"imported": imported, "qt_modules": loaded,
                      "core_file": list(core.__path__)[0]}))
    """
)


def _is_forbidden(module: str | None) -> bool:
    if not module:
        return False
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


def test_cli_module_exists():
    assert (PACKAGE / "cli.py").is_file(), (
        "gdnode_gui/cli.py is missing: it provides the gdnode-trace console script "
        "(pyproject.toml [project.scripts]) and must import without Qt"
    )


def test_core_and_cli_import_without_qt(tmp_path):
    if not (PACKAGE / "cli.py").is_file():
        pytest.fail("gdnode_gui/cli.py is missing (see test_cli_module_exists)", pytrace=False)
    env = dict(os.environ)
    # The checkout's code, whether or not it is installed, in a folder with nothing else in it.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_SCRIPT, ",".join(FORBIDDEN)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"importing the core or the CLI failed:\n{proc.stderr[-3000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert Path(result["core_file"]).resolve() == CORE.resolve(), result["core_file"]
    assert "gdnode_gui.cli" in result["imported"]
    # Every module file under core/ was imported (the walk found them all).
    expected = {
        "gdnode_gui.core." + ".".join(path.relative_to(CORE).with_suffix("").parts)
        for path in CORE.rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    }
    assert expected <= set(result["imported"]), sorted(expected - set(result["imported"]))
    assert result["qt_modules"] == [], (
        "gdnode_gui.core or gdnode_gui.cli pulled in Qt/plotting modules: "
        + ", ".join(result["qt_modules"][:20])
    )


def _forbidden_imports(path: Path, root: Path = REPO) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Call):
            # __import__("PySide6") / importlib.import_module("PySide6.QtCore")
            func = node.func
            func_name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if func_name in ("__import__", "import_module") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names = [first.value]
        found += [
            f"{path.relative_to(root)}:{node.lineno}: {name}" for name in names if _is_forbidden(name)
        ]
    return found


def test_no_qt_import_in_core_source():
    files = sorted(p for p in CORE.rglob("*.py") if "__pycache__" not in p.parts)
    assert files, "gdnode_gui/core has no Python files"
    offending = [line for path in files for line in _forbidden_imports(path)]
    assert offending == [], "Qt imports under gdnode_gui/core:\n" + "\n".join(offending)


def test_static_check_detects_qt_imports(tmp_path):
    """The static check itself finds Qt imports (so an empty result above means something)."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os\n"
        "def later():\n"
        "    from PySide6.QtCore import QObject\n"
        "    import pyqtgraph as pg\n"
        "    import importlib\n"
        "    importlib.import_module('shiboken6')\n"
        "from PySide6 import QtWidgets\n"
        "from . import pyqtgraph_free\n"
        "import numpy, PySide6x\n",
        encoding="utf-8",
    )
    hits = _forbidden_imports(probe, root=tmp_path)
    assert sorted(hit.split(": ", 1)[1] for hit in hits) == [
        "PySide6", "PySide6.QtCore", "pyqtgraph", "shiboken6",
    ], hits
