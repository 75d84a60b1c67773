"""Make the README's screenshots: the real window on a virtual screen.

    ../shared/tools/shot docs/window.png --size 1024x768 --wait 6 -- \
        .venv/bin/python docs/screenshot.py --preset seed --steps 40 --zoom 1 --theme light

It opens the window as ``gdnode-gui`` does (first start: nothing remembered), loads a
preset, runs the given number of steps, and waits there for the screenshot.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer

from gdnode_gui.app import configure_application, create_application, make_window
from gdnode_gui.resources import load_preset
from gdnode_gui.ui.style.theme import THEMES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="seed")
    parser.add_argument("--steps", type=int, default=40, help="steps to run (0: none; -1: to the end)")
    parser.add_argument("--zoom", type=float, default=1.0)
    parser.add_argument("--theme", default="light", choices=sorted(THEMES))
    parser.add_argument("--tab", type=int, default=0, help="0 plots, 1 error surface, 2 alpha sweep")
    parser.add_argument("--compare-alpha", type=float, default=None,
                        help="run to the end, keep the run (Ctrl+K), then run again with this alpha")
    parser.add_argument("--back", type=int, default=0, help="then step back this many steps (Left)")
    parser.add_argument("--presentation", action="store_true")
    args = parser.parse_args()

    app = create_application(sys.argv[:1])
    configure_application(app)
    window = make_window()
    window.apply_theme(THEMES[args.theme])
    window.set_setup(load_preset(args.preset))
    window.show()
    window.apply_zoom(args.zoom)
    window.centralTabs.setCurrentIndex(args.tab)
    if args.presentation:
        window.actionPresentation.trigger()

    def run() -> None:
        if args.steps > 0:
            window.set_setup(window.setup.replace(max_steps=args.steps))
        if args.steps != 0:
            window.actionRunToEnd.trigger()

    def compare() -> None:
        window.actionKeepRun.trigger()
        window.set_setup(window.setup.replace(alpha=args.compare_alpha))
        window.actionRunToEnd.trigger()

    def back() -> None:
        for _ in range(args.back):
            window.actionStepBack.trigger()

    QTimer.singleShot(300, run)
    if args.compare_alpha is not None:
        QTimer.singleShot(1500, compare)
    if args.back:
        QTimer.singleShot(2500, back)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
