"""Put gdnode-gui in the desktop's application menu, with its icon, for the current user.

``gdnode-gui --install-desktop`` writes, following the XDG specifications (Linux, BSD)::

    $XDG_DATA_HOME/applications/gdnode-gui.desktop        (or ~/.local/share/...)
    $XDG_DATA_HOME/icons/hicolor/48x48/apps/gdnode-gui.png
    $XDG_DATA_HOME/icons/hicolor/128x128/apps/gdnode-gui.png
    $XDG_DATA_HOME/icons/hicolor/256x256/apps/gdnode-gui.png
    $XDG_DATA_HOME/icons/hicolor/scalable/apps/gdnode-gui.svg
    $XDG_DATA_HOME/mime/packages/gdnode-gui.xml           (*.gdnode setup files open the app)

and ``--uninstall-desktop`` removes exactly those files, and the folders the install created
that are empty again.  The entry it writes says so (``X-GdNode-Installed-By=gdnode-gui``) and
lists the folders it created (``X-GdNode-Created-Folders``): an entry without that mark was
written by someone else and is never overwritten nor removed.  A failed install takes back
what it wrote.  No administrator rights are needed and nothing outside the user's data folder
is touched.  This module imports no Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from configparser import ConfigParser, Error as ConfigError
from pathlib import Path, PurePosixPath

from gdnode_gui import resources

APP_ID = "gdnode-gui"
DESKTOP_FILE = f"{APP_ID}.desktop"
#: The file type of setup files, its extension, and the shared-mime-info file that declares it.
SETUP_MIME_TYPE = "application/x-gdnode-setup"
SETUP_EXTENSION = ".gdnode"
MIME_RESOURCE = "gdnode-gui-mime.xml"
MIME_PACKAGE = f"{APP_ID}.xml"
#: The mark of an entry this module wrote, and the list of folders its install created.
MARKER_KEY = "X-GdNode-Installed-By"
MARKER_VALUE = APP_ID
CREATED_KEY = "X-GdNode-Created-Folders"
#: Files the desktop's own tools write into a folder; a folder holding only these is empty.
_TOOL_CACHES = frozenset({"mimeinfo.cache", "icon-theme.cache"})
#: Characters that force quoting of an Exec argument (desktop entry spec, "The Exec key").
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_TOOL_TIMEOUT = 20  # seconds for update-desktop-database / update-mime-database / icon cache


class DesktopError(Exception):
    """Desktop integration is impossible here; the message is one sentence for the user."""


def data_home(home: Path | None = None) -> Path:
    """The user's XDG data folder, which holds ``applications/``, ``icons/`` and ``mime/``.

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
    """Every file that :func:`install_desktop` writes: the entry, the icons, the MIME type."""
    base = data_home(home)
    hicolor = base / "icons" / "hicolor"
    paths = [base / "applications" / DESKTOP_FILE]
    paths += [hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in resources.ICON_SIZES]
    paths.append(hicolor / "scalable" / "apps" / f"{APP_ID}.svg")
    paths.append(base / "mime" / "packages" / MIME_PACKAGE)
    return paths


def launcher_command() -> list[str]:
    """The command that starts the app, as absolute paths.

    In the standalone bundle (``sys.frozen``), the bundle's own ``gdnode-gui``.  Otherwise the
    ``gdnode-gui`` script beside the running Python (a virtual environment that is not
    activated still works), else the one on ``PATH``, else ``python -m gdnode_gui``.
    """
    if getattr(sys, "frozen", False):
        executable = Path(sys.executable).absolute()
        beside = executable.with_name(APP_ID + executable.suffix)
        return [str(beside if beside.is_file() else executable)]
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


def desktop_entry_text(command: list[str] | None = None, created: list[str] = ()) -> str:
    """The shipped ``gdnode-gui.desktop`` with ``Exec`` (and ``TryExec``) set to ``command``.

    ``%f`` lets a file manager hand the app a setup file (``MimeType`` lists the setup files'
    type).  The entry is marked as written by gdnode-gui, with ``created``: the folders the
    install created, relative to the data folder (``.`` for the data folder itself).
    """
    command = command or launcher_command()
    exec_value = _escape_value(" ".join(quote_exec_argument(arg) for arg in command) + " %f")
    lines = []
    for line in resources.resource_path(DESKTOP_FILE).read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0].strip()
        if key in ("TryExec", MARKER_KEY, CREATED_KEY):
            continue
        if key == "Exec":
            lines.append(f"TryExec={_escape_value(command[0])}")
            lines.append(f"Exec={exec_value}")
        else:
            lines.append(line)
    lines.append(f"{MARKER_KEY}={MARKER_VALUE}")
    if created:
        lines.append(f"{CREATED_KEY}=" + "".join(f"{_escape_value(folder)};" for folder in created))
    return "\n".join(lines) + "\n"


def read_entry(path: Path) -> dict[str, str] | None:
    """The ``[Desktop Entry]`` keys of ``path``; None when it cannot be read as a desktop entry."""
    parser = ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keys are case-sensitive
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
        return dict(parser["Desktop Entry"])
    except (OSError, UnicodeDecodeError, ConfigError, KeyError):
        return None


def written_by_us(path: Path) -> bool:
    """True when ``path`` is a desktop entry that :func:`install_desktop` wrote."""
    fields = read_entry(path)
    return fields is not None and fields.get(MARKER_KEY) == MARKER_VALUE


def _created_folders(fields: dict[str, str] | None, base: Path) -> list[Path]:
    """The folders an entry says its install created, as paths under ``base`` (nothing outside)."""
    if not fields:
        return []
    folders = []
    for item in fields.get(CREATED_KEY, "").split(";"):
        relative = PurePosixPath(item.strip())
        if not item.strip() or relative.is_absolute() or ".." in relative.parts:
            continue
        folders.append(base.joinpath(*relative.parts) if relative.parts else base)
    return folders


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


def _run_tool(tool: str, *arguments: str) -> None:
    """Run one of the desktop's cache tools; a missing or failing tool is not an error."""
    path = shutil.which(tool)
    if not path:
        return
    try:
        subprocess.run([path, *arguments], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=_TOOL_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        pass


def _refresh_caches(base: Path) -> None:
    """Tell the desktop about the change, for the folders that exist."""
    if any((base / "applications").glob("*.desktop")):
        _run_tool("update-desktop-database", "-q", str(base / "applications"))
    if (base / "mime" / "packages").is_dir():
        _run_tool("update-mime-database", str(base / "mime"))
    if (base / "icons" / "hicolor").is_dir():
        # Without an index.theme in the user's hicolor folder this does nothing, on purpose:
        # a cache there would have to be kept up to date by every other program too.
        _run_tool("gtk-update-icon-cache", "-q", str(base / "icons" / "hicolor"))


def _make_folder(folder: Path, base: Path, created: list[Path]) -> None:
    """Make ``folder`` (inside ``base``) and its missing parents; those made from ``base`` down
    are added to ``created`` (folders above the data folder, like ``~/.local``, are not)."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        candidate.mkdir()
        if candidate == base or base in candidate.parents:
            created.append(candidate)


def _remove_if_empty(folder: Path) -> bool:
    """Remove ``folder`` when nothing but the desktop tools' caches is in it; True if removed."""
    try:
        names = {entry.name for entry in os.scandir(folder)}
    except OSError:
        return False
    if not names <= _TOOL_CACHES:
        return False
    try:
        for name in names:
            (folder / name).unlink()
        folder.rmdir()
    except OSError:
        return False
    return True


def _remove_folders(folders: list[Path], base: Path) -> None:
    """Remove the ``folders`` an install created that are empty now, deepest first.

    The MIME database under ``mime/`` is written by update-mime-database from ``mime/packages``:
    when the install created ``mime/`` and no package is left in it, the whole database goes.
    """
    mime = base / "mime"
    packages = mime / "packages"
    if mime in folders and mime.is_dir() and not (packages.is_dir() and any(packages.iterdir())):
        shutil.rmtree(mime, ignore_errors=True)
    for folder in sorted(set(folders), key=lambda path: len(path.parts), reverse=True):
        _remove_if_empty(folder)


def _roll_back(written: list[tuple[Path, bytes | None]], created: list[Path], base: Path) -> None:
    """Undo a failed install: earlier contents back, new files and new folders gone."""
    for path, previous in reversed(written):
        try:
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)
        except OSError:
            pass
    _remove_folders(created, base)


def _os_error_message(error: OSError, doing: str) -> str:
    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    return f"cannot {doing}: {error.strerror or error}{where}"


def install_desktop(home: Path | None = None) -> list[Path]:
    """Install the desktop entry, the icons and the setup files' type for the current user.

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
        On macOS or Windows (the message says how to make a shortcut there), when a
        ``gdnode-gui.desktop`` that gdnode-gui did not write is in the way, when a resource is
        missing, or when a file cannot be written (then nothing of this install is left).
    """
    message = _unsupported_message()
    if message:
        raise DesktopError(message)
    base = data_home(home)
    entry, *targets = installed_paths(home)
    earlier_created: list[Path] = []
    if entry.exists() or entry.is_symlink():
        if not written_by_us(entry):
            raise DesktopError(f"{entry} was not written by gdnode-gui --install-desktop, so it "
                               "is left as it is; rename or remove it, then install again")
        earlier_created = _created_folders(read_entry(entry), base)
    written: list[tuple[Path, bytes | None]] = []
    created: list[Path] = []
    try:
        icons = resources.icon_paths()
        sources = [icons[size] for size in resources.ICON_SIZES] + [icons["svg"]]
        sources.append(resources.resource_path(MIME_RESOURCE))
        for source, target in zip(sources, targets):
            _make_folder(target.parent, base, created)
            written.append((target, target.read_bytes() if target.is_file() else None))
            shutil.copyfile(source, target)
        _make_folder(entry.parent, base, created)
        record = list(dict.fromkeys(earlier_created + created))
        text = desktop_entry_text(created=[
            PurePosixPath(*folder.relative_to(base).parts).as_posix() for folder in record])
        written.append((entry, entry.read_bytes() if entry.is_file() else None))
        entry.write_text(text, encoding="utf-8")
        entry.chmod(0o644)
    except KeyError as error:
        _roll_back(written, created, base)
        raise DesktopError(f"the app icon of size {error} is missing from the installed package") from None
    except FileNotFoundError as error:
        _roll_back(written, created, base)
        if getattr(error, "filename", None):
            raise DesktopError(_os_error_message(error, "install the menu entry")) from None
        raise DesktopError(f"cannot install the menu entry: {error}") from None
    except OSError as error:
        _roll_back(written, created, base)
        raise DesktopError(_os_error_message(error, "install the menu entry")) from None
    _refresh_caches(base)
    return [entry, *(path for path, _previous in written if path != entry)]


def uninstall_desktop(home: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop` wrote, and the folders it made that are empty now.

    Returns the files that were there.  A ``gdnode-gui.desktop`` without gdnode-gui's mark
    was written by someone else: then nothing is removed and :class:`DesktopError` says so.
    """
    message = _unsupported_message()
    if message:
        raise DesktopError(message)
    base = data_home(home)
    entry, *others = installed_paths(home)
    created: list[Path] = []
    if entry.exists() or entry.is_symlink():
        if not written_by_us(entry):
            raise DesktopError(f"{entry} was not written by gdnode-gui --install-desktop, so it "
                               "and the icons are left as they are")
        created = _created_folders(read_entry(entry), base)
    removed = []
    for path in (entry, *others):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise DesktopError(f"cannot remove {path}: {error.strerror or error}") from None
        removed.append(path)
    _remove_folders(created, base)
    applications = base / "applications"
    if applications.is_dir() and not any(applications.glob("*.desktop")):
        # update-desktop-database would leave a mimeinfo.cache listing nothing: drop it instead.
        (applications / "mimeinfo.cache").unlink(missing_ok=True)
    if removed:
        _refresh_caches(base)
        _remove_folders(created, base)  # the tools may have left an empty cache behind
    return removed


__all__ = [
    "APP_ID", "SETUP_MIME_TYPE", "SETUP_EXTENSION", "MARKER_KEY", "DesktopError", "data_home",
    "installed_paths", "launcher_command", "quote_exec_argument", "desktop_entry_text",
    "read_entry", "written_by_us", "install_desktop", "uninstall_desktop",
]
