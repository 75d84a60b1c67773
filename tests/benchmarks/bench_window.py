"""The window under load: a 1,000,000-step run to the end with live plots and table.

Run it from the checkout::

    python tests/benchmarks/bench_window.py [--steps 1000000]

It prints, each against a baseline measured in this same process (machines are shared
and noisy, so only ratios mean anything):

- the total time of Run to end, against the article's bare loop for as many steps
  (issue target: at most 4x);
- how long the event loop waited, measured with a 5 ms QTimer: the 99th percentile and
  the worst gap beyond the 5 ms (targets: 50 ms and 250 ms);
- the peak memory of the process (target: under 400 MiB).

The start-up time (a fresh interpreter to the shown window) is bench_start.py's.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def bare_loop(steps: int) -> float:
    """The article's loop, no recording: the baseline (bench_live.py's, with the seed's alpha)."""
    from bench_live import bare_loop as seed_loop

    return seed_loop(steps, alpha=0.1)


def open_app_window(app) -> object:
    from gdnode_gui.ui import MainWindow

    window = MainWindow()
    window.resize(1024, 768)
    window.show()
    app.processEvents()
    return window


def run_to_end(app, window, steps: int) -> tuple[float, list[float]]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from gdnode_gui.core.setup import seed_setup

    window.set_setup(seed_setup().replace(max_steps=steps, stop_on_stall=False))
    gaps: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    ticker.timeout.connect(tick)
    loop = QEventLoop()
    window.runFinished.connect(lambda _outcome: loop.quit())
    clock.start()
    ticker.start()
    began = time.perf_counter()
    window.actionRunToEnd.trigger()
    loop.exec()
    spent = time.perf_counter() - began
    ticker.stop()
    assert window.run.n_steps == steps, window.run.n_steps
    return spent, gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("gdnode-gui-bench")
    app.setApplicationName("gdnode-gui-bench")

    window = open_app_window(app)

    for attempt in range(args.repeat):
        bare = bare_loop(args.steps)
        total, gaps = run_to_end(app, window, args.steps)
        waits = sorted(max(0.0, g - 5) for g in gaps)
        p99 = waits[int(0.99 * (len(waits) - 1))] if waits else 0.0
        print(f"run {attempt + 1}: {args.steps:,} steps to the end with live views {total:.3f} s; "
              f"bare loop {bare:.3f} s; ratio {total / bare:.2f} (target <= 4)")
        print(f"        event loop: {len(gaps)} ticks, median gap {statistics.median(gaps):.1f} ms, "
              f"extra wait p99 {p99:.1f} ms (target <= 50), worst {waits[-1] if waits else 0:.1f} ms "
              f"(target <= 250)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB (target < 400)")
    window.close()


if __name__ == "__main__":
    main()
