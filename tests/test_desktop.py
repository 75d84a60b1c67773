"""``gdnode-gui --install-desktop``: the menu entry and icons for the current user, and back out."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

import pytest

from gdnode_gui import desktop
from gdnode_gui.app import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG menus are for Linux")

VALIDATOR = shutil.which("desktop-file-validate")


def _entry(path: Path) -> dict[str, str]:
    parser = ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _exec_argv(value: str) -> list[str]:
    """The Exec value as arguments, read as the desktop entry spec says; field codes dropped."""
    escapes = {"\\": "\\", "s": " ", "n": "\n", "t": "\t", "r": "\r"}
    text, i = "", 0
    while i < len(value):  # first the string value's own escapes
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in escapes:
            text, i = text + escapes[value[i + 1]], i + 2
        else:
            text, i = text + value[i], i + 1
    args, current, quoted, i = [], None, False, 0
    while i < len(text):  # then the Exec quoting
        char = text[i]
        if quoted and char == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
            current, i = current + text[i + 1], i + 2
            continue
        if quoted and char == '"':
            quoted = False
        elif not quoted and char == " ":
            if current is not None:
                args.append(current)
            current = None
        elif not quoted and char == '"':
            quoted, current = True, current or ""
        else:
            current = (current or "") + char
        i += 1
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args if not (len(arg) == 2 and arg[0] == "%")]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A throwaway home; XDG_DATA_HOME points inside it, so nothing real is touched."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def test_install_writes_a_valid_entry_and_every_icon(home):
    installed = desktop.install_desktop()
    data = home / "data"
    expected = {
        data / "applications/gdnode-gui.desktop",
        data / "icons/hicolor/48x48/apps/gdnode-gui.png",
        data / "icons/hicolor/128x128/apps/gdnode-gui.png",
        data / "icons/hicolor/256x256/apps/gdnode-gui.png",
        data / "icons/hicolor/scalable/apps/gdnode-gui.svg",
        data / "mime/packages/gdnode-gui.xml",
    }
    assert set(installed) == expected
    assert installed[0] == data / "applications/gdnode-gui.desktop"
    assert all(path.is_file() for path in expected)
    for size in (48, 128, 256):
        assert _png_size(data / f"icons/hicolor/{size}x{size}/apps/gdnode-gui.png") == (size, size)
    svg = (data / "icons/hicolor/scalable/apps/gdnode-gui.svg").read_text(encoding="utf-8")
    assert "<svg" in svg


@pytest.mark.skipif(VALIDATOR is None, reason="desktop-file-validate is missing (apt-get install desktop-file-utils)")
def test_installed_entry_passes_desktop_file_validate(home):
    entry = desktop.install_desktop()[0]
    result = subprocess.run([VALIDATOR, str(entry)], capture_output=True, text=True, timeout=60)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if "error:" in line]
    assert result.returncode == 0 and not errors, result.stdout + result.stderr


def test_entry_starts_the_installed_app_by_absolute_path(home):
    fields = _entry(desktop.install_desktop()[0])
    argv = _exec_argv(fields["Exec"])
    assert os.path.isabs(argv[0])
    assert os.path.isfile(argv[0]) and os.access(argv[0], os.X_OK)
    if len(argv) == 1:  # the gdnode-gui script of this Python
        assert Path(argv[0]).name == "gdnode-gui"
    else:
        assert argv[1:] == ["-m", "gdnode_gui"]
    assert fields["Icon"] == "gdnode-gui"
    assert fields["Terminal"] == "false"
    assert fields["StartupWMClass"] == "gdnode-gui"  # matches QGuiApplication.desktopFileName
    assert "%f" in fields["Exec"]  # "Open with" hands over a setup file
    assert fields["MimeType"].split(";")[:1] == ["application/x-gdnode-setup"]
    assert fields[desktop.MARKER_KEY] == "gdnode-gui"


def test_exec_survives_a_path_with_spaces_and_special_characters(home, monkeypatch):
    odd = '/opt/my apps/it\'s "odd" $HOME 100%\\gdnode-gui'
    monkeypatch.setattr(desktop, "launcher_command", lambda: [odd])
    fields = _entry(desktop.install_desktop()[0])
    assert _exec_argv(fields["Exec"]) == [odd]
    if VALIDATOR:
        result = subprocess.run([VALIDATOR, str(home / "data/applications/gdnode-gui.desktop")],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_python_fallback_when_no_script_is_found(monkeypatch, tmp_path):
    monkeypatch.setattr(desktop.sys, "executable", str(tmp_path / "python3"))
    monkeypatch.setattr(desktop.shutil, "which", lambda name: None)
    assert desktop.launcher_command() == [str(tmp_path / "python3"), "-m", "gdnode_gui"]


def test_the_frozen_bundle_starts_its_own_executable(monkeypatch, tmp_path):
    bundle = tmp_path / "gdnode-gui"
    bundle.mkdir()
    for name in ("gdnode-gui", "gdnode-trace"):
        (bundle / name).write_bytes(b"")
    monkeypatch.setattr(desktop.sys, "frozen", True, raising=False)
    monkeypatch.setattr(desktop.sys, "executable", str(bundle / "gdnode-trace"))
    monkeypatch.setattr(desktop.shutil, "which", lambda name: "/usr/bin/gdnode-gui")
    assert desktop.launcher_command() == [str(bundle / "gdnode-gui")]


def test_home_argument_wins_over_the_environment(home, tmp_path_factory):
    other = tmp_path_factory.mktemp("other-home")
    installed = desktop.install_desktop(other)
    assert all(other / ".local/share" in path.parents for path in installed)
    assert not (home / "data").exists()


def test_uninstall_removes_exactly_the_installed_files(home):
    neighbour = home / "data/applications/someone-else.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n", encoding="utf-8")
    installed = desktop.install_desktop()
    removed = desktop.uninstall_desktop()
    assert sorted(removed) == sorted(installed)
    assert not any(path.exists() for path in installed)
    assert neighbour.is_file()
    assert desktop.uninstall_desktop() == []  # a second time: nothing left, no error


def _tree(folder: Path) -> list[str]:
    """Every file and folder under ``folder``, relative, sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_uninstall_removes_the_folders_the_install_created(home):
    desktop.install_desktop()
    desktop.uninstall_desktop()
    assert not (home / "data").exists()  # the data folder itself was made by the install


def test_uninstall_keeps_folders_that_were_there_before(home):
    data = home / "data"
    (data / "icons/hicolor").mkdir(parents=True)
    (data / "applications").mkdir()
    desktop.install_desktop()
    desktop.uninstall_desktop()
    assert _tree(data) == ["applications", "icons", "icons/hicolor"]


def test_reinstalling_remembers_the_folders_of_the_first_install(home):
    desktop.install_desktop()
    desktop.install_desktop()  # overwrites its own entry: nothing new is created this time
    desktop.uninstall_desktop()
    assert not (home / "data").exists()


def test_the_setup_file_type_is_installed_and_removed(home):
    data = home / "data"
    desktop.install_desktop()
    package = data / "mime/packages/gdnode-gui.xml"
    assert 'glob pattern="*.gdnode"' in package.read_text(encoding="utf-8")
    assert 'type="application/x-gdnode-setup"' in package.read_text(encoding="utf-8")
    if shutil.which("update-mime-database"):  # the database was rebuilt from it
        globs = (data / "mime/globs2").read_text(encoding="utf-8")
        assert "application/x-gdnode-setup:*.gdnode" in globs
    desktop.uninstall_desktop()
    assert not (data / "mime").exists()


def test_uninstall_keeps_the_mime_types_of_others(home):
    data = home / "data"
    other = data / "mime/packages/someone-else.xml"
    other.parent.mkdir(parents=True)
    other.write_text(
        '<?xml version="1.0"?>\n<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">'
        '<mime-type type="application/x-other"><glob pattern="*.other"/></mime-type></mime-info>\n',
        encoding="utf-8")
    desktop.install_desktop()
    desktop.uninstall_desktop()
    assert other.is_file()
    assert not (data / "mime/packages/gdnode-gui.xml").exists()
    if shutil.which("update-mime-database"):
        globs = (data / "mime/globs2").read_text(encoding="utf-8")
        assert "*.other" in globs and "*.gdnode" not in globs


USER_ENTRY = "[Desktop Entry]\nType=Application\nName=My own gdnode\nExec=/opt/mine/gdnode-gui\n"


def test_install_never_overwrites_an_entry_it_did_not_write(home):
    entry = home / "data/applications/gdnode-gui.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text(USER_ENTRY, encoding="utf-8")
    with pytest.raises(desktop.DesktopError, match="not written by gdnode-gui"):
        desktop.install_desktop()
    assert entry.read_text(encoding="utf-8") == USER_ENTRY
    assert _tree(home / "data") == ["applications", "applications/gdnode-gui.desktop"]


def test_uninstall_leaves_an_entry_it_did_not_write(home):
    desktop.install_desktop()
    entry = home / "data/applications/gdnode-gui.desktop"
    entry.write_text(USER_ENTRY, encoding="utf-8")  # the user made it their own
    before = _tree(home / "data")
    with pytest.raises(desktop.DesktopError, match="left as they are"):
        desktop.uninstall_desktop()
    assert entry.read_text(encoding="utf-8") == USER_ENTRY
    assert _tree(home / "data") == before


def test_a_failed_install_leaves_nothing_behind(home):
    data = home / "data"
    data.mkdir()
    (data / "applications").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(desktop.DesktopError, match="cannot install the menu entry"):
        desktop.install_desktop()
    assert _tree(data) == ["applications"]  # no icons, no MIME type, no new folders


def test_a_failed_install_puts_back_an_icon_it_replaced(home, monkeypatch):
    icon = home / "data/icons/hicolor/48x48/apps/gdnode-gui.png"
    icon.parent.mkdir(parents=True)
    icon.write_bytes(b"an older icon")
    real_copy = shutil.copyfile

    def copy_then_fail(source, target):
        if str(target).endswith(".xml"):  # the last file before the entry
            raise PermissionError(13, "Permission denied", str(target))
        return real_copy(source, target)

    monkeypatch.setattr(desktop.shutil, "copyfile", copy_then_fail)
    with pytest.raises(desktop.DesktopError, match="Permission denied"):
        desktop.install_desktop()
    assert icon.read_bytes() == b"an older icon"
    assert _tree(home / "data") == ["icons", "icons/hicolor", "icons/hicolor/48x48",
                                     "icons/hicolor/48x48/apps", "icons/hicolor/48x48/apps/gdnode-gui.png"]


def test_other_systems_get_a_clear_message(monkeypatch, home):
    for platform, words in (("darwin", "Automator"), ("win32", "New > Shortcut")):
        monkeypatch.setattr(desktop.sys, "platform", platform)
        with pytest.raises(desktop.DesktopError, match=words):
            desktop.install_desktop()
    assert not (home / "data").exists()


# -- through the command line -------------------------------------------------------------------
def test_command_line_install_and_uninstall(home, capsys):
    assert main(["--install-desktop"]) == 0
    out = capsys.readouterr().out
    entry = home / "data/applications/gdnode-gui.desktop"
    assert entry.is_file() and str(entry) in out
    assert main(["--uninstall-desktop"]) == 0
    assert str(entry) in capsys.readouterr().out
    assert not entry.exists()


def test_command_line_install_failure_is_one_line_and_exit_1(home, capsys):
    (home / "data").write_text("a file where the data folder should be", encoding="utf-8")
    assert main(["--install-desktop"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gdnode-gui: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_install_and_uninstall_together_are_refused(home, capsys):
    assert main(["--install-desktop", "--uninstall-desktop"]) == 2
    assert "not allowed" in capsys.readouterr().err
