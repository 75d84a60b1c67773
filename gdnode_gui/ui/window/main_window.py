"""The main window: the setup on the left, plots in the middle, the node on the right,
the trace table below, and the run controls in the toolbar.

The window owns the current :class:`~gdnode_gui.core.setup.Setup` and
:class:`~gdnode_gui.core.run.Run`, hands the run to the :class:`Trainer` worker thread,
and refreshes the visible views from the run's trace on a timer, at most 20 times a
second and less when drawing is slow (at a slow pace and in Step mode, after every
step).  Editing the setup is locked while the node runs; an edit while it is paused
takes effect at the next Run or Step, which starts a new run from step 0 (until then
the old trace stays, so it can still be kept as a ghost for comparison or exported).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget,
)

from gdnode_gui import resources
from gdnode_gui.core.outcome import describe, summary
from gdnode_gui.core.run import Run
from gdnode_gui.core.setup import Setup, SetupError, read_setup_text, seed_setup

from gdnode_gui.ui.views.node.node_panel import NodePanel
from gdnode_gui.ui.views.plots.plots import PlotsPanel
from gdnode_gui.ui.setup.setup_editor import SetupEditor
from gdnode_gui.ui.views.stability_panel import StabilityPanel
from gdnode_gui.ui.style.theme import Theme, theme_named
from gdnode_gui.ui.views.trace.trace_model import TraceTableModel
from gdnode_gui.ui.views.trace.trace_table import TraceTableView
from gdnode_gui.ui.session.trainer import Trainer
from gdnode_gui.ui.window.actions import build_actions, build_menus, build_toolbar
from gdnode_gui.ui.window.files import FileCommands
from gdnode_gui.ui.style.zoom import ZOOM_LEVELS, CtrlWheelZoom, clamp_zoom, next_level, set_application_zoom

REFRESH_MS = 50  # redraws at most 20 times a second; the worker reports ~30 batches a second
PRESENTATION_ZOOM = 1.75
MAX_REFRESH_MS = 250
DEFAULT_PACE = 10


class MainWindow(QMainWindow):
    """The application window; see the module docstring and DESIGN.md §3."""

    #: Emitted once per run with its outcome word.
    runFinished = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Gradient Descent Node")
        self.settings = QSettings()
        self._theme = theme_named(self.settings.value("view/theme", None, str))
        self._zoom = 1.0
        self._setup = self._remembered_setup()
        self._run: Run | None = None
        self._generation = 0
        self._shown_steps = -1
        self._latest_steps = 0
        self._finished_reported = False
        self._setup_dirty = False
        self._presentation = False
        self._drawing_began = 0.0
        self._preset_cache: dict[str, Setup | None] = {}
        self._presentation_by_zoom = False
        self._layout_before_presentation = QByteArray()

        self._trainer = Trainer(self)
        self._trainer.stepped.connect(self._on_stepped)
        self._trainer.finished.connect(self._on_finished)
        self._trainer.paused.connect(self._on_paused)
        self._trainer.set_pace(self.settings.value("run/pace", DEFAULT_PACE, int))

        self._build_views()
        self.files = FileCommands(self)
        presets = resources.preset_summaries()
        build_actions(self)
        build_menus(self, presets)
        build_toolbar(self, presets)
        self._build_docks()
        self._build_status_bar()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh_views)

        self._wheel_zoom = CtrlWheelZoom(self)
        self._wheel_zoom.zoomRequested.connect(self._zoom_by)
        QApplication.instance().installEventFilter(self._wheel_zoom)
        QApplication.instance().aboutToQuit.connect(self._stop_worker)

        self.setupEditor.set_setup(self._setup)
        self._show_preset_of(self._setup)
        self._restore_window()
        self._apply_theme(self._theme)
        self._apply_zoom(clamp_zoom(self.settings.value("view/zoom", 1.0)))
        self._start_new_run()

    # ---------------------------------------------------------------------------------------
    # building
    def _build_views(self) -> None:
        self.setupEditor = SetupEditor(self)
        self.setupEditor.setupChanged.connect(self._on_setup_edited)
        self.setupEditor.problemChanged.connect(self._on_setup_problem)

        self.plotsPanel = PlotsPanel(self)
        self.errorSurface = None  # an ErrorSurface, made when its tab is first shown
        self._surface_placeholder = QWidget(self)
        self.centralTabs = QTabWidget(self)
        self.centralTabs.setObjectName("centralTabs")
        self.centralTabs.setAccessibleName("plots and error surface")
        self.centralTabs.addTab(self.plotsPanel, "&Plots")
        self.centralTabs.addTab(self._surface_placeholder, "&Error surface")
        self.centralTabs.setTabToolTip(0, "How the weights, mse, prediction and delta change step by step")
        self.centralTabs.setTabToolTip(1, "The mse as a function of the weights: the bowl the node slides down")
        self.centralTabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.centralTabs)

        self.nodePanel = NodePanel(self)
        self.stabilityPanel = StabilityPanel(self)
        self.stabilityPanel.alphaRequested.connect(self._on_alpha_requested)

        self.traceModel = TraceTableModel(self)
        self.traceTableView = TraceTableView(self)
        self.traceTableView.setObjectName("traceTableView")
        self.traceTableView.setModel(self.traceModel)
        self.traceTableView.setAccessibleName("trace table")

        # Views that explain the setup, and views that show the run's trace, each with the
        # widget whose visibility decides whether it is worth refreshing now.
        # (The plots take the setup from the trace they are given: no set_setup for them.)
        self._setup_views = [self.nodePanel, self.stabilityPanel]
        self._views = [self.plotsPanel] + self._setup_views + [self.traceModel]
        self._view_widgets = {self.plotsPanel: self.plotsPanel, self.nodePanel: self.nodePanel,
                              self.stabilityPanel: self.stabilityPanel, self.traceModel: self.traceTableView}
        self._view_steps = {view: -1 for view in self._views}

    @property
    def _styled_views(self) -> list:
        """Everything that takes apply_theme and set_zoom."""
        views = [self.setupEditor, self.plotsPanel, self.nodePanel, self.stabilityPanel, self.traceTableView]
        return views + ([self.errorSurface] if self.errorSurface is not None else [])

    def _on_tab_changed(self, index: int) -> None:
        if self.centralTabs.widget(index) is self._surface_placeholder:
            self._make_error_surface()
        self._refresh_views()

    def _make_error_surface(self) -> None:
        """The error surface costs time to build and to keep up: only once it is wanted."""
        from gdnode_gui.ui.views.error_surface import ErrorSurface

        surface = ErrorSurface(self)
        self.errorSurface = surface
        index = self.centralTabs.indexOf(self._surface_placeholder)
        tip = self.centralTabs.tabToolTip(index)
        self.centralTabs.blockSignals(True)
        self.centralTabs.removeTab(index)
        self.centralTabs.insertTab(index, surface, "&Error surface")
        self.centralTabs.setTabToolTip(index, tip)
        self.centralTabs.setCurrentIndex(index)
        self.centralTabs.blockSignals(False)
        self._surface_placeholder.deleteLater()
        surface.apply_theme(self._theme)
        surface.set_zoom(self._zoom)
        surface.set_setup(self._setup)
        surface.set_trace(self._run.trace if self._run else None)
        self._setup_views.append(surface)
        self._views.append(surface)
        self._view_widgets[surface] = surface
        self._view_steps[surface] = -1

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.viewMenu.addAction(dock.toggleViewAction())
        dock.visibilityChanged.connect(lambda visible: visible and self._refresh_views())
        return dock

    def _build_docks(self) -> None:
        self.setupDock = self._dock("setupDock", "Setup", self.setupEditor, Qt.DockWidgetArea.LeftDockWidgetArea)
        node_side = self.nodeSplitter = QSplitter(Qt.Orientation.Vertical, self)
        node_side.setObjectName("nodeSplitter")
        node_side.addWidget(self.nodePanel)
        node_side.addWidget(self.stabilityPanel)
        node_side.setStretchFactor(0, 3)
        node_side.setStretchFactor(1, 2)
        self.nodeDock = self._dock("nodeDock", "Inside the node", node_side, Qt.DockWidgetArea.RightDockWidgetArea)
        self.traceDock = self._dock("traceDock", "Trace", self.traceTableView, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._docks_sized = False

    def _size_docks(self) -> None:
        """Give the docks their first widths; only takes once the window has its size."""
        self.resizeDocks([self.setupDock, self.nodeDock], [270, 340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.traceDock], [170], Qt.Orientation.Vertical)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._docks_sized and not self._state_restored:
            self._docks_sized = True
            QTimer.singleShot(0, self, self._size_docks)

    def _build_status_bar(self) -> None:
        self.stepLabel = QLabel(self)
        self.stepLabel.setObjectName("stepLabel")
        self.stepLabel.setAccessibleName("step and mse")
        self.stepLabel.setToolTip("The last step done and its mse")
        self.outcomeLabel = QLabel(self)
        self.outcomeLabel.setObjectName("outcomeLabel")
        self.outcomeLabel.setAccessibleName("run outcome")
        self.outcomeLabel.setWordWrap(False)
        self._size_step_label()
        self.statusBar().addWidget(self.stepLabel)
        self.statusBar().addWidget(self.outcomeLabel, 1)

    def _size_step_label(self) -> None:
        """Wide enough for any step count, so that new text does not lay out the window
        again 30 times a second."""
        metrics = QFontMetrics(QApplication.font())
        self.stepLabel.setFixedWidth(metrics.horizontalAdvance("step 10,000,000 · mse -8.88e-308") + 16)

    # ---------------------------------------------------------------------------------------
    # the run
    @property
    def setup(self) -> Setup:
        """The setup the node runs."""
        return self._setup

    @property
    def run(self) -> Run | None:
        """The current run (its trace grows while the worker runs it)."""
        return self._run

    def _start_new_run(self) -> None:
        """Reset: a fresh run of the current setup, every view cleared."""
        self._report_stopped()
        self._run = Run(self._setup)
        self._generation = self._trainer.load(self._run)
        self._finished_reported = False
        self._setup_dirty = False
        self._latest_steps = 0
        self._shown_steps = -1
        for view in self._setup_views:
            view.set_setup(self._setup)
        for view in self._views:
            view.set_trace(self._run.trace)
        self._refresh_views(force=True)
        self._update_controls()

    def _report_stopped(self) -> None:
        """A run the user abandons part-way (Reset, a new setup, closing) ends ``stopped``."""
        run = self._run
        if run is not None and not self._finished_reported and run.n_steps > 0:
            self._finished_reported = True
            self.stabilityPanel.set_outcome("stopped", run.n_steps)
            self.runFinished.emit("stopped")

    def _continue(self) -> bool:
        """Before Run, Run to end or Step: start a new run when the last one ended or the
        setup changed; False when the setup cannot be used."""
        self.setupEditor.commit()  # a value typed without Enter counts
        if self.setupEditor.problem():
            self.show_status(f"Cannot run: {self.setupEditor.problem()}")
            return False
        if self._setup_dirty or (self._run is not None and self._run.finished):
            self._start_new_run()
        return True

    @Slot()
    def _on_run(self) -> None:
        if self._continue():
            self.nodePanel.set_stepping(False)
            self._trainer.play()
            self._running_changed()

    @Slot()
    def _on_run_pause(self) -> None:
        if self._trainer.running:
            self._on_pause()
        else:
            self._on_run()

    @Slot()
    def _on_run_to_end(self) -> None:
        if self._continue():
            self.nodePanel.set_stepping(False)
            self._trainer.run_to_end()
            self._running_changed()

    @Slot()
    def _on_pause(self) -> None:
        self._trainer.pause()
        self._running_changed()

    @Slot()
    def _on_step(self) -> None:
        if self._continue():
            self.nodePanel.set_stepping(True)
            self._trainer.step()
            self._running_changed()

    @Slot()
    def _on_reset(self) -> None:
        self._start_new_run()
        self.show_status("Reset: back to the starting weights, trace cleared")

    def _running_changed(self) -> None:
        if self._trainer.running:
            if not self._refresh_timer.isActive():
                self._refresh_timer.start()
        self._update_controls()

    @Slot(int, int)
    def _on_stepped(self, generation: int, n_steps: int) -> None:
        if generation != self._generation:
            return
        self._latest_steps = n_steps
        if not self._trainer.batched:
            self._refresh_views()  # one step at a time: show each at once
        # otherwise the refresh timer shows the newest step, dropping frames if drawing is slow

    @Slot(int)
    def _on_paused(self, generation: int) -> None:
        if generation == self._generation:
            self._refresh_views()
            self._refresh_timer.stop()
            self._update_controls()

    @Slot(int, str)
    def _on_finished(self, generation: int, outcome: str) -> None:
        if generation != self._generation or self._finished_reported:
            return
        self._latest_steps = self._run.n_steps
        self._refresh_timer.stop()
        self._finished_reported = True
        self._refresh_views(force=True)
        self._update_controls()
        self.runFinished.emit(outcome)

    def _refresh_views(self, force: bool = False) -> None:
        """Show step ``n`` in every visible view; a hidden view (the other tab, a closed
        dock) catches up when it is shown."""
        n = self._latest_steps
        if force:
            self._view_steps = {view: -1 for view in self._views}
        stale = [view for view in self._views
                 if self._view_steps[view] != n and self._view_widgets[view].isVisible()]
        if not stale and n == self._shown_steps:
            if not self._trainer.running:
                self._refresh_timer.stop()
            return
        self._shown_steps = n
        self._drawing_began = time.perf_counter()
        self._trainer.drawing()  # the worker makes way until the views are painted
        for view in stale:
            view.refresh(n)
            self._view_steps[view] = n
        self._update_status(n)
        QTimer.singleShot(0, self, self._on_drawn)  # after the paint events just posted

    def _on_drawn(self) -> None:
        self._trainer.drawn()
        # Drop frames when drawing is slow: leave the worker at least twice the time that
        # refreshing and painting took.
        spent_ms = (time.perf_counter() - self._drawing_began) * 1000
        self._refresh_timer.setInterval(int(min(max(REFRESH_MS, 3 * spent_ms), MAX_REFRESH_MS)))

    def _update_status(self, n: int) -> None:
        run = self._run
        if n == 0:
            self.stepLabel.setText("step 0")
        else:
            mse = float(run.trace.mse[n - 1])
            self.stepLabel.setText(f"step {n:,} · mse {mse:.3g}")
        if self._setup_dirty:
            text = ("Setup changed: Run or Step starts a new run from step 0 "
                    "(Ctrl+K first keeps this run on the plots for comparison)")
        elif run.finished and self._finished_reported and n == run.n_steps:
            self.outcomeLabel.setText(describe(run.outcome, run))
            self.outcomeLabel.setToolTip(summary(run))
            return
        elif n == 0:
            text = "Ready: press Run (Space) or Step (→)"
        elif self._trainer.running:
            text = "Running… Space pauses (the setup can be edited while paused)"
        else:
            text = "Paused: Run (Space) or Step (→) continues"
        self.outcomeLabel.setText(text)
        self.outcomeLabel.setToolTip(text)

    def _update_controls(self) -> None:
        running = self._trainer.running
        self.actionPause.setEnabled(running)
        self.actionKeepRun.setEnabled(self._run is not None and self._run.n_steps > 0 and not running)
        self.setupEditor.set_editable(not running)
        self.presetComboBox.setEnabled(not running)
        self.presetsMenu.setEnabled(not running)
        self.actionOpenSetup.setEnabled(not running)
        if running:
            self.setupDock.setToolTip("Pause to edit the setup")
        else:
            self.setupDock.setToolTip("")
        self._update_status(max(self._shown_steps, 0))

    # ---------------------------------------------------------------------------------------
    # the setup
    def _remembered_setup(self) -> Setup:
        text = self.settings.value("setup/last", "", str)
        if text:
            try:
                return read_setup_text(text)
            except SetupError:
                pass
        return seed_setup()

    def set_setup(self, setup: Setup, *, status: str = "") -> None:
        """Use ``setup``: the controls show it and a new run starts from step 0."""
        if self._trainer.running:
            self._trainer.pause()
        self._setup = setup
        self.setupEditor.set_setup(setup)
        self._show_preset_of(setup)
        self._remember_setup()
        self._start_new_run()
        if status:
            self.show_status(status)

    @Slot(object)
    def _on_setup_edited(self, setup: Setup) -> None:
        self._setup = setup
        self._remember_setup()
        self.presetComboBox.setCurrentIndex(0)
        # Views that explain the setup (the stability panel) follow every edit at once;
        # the run and its trace start over on the next Run or Step.
        self.stabilityPanel.set_setup(setup)
        if self._run is not None and self._run.n_steps > 0:
            self._setup_dirty = True
            self._update_status(self._shown_steps)
        else:
            self._start_new_run()

    @Slot(str)
    def _on_setup_problem(self, problem: str) -> None:
        if problem:
            self.show_status(f"Not used: {problem}", 8000)

    @Slot(float)
    def _on_alpha_requested(self, alpha: float) -> None:
        if self._trainer.running:
            return
        self.set_setup(self._setup.replace(alpha=alpha), status=f"alpha set to {alpha!r}")

    def _remember_setup(self) -> None:
        self.settings.setValue("setup/last", self._setup.to_json())

    def _show_preset_of(self, setup: Setup) -> None:
        """Select the preset whose numbers ``setup`` has, or "(your setup)"."""
        numbers = setup.replace(name="", description="")
        index = 0
        for i in range(1, self.presetComboBox.count()):
            if self._preset_numbers(self.presetComboBox.itemData(i)) == numbers:
                index = i
                break
        self.presetComboBox.setCurrentIndex(index)

    def _preset_numbers(self, name: str) -> Setup | None:
        """A preset without its name and description (read once), or None if unreadable."""
        if name not in self._preset_cache:
            try:
                self._preset_cache[name] = resources.load_preset(name).replace(name="", description="")
            except (KeyError, SetupError, OSError):
                self._preset_cache[name] = None
        return self._preset_cache[name]

    @Slot()
    def _on_preset_combo(self) -> None:
        name = self.presetComboBox.currentData()
        if name:
            self._on_preset(name)

    def _on_preset(self, name: str) -> None:
        try:
            setup = resources.load_preset(name)
        except (KeyError, SetupError, OSError) as error:
            QMessageBox.warning(self, "Preset not loaded", f"The preset {name!r} could not be loaded:\n{error}")
            return
        self.set_setup(setup, status=f"Preset: {setup.name}")

    def open_setup(self, path: str) -> bool:
        """Load a setup file; a bad file shows a message and changes nothing."""
        return self.files.open_setup(path)

    # ---------------------------------------------------------------------------------------
    # comparison
    @Slot()
    def _on_keep_run(self) -> None:
        run = self._run
        if run is None or run.n_steps == 0:
            return
        label = f"alpha {run.setup.alpha!r}" + (f", {run.outcome}" if run.outcome else "")
        self.plotsPanel.keep_ghost(run.trace, label)
        self.show_status(f"Kept the run ({label}) for comparison; change the setup and run again")

    @Slot()
    def _on_clear_kept(self) -> None:
        self.plotsPanel.clear_ghosts()

    # ---------------------------------------------------------------------------------------
    # view: zoom, theme, full screen, presentation
    @property
    def zoom(self) -> float:
        return self._zoom

    def _zoom_by(self, direction: int) -> None:
        self._apply_zoom(next_level(self._zoom, direction))
        self.show_status(f"Zoom {self._zoom:.0%} (Ctrl+0 for normal size)", 2000)

    def _balance_node_splitter(self) -> None:
        """Most of the node dock's height for the drawing and the equations; the stability
        panel keeps what it needs for its title and warning (its text scrolls)."""
        total = sum(self.nodeSplitter.sizes())
        if total <= 0:
            return
        below = max(self.stabilityPanel.minimumSizeHint().height(), total // 4)
        self.nodeSplitter.setSizes([total - below, below])

    def _max_zoom(self) -> float:
        """The largest zoom level at which the window still fits its screen: about
        480 x 360 unzoomed pixels are needed (2.0 on a 1024x768 projector)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            return ZOOM_LEVELS[-1]
        limit = min(screen.width() / 480, screen.height() / 360)
        return max([level for level in ZOOM_LEVELS if level <= limit + 1e-9] or [1.0])

    def _apply_zoom(self, factor: float) -> None:
        factor = min(clamp_zoom(factor), self._max_zoom())
        self._zoom = factor
        set_application_zoom(factor)
        self._size_step_label()
        icon = round(QFontMetrics(QApplication.font()).height() * 1.1)
        self.runToolBar.setIconSize(QSize(icon, icon))
        QTimer.singleShot(0, self, self._balance_node_splitter)
        for view in self._styled_views:
            view.set_zoom(factor)
        self.actionZoomOut.setEnabled(factor > ZOOM_LEVELS[0])
        self.actionZoomIn.setEnabled(factor < self._max_zoom())
        self.settings.setValue("view/zoom", factor)
        # From 1.75x on, a projector's screen only has room for the plots and one side panel.
        crowded = factor >= PRESENTATION_ZOOM
        if crowded != self.actionPresentation.isChecked() and (crowded or self._presentation_by_zoom):
            self._presentation_by_zoom = crowded
            self.actionPresentation.setChecked(crowded)
            self._on_presentation(crowded)

    def apply_zoom(self, factor: float) -> None:
        """Scale every text, number and line by ``factor`` (1.0 normal)."""
        self._apply_zoom(factor)

    @property
    def theme(self) -> Theme:
        return self._theme

    def _on_theme_chosen(self, theme: Theme) -> None:
        self._apply_theme(theme)
        self.settings.setValue("view/theme", theme.name)

    def _apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        QApplication.setPalette(theme.palette())
        self.themeActions[theme.name].setChecked(True)
        for view in self._styled_views:
            view.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        """Use ``theme`` for the window and every plot (not remembered)."""
        self._apply_theme(theme)

    @Slot(bool)
    def _on_full_screen(self, checked: bool) -> None:
        if checked:
            self.showFullScreen()
        else:
            self.showNormal()

    @Slot(bool)
    def _on_presentation(self, checked: bool) -> None:
        """The presentation layout: the table hidden, the setup compact and behind a tab
        beside the node, so the plots and the node get the room."""
        if checked == self._presentation:
            return
        self._presentation = checked
        if checked:
            self._layout_before_presentation = self.saveState()
            self.traceDock.hide()
            self.tabifyDockWidget(self.setupDock, self.nodeDock)
            self.nodeDock.raise_()
        else:
            self.restoreState(self._layout_before_presentation)
            self._presentation_by_zoom = False
        self.setupEditor.set_compact(checked)
        # Icons only (each has a tooltip and a key): the run controls, pace and presets fit.
        self.runToolBar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly if checked
                                           else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        QTimer.singleShot(0, self, self._balance_node_splitter)
        self.show_status("Presentation layout: the table is hidden and the setup is a tab beside the node"
                          if checked else "Normal layout", 4000)

    @Slot()
    def _on_help(self) -> None:
        from gdnode_gui.ui.help.help_window import HelpWindow

        if getattr(self, "_help_window", None) is None:
            self._help_window = HelpWindow(self._shortcut_actions(), self)
        self._help_window.show()
        self._help_window.raise_()
        self._help_window.activateWindow()

    def _shortcut_actions(self) -> list[QAction]:
        return [self.actionRunPause, self.actionRun, self.actionRunToEnd, self.actionPause, self.actionStep,
                self.actionReset, self.actionKeepRun, self.actionOpenSetup, self.actionSaveSetup,
                self.actionExportCsv, self.actionExportPlot, self.actionZoomIn, self.actionZoomOut,
                self.actionZoomReset, self.actionFullScreen, self.actionPresentation, self.actionHelp,
                self.actionQuit]

    @Slot()
    def _on_about(self) -> None:
        from gdnode_gui.ui.help.about import show_about

        show_about(self)

    def _on_pace_changed(self, value: int) -> None:
        self._trainer.set_pace(value)
        self.settings.setValue("run/pace", value)

    def show_status(self, text: str, timeout_ms: int = 5000) -> None:
        """A passing message in the status bar."""
        self.statusBar().showMessage(text, timeout_ms)

    # ---------------------------------------------------------------------------------------
    # window state
    def _restore_window(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None and (screen.width() <= 1280 or screen.height() <= 800):
                self.setGeometry(screen)  # a projector's 1024x768: use all of it
            else:
                self.resize(1280, 800)
        state = self.settings.value("window/state")
        self._state_restored = isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state)

    def _stop_worker(self) -> None:
        self._refresh_timer.stop()
        self._trainer.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._report_stopped()
        self._stop_worker()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self._remember_setup()
        QApplication.instance().removeEventFilter(self._wheel_zoom)
        super().closeEvent(event)
