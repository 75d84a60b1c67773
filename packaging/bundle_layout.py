"""What goes into the standalone bundle: read by ``packaging/gdnode-gui.spec`` and by the tests.

The spec file is executed by PyInstaller; everything it decides is here, as plain constants and
small functions, so that ``tests/test_packaging.py`` can check the bundle's contents (both
programs, the resources, no tests, the Qt parts left out) without building anything.  This
module imports neither PyInstaller nor Qt.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"

#: The folder (and on macOS the ``.app``) that holds everything.
BUNDLE_NAME = "gdnode-gui"
#: ``(executable name, entry script in packaging/, console program?)``; the window first.
EXECUTABLES = (
    ("gdnode-gui", "entry_gui.py", False),
    ("gdnode-trace", "entry_trace.py", True),
)
#: Where the resources go inside the bundle: where ``gdnode_gui.resources`` looks first.
RESOURCES_TARGET = "gdnode_gui/resources"
#: The resource files the app uses (relative to ``resources/``).  Not ``render_icons.py``.
RESOURCE_PATTERNS = (
    "icon.svg",
    "icon-*.png",
    "gdnode-gui.desktop",
    "gdnode-gui-mime.xml",
    "presets/*.json",
)
#: The icon each system wants; PyInstaller converts the PNG with Pillow where needed.
ICON_SOURCE = RESOURCES / "icon-256.png"

#: Python modules never bundled: Qt modules the app does not use (pyqtgraph only *tries* to
#: import QtTest; it does need QtOpenGL and QtOpenGLWidgets: PlotCurveItem imports them at
#: import time), and standard-library parts nothing here needs.
EXCLUDED_MODULES = (
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtPdf", "PySide6.QtTest", "PySide6.QtSql", "PySide6.QtDBus", "PySide6.QtXml",
    "PySide6.QtConcurrent", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtPrintSupport", "PySide6.QtSvgWidgets",
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter",
    "tkinter", "pytest", "hypothesis", "pandas",  # (pyqtgraph needs pydoc and unittest)
    "gdnode_gui.tests", "tests",
)

#: Binaries and data files dropped after PyInstaller's Qt hooks collected them, as glob
#: patterns on the destination path inside the bundle (``/`` separated, any system).
#: Everything kept is what a window with plots, PNG/SVG export and an SVG icon needs:
#: QtCore/Gui/Widgets/Svg, the platform plugins (xcb, wayland, offscreen; windows; cocoa),
#: the image formats png (built in), svg, ico, jpeg.
EXCLUDED_FILES = (
    # Qt's own translations: the app's texts are English only.
    "*/Qt/translations/*", "*/translations/qt*.qm",
    # PDF rendering (the pdf image format plugin drags in the whole Qt6Pdf).
    "*Qt6Pdf*", "*/imageformats/*qpdf*",
    # QML and Quick, never used (the Wayland and virtual keyboard plugins pull them in).
    "*Qt6Qml*", "*Qt6Quick*", "*Qt6VirtualKeyboard*", "*/platforminputcontexts/*qtvirtualkeyboard*",
    # The network stack: no TLS, no network information.
    "*Qt6Network*", "*/tls/*", "*/networkinformation/*",
    # Printing and databases: not used.
    "*/printsupport/*", "*Qt6PrintSupport*", "*/sqldrivers/*",
    # Image formats nobody opens in this app.
    "*/imageformats/*qtiff*", "*/imageformats/*qwebp*", "*/imageformats/*qtga*",
    "*/imageformats/*qwbmp*", "*/imageformats/*qicns*", "*/imageformats/*qgif*",
    # Platforms for embedded screens, not desktops.
    "*/platforms/*qeglfs*", "*/platforms/*qlinuxfb*", "*/platforms/*qvnc*",
    "*/platforms/*qminimalegl*", "*/platforms/*qvkkhrdisplay*", "*/egldeviceintegrations/*",
    "*/generic/*",
    # Linux: the GTK 3 platform theme. It loads the system's own libgtk-3 (never bundled: the
    # build machine may not have it), which would then meet the bundle's copies of pango,
    # cairo, gdk-pixbuf... of another version. Without it Qt uses the desktop portal (file
    # dialogs) or its own dialogs; the app's look is Fusion and its own palettes anyway. The
    # libraries below are needed by that plugin only (readelf NEEDED of every other binary).
    "*/platformthemes/*qgtk3*",
    "libatk-1.0.so*", "libcairo.so*", "libcairo-gobject.so*", "libpango-1.0.so*",
    "libpangocairo-1.0.so*", "libpangoft2-1.0.so*", "libgdk_pixbuf-2.0.so*", "libharfbuzz.so*",
    "libfribidi.so*", "libthai.so*", "libdatrie.so*", "libgraphite2.so*", "libpixman-1.so*",
    "libXext.so*", "libXrender.so*", "libgio-2.0.so*", "libgobject-2.0.so*", "libgmodule-2.0.so*",
    "libmount.so*", "libblkid.so*", "libselinux.so*", "libjpeg.so*", "libgtk-3.so*", "libgdk-3.so*",
)


def resource_files() -> list[Path]:
    """Every resource file the bundle carries, sorted; all of them exist."""
    found: set[Path] = set()
    for pattern in RESOURCE_PATTERNS:
        matches = [p for p in RESOURCES.glob(pattern) if p.is_file()]
        if not matches:
            raise FileNotFoundError(f"no resource matches {pattern!r} in {RESOURCES}")
        found.update(matches)
    return sorted(found)


def datas() -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for the spec's ``Analysis(datas=...)``."""
    pairs = []
    for path in resource_files():
        relative = path.relative_to(RESOURCES).parent
        target = PurePosixPath(RESOURCES_TARGET) / relative.as_posix() if relative.parts else PurePosixPath(RESOURCES_TARGET)
        pairs.append((str(path), str(target)))
    return pairs


def is_excluded(destination: str) -> bool:
    """True when a file collected at ``destination`` (inside the bundle) is to be left out."""
    name = destination.replace("\\", "/")
    return any(fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch("/" + name, pattern)
               for pattern in EXCLUDED_FILES)


def version() -> str:
    """The app's version, read from ``gdnode_gui/__init__.py`` without importing it."""
    text = (ROOT / "gdnode_gui" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise ValueError("gdnode_gui/__init__.py has no __version__")
    return match.group(1)


# -- macOS: the .app's Info.plist ---------------------------------------------------------------
BUNDLE_IDENTIFIER = "io.github.gdnode-gui"
SETUP_EXTENSION = "gdnode"
SETUP_MIME_TYPE = "application/x-gdnode-setup"
SETUP_UTI = "io.github.gdnode-gui.setup"


def info_plist() -> dict:
    """Info.plist entries: the version, and ``.gdnode`` files opening in the app by double-click."""
    return {
        "CFBundleName": "Gradient Descent Node",
        "CFBundleDisplayName": "Gradient Descent Node",
        "CFBundleShortVersionString": version(),
        "CFBundleVersion": version(),
        "NSHighResolutionCapable": True,
        # PyInstaller's BUNDLE takes "console" from the COLLECT, i.e. from its LAST program
        # (gdnode-trace, a console program), and would then hide the app from the Dock and
        # the menu bar (LSBackgroundOnly): the window app is a foreground app.
        "LSBackgroundOnly": False,
        "LSApplicationCategoryType": "public.app-category.education",
        "UTExportedTypeDeclarations": [{
            "UTTypeIdentifier": SETUP_UTI,
            "UTTypeDescription": "Gradient Descent Node setup",
            "UTTypeConformsTo": ["public.json", "public.data"],
            "UTTypeTagSpecification": {
                "public.filename-extension": [SETUP_EXTENSION],
                "public.mime-type": [SETUP_MIME_TYPE],
            },
        }],
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "Gradient Descent Node setup",
                "CFBundleTypeRole": "Editor",
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [SETUP_UTI],
            },
            {
                "CFBundleTypeName": "JSON setup",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": ["public.json"],
            },
        ],
    }


if __name__ == "__main__":  # `python packaging/bundle_layout.py version` (the build scripts)
    import sys

    if sys.argv[1:] != ["version"]:
        raise SystemExit("usage: python packaging/bundle_layout.py version")
    print(version())
