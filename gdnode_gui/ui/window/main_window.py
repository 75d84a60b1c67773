"""The main window: the setup on the left, plots in the middle, the node on the right,
the trace table below, and the run controls in the toolbar.

The window only lays out and connects.  The :class:`~gdnode_gui.ui.session.session.Session`
owns the setup, the run, the worker and the shown step; the window passes the user's
commands to it and hands every frame it emits to the visible views (``show_frame``).
Editing the setup is locked while the node runs; an edit while it is paused takes effect
at the next Run or Step, which starts a new run from step 0 (until then the old trace
stays, so it can still be kept as a ghost for comparison or exported).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget,
)

from gdnode_gui import resources
from gdnode_gui.app import app_icon
from gdnode_gui.core.frame import Frame
from gdnode_gui.core.number_text import maths, short
from gdnode_gui.core.outcome import describe, summary
from gdnode_gui.core.run import Run
from gdnode_gui.core.setup import Setup, SetupError, read_setup_text, seed_setup

from gdnode_gui.ui.controls import ElidedLabel, named
from gdnode_gui.ui.views.node.node_panel import NodePanel
from gdnode_gui.ui.views.plots.plots import PlotsPanel
from gdnode_gui.ui.setup.setup_editor import SetupEditor
from gdnode_gui.ui.views.stability_panel import StabilityPanel
from gdnode_gui.ui.style.theme import Theme
from gdnode_gui.ui.views.trace.trace_model import TraceTableModel
from gdnode_gui.ui.views.trace.trace_table import TraceTableView
from gdnode_gui.ui.session.session import DEFAULT_PACE, Session
from gdnode_gui.ui.window.actions import build_actions, build_menus, build_toolbar
from gdnode_gui.ui.window.files import FileCommands
from gdnode_gui.ui.style.zoom import clamp_zoom, connect_ctrl_wheel
from gdnode_gui.ui.window.appearance import Appearance

#: Runs kept for comparison (Ctrl+K), the oldest dropped first.
MAX_KEPT = 3
#: While running at full speed, the views with numbers to read show a frame this often.
CALM_SECONDS = 0.25


class MainWindow(QMainWindow):
    """The application window; see the module docstring and DESIGN.md §3."""

    #: Emitted once per run with its outcome word.
    runFinished = Signal(str)

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Gradient Descent Node")
        if QApplication.windowIcon().isNull():  # the app sets it for every window; a script may not
            self.setWindowIcon(app_icon(scalable=False))  # a window's icon is never drawn past 256 px
        self.settings = QSettings()
        self._preset_cache: dict[str, Setup | None] = {}
        self._frame: Frame | None = None
        self._not_restored = ""
        self._view_frames: dict[object, Frame] = {}
        self._calm_shown_at = 0.0
        self._kept: list[tuple] = []  # (trace, steps, label) of the runs kept for comparison
        if session is None:
            session = Session(self._remembered_setup(), self, self.settings.value("run/pace", DEFAULT_PACE, int))
        self.session = session

        self.appearance = Appearance(self)
        self._build_views()
        self.files = FileCommands(self)
        presets = resources.preset_summaries()
        build_actions(self)
        build_menus(self, presets)
        build_toolbar(self, presets)
        self._build_docks()
        self._build_status_bar()

        self.plotsPanel.stepRequested.connect(self._show_step)
        self.plotsPanel.visiblePlotsChanged.connect(self._check_plot_actions)
        self._check_plot_actions(self.plotsPanel.visible_plots())
        session.frameReady.connect(self._show_frame)
        session.runFinished.connect(self.runFinished)
        session.runningChanged.connect(self._update_controls)
        session.message.connect(self.show_status)

        self.setupEditor.set_setup(session.setup)
        self._show_preset_of(session.setup)
        self._restore_window()
        self.appearance.apply_theme(self.appearance.theme)
        self.appearance.apply_zoom(clamp_zoom(self.settings.value("view/zoom", 1.0)))
        self._show_frame(session.frame)
        if self._not_restored:
            self.show_status(self._not_restored, 20_000)
        QApplication.instance().aboutToQuit.connect(self.session.shutdown)

    # ---------------------------------------------------------------------------------------
    # building
    def _build_views(self) -> None:
        self.setupEditor = SetupEditor(self)
        self.setupEditor.setupChanged.connect(self._on_setup_edited)
        self.setupEditor.problemChanged.connect(self._on_setup_problem)

        self.plotsPanel = PlotsPanel(self)
        self.errorSurface = None  # an ErrorSurface, made when its tab is first shown
        self.alphaSweepView = None  # an AlphaSweepView, likewise
        self.centralTabs = QTabWidget(self)
        self.centralTabs.setObjectName("centralTabs")
        self.centralTabs.setAccessibleName("plots, error surface and alpha sweep")
        self.centralTabs.addTab(self.plotsPanel, "&Plots")
        self.centralTabs.setTabToolTip(0, "How the weights, mse, prediction and delta change step by step")
        # Tabs that cost time to build and to keep up are made when first shown.
        self._lazy_tabs: dict[QWidget, tuple[str, object]] = {}
        self._add_lazy_tab("&Error surface", "The mse as a function of the weights: the bowl the node slides down",
                           self._make_error_surface)
        self._add_lazy_tab("Alpha s&weep", "Which alpha? The steps a run takes for each alpha, measured",
                           self._make_alpha_sweep)
        self.centralTabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.centralTabs)

        self.nodePanel = NodePanel(self)
        self.stabilityPanel = StabilityPanel(self)
        self.stabilityPanel.alphaRequested.connect(self._on_alpha_requested)
        self.stabilityPanel.sweepRequested.connect(self.show_alpha_sweep)

        self.traceModel = TraceTableModel(self)
        self.traceTableView = TraceTableView(self)
        self.traceTableView.setObjectName("traceTableView")
        self.traceTableView.setModel(self.traceModel)
        self.traceTableView.setAccessibleName("trace table")
        self.traceTableView.stepRequested.connect(self._show_step)

        # Every view shows the session's frames, each with the widget whose visibility
        # decides whether it is worth showing one now.
        self._view_widgets = {self.plotsPanel: self.plotsPanel, self.nodePanel: self.nodePanel,
                              self.stabilityPanel: self.stabilityPanel, self.traceModel: self.traceTableView}

    def styled_views(self) -> list:
        """Everything that takes apply_theme and set_zoom."""
        views = [self.setupEditor, self.plotsPanel, self.nodePanel, self.stabilityPanel, self.traceTableView]
        return views + [view for view in (self.errorSurface, self.alphaSweepView) if view is not None]

    def _add_lazy_tab(self, title: str, tip: str, make) -> None:
        placeholder = QWidget(self)
        self._lazy_tabs[placeholder] = (title, make)
        index = self.centralTabs.addTab(placeholder, title)
        self.centralTabs.setTabToolTip(index, tip)

    def _on_tab_changed(self, index: int) -> None:
        placeholder = self.centralTabs.widget(index)
        if placeholder in self._lazy_tabs:
            title, make = self._lazy_tabs.pop(placeholder)
            view = make()
            tip = self.centralTabs.tabToolTip(index)
            self.centralTabs.blockSignals(True)
            self.centralTabs.removeTab(index)
            self.centralTabs.insertTab(index, view, title)
            self.centralTabs.setTabToolTip(index, tip)
            self.centralTabs.setCurrentIndex(index)
            self.centralTabs.blockSignals(False)
            placeholder.deleteLater()
            view.apply_theme(self.appearance.theme)
            view.set_zoom(self.appearance.zoom)
            self._view_widgets[view] = view
        self._catch_up()

    def show_alpha_sweep(self) -> None:
        """Bring the Alpha sweep tab to the front (it computes while shown)."""
        for index in range(self.centralTabs.count()):
            if "sweep" in self.centralTabs.tabText(index).replace("&", "").lower():
                self.centralTabs.setCurrentIndex(index)
                return

    def _make_error_surface(self) -> QWidget:
        from gdnode_gui.ui.views.error_surface import ErrorSurface

        self.errorSurface = ErrorSurface(self)
        self.errorSurface.startWeightsRequested.connect(self._on_start_weights_requested)
        for trace, steps, label in self._kept:  # runs kept before the tab was first shown
            self.errorSurface.keep_ghost(trace, label, steps)
        return self.errorSurface

    def _make_alpha_sweep(self) -> QWidget:
        from gdnode_gui.ui.views.sweep_view import AlphaSweepView

        self.alphaSweepView = AlphaSweepView(self)
        self.alphaSweepView.alphaRequested.connect(self._on_alpha_requested)
        return self.alphaSweepView

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.viewMenu.addAction(dock.toggleViewAction())
        dock.visibilityChanged.connect(lambda visible: visible and self._catch_up())
        dock.topLevelChanged.connect(lambda floating: floating and self.isVisible() and self._watch_wheel())
        return dock

    def _watch_wheel(self) -> None:
        """Ctrl+wheel zooms over the window and over a dock floating in a window of its own."""
        wheel = connect_ctrl_wheel(self)
        for dock in (self.setupDock, self.nodeDock, self.traceDock):
            if dock.isFloating():
                wheel.watch(dock)

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

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt API
        if visible and not self._docks_sized and not self._state_restored:
            # The docks get their first sizes before anything is shown: laid out while hidden,
            # each view is resized once, at its size, as it is shown (not again a pass later).
            self._docks_sized = True
            self.layout().activate()
            self._size_docks()
        super().setVisible(visible)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._watch_wheel()  # once the window's QWindow exists

    def _build_status_bar(self) -> None:
        self.stepLabel = named(QLabel(self), "stepLabel", "step and mse", "The step shown and its mse")
        self.outcomeLabel = named(ElidedLabel(self), "outcomeLabel", "run outcome",
                                  "How the run stands, and how it ended")
        # Passing messages (saved, exported, zoom…) have their own place: they never hide
        # the run's outcome.
        self.messageLabel = named(ElidedLabel(self), "messageLabel", "last message",
                                  "The last passing message: saved, exported, zoom…")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.messageLabel.setText(""))
        self.size_step_label()
        bar = self.statusBar()
        bar.addPermanentWidget(self.stepLabel)
        bar.addPermanentWidget(self.outcomeLabel, 3)
        bar.addPermanentWidget(self.messageLabel, 2)

    def size_step_label(self) -> None:
        """Wide enough for any step count, so that new text does not lay out the window
        again 30 times a second."""
        metrics = QFontMetrics(QApplication.font())
        self.stepLabel.setFixedWidth(metrics.horizontalAdvance("step 10,000,000 · mse -8.88e-308") + 16)

    # ---------------------------------------------------------------------------------------
    # the run: commands go to the session, frames come back
    @property
    def setup(self) -> Setup:
        """The setup the controls hold."""
        return self.session.setup

    @property
    def run(self) -> Run:
        """The current run (its trace grows while the worker runs it)."""
        return self.session.run

    @property
    def running(self) -> bool:
        """Whether the node is running (playing, running to the end or stepping)."""
        return self.session.running

    def _ready(self) -> bool:
        """Before Run, Run to end or Step: the setup as typed must be usable."""
        self.setupEditor.commit()  # a value typed without Enter counts
        if self.setupEditor.problem():
            self.show_status(f"Cannot run: {self.setupEditor.problem()}")
            return False
        return True

    def play(self) -> None:
        """Run at the chosen pace (continue the run, or start a new one)."""
        if self._ready():
            self.nodePanel.set_stepping(False)
            self.session.play()

    def play_or_pause(self) -> None:
        if self.session.running:
            self.pause()
        else:
            self.play()

    def run_to_end(self) -> None:
        """Run at full speed until the run ends."""
        if self._ready():
            self.nodePanel.set_stepping(False)
            self.session.run_to_end()

    def pause(self) -> None:
        self.session.pause()

    def step(self) -> None:
        """Exactly one more step (or the next step of the history being shown)."""
        if self._ready():
            self.nodePanel.set_stepping(True)
            self.session.step()

    def step_back(self) -> None:
        """Show the step before, without changing the trace."""
        self.nodePanel.set_stepping(False)
        self.session.step_back()

    def _show_step(self, step: int) -> None:
        """Show ``step`` in the node (a click on a row or a plot point); the trace stays."""
        self.nodePanel.set_stepping(False)
        self.session.show_step(step)

    def reset(self) -> None:
        self.session.reset()
        self.show_status("Reset: back to the starting weights, trace cleared")

    @Slot(object)
    def _show_frame(self, frame: Frame) -> None:
        """Every visible view shows ``frame``; a hidden one (the other tab, a closed dock)
        catches up when it is shown."""
        self._frame = frame
        now = time.perf_counter()
        # At full speed the plots follow every frame; the node, the table and the stability
        # panel (numbers nobody reads at 25 a second) a few times a second.
        calm = not (frame.running and self.session.batched) or now - self._calm_shown_at >= CALM_SECONDS
        if calm:
            self._calm_shown_at = now
        for view, widget in self._view_widgets.items():
            if self._view_frames.get(view) is not frame and widget.isVisible() and (
                    calm or view is self.plotsPanel or view is self.errorSurface):
                self._view_frames[view] = frame
                view.show_frame(frame)
        self._update_status(frame)
        self._update_controls()

    def _catch_up(self) -> None:
        if self._frame is not None:
            self._show_frame(self._frame)

    def _update_status(self, frame: Frame) -> None:
        n = frame.shown
        if n == 0:
            self.stepLabel.setText("step 0")
        else:
            mse = float(frame.trace.mse[n - 1])
            of = f" of {frame.steps:,}" if n != frame.steps else ""
            self.stepLabel.setText(f"step {n:,}{of} · mse {maths(short(mse, 3))}")
        run = self.session.run
        if frame.edited:
            text = ("Setup changed: Run or Step starts a new run from step 0 "
                    "(Ctrl+K first keeps this run on the plots for comparison)")
        elif frame.finished and frame.latest:
            text = describe(frame.outcome, run)
            if getattr(run, "stop_reason", ""):
                text = f"{text}: {run.stop_reason}"
            self.outcomeLabel.setText(text)
            self.outcomeLabel.setToolTip(summary(run))
            return
        elif frame.steps == 0:
            text = "Ready: press Run (Space) or Step (→)"
        elif frame.running:
            text = "Running… Space pauses (the setup can be edited while paused)"
        elif not frame.latest:
            text = f"Showing step {n:,} of {frame.steps:,}: → goes forward, ← back"
        else:
            text = "Paused: Run (Space) or Step (→) continues"
        self.outcomeLabel.setText(text)
        self.outcomeLabel.setToolTip(text)

    @Slot()
    def _update_controls(self) -> None:
        running = self.session.running
        self.actionPause.setEnabled(running)
        self.actionKeepRun.setEnabled(self.session.run.n_steps > 0 and not running)
        self.setupEditor.set_editable(not running)
        self.presetComboBox.setEnabled(not running)
        self.presetsMenu.setEnabled(not running)
        self.actionOpenSetup.setEnabled(not running)
        self.setupDock.setToolTip("Pause to edit the setup" if running else "")

    # ---------------------------------------------------------------------------------------
    # the setup
    def _remembered_setup(self) -> Setup:
        """The setup of last time; the article's example on a first start, or (with a message
        that says why) when last time's cannot be restored."""
        text = self.settings.value("setup/last", "", str)
        if text:
            try:
                return read_setup_text(text)
            except SetupError as error:
                self._not_restored = (f"The setup from last time could not be restored ({error}); "
                                      "the article's example is shown instead.")
        return seed_setup()

    def set_setup(self, setup: Setup, *, status: str = "") -> None:
        """Use ``setup``: the controls show it and a new run starts from step 0."""
        self.session.load_setup(setup)
        self.setupEditor.set_setup(setup)
        self._show_preset_of(setup)
        self._remember_setup()
        if status:
            self.show_status(status)

    @Slot(object)
    def _on_setup_edited(self, setup: Setup) -> None:
        """An edit: views that explain the setup follow at once; after steps, the run and its
        trace start over on the next Run or Step."""
        self.session.edit_setup(setup)
        self._remember_setup()
        self.presetComboBox.setCurrentIndex(0)

    @Slot(str)
    def _on_setup_problem(self, problem: str) -> None:
        if problem:
            self.show_status(f"Not used: {problem}", 8000)

    @Slot(float)
    def _on_alpha_requested(self, alpha: float) -> None:
        if self.session.running:
            return
        self.set_setup(self.session.setup.replace(alpha=alpha), status=f"alpha set to {alpha!r}")

    def _remember_setup(self) -> None:
        self.settings.setValue("setup/last", self.session.setup.to_json())

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
    def load_chosen_preset(self) -> None:
        """Load the preset chosen in the toolbar's box."""
        name = self.presetComboBox.currentData()
        if name:
            self.load_preset(name)

    def load_preset(self, name: str) -> None:
        """Load the built-in setup ``name``; a broken one shows a message."""
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
    def choose_plots(self) -> None:
        """Show the plots ticked in View > Plots shown (at least one), remembered for the layout
        in use (the presentation layout has its own choice)."""
        keys = [key for key, action in self.plotActions.items() if action.isChecked()]
        self.plotsPanel.set_visible_plots(keys, remember=not self.appearance.presenting)
        shown = self.plotsPanel.visible_plots()
        self.appearance.remember_plots(shown)
        self._check_plot_actions(shown)

    @Slot(list)
    def _check_plot_actions(self, keys: list) -> None:
        for key, action in self.plotActions.items():
            action.blockSignals(True)
            action.setChecked(key in keys)
            action.blockSignals(False)

    def keep_run(self) -> None:
        """Keep the run on the plots, to compare the next one with it."""
        run = self.session.run
        if run.n_steps == 0:
            return
        label = f"alpha {run.setup.alpha!r}" + (f", {run.outcome}" if run.outcome else "")
        self._kept = (self._kept + [(run.trace, run.n_steps, label)])[-MAX_KEPT:]
        self.plotsPanel.keep_ghost(run.trace, label)
        if self.errorSurface is not None:
            self.errorSurface.keep_ghost(run.trace, label, run.n_steps)
        self.show_status(f"Kept the run ({label}) for comparison; change the setup and run again")

    def clear_kept(self) -> None:
        self._kept = []
        self.plotsPanel.clear_ghosts()
        if self.errorSurface is not None:
            self.errorSurface.clear_ghosts()

    @Slot(tuple)
    def _on_start_weights_requested(self, weights: tuple) -> None:
        """The start point was dragged on the error surface: a new run from those weights."""
        if self.session.running:
            return
        text = ", ".join(repr(float(w)) for w in weights)
        self.set_setup(self.session.setup.replace(weights=tuple(float(w) for w in weights)),
                       status=f"Starting weights set to {text} on the error surface")

    # ---------------------------------------------------------------------------------------
    # view: zoom, theme, full screen, presentation (see appearance.py)
    @property
    def zoom(self) -> float:
        return self.appearance.zoom

    def apply_zoom(self, factor: float) -> None:
        """Scale every text, number and line by ``factor`` (1.0 normal)."""
        self.appearance.apply_zoom(factor)

    @property
    def theme(self) -> Theme:
        return self.appearance.theme

    def apply_theme(self, theme: Theme) -> None:
        """Use ``theme`` for the window and every plot (not remembered)."""
        self.appearance.apply_theme(theme)

    @Slot()
    def show_help(self) -> None:
        from gdnode_gui.ui.help.help_window import HelpWindow

        if getattr(self, "_help_window", None) is None:
            self._help_window = HelpWindow(self._shortcut_actions(), self)
        self._help_window.show()
        self._help_window.raise_()
        self._help_window.activateWindow()

    def _shortcut_actions(self) -> list[QAction]:
        return [self.actionRunPause, self.actionRun, self.actionRunToEnd, self.actionPause, self.actionStepBack,
                self.actionStep, self.actionReset, self.actionKeepRun, self.actionOpenSetup, self.actionSaveSetup,
                self.actionExportCsv, self.actionExportPlot, self.actionExportPython, self.actionExportNotebook,
                self.actionZoomIn, self.actionZoomOut, self.actionZoomReset, self.actionFullScreen,
                self.actionPresentation, self.actionHelp, self.actionQuit]

    @Slot()
    def show_about(self) -> None:
        from gdnode_gui.ui.help.about import show_about

        show_about(self)

    def set_pace(self, value: int) -> None:
        """Steps per second for Run (remembered)."""
        self.session.set_pace(value)
        self.settings.setValue("run/pace", value)

    def show_status(self, text: str, timeout_ms: int = 5000) -> None:
        """A passing message in the status bar (beside the outcome, never over it)."""
        self.messageLabel.setText(text)
        self.messageLabel.setToolTip(text)
        self._message_timer.start(timeout_ms)

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.session.shutdown()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self._remember_setup()
        super().closeEvent(event)
