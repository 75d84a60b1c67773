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
from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402

from gdnode_gui.core import run_to_end, seed_setup  # noqa: E402
from gdnode_gui.ui.plots import PlotsPanel  # noqa: E402
from gdnode_gui.ui.trace_table import TraceTableView  # noqa: E402


class PaintCounter(QObject):
    """Counts paint events of the widgets it watches (to check that repaints happened)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def painted(app: QApplication, widget=None) -> None:
    """Process the events a refresh caused, the repaints included (as the event loop
    would right after the window's refresh timer fired)."""
    app.processEvents()


CPU: list[float] = []  # process CPU seconds of every timed action, in order


def timed(action) -> float:
    """Wall-clock seconds of ``action``; its CPU seconds go to CPU (other processes on a
    busy machine inflate the wall clock, not the CPU time)."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def summary(seconds: list[float], cpu: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    return (f"median {statistics.median(ms):6.1f} ms   p99 {p99:6.1f} ms   max {ms[-1]:6.1f} ms"
            f"   (CPU median {statistics.median(cpu) * 1000:5.1f} ms, n={len(ms)})")


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
    counter = PaintCounter()
    for plot in panel.plots.values():
        plot.widget.viewport().installEventFilter(counter)
    table.viewport().installEventFilter(counter)

    both, plots_only, table_only = [], [], []
    CPU.clear()
    n = 0
    while n < n_total:
        n = min(n_total, n + args.increment)

        def refresh(n=n) -> None:
            panel.refresh(n)
            table.refresh(n)
            painted(app, window)

        both.append(timed(refresh))
    paints = counter.count / len(both)
    both_cpu = CPU[:]
    # the same increments again, plots and table apart
    panel.set_trace(trace)
    table.set_trace(trace)
    painted(app, window)
    CPU.clear()
    n = 0
    while n < n_total:
        n = min(n_total, n + args.increment)
        plots_only.append(timed(lambda n=n: (panel.refresh(n), painted(app, panel))))
        table_only.append(timed(lambda n=n: (table.refresh(n), painted(app, table))))
    plots_cpu, table_cpu = CPU[0::2], CPU[1::2]

    # one refresh drawing everything from scratch
    panel.set_trace(trace)
    table.set_trace(trace)
    painted(app, window)
    whole = timed(lambda: (panel.refresh(n_total), table.refresh(n_total), painted(app, window)))
    whole_cpu = CPU[-1]

    def repaint_plots() -> None:
        for plot in panel.plots.values():
            plot.widget.viewport().update()
        painted(app)

    # the plots holding all points, repainted only (e.g. after a resize)
    repaint = timed(repaint_plots)

    # baseline: one plain PlotWidget, setData of the same 1,000,000 points and its repaint
    plain = pg.PlotWidget()
    plain.resize(width // 2, int(height * 0.65) // 2)
    plain.show()
    painted(app, plain)
    x = np.arange(1, n_total + 1)
    y = trace.mse[:n_total].copy()
    baseline = timed(lambda: (plain.plot(x, y), painted(app, plain)))
    CPU.clear()
    plain_again = statistics.median(
        timed(lambda: (plain.getPlotItem().listDataItems()[0].setData(x, y), painted(app, plain)))
        for _ in range(5))
    plain_cpu = statistics.median(CPU)

    print(f"refreshes of ~{args.increment:,} new steps up to {n_total:,}, window {width}x{height}:")
    print(f"  plots + table  {summary(both, both_cpu)}")
    print(f"  plots only     {summary(plots_only, plots_cpu)}")
    print(f"  table only     {summary(table_only, table_cpu)}")
    print(f"  ({paints:.1f} paint events per refresh: the 4 plots and the table, each once)")
    print(f"one refresh with all {n_total:,} points, from scratch: {whole * 1000:7.1f} ms"
          f" (CPU {whole_cpu * 1000:.1f} ms)")
    print(f"repaint of the 4 plots holding all points:           {repaint * 1000:7.1f} ms")
    print(f"baseline, one plain PlotWidget.plot(x, y) + repaint: {baseline * 1000:7.1f} ms")
    print(f"baseline, setData again + repaint (median of 5):     {plain_again * 1000:7.1f} ms"
          f" (CPU {plain_cpu * 1000:.1f} ms)")
    print(f"ratios to the baseline (wall / CPU): median refresh {statistics.median(both) / plain_again:.2f}"
          f" / {statistics.median(both_cpu) / plain_cpu:.2f}; from-scratch refresh {whole / plain_again:.2f}"
          f" / {whole_cpu / plain_cpu:.2f}")


if __name__ == "__main__":
    main()
