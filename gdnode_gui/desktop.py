"""Put gdnode-gui in the desktop's application menu, with its icon, for the current user.

``gdnode-gui --install-desktop`` writes, following the XDG specifications (Linux, BSD)::

    $XDG_DATA_HOME/applications/gdnode-gui.desktop        (or ~/.local/share/...)
    $XDG_DATA_HOME/icons/hicolor/48x48/apps/gdnode-gui.png
    $XDG_DATA_HOME/icons/hicolor/128x128/apps/gdnode-gui.png
    $XDG_DATA_HOME/icons/hicolor/256x256/apps/gdnode-gui.png
    $XDG_DATA_HOME/icons/hicolor/scalable/apps/gdnode-gui.svg

and ``--uninstall-desktop`` removes exactly those files.  No administrator rights are needed and
nothing outside the user's data folder is touched.  This module imports no Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gdnode_gui import resources

APP_ID = "gdnode-gui"
DESKTOP_FILE = f"{APP_ID}.desktop"
#: Characters that force quoting of an Exec argument (desktop entry spec, "The Exec key").
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_TOOL_TIMEOUT = 20  # seconds for update-desktop-database / gtk-update-icon-cache


class DesktopError(Exception):
    """Desktop integration is impossible here; the message is one sentence for the user."""


def data_home(home: Path | None = None) -> Path:
    """The user's XDG data folder, which holds ``applications/`` and ``icons/``.

    Parameters
    ----------
    home : Path, optional
        A home folder to install into (tests, or preparing another account): its
        ``.local/share``.  Without it, ``$XDG_DATA_HOME`` when that is an absolute path,
        else ``~/.local/share``.
    """
    if home is not None:
        return Path(home) / ".local" / "share"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg)
    return Path.home() / ".local" / "share"


def installed_paths(home: Path | None = None) -> list[Path]:
    """Every file that :func:`install_desktop` writes (the desktop entry first)."""
    base = data_home(home)
    hicolor = base / "icons" / "hicolor"
    paths = [base / "applications" / DESKTOP_FILE]
    paths += [hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in resources.ICON_SIZES]
    paths.append(hicolor / "scalable" / "apps" / f"{APP_ID}.svg")
    return paths


def launcher_command() -> list[str]:
    """The command that starts the app, as absolute paths.

    The ``gdnode-gui`` script beside the running Python (a virtual environment that is not
    activated still works), else the one on ``PATH``, else ``python -m gdnode_gui``.
    """
    beside = Path(sys.executable).parent / APP_ID
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which(APP_ID)
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "gdnode_gui"]


def quote_exec_argument(argument: str) -> str:
    """One argument quoted for the ``Exec`` key, before the key's own string escaping.

    A literal ``%`` becomes ``%%``; an argument with a reserved character goes inside double
    quotes, where ``"``, `````, ``$`` and ``\\`` get a backslash.
    """
    argument = argument.replace("%", "%%")
    if not any(char in _EXEC_RESERVED for char in argument):
        return argument
    escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
    return f'"{escaped}"'


def _escape_value(value: str) -> str:
    """A desktop entry string value: backslash, newline, tab and carriage return escaped."""
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def desktop_entry_text(command: list[str] | None = None) -> str:
    """The shipped ``gdnode-gui.desktop`` with ``Exec`` (and ``TryExec``) set to ``command``.

    ``%f`` lets a file manager's "Open with" hand the app a setup file.
    """
    command = command or launcher_command()
    exec_value = _escape_value(" ".join(quote_exec_argument(arg) for arg in command) + " %f")
    lines = []
    for line in resources.resource_path(DESKTOP_FILE).read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0].strip()
        if key == "TryExec":
            continue
        if key == "Exec":
            lines.append(f"TryExec={_escape_value(command[0])}")
            lines.append(f"Exec={exec_value}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _unsupported_message() -> str | None:
    """Why this platform has no XDG menu, and what to do instead; None on Linux/BSD."""
    command = " ".join(launcher_command())
    if sys.platform == "darwin":
        return ("macOS has no freedesktop application menu; start the app with the command "
                f"'{command}', or make a shortcut with Automator (New > Application > "
                "Run Shell Script) that runs it, and keep that in your Applications folder")
    if sys.platform.startswith(("win", "cygwin", "msys")):
        return ("Windows has no freedesktop application menu; right-click the desktop, choose "
                f"New > Shortcut and enter: {command}")
    return None


def _refresh_caches(base: Path) -> None:
    """Tell the desktop about the change; a missing or failing tool is not an error."""
    jobs = [
        ("update-desktop-database", ["-q", str(base / "applications")]),
        # Without an index.theme in the user's hicolor folder this does nothing, on purpose:
        # a cache there would have to be kept up to date by every other program too.
        ("gtk-update-icon-cache", ["-q", str(base / "icons" / "hicolor")]),
    ]
    for tool, arguments in jobs:
        path = shutil.which(tool)
        if not path:
            continue
        try:
            subprocess.run([path, *arguments], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=_TOOL_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            pass


def install_desktop(home: Path | None = None) -> list[Path]:
    """Install the desktop entry and the icons for the current user.

    Parameters
    ----------
    home : Path, optional
        Install under this home folder instead (see :func:`data_home`).

    Returns
    -------
    list of Path
        The files written, the desktop entry first.

    Raises
    ------
    DesktopError
        On macOS or Windows (the message says how to make a shortcut there), when a resource
        is missing, or when a file cannot be written.
    """
    message = _unsupported_message()
    if message:
        raise DesktopError(message)
    entry, *icon_targets = installed_paths(home)
    try:
        icons = resources.icon_paths()
        sources = [icons[size] for size in resources.ICON_SIZES] + [icons["svg"]]
        text = desktop_entry_text()
        written = []
        for source, target in zip(sources, icon_targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(text, encoding="utf-8")
        entry.chmod(0o644)
    except KeyError as error:
        raise DesktopError(f"the app icon of size {error} is missing from the installed package") from None
    except OSError as error:
        where = f" ({error.filename})" if getattr(error, "filename", None) else ""
        raise DesktopError(f"cannot install the menu entry: {error.strerror or error}{where}") from None
    _refresh_caches(data_home(home))
    return [entry, *written]


def uninstall_desktop(home: Path | None = None) -> list[Path]:
    """Remove the files :func:`install_desktop` writes; returns those that were there."""
    message = _unsupported_message()
    if message:
        raise DesktopError(message)
    removed = []
    for path in installed_paths(home):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise DesktopError(f"cannot remove {path}: {error.strerror or error}") from None
        removed.append(path)
    if removed:
        _refresh_caches(data_home(home))
    return removed


__all__ = [
    "APP_ID", "DesktopError", "data_home", "installed_paths", "launcher_command",
    "quote_exec_argument", "desktop_entry_text", "install_desktop", "uninstall_desktop",
]
