"""The wheel built from this checkout carries everything an installed copy needs.

``resources/`` lives at the top of the checkout and is put into the wheel as
``gdnode_gui/resources`` (hatchling ``force-include``, pyproject.toml); an installed copy finds its
icon, desktop file and presets there. The wheel is built offline (``--no-isolation``: hatchling
comes from the test extra), once for all tests in this file.
"""

from __future__ import annotations

import configparser
import email.parser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

REQUIRED_RESOURCES = [
    "gdnode_gui/resources/icon.svg",
    "gdnode_gui/resources/icon-48.png",
    "gdnode_gui/resources/icon-128.png",
    "gdnode_gui/resources/icon-256.png",
    "gdnode_gui/resources/gdnode-gui.desktop",
    "gdnode_gui/resources/presets/seed.json",
]
REQUIRED_MODULES = [
    "gdnode_gui/__init__.py",
    "gdnode_gui/cli.py",
    "gdnode_gui/app.py",
]

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("wheel")
    env = dict(os.environ, PIP_NO_INDEX="1")  # offline: nothing may be downloaded
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(REPO)],
        cwd=outdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert proc.returncode == 0, (
        "building the wheel failed (is the test extra installed? it brings build and hatchling):\n"
        + proc.stdout[-2000:] + proc.stderr[-3000:]
    )
    wheels = sorted(outdir.glob("gdnode_gui-*.whl"))
    assert len(wheels) == 1, [p.name for p in outdir.iterdir()]
    return wheels[0]


def _dist_info(names: list[str], filename: str) -> str:
    matches = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/" + filename)]
    assert len(matches) == 1, f"{filename} in the wheel: {matches}"
    return matches[0]


def test_wheel_contains_resources(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = [name for name in REQUIRED_RESOURCES if name not in names]
        assert missing == [], f"missing from {wheel.name}: {missing}"
        # Not empty placeholders: the PNGs are PNGs, the SVG is SVG, the preset is JSON.
        for name in REQUIRED_RESOURCES:
            assert zf.getinfo(name).file_size > 0, f"{name} is empty"
            data = zf.read(name)
            if name.endswith(".png"):
                assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
            elif name.endswith(".svg"):
                assert b"<svg" in data, name
            elif name.endswith(".json"):
                import json

                json.loads(data.decode("utf-8"))
            elif name.endswith(".desktop"):
                assert data.decode("utf-8").lstrip().startswith("[Desktop Entry]"), name


def test_wheel_contains_the_package(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    missing = [name for name in REQUIRED_MODULES if name not in names]
    assert missing == [], f"missing from {wheel.name}: {missing}"
    core = [n for n in names if n.startswith("gdnode_gui/core/") and n.endswith(".py")]
    assert core, "no gdnode_gui/core modules in the wheel"
    stray = [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("tests/")]
    assert stray == [], f"files that do not belong in the wheel: {stray[:10]}"


def test_wheel_entry_points(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        text = zf.read(_dist_info(names, "entry_points.txt")).decode("utf-8")
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # keep the names' case
    parser.read_string(text)
    assert parser.has_section("console_scripts"), text
    assert parser.has_section("gui_scripts"), text
    assert parser["console_scripts"].get("gdnode-trace", "").strip() == "gdnode_gui.cli:main"
    assert parser["gui_scripts"].get("gdnode-gui", "").strip() == "gdnode_gui.app:main"
    # The GUI must not also be a console script, nor the other way round.
    assert "gdnode-gui" not in parser["console_scripts"]
    assert "gdnode-trace" not in parser["gui_scripts"]


def test_wheel_metadata_requires_qt_essentials(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = email.parser.Parser().parsestr(zf.read(_dist_info(names, "METADATA")).decode("utf-8"))
    assert metadata["Name"] == "gdnode-gui"
    requires = metadata.get_all("Requires-Dist") or []
    runtime = [r.split(";")[0].replace(" ", "").lower() for r in requires if "extra" not in r]
    assert any(r.startswith("pyside6-essentials") for r in runtime), requires
    # Not the full PySide6 (about 200 MB of add-ons the app does not use).
    assert not any(r.startswith("pyside6") and not r.startswith("pyside6-essentials") for r in runtime), runtime
