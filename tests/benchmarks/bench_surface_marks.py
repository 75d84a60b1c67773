"""What the marks on the error surface cost (the ring, the slope arrow, the start, the
labels, a kept run): a fast run's frames fed to the error surface with and without them.

Offscreen.  A seed-like run (stop_on_stall off) and a small-data-set run are run to the end
first; then the error surface is shown their frames as a fast run shows them (about
``--increment`` new steps per frame, at least 100 frames, ``running`` True: labels choose their side at most
twice a second), each frame followed by the repaint it causes.  The baseline is the same
view with its marks switched off (``_update_marks`` does nothing), in the same process, so
the ratio holds on a busy machine.  Printed: median and p99 wall time per frame, and the
ratio of the medians.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_surface_marks.py [--steps N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from gdnode_gui.core import run_to_end, seed_setup  # noqa: E402
from gdnode_gui.core.frame import Frame  # noqa: E402
from gdnode_gui.resources import load_preset  # noqa: E402
from gdnode_gui.ui.views.error_surface import ErrorSurface  # noqa: E402


def feed(app: QApplication, run, increment: int, marks: bool, running: bool) -> list[float]:
    view = ErrorSurface()
    view.resize(560, 600)
    view.show()
    if not marks:
        view._update_marks = lambda: None
    kept = run_to_end(run.setup.replace(alpha=run.setup.alpha * 2, max_steps=200))
    view.keep_ghost(kept.trace, "kept")
    view.show_frame(Frame(run.setup, run.trace, 0))
    app.processEvents()
    times = []
    n = 0
    while n < run.n_steps:
        n = min(run.n_steps, n + increment)
        began = time.perf_counter()
        view.show_frame(Frame(run.setup, run.trace, n, None, -1, running))
        app.processEvents()
        times.append(time.perf_counter() - began)
    view.close()
    view.deleteLater()
    app.processEvents()
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:5.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300_000)
    parser.add_argument("--increment", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    runs = {
        "seed (bowl)": run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=args.steps)),
        "small-data-set (map)": run_to_end(load_preset("small-data-set").replace(
            stop_on_stall=False, tolerance=0.0, max_steps=args.steps)),
    }
    for name, run in runs.items():
        for running in (True, False):
            best = {}
            for marks in (False, True):
                medians = []
                for _ in range(args.repeat):
                    times = feed(app, run, max(1, min(args.increment, run.n_steps // 100)), marks, running)
                    medians.append((statistics.median(times), sorted(times)[int(0.99 * (len(times) - 1))]))
                best[marks] = min(medians)
            (base, base99), (with_marks, marks99) = best[False], best[True]
            print(f"{name + f' {run.n_steps:,} steps':<32} {'running' if running else 'at rest':<8} frame: without marks median {ms(base)}"
                  f" p99 {ms(base99)}; with marks median {ms(with_marks)} p99 {ms(marks99)}; "
                  f"ratio {with_marks / base:.2f}")


if __name__ == "__main__":
    main()
