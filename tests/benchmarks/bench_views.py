"""How fast the plots, the error surface and the trace table follow a run of 1,000,000 steps.

Runs offscreen.  A run (the seed example by default, stop_on_stall off) is run to the end
first; then the views are fed its trace as a fast run feeds them, about 33,000 steps per
refresh (a 30-refreshes-a-second pace), each refresh followed by the repaint it causes.
Printed, for each view, the cost of a refresh (``refresh(n)`` itself and the paint it
causes; median, p99, max; wall clock and CPU), over the whole run and over its last fifth
(800,000 to 1,000,000 points: what a refresh costs late in a long run).  The window's
budget is a few milliseconds per refresh for all the views together (see
``bench_window.py``), and how often a plot's value and step ranges changed (each change
repaints its axes and grid).  Then: one refresh drawing everything from scratch, a repaint,
zooming and panning the steps, and the baseline of one plain pyqtgraph ``setData`` of
the same points, measured in the same process (machines are shared and noisy: compare
ratios and CPU times).

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_views.py [--steps N] [--preset NAME]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QSplitter  # noqa: E402

from gdnode_gui.core import run_to_end, seed_setup  # noqa: E402
from gdnode_gui.resources import load_preset  # noqa: E402
from gdnode_gui.ui.views.error_surface import ErrorSurface  # noqa: E402
from gdnode_gui.ui.views.plots.plots import PlotsPanel  # noqa: E402
from gdnode_gui.ui.views.trace.trace_table import TraceTableView  # noqa: E402


class PaintCounter(QObject):
    """Counts paint events of the widgets it watches (to check that repaints happened)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class Costs:
    """Wall and CPU seconds of the two halves of each refresh, and the step count."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, float, float, float, float]] = []  # n, wall/cpu refresh, wall/cpu paint

    def measure(self, app: QApplication, n: int, refresh) -> None:
        w0, c0 = time.perf_counter(), time.process_time()
        refresh(n)
        w1, c1 = time.perf_counter(), time.process_time()
        app.processEvents()  # the repaints the refresh caused, as the event loop would do next
        w2, c2 = time.perf_counter(), time.process_time()
        self.rows.append((n, w1 - w0, c1 - c0, w2 - w1, c2 - c1))

    def report(self, name: str, late_from: int) -> None:
        for label, rows in (("all", self.rows), (f">= {late_from:,}", [r for r in self.rows if r[0] >= late_from])):
            total = [r[1] + r[3] for r in rows]
            cpu = [r[2] + r[4] for r in rows]
            print(f"  {name:<14} {label:>11}  refresh+paint {summary(total)}  CPU median "
                  f"{ms(statistics.median(cpu))}  (refresh() {ms(statistics.median(r[2] for r in rows))}"
                  f" + paint {ms(statistics.median(r[4] for r in rows))}, n={len(rows)})")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:5.1f} ms"


def summary(seconds: list[float]) -> str:
    values = sorted(seconds)
    p99 = values[min(len(values) - 1, int(round(0.99 * (len(values) - 1))))]
    return f"median {ms(statistics.median(values))}  p99 {ms(p99)}  max {ms(values[-1])}"


def feed(app: QApplication, view, trace, increment: int, costs: Costs) -> None:
    """Refresh ``view`` as a fast run would: ``increment`` new steps at a time."""
    view.set_trace(trace)
    app.processEvents()
    n = 0
    while n < trace.n_steps:
        n = min(trace.n_steps, n + increment)
        costs.measure(app, n, view.refresh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--increment", type=int, default=33_333)
    parser.add_argument("--preset", default="seed", help="the setup to run (a preset name)")
    parser.add_argument("--size", default="1024x560", help="size of the plots + table window")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    app = QApplication.instance() or QApplication([])
    began = time.perf_counter()
    base = seed_setup() if args.preset == "seed" else load_preset(args.preset)
    run = run_to_end(base.replace(stop_on_stall=False, tolerance=0.0, max_steps=args.steps))
    trace = run.trace
    n_total = trace.n_steps
    late_from = int(0.8 * n_total)
    print(f"run: {args.preset}, {n_total:,} steps, outcome {run.outcome}, {time.perf_counter() - began:.1f} s")

    window = QSplitter(Qt.Orientation.Vertical)
    panel, table = PlotsPanel(), TraceTableView()
    window.addWidget(panel)
    window.addWidget(table)
    window.setSizes([int(height * 0.65), int(height * 0.35)])
    window.resize(width, height)
    window.show()
    surface = ErrorSurface()
    surface.resize(width // 2, int(height * 0.65))
    surface.show()
    for view in (panel, surface):
        view.set_setup(trace.setup)
    table.set_trace(trace)
    app.processEvents()
    counter = PaintCounter()
    for plot in panel.plots.values():
        plot.widget.viewport().installEventFilter(counter)

    ranges = {"y": 0, "x": 0}  # how often the value and step ranges change (axes and grid repaint)
    for plot in panel.plots.values():
        plot.vb.sigYRangeChanged.connect(lambda *_: ranges.__setitem__("y", ranges["y"] + 1))
        plot.vb.sigXRangeChanged.connect(lambda *_: ranges.__setitem__("x", ranges["x"] + 1))

    plots, tables, surfaces = Costs(), Costs(), Costs()
    feed(app, panel, trace, args.increment, plots)
    paints = counter.count / len(plots.rows)
    range_changes = {k: v / len(plots.rows) / len(panel.plots) for k, v in ranges.items()}
    feed(app, table, trace, args.increment, tables)
    feed(app, surface, trace, args.increment, surfaces)
    print(f"refreshes of ~{args.increment:,} new steps up to {n_total:,} (plots + table window {width}x{height}):")
    plots.report("plots", late_from)
    surfaces.report("error surface", late_from)
    tables.report("trace table", late_from)
    print(f"  ({paints:.1f} paints of the 4 plots per refresh: each plot once; per plot and refresh, the "
          f"value range changed {range_changes['y']:.2f} times, the step range {range_changes['x']:.2f} times)")

    def once(action) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        action()
        return time.perf_counter() - w, time.process_time() - c

    panel.set_trace(trace)
    app.processEvents()
    whole, whole_cpu = once(lambda: (panel.refresh(n_total), app.processEvents()))

    def repaint_plots() -> None:
        for plot in panel.plots.values():
            plot.widget.viewport().update()
        app.processEvents()

    repaint, repaint_cpu = once(repaint_plots)
    vb = panel.delta_plot.vb
    zooms = []
    for span in (n_total // 2, n_total // 20, 400):  # wheel zooms and drags of the step axis
        for k in range(8):
            start = n_total // 10 + k * span // 16
            zooms.append(once(lambda: (vb.setXRange(start, start + span, padding=0),
                                       vb.sigRangeChangedManually.emit([True, False]),
                                       app.processEvents()))[0])
    panel.follow_box.setChecked(True)

    plain = pg.PlotWidget()  # baseline: one plain PlotWidget with the same points
    plain.resize(width // 2, int(height * 0.65) // 2)
    plain.show()
    app.processEvents()
    x = np.arange(1, n_total + 1)
    y = trace.mse[:n_total].copy()
    plain.plot(x, y)
    app.processEvents()
    again = [once(lambda: (plain.getPlotItem().listDataItems()[0].setData(x, y), app.processEvents()))
             for _ in range(5)]
    plain_wall, plain_cpu = (statistics.median(v) for v in zip(*again))

    print(f"one plots refresh with all {n_total:,} points, from scratch: {ms(whole)} (CPU {ms(whole_cpu)})")
    print(f"repaint of the 4 plots holding them:                       {ms(repaint)} (CPU {ms(repaint_cpu)})")
    print(f"zoom or pan the steps (half, a twentieth, 400 steps in view):  {summary(zooms)}")
    print(f"baseline, plain PlotWidget setData + repaint (median of 5):   {ms(plain_wall)} (CPU {ms(plain_cpu)})")
    late = [r for r in plots.rows if r[0] >= late_from]
    late_cpu = statistics.median(r[2] + r[4] for r in late)
    print(f"ratio of a late plots refresh to the baseline (CPU): {late_cpu / plain_cpu:.2f}")


if __name__ == "__main__":
    main()
