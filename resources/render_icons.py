"""Render resources/icon.svg to the PNG sizes the app and the desktop entry use.

Run from anywhere (re-run after editing the SVG):

    python resources/render_icons.py

Needs PySide6 (QtSvg); uses the offscreen platform, so no display is required.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (48, 128, 256)
HERE = Path(__file__).resolve().parent


def render(svg: Path, out_dir: Path, sizes=SIZES) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg} as SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"icon-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written.append(path)
    return written


def main() -> int:
    for path in render(HERE / "icon.svg", HERE):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
