"""Values near the float limit on a plot (issue 12): the value range is set without overflow,
so any finite value a setup accepts is plotted (pyqtgraph said "Cannot set range [-inf, inf]")."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from PySide6.QtGui import QAction

from gdnode_gui.core.setup import Example, Setup
from gdnode_gui.ui import MainWindow
from gdnode_gui.ui.views.plots.plot_parts import Y_LIMIT, Look, Plot

BIG = sys.float_info.max


@pytest.fixture
def plot(qtbot):
    made = Plot()
    qtbot.addWidget(made.widget)
    made.widget.resize(400, 300)
    made.widget.show()
    qtbot.waitExposed(made.widget)
    return made


@pytest.mark.parametrize("values", [
    [-1e308, 1e308], [-BIG, BIG], [BIG, BIG], [-BIG, -BIG], [1e308, 1.7e308], [0.0, BIG],
    [-BIG, 0.0], [1e307, 9e307], [5e307, -1e308, 3.0],
], ids=str)
def test_a_range_near_the_float_limit_is_set_finite(plot, values):
    series = plot.add_series(Look(0))
    series.extend(np.array(values, dtype=np.float64))
    plot.sync()  # raised "Cannot set range [-inf, inf]" before
    low, high = plot.vb.viewRange()[1]
    assert math.isfinite(low) and math.isfinite(high) and low < high
    assert -2 * Y_LIMIT < low and high < 2 * Y_LIMIT


def test_ordinary_values_keep_their_range(plot):
    series = plot.add_series(Look(0))
    series.extend(np.array([0.4, 0.6], dtype=np.float64))
    plot.sync()
    low, high = plot.vb.viewRange()[1]
    assert low < 0.4 and 0.6 < high and high - low < 0.5


@pytest.mark.parametrize("setup", [
    Setup(examples=(Example((1e308,), -1e308),), weights=(1.0,), alpha=0.0, max_steps=20),
    Setup(examples=(Example((BIG,), BIG),), weights=(1.0,), alpha=0.0, max_steps=20, stop_on_stall=False),
    Setup(examples=(Example((1.0,), -BIG),), weights=(BIG,), alpha=1e-300, max_steps=20, stop_on_stall=False),
    Setup(examples=(Example((1.0,), 1e308), Example((-1.0,), -1e308)), weights=(-1e308,), alpha=1e-320,
          max_steps=50, stop_on_stall=False),
], ids=["spread", "at the limit", "huge weight", "two huge examples"])
def test_the_window_runs_and_plots_values_near_the_float_limit(qtbot, setup):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_setup(setup)
    with qtbot.waitSignal(window.runFinished, timeout=30_000) as finished:
        window.findChild(QAction, "actionRunToEnd").trigger()
    assert finished.args[0] in ("max_steps", "diverged", "stalled", "converged")
    window.close()
