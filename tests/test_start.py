"""What opening the window does, and what it no longer does (issue 11: start-up).

The time itself is measured by ``tests/benchmarks/bench_start.py`` (ratios, never a threshold
here); these tests hold the work that made it shorter: the plots styled once, no options
menus or hidden axes built for them, no settings written when nothing changed, the zoom
shortcut not handed every event of every widget, the views laid out at their sizes (not a
pass or two later), markers made when a run needs them, the icon loaded once, numpy
imported first (before Qt, and near the top of the stack).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QIcon, QWheelEvent
from PySide6.QtWidgets import QApplication, QMenu

from gdnode_gui.core.setup import Example
from gdnode_gui.ui import MainWindow
from gdnode_gui.ui.views.plots.plot_parts import Plot


def shown_window(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_plots_are_styled_once_when_the_window_is_built_and_shown(qtbot, monkeypatch):
    styled = []
    restyle = Plot.restyle
    monkeypatch.setattr(Plot, "restyle", lambda self, *args: (styled.append(self.key), restyle(self, *args))[1])
    window = shown_window(qtbot)
    assert sorted(styled) == sorted(window.plotsPanel.plots)  # each plot once, with the theme and zoom
    axis = window.plotsPanel.weights_plot.item.getAxis("left")
    size = axis.style["tickFont"].pointSizeF()
    styled.clear()
    window.appearance.apply_zoom(1.25)  # a change restyles them all
    assert set(styled) == set(window.plotsPanel.plots)
    assert axis.style["tickFont"].pointSizeF() > size
    window.appearance.apply_zoom(1.0)


def test_a_plot_has_its_two_axes_and_no_options_menu(qtbot):
    window = shown_window(qtbot)
    for plot in window.plotsPanel.plots.values():
        axes = [item for item in plot.widget.scene().items() if isinstance(item, pg.AxisItem)]
        assert sorted(axis.orientation for axis in axes) == ["bottom", "left"]
        # A right click on the plot opens no menu (pyqtgraph's would export rounded CSV).
        centre = plot.widget.viewport().rect().center()
        qtbot.mouseClick(plot.widget.viewport(), Qt.MouseButton.RightButton, pos=centre)
        assert not [menu for menu in QApplication.topLevelWidgets() if isinstance(menu, QMenu) and menu.isVisible()]


def test_opening_the_window_writes_no_settings_when_nothing_changed(qtbot):
    window = shown_window(qtbot)
    assert not QSettings().contains("view/zoom")
    window.appearance.apply_zoom(1.25)
    assert float(QSettings().value("view/zoom")) == 1.25
    window.appearance.apply_zoom(1.0)
    assert float(QSettings().value("view/zoom")) == 1.0


def test_the_zoom_filter_watches_the_window_not_the_application(qtbot):
    """Ctrl+wheel over the window zooms (the platform hands it to the window's QWindow first);
    an event sent straight to a widget, as every paint and layout event is, never reaches the
    filter: there is no application-wide filter that every event of every widget passes."""
    window = shown_window(qtbot)
    table = window.traceTableView.viewport()
    centre = table.rect().center()

    def ctrl_wheel(pos: QPoint, global_pos: QPoint) -> QWheelEvent:
        return QWheelEvent(QPointF(pos), QPointF(global_pos), QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
                           Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)

    start = window.zoom
    QApplication.sendEvent(table, ctrl_wheel(centre, table.mapToGlobal(centre)))  # past the QWindow
    assert window.zoom == start
    in_window = table.mapTo(window, centre)
    QApplication.sendEvent(window.windowHandle(), ctrl_wheel(in_window, window.mapToGlobal(in_window)))
    assert window.zoom > start
    window.appearance.apply_zoom(1.0)


def test_ctrl_wheel_zooms_over_a_floating_dock_too(qtbot):
    """A teacher may float the node panel onto a second screen: Ctrl+wheel there zooms as well."""
    window = shown_window(qtbot)
    dock = window.nodeDock
    dock.setFloating(True)
    qtbot.waitUntil(lambda: dock.windowHandle() is not None and dock.isVisible())
    centre = QPoint(dock.width() // 2, dock.height() // 2)
    start = window.zoom
    QApplication.sendEvent(dock.windowHandle(), QWheelEvent(
        QPointF(centre), QPointF(dock.mapToGlobal(centre)), QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False))
    assert window.zoom > start
    dock.setFloating(False)
    window.appearance.apply_zoom(1.0)


def test_the_mse_plot_makes_its_zero_and_overflow_markers_at_the_first_one(qtbot):
    window = shown_window(qtbot)
    plot = window.plotsPanel.mse_plot
    assert plot.zeros is None and plot.zero_note is None and plot.overflow is None  # the seed: neither
    items = len(plot.vb.addedItems)
    window.set_setup(window.setup.replace(examples=(Example((1.0,), 0.4),)))
    with qtbot.waitSignal(window.runFinished, timeout=10_000):
        window.run_to_end()  # weight 0.4, goal 0.4: mse 0 at the first step
    assert plot.zeros is not None and plot.zero_note.isVisible()
    assert plot.zeros.opts["symbol"] == "o"  # styled as the plot is
    assert plot.zero_note.textItem.font().bold()
    assert len(plot.vb.addedItems) > items


class _Resizes(QObject):
    def __init__(self, widgets) -> None:
        super().__init__()
        self.sizes = {widget: [] for widget in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and watched in self.sizes:
            self.sizes[watched].append(event.size().toTuple())
        return False


def test_opening_the_window_resizes_each_plot_and_the_node_panel_at_most_twice(qtbot):
    # The docks get their sizes before the window is shown, and the bar under the plots knows
    # its height for a width: the views are not laid out again a pass or two later. (The tab
    # widget shows its page once at a default size before it places it; the node panel gives
    # up some height to the stability panel once the drawing knows its own.)
    window = MainWindow()
    qtbot.addWidget(window)
    plots = [plot.widget for plot in window.plotsPanel.plots.values()]
    resizes = _Resizes(plots + [window.nodePanel])
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    for widget, sizes in resizes.sizes.items():
        assert len(sizes) <= 2 and sizes[-1] == widget.size().toTuple(), (widget.objectName(), sizes)


def test_the_readout_goes_above_the_follow_box_when_the_plots_are_narrow(qtbot):
    window = shown_window(qtbot)
    panel = window.plotsPanel
    bar, readout, follow = panel.bar, panel.readout, panel.follow_box
    for width, beside in ((1000, True), (380, False), (1000, True)):
        panel.resize(width, 500)
        qtbot.waitUntil(lambda w=width: panel.width() == w)
        assert bar.beside() is beside
        if beside:
            assert readout.geometry().right() < follow.geometry().left()
            assert abs(readout.geometry().center().y() - follow.geometry().center().y()) <= 1
        else:
            assert readout.geometry().bottom() < follow.geometry().top()
        assert bar.height() == bar.heightForWidth(bar.width())
        assert panel.plot_area.geometry().bottom() < bar.geometry().top()
    window.appearance.apply_zoom(2.0)  # bigger text: a taller bar, the follow box still whole
    qtbot.waitUntil(lambda: bar.height() == bar.heightForWidth(bar.width()))
    assert bar.rect().contains(follow.geometry()) and follow.height() == follow.sizeHint().height()
    assert bar.rect().contains(readout.geometry()) and shows_whole(readout)
    window.appearance.apply_zoom(1.0)


def shows_whole(label) -> bool:
    """Whether every word of ``label``'s text is in sight (on one line, or wrapped on more)."""
    if label.wordWrap():
        return label.heightForWidth(label.width()) <= label.height()
    return label.fontMetrics().horizontalAdvance(label.text()) <= label.width()


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_a_long_readout_is_whole_beside_the_follow_box_and_at_a_projectors_zoom(qtbot, zoom):
    # "step 20 · prediction = 0.5729829656465402 · goal = 0.6" is wider than the room beside
    # the follow box (1100x768 at 1x) or the plots (1024x768 at 2x); it was cut after "goal"
    # (1x) or after "0.57298" (2x), the digits the readout is there for.
    window = shown_window(qtbot)
    if zoom == 1.0:
        window.resize(1100, 768)
    window.appearance.apply_zoom(zoom)
    try:
        with qtbot.waitSignal(window.runFinished, timeout=30_000):
            window.findChild(QAction, "actionRunToEnd").trigger()
        window.plotsPanel.set_visible_plots(["prediction", "mse"])
        plot = window.plotsPanel.plots["prediction"]
        qtbot.wait(50)  # laid out and painted: the axes have their widths
        viewport = plot.widget.viewport()
        point = plot.widget.mapFromScene(plot.vb.mapViewToScene(QPointF(20, 0.55)))
        qtbot.mouseMove(viewport, point)
        readout = window.plotsPanel.readout
        qtbot.waitUntil(lambda: " · goal = 0.6" in readout.text())
        assert readout.fontMetrics().horizontalAdvance(readout.text()) > readout.width()  # it wraps
        assert shows_whole(readout) and window.plotsPanel.bar.rect().contains(readout.geometry())
        text, height, plots = readout.text(), readout.height(), window.plotsPanel.plot_area.geometry()
        qtbot.wait(20)  # QTest drops a second move sent in the same instant
        qtbot.mouseMove(viewport, QPoint(2, 2))  # off the view box: the one-line hint
        qtbot.waitUntil(lambda: readout.text() != text)
        assert "Point at a plot" in readout.text() and readout.heightForWidth(readout.width()) < height
        assert readout.height() == height and window.plotsPanel.plot_area.geometry() == plots  # no jump
        bar = window.plotsPanel.bar
        assert bar.beside() is (zoom == 1.0)  # beside the box at 1x, above it at 2x
        # the hint level with the box beside it, or on the box above it (the spare line above)
        assert readout.alignment() & (Qt.AlignmentFlag.AlignVCenter if bar.beside() else Qt.AlignmentFlag.AlignBottom)
    finally:
        window.appearance.apply_zoom(1.0)


def test_the_window_loads_the_icon_only_when_the_application_has_none(qtbot, monkeypatch):
    # The app sets its icon once for every window (configure_application); loading the SVG
    # icon engine again for the main window cost ~1.4 ms of every start.
    from gdnode_gui import app as app_module
    from gdnode_gui.ui.window import main_window

    made = []
    monkeypatch.setattr(main_window, "app_icon", lambda **kw: (made.append(kw), app_module.app_icon(**kw))[1])
    before = QApplication.windowIcon()
    try:
        QApplication.setWindowIcon(app_module.app_icon())
        window = MainWindow()
        qtbot.addWidget(window)
        assert made == [] and not window.windowIcon().isNull()
        QApplication.setWindowIcon(QIcon())
        window = MainWindow()
        qtbot.addWidget(window)
        assert made == [{"scalable": False}] and not window.windowIcon().isNull()  # a script's window has it too
        sizes = {size.width() for size in window.windowIcon().availableSizes()}
        assert sizes == {48, 128, 256}  # the PNGs (the SVG icon engine is not loaded for it)
    finally:
        QApplication.setWindowIcon(before)


def _modules_in_import_order(code: str, tmp_path) -> list[str]:
    """``sys.modules`` of a fresh interpreter that runs ``code``, in the order the modules
    finished importing (importlib moves each to the end once it has run)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    env.pop("PYTEST_CURRENT_TEST", None)
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(*sys.modules)\n"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1].split()


def test_a_script_imports_numpy_from_the_top_of_the_ui_package_not_through_the_window(tmp_path):
    # Five imports deep (through the window's modules) Python 3.11 mapped and unmapped a
    # 16 KiB chunk of its frame stack ~800 times in numpy's typing modules (~15 ms a start).
    modules = _modules_in_import_order(
        "from PySide6.QtWidgets import QApplication\nfrom gdnode_gui.ui import MainWindow", tmp_path)
    order = [modules.index(name) for name in ("gdnode_gui", "numpy", "gdnode_gui.ui", "gdnode_gui.ui.window")]
    assert order == sorted(order)  # numpy imported while the ui package ran, before the window's


def test_the_app_imports_numpy_before_qt(tmp_path):
    # PySide6's import hook reads the source of every module imported after it: ~12 ms for numpy's.
    modules = _modules_in_import_order(
        "from gdnode_gui.app import main\nassert main(['--self-test']) == 0", tmp_path)
    assert "PySide6.QtWidgets" in modules and modules.index("numpy") < modules.index("PySide6")
