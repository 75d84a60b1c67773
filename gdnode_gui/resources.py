"""Where the app's resources live: the icon, the desktop entry and the built-in presets.

An installed wheel carries them inside the package, as ``gdnode_gui/resources`` (hatchling's
``force-include`` of the top-level ``resources`` folder).  A source checkout or an editable
install has no such folder inside the package; there they are the checkout's own
``resources/`` beside ``gdnode_gui/``.  The standalone bundle (PyInstaller, ``sys.frozen``)
keeps them in its own folder, as ``gdnode_gui/resources`` under ``sys._MEIPASS``.  All are
looked for, the bundle's first.

This module imports no Qt: the command line (``gdnode-trace --preset NAME``) uses it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gdnode_gui.core.setup import Setup, SetupError, read_setup_text

ICON_SIZES = (48, 128, 256)
PRESETS_FOLDER = "presets"
FIRST_PRESET = "seed"
_MARKER = "icon.svg"  # a resources folder without it is not ours
#: This package's folder: where an installed wheel keeps ``resources/`` (what
#: ``importlib.resources.files("gdnode_gui")`` gives for a package on disk, without
#: importing its readers at every start).
_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The folder that holds ``icon.svg``, ``gdnode-gui.desktop`` and ``presets/``."""
    candidates: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:  # the standalone bundle
        candidates.append(Path(bundle) / "gdnode_gui" / "resources")
    candidates.append(_PACKAGE / "resources")  # an installed wheel
    candidates.append(_PACKAGE.parent / "resources")  # a source checkout, an editable install
    for candidate in candidates:
        if (candidate / _MARKER).is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"the gdnode-gui resources folder is missing (looked in: {looked})")


def resource_path(name: str) -> Path:
    """The path of one resource file, e.g. ``"icon.svg"`` or ``"gdnode-gui.desktop"``.

    Raises FileNotFoundError when there is no such file.
    """
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"no resource named {name!r} in {resources_dir()}")
    return path


def icon_paths() -> dict[int | str, Path]:
    """The app icon: ``{48: png, 128: png, 256: png, "svg": svg}`` (those that exist)."""
    folder = resources_dir()
    icons: dict[int | str, Path] = {}
    for size in ICON_SIZES:
        png = folder / f"icon-{size}.png"
        if png.is_file():
            icons[size] = png
    icons["svg"] = folder / "icon.svg"
    return icons


def _presets_dir() -> Path:
    return resources_dir() / PRESETS_FOLDER


def preset_names() -> list[str]:
    """The built-in presets by file name without ``.json``: ``seed`` first, then A to Z."""
    folder = _presets_dir()
    names = sorted(p.stem for p in folder.glob("*.json") if p.is_file()) if folder.is_dir() else []
    if FIRST_PRESET in names:
        names.remove(FIRST_PRESET)
        names.insert(0, FIRST_PRESET)
    return names


def preset_path(name: str) -> Path:
    """The file of the preset called ``name`` (``"seed"``; a trailing ``.json`` is allowed).

    Raises KeyError, with the known names in its message, for anything else.  Only names in
    :func:`preset_names` are accepted, so a name can never reach outside the presets folder.
    """
    names = preset_names()
    key = name[:-5] if isinstance(name, str) and name.endswith(".json") else name
    if key not in names:
        known = ", ".join(names) if names else "(none found)"
        raise KeyError(f"no preset named {name!r}; the presets are: {known}")
    return _presets_dir() / f"{key}.json"


def load_preset(name: str) -> Setup:
    """The preset called ``name`` as a :class:`~gdnode_gui.core.setup.Setup`.

    Raises KeyError for an unknown name, SetupError if the file is damaged.
    """
    return _read_preset(preset_path(name))


def _read_preset(path: Path) -> Setup:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SetupError("", f"cannot read the preset {path.name}: {error}") from None
    return read_setup_text(text)


def preset_summaries() -> list[tuple[str, str, str]]:
    """``(preset name, display name, description)`` for every preset, in :func:`preset_names` order.

    A preset whose file cannot be read is listed with its problem as its description, so one
    damaged file never hides the others.
    """
    summaries = []
    folder = _presets_dir()  # looked up once: the window asks at every start
    for name in preset_names():
        try:
            setup = _read_preset(folder / f"{name}.json")
        except SetupError as error:
            summaries.append((name, name, f"(this preset cannot be read: {error})"))
            continue
        summaries.append((name, setup.name or name, setup.description))
    return summaries


__all__ = [
    "ICON_SIZES", "resources_dir", "resource_path", "icon_paths", "preset_names",
    "preset_path", "load_preset", "preset_summaries",
]
