"""The standalone bundle, checked without building it; and setup files that open by double-click.

The spec (packaging/gdnode-gui.spec) takes every decision from packaging/bundle_layout.py:
these tests read both, so a spec that lost a program, a resource or an exclusion fails here,
long before a release build does.  Building the bundle is .ci/run's `bundle` phase.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "gdnode-gui.spec"


def _load_layout():
    spec = importlib.util.spec_from_file_location("bundle_layout", ROOT / "packaging" / "bundle_layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


layout = _load_layout()


# -- the spec -----------------------------------------------------------------------------------
def test_the_spec_is_python_that_takes_its_contents_from_the_layout():
    text = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(text)  # valid Python
    calls = {node.func.id for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert {"Analysis", "EXE", "PYZ", "COLLECT", "BUNDLE"} <= calls
    assert "import bundle_layout as layout" in text
    for name in ("layout.EXECUTABLES", "layout.datas()", "layout.EXCLUDED_MODULES",
                 "layout.is_excluded", "layout.info_plist()", "layout.BUNDLE_IDENTIFIER"):
        assert name in text, f"the spec no longer uses {name}"
    assert "--onefile" not in text and "exclude_binaries=True" in text  # one folder


def test_both_programs_are_in_the_one_folder():
    names = [name for name, _script, _console in layout.EXECUTABLES]
    assert names == ["gdnode-gui", "gdnode-trace"]
    consoles = {name: console for name, _script, console in layout.EXECUTABLES}
    assert consoles == {"gdnode-gui": False, "gdnode-trace": True}
    expected_entry = {"gdnode-gui": "gdnode_gui.app import main", "gdnode-trace": "gdnode_gui.cli import main"}
    for name, script, _console in layout.EXECUTABLES:
        text = (ROOT / "packaging" / script).read_text(encoding="utf-8")
        assert f"from {expected_entry[name]}" in text and "sys.exit(main())" in text


def test_the_entry_points_match_the_installed_scripts():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'gdnode-trace = "gdnode_gui.cli:main"' in pyproject
    assert 'gdnode-gui = "gdnode_gui.app:main"' in pyproject


def test_the_resources_go_where_the_app_looks_for_them():
    datas = layout.datas()
    targets = {Path(source).relative_to(layout.RESOURCES).as_posix(): target for source, target in datas}
    for name in ("icon.svg", "icon-48.png", "icon-128.png", "icon-256.png", "gdnode-gui.desktop",
                 "gdnode-gui-mime.xml", "presets/seed.json"):
        assert name in targets, f"{name} is not bundled"
    assert targets["icon.svg"] == "gdnode_gui/resources"
    assert targets["presets/seed.json"] == "gdnode_gui/resources/presets"
    presets = {p.name for p in (layout.RESOURCES / "presets").glob("*.json")}
    assert presets == {Path(name).name for name in targets if name.startswith("presets/")}
    # the frozen app looks in sys._MEIPASS/gdnode_gui/resources
    source = (ROOT / "gdnode_gui" / "resources.py").read_text(encoding="utf-8")
    assert '"_MEIPASS"' in source and '/ "gdnode_gui" / "resources"' in source


def test_nothing_of_the_tests_or_the_build_tools_is_bundled():
    for source, target in layout.datas():
        relative = Path(source).relative_to(ROOT).as_posix()
        assert not relative.startswith("tests/"), relative
        assert not relative.endswith(".py"), relative  # not render_icons.py
    for module in ("tests", "pytest", "hypothesis", "pandas"):
        assert module in layout.EXCLUDED_MODULES


def test_the_icon_exists_in_the_form_the_build_converts():
    assert layout.ICON_SOURCE.is_file()
    assert layout.ICON_SOURCE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # PyInstaller turns a PNG into .ico / .icns only with Pillow: the bundle extra brings it
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    bundle = pyproject[pyproject.index("bundle = ["):]
    bundle = bundle[:bundle.index("]")]
    assert re.search(r'"pyinstaller[>=]=6\.22', bundle) and "pillow" in bundle


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6\\Qt6Pdf.dll",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "libpango-1.0.so.0",
    "libgdk_pixbuf-2.0.so.0",
])
def test_unused_qt_parts_are_left_out(destination):
    assert layout.is_excluded(destination)


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",           # pyqtgraph's SVG export, the SVG icon
    "PySide6/Qt/lib/libQt6OpenGL.so.6",        # pyqtgraph's PlotCurveItem imports QtOpenGL
    "PySide6/Qt/lib/libQt6DBus.so.6",          # QtGui links it on Linux
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "libglib-2.0.so.0",                        # QtCore links it
    "libxcb-cursor.so.0",                      # the xcb platform plugin
    "libfontconfig.so.1",
    "libpython3.11.so.1.0",
    "gdnode_gui/resources/icon.svg",
    "gdnode_gui/resources/presets/seed.json",
])
def test_what_the_app_needs_is_kept(destination):
    assert not layout.is_excluded(destination)


def test_modules_the_app_imports_are_not_excluded():
    needed = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg",
              "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "pydoc", "unittest", "numpy", "pyqtgraph")
    assert not set(needed) & set(layout.EXCLUDED_MODULES)


def test_macos_declares_the_setup_files_it_opens():
    plist = layout.info_plist()
    assert plist["CFBundleShortVersionString"] == layout.version()
    exported = plist["UTExportedTypeDeclarations"][0]
    assert exported["UTTypeIdentifier"] == layout.SETUP_UTI
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["gdnode"]
    assert "public.json" in exported["UTTypeConformsTo"]
    owners = [doc for doc in plist["CFBundleDocumentTypes"] if doc["LSHandlerRank"] == "Owner"]
    assert owners and owners[0]["LSItemContentTypes"] == [layout.SETUP_UTI]
    assert all(isinstance(doc["CFBundleTypeName"], str) for doc in plist["CFBundleDocumentTypes"])
    assert re.fullmatch(r"[A-Za-z0-9.-]+", layout.BUNDLE_IDENTIFIER)
    # COLLECT's console flag is its last program's (gdnode-trace): the .app must not inherit it
    assert layout.EXECUTABLES[-1][2] is True and plist["LSBackgroundOnly"] is False


def test_the_version_is_the_packages():
    from gdnode_gui import __version__

    assert layout.version() == __version__
    out = subprocess.run([sys.executable, str(ROOT / "packaging" / "bundle_layout.py"), "version"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == __version__


# -- the README command and the CI phase --------------------------------------------------------
def _readme_block(marker: str) -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    fence = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    end = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
    return lines[fence + 1:end]


def test_the_readme_has_one_bundle_command_that_ci_runs():
    block = _readme_block("<!-- ci:bundle-command")
    assert len(block) == 1
    assert "packaging/build-linux.sh" in block[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command '<!-- ci:bundle-command'" in ci
    default_phases = re.search(r'CI_PHASES:-([^}"]*)', ci).group(1).split()
    assert default_phases[-1] == "bundle" and "packages" in default_phases


def test_the_build_script_packs_the_name_the_readme_promises():
    script = (ROOT / "packaging" / "build-linux.sh").read_text(encoding="utf-8")
    assert 'dist/gdnode-gui-${version}-linux-$(uname -m).tar.gz' in script
    assert "packaging/gdnode-gui.spec" in script and "'.[bundle]'" in script
    if shutil.which("bash"):
        subprocess.run(["bash", "-n", str(ROOT / "packaging" / "build-linux.sh")], check=True, timeout=60)


# -- setup files by double-click: .gdnode -------------------------------------------------------
def test_a_gdnode_setup_round_trips_through_the_window(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gdnode_gui.core.setup import load_setup
    from gdnode_gui.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    offered = {}

    def fake_save(parent, caption, suggested, filters):
        offered.update(suggested=suggested, filters=filters)
        return str(tmp_path / "lesson"), filters.split(";;")[0]  # no extension typed

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    window.files.save_dialog()
    saved = tmp_path / "lesson.gdnode"
    assert offered["suggested"].endswith("setup.gdnode")
    assert offered["filters"].startswith("Setup files (*.gdnode)")
    assert saved.is_file()
    assert load_setup(saved) == window.setup
    json.loads(saved.read_text(encoding="utf-8"))  # the same JSON as ever

    opened = {}
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda parent, caption, folder, filters: (opened.update(filters=filters) or str(saved), "")))
    window.set_setup(layout_free_setup())
    assert window.setup != load_setup(saved)
    window.files.open_dialog()
    assert "*.gdnode" in opened["filters"] and "*.json" in opened["filters"]
    assert window.setup == load_setup(saved)


def layout_free_setup():
    from gdnode_gui.core import Example, Setup

    return Setup(examples=(Example((2.0,), 1.0),), weights=(0.25,), alpha=0.05, max_steps=10)


def test_json_is_still_saved_when_chosen(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gdnode_gui.core.setup import load_setup
    from gdnode_gui.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "lesson"), "JSON files (*.json)")))
    window.files.save_dialog()
    assert load_setup(tmp_path / "lesson.json") == window.setup


def test_the_command_line_opens_a_gdnode_file(qtbot, tmp_path, monkeypatch):
    from gdnode_gui import app, self_test
    from gdnode_gui.core.setup import save_setup

    path = tmp_path / "lesson.gdnode"
    save_setup(layout_free_setup(), path)
    shown = []
    monkeypatch.setattr(self_test, "run_self_test",
                        lambda application, window, setup, open_setup: shown.append((window, setup)) or 0)
    assert app.main(["--self-test", str(path)]) == 0
    window, setup = shown[0]
    assert setup == path
    app._open_setup(window, setup)
    assert window.setup == layout_free_setup()
    window.close()


def test_a_file_handed_over_by_the_system_is_opened(qtbot, tmp_path):
    """macOS opens a double-clicked .gdnode in the running app with a QFileOpenEvent."""
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from gdnode_gui import app, self_test
    from gdnode_gui.core.setup import save_setup
    from gdnode_gui.ui import MainWindow

    path = tmp_path / "lesson.gdnode"
    save_setup(layout_free_setup(), path)
    window = MainWindow()
    qtbot.addWidget(window)
    handler = app.open_files_handed_over(QApplication.instance(), window)
    try:
        assert window.setup != layout_free_setup()
        QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(str(path)))
        assert window.setup == layout_free_setup()
    finally:
        QApplication.instance().removeEventFilter(handler)
