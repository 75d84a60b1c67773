"""The whole window following a long run live: Run to end of 5,000,000 steps, one input.

The seed example with alpha 1e-9 (the weight hardly moves, so nothing stops early),
stop_on_stall off, max_steps 5,000,000; the window (1024x768) is shown offscreen.  Every
frame the session emits (``window.session.frameReady``) is timed with ``perf_counter``.

Printed, each against a baseline measured in this same process (machines are shared and
noisy: only ratios mean anything):

- view updates a second while running (issue 11 target: >= 20);
- the longest gap between two updates (target: <= 150 ms), and the 99th percentile;
- the time of the whole run against the bare Python seed loop of as many steps
  (target: <= 3.5x), and the same run in the core alone (no window), to tell what the
  window adds from what the core costs;
- each view's time in ``show_frame`` and the time from a frame to its being drawn.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_live.py [--steps N] [--repeat K]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def bare_loop(steps: int, alpha: float = 1e-9) -> float:
    """The article's loop for the seed example, nothing recorded: the baseline."""
    began = time.perf_counter()
    weight, input_, goal = 0.4, 1.0, 0.6
    for _ in range(steps):
        prediction = weight * input_
        delta = prediction - goal
        mse = delta ** 2  # noqa: F841
        weighted_delta = delta * input_
        alpha_delta = alpha * weighted_delta
        weight = weight - alpha_delta
    return time.perf_counter() - began


def core_only(steps: int) -> float:
    """The same run in the core alone (no window): what the GUI adds is the rest."""
    from gdnode_gui.core import Run
    from gdnode_gui.core.setup import seed_setup

    began = time.perf_counter()
    run = Run(seed_setup().replace(alpha=1e-9, stop_on_stall=False, max_steps=steps))
    run.advance(None)
    return time.perf_counter() - began


def live_run(app, window, steps: int) -> tuple[float, list[float], int]:
    """Run to end with the window following; the run's seconds, each frame's perf_counter
    while running, and the steps run."""
    from PySide6.QtCore import QEventLoop, QTimer

    from gdnode_gui.core.setup import seed_setup

    window.set_setup(seed_setup().replace(alpha=1e-9, stop_on_stall=False, max_steps=steps))
    app.processEvents()
    frames: list[float] = []
    session = window.session

    def on_frame(frame) -> None:
        frames.append(time.perf_counter())

    session.frameReady.connect(on_frame)
    busy: list[float] = []  # from a frame to the session hearing it was drawn
    original_drawn = session.drawn

    def drawn() -> None:
        if frames:
            busy.append(time.perf_counter() - frames[-1])
        original_drawn()

    session.drawn = drawn
    loop = QEventLoop()
    session.runFinished.connect(lambda _outcome: loop.quit())
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(600_000)
    began = time.perf_counter()
    window.run_to_end()
    loop.exec()
    spent = time.perf_counter() - began
    session.frameReady.disconnect(on_frame)
    del session.drawn
    live_run.busy = busy
    return spent, [began] + frames, session.run.n_steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--plots", default="",
                        help="the plots to show, e.g. weights,mse (default: as remembered, all four)")
    parser.add_argument("--paint-in-frame", action="store_true",
                        help="experiment: paint the window inside each frame's emission (while the "
                             "worker makes way), not after the session's drawn() has let it go on")
    args = parser.parse_args()

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("gdnode-gui-bench")
    app.setApplicationName("gdnode-gui-bench")
    from gdnode_gui.ui import MainWindow

    window = MainWindow()
    window.resize(1024, 768)
    window.show()
    app.processEvents()
    spent_in = time_views(window)
    panel = window.plotsPanel
    if args.plots:
        panel.set_visible_plots(args.plots.split(","))
    if hasattr(panel, "visible_plots"):  # (a checkout from before the choice of plots has all four)
        print(f"plots shown: {', '.join(panel.visible_plots())}")
    if args.paint_in_frame:
        window.session.frameReady.connect(lambda frame: window.repaint())

    for attempt in range(args.repeat):
        bare = bare_loop(args.steps)
        core = core_only(args.steps)
        spent, times, n = live_run(app, window, args.steps)
        gaps = [(b - a) * 1000 for a, b in zip(times, times[1:])]
        rate = (len(times) - 1) / spent
        p99 = sorted(gaps)[int(0.99 * (len(gaps) - 1))] if gaps else math_nan()
        print(f"run {attempt + 1}: {n:,} steps to the end, window following, {spent:.2f} s; "
              f"bare seed loop {bare:.2f} s; ratio {spent / bare:.2f} (target <= 3.5); "
              f"the core alone {core:.2f} s ({core / bare:.2f}x the bare loop)")
        print(f"        {len(times) - 1} view updates, {rate:.1f} a second (target >= 20); "
              f"gap median {statistics.median(gaps):.0f} ms, p99 {p99:.0f} ms, "
              f"longest {max(gaps):.0f} ms (target <= 150)")
        print("        show_frame per view (total ms): " + ", ".join(
            f"{name} {seconds * 1000:.0f}" for name, seconds in sorted(spent_in.items(), key=lambda kv: -kv[1])))
        spent_in.clear()
        busy = getattr(live_run, "busy", [])
        if busy:
            print(f"        drawing a frame (frame to drawn): median {statistics.median(busy) * 1000:.1f} ms, "
                  f"total {sum(busy) * 1000:.0f} ms")
    window.close()


def time_views(window) -> dict[str, float]:
    """Time each view's show_frame (cumulative seconds by view class), to see who costs."""
    spent: dict[str, float] = {}
    for view in list(window._view_widgets):
        name = type(view).__name__
        original = view.show_frame

        def timed(frame, original=original, name=name) -> None:
            began = time.perf_counter()
            original(frame)
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - began

        view.show_frame = timed
    return spent


def math_nan() -> float:
    return float("nan")


if __name__ == "__main__":
    main()
