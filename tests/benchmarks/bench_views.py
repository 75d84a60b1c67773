"""How fast the plots and the trace table follow a run of 1,000,000 steps.

Runs offscreen.  The seed example with stop_on_stall off and max_steps 1,000,000 is run
to the end first; then the views are fed the trace as a fast run feeds them, about
33,000 steps per refresh (a 30-refreshes-a-second pace), each refresh followed by the
repaint it causes.  Printed: the time per refresh (median, p99, max), the time of one
refresh that draws all 1,000,000 points from scratch, and, measured in the same run,
the baseline of one plain pyqtgraph ``PlotWidget.setData`` of the same points.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_views.py [--steps N] [--size WxH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtWidgets import QApplication, QSplitter  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from gdnode_gui.core import run_to_end, seed_setup  # noqa: E402
from gdnode_gui.ui.plots import PlotsPanel  # noqa: E402
from gdnode_gui.ui.trace_table import TraceTableView  # noqa: E402


def painted(app: QApplication, widget) -> None:
    """Process the events a refresh caused, including the repaint, now."""
    app.processEvents()
    widget.repaint()
    app.processEvents()


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def summary(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):7.1f} ms   p99 {p99:7.1f} ms   max {ms[-1]:7.1f} ms   (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--increment", type=int, default=33_333)
    parser.add_argument("--size", default="1024x560", help="size of the plots + table window")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    app = QApplication.instance() or QApplication([])
    began = time.perf_counter()
    run = run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=args.steps))
    trace = run.trace
    n_total = trace.n_steps
    print(f"run: {n_total:,} steps, outcome {run.outcome}, {time.perf_counter() - began:.1f} s")

    window = QSplitter(Qt.Orientation.Vertical)
    panel, table = PlotsPanel(), TraceTableView()
    window.addWidget(panel)
    window.addWidget(table)
    window.setSizes([int(height * 0.65), int(height * 0.35)])
    window.resize(width, height)
    window.show()
    panel.set_setup(trace.setup)
    panel.set_trace(trace)
    table.set_trace(trace)
    painted(app, window)

    both, plots_only, table_only = [], [], []
    n = 0
    while n < n_total:
        n = min(n_total, n + args.increment)

        def refresh(n=n) -> None:
            panel.refresh(n)
            table.refresh(n)
            painted(app, window)

        both.append(timed(refresh))
    # the same increments again, plots and table apart
    panel.set_trace(trace)
    table.set_trace(trace)
    painted(app, window)
    n = 0
    while n < n_total:
        n = min(n_total, n + args.increment)
        plots_only.append(timed(lambda n=n: (panel.refresh(n), painted(app, panel))))
        table_only.append(timed(lambda n=n: (table.refresh(n), painted(app, table))))

    # one refresh drawing everything from scratch
    panel.set_trace(trace)
    table.set_trace(trace)
    painted(app, window)
    whole = timed(lambda: (panel.refresh(n_total), table.refresh(n_total), painted(app, window)))
    # the same, once the plots hold all points: a repaint only (e.g. after a resize)
    repaint = timed(lambda: painted(app, window))

    # baseline: one plain PlotWidget, setData of the same 1,000,000 points and its repaint
    plain = pg.PlotWidget()
    plain.resize(width // 2, int(height * 0.65) // 2)
    plain.show()
    painted(app, plain)
    x = np.arange(1, n_total + 1)
    y = trace.mse[:n_total].copy()
    baseline = timed(lambda: (plain.plot(x, y), painted(app, plain)))
    plain_again = timed(lambda: (plain.getPlotItem().listDataItems()[0].setData(x, y), painted(app, plain)))

    print(f"refreshes of ~{args.increment:,} new steps up to {n_total:,}, window {width}x{height}:")
    print(f"  plots + table  {summary(both)}")
    print(f"  plots only     {summary(plots_only)}")
    print(f"  table only     {summary(table_only)}")
    print(f"one refresh with all {n_total:,} points, from scratch: {whole * 1000:7.1f} ms")
    print(f"repaint of the window holding all points:            {repaint * 1000:7.1f} ms")
    print(f"baseline, one plain PlotWidget.plot(x, y) + repaint: {baseline * 1000:7.1f} ms")
    print(f"baseline, setData again + repaint:                   {plain_again * 1000:7.1f} ms")
    median = statistics.median(both)
    print(f"ratios: median refresh / baseline = {median / plain_again:.2f}; "
          f"from-scratch refresh / baseline = {whole / plain_again:.2f}")


if __name__ == "__main__":
    main()
