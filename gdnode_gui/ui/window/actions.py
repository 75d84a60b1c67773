"""The window's actions, menus and toolbar.

The actions' object names, shortcuts and tooltips are part of the interface of
DESIGN.md §3 (tests, automation and screen readers find them by name); each action is
also added to the window itself, so its shortcut works in full screen without menus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QStyle, QToolBar

from gdnode_gui.ui.style.theme import THEMES

#: The plots the View menu can show or hide, by PlotsPanel key, with the menu's words.
PLOT_TITLES = {"weights": "&weights", "mse": "&mse", "prediction": "&prediction vs goal", "delta": "&delta"}
from gdnode_gui.ui.session.worker import MIN_PACE


def make_action(window, name: str, text: str, slot, shortcuts=(), tip: str = "", icon=None,
                checkable: bool = False) -> QAction:
    """A named action of ``window`` whose tooltip ends with its keys."""
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
    full_tip = f"{tip} ({keys})" if keys else tip
    action.setToolTip(full_tip)
    action.setStatusTip(tip)
    if icon is not None:
        stock = window.style().standardIcon(icon)
        action.setIcon(stock)
        action.setProperty("stockIcon", stock)  # the window re-colours it for dark themes
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    window.addAction(action)  # shortcuts work in full screen, without the menu bar
    return action


def build_actions(window) -> None:
    """Every QAction, by the object names of DESIGN.md §3, as attributes of ``window``."""
    sp = QStyle.StandardPixmap

    def a(*args, **kwargs):
        return make_action(window, *args, **kwargs)

    window.actionRun = a("actionRun", "&Run", window.play, (),
                       "Run the node at the chosen pace (steps per second)", sp.SP_MediaPlay)
    window.actionRunPause = a("actionRunPause", "Run / &pause", window.play_or_pause, ("Space",),
                            "Run at the chosen pace, or pause when running")
    window.actionRunToEnd = a("actionRunToEnd", "Run to &end", window.run_to_end, ("End",),
                            "Run at full speed until the run ends", sp.SP_MediaSeekForward)
    window.actionPause = a("actionPause", "P&ause", window.pause, (),
                         "Hold the node here; Run or Step continues", sp.SP_MediaPause)
    window.actionStep = a("actionStep", "&Step", window.step, ("Right",),
                        "Do exactly one step and show it (after stepping back: show the next step "
                        "of the trace)", sp.SP_MediaSkipForward)
    window.actionStepBack = a("actionStepBack", "Step &back", window.step_back, ("Left",),
                            "Show the step before in the node, without changing the trace",
                            sp.SP_MediaSkipBackward)
    window.actionReset = a("actionReset", "Rese&t", window.reset, ("Ctrl+R",),
                         "Clear the trace and go back to the starting weights", sp.SP_BrowserReload)
    window.actionKeepRun = a("actionKeepRun", "&Keep run for comparison", window.keep_run, ("Ctrl+K",),
                           "Keep this run as a faded ghost on the plots, to compare with the next one")
    window.actionClearKept = a("actionClearKept", "C&lear kept runs", window.clear_kept, (),
                             "Remove the ghost runs from the plots")
    window.actionOpenSetup = a("actionOpenSetup", "&Open setup…", window.files.open_dialog,
                             (QKeySequence.StandardKey.Open,), "Open a setup file (.json)", sp.SP_DialogOpenButton)
    window.actionSaveSetup = a("actionSaveSetup", "&Save setup…", window.files.save_dialog,
                             (QKeySequence.StandardKey.Save,), "Save this setup to a file (.json)", sp.SP_DialogSaveButton)
    window.actionExportCsv = a("actionExportCsv", "&Export trace as CSV…", window.files.export_csv, ("Ctrl+E",),
                             "Write every value of every step to a CSV file")
    window.actionExportPython = a("actionExportPython", "Export as Python &script…", window.files.export_python,
                                  ("Ctrl+Shift+Y",), "Write the setup as a standalone Python script "
                                  "(the article's loop) that prints this trace as CSV")
    window.actionExportNotebook = a("actionExportNotebook", "Export as &notebook…", window.files.export_notebook,
                                    ("Ctrl+Shift+N",), "Write the setup as a Jupyter notebook that explains "
                                    "each line and writes trace.csv")
    window.actionExportPlot = a("actionExportPlot", "Export &plot…", window.files.export_plot, ("Ctrl+Shift+E",),
                              "Save the plots as a high-resolution PNG or an SVG")
    window.actionQuit = a("actionQuit", "&Quit", window.close, ("Ctrl+Q",),
                        "Close the application")
    window.actionZoomIn = a("actionZoomIn", "Zoom &in", window.appearance.zoom_in, ("Ctrl+=", "Ctrl++"),
                          "Make all text, numbers and lines larger (for a projector)")
    window.actionZoomOut = a("actionZoomOut", "Zoom &out", window.appearance.zoom_out, ("Ctrl+-",),
                           "Make all text, numbers and lines smaller")
    window.actionZoomReset = a("actionZoomReset", "&Normal size", window.appearance.zoom_reset, ("Ctrl+0",),
                             "Back to the normal text size")
    window.actionFullScreen = a("actionFullScreen", "&Full screen", window.appearance.set_full_screen, ("F11",),
                              "Fill the whole screen", checkable=True)
    window.actionPresentation = a("actionPresentation", "&Presentation layout", window.appearance.set_presentation,
                                ("Ctrl+Shift+P",), "Give the plots and the node the room: hide the table",
                                checkable=True)
    window.actionHelp = a("actionHelp", "&Help and shortcuts", window.show_help, ("F1",),
                        "What every term means, and every keyboard shortcut")
    window.actionAbout = a("actionAbout", "&About", window.show_about, (), "Version and credits")

    window.themeGroup = QActionGroup(window)
    window.themeActions: dict[str, QAction] = {}
    for theme in THEMES.values():
        action = QAction(theme.label, window, checkable=True)
        action.setObjectName(f"actionTheme_{theme.name}")
        action.setStatusTip(f"Use the {theme.label.lower()} colours")
        action.triggered.connect(lambda _checked=False, t=theme: window.appearance.choose_theme(t))
        window.themeGroup.addAction(action)
        window.themeActions[theme.name] = action


def build_menus(window, presets) -> None:
    """File, Run, View and Help menus; ``presets`` as ``(name, label, description)``."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(window.actionOpenSetup)
    window.recentMenu = file_menu.addMenu("Open &recent")
    window.recentMenu.setObjectName("recentMenu")
    window.presetsMenu = file_menu.addMenu("&Presets")
    window.presetsMenu.setObjectName("presetsMenu")
    window.presetsMenu.setToolTipsVisible(True)
    for name, label, description in presets:
        action = window.presetsMenu.addAction(label)
        action.setObjectName(f"actionPreset_{name}")
        action.setToolTip(description)
        action.setStatusTip(description)
        action.triggered.connect(lambda _checked=False, n=name: window.load_preset(n))
    file_menu.addAction(window.actionSaveSetup)
    file_menu.addSeparator()
    file_menu.addAction(window.actionExportCsv)
    file_menu.addAction(window.actionExportPlot)
    file_menu.addAction(window.actionExportPython)
    file_menu.addAction(window.actionExportNotebook)
    file_menu.addSeparator()
    file_menu.addAction(window.actionQuit)
    window.files.update_recent_menu()

    run_menu = bar.addMenu("&Run")
    for action in (window.actionRun, window.actionRunPause, window.actionRunToEnd, window.actionPause,
                   window.actionStepBack, window.actionStep, window.actionReset):
        run_menu.addAction(action)
    run_menu.addSeparator()
    run_menu.addAction(window.actionKeepRun)
    run_menu.addAction(window.actionClearKept)

    window.viewMenu = bar.addMenu("&View")
    for action in (window.actionZoomIn, window.actionZoomOut, window.actionZoomReset):
        window.viewMenu.addAction(action)
    window.viewMenu.addSeparator()
    window.viewMenu.addAction(window.actionFullScreen)
    window.viewMenu.addAction(window.actionPresentation)
    plots_menu = window.viewMenu.addMenu("P&lots shown")
    plots_menu.setObjectName("plotsShownMenu")
    plots_menu.setToolTipsVisible(True)
    window.plotActions: dict[str, QAction] = {}
    for key, title in PLOT_TITLES.items():
        action = plots_menu.addAction(title)
        action.setObjectName(f"actionShowPlot_{key}")
        action.setCheckable(True)
        action.setToolTip(f"Show the {title} plot (on a projector, fewer plots get more room each)")
        action.toggled.connect(lambda _on, w=window: w.choose_plots())
        window.plotActions[key] = action
    theme_menu = window.viewMenu.addMenu("&Colours")
    for action in window.themeActions.values():
        theme_menu.addAction(action)
    window.viewMenu.addSeparator()

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(window.actionHelp)
    help_menu.addAction(window.actionAbout)


def build_toolbar(window, presets) -> None:
    """The run controls, the pace and the preset chooser."""
    toolbar = QToolBar("Run controls", window)
    toolbar.setObjectName("runToolBar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (window.actionRun, window.actionRunToEnd, window.actionPause, window.actionStep, window.actionReset):
        toolbar.addAction(action)
    toolbar.addSeparator()
    pace_label = QLabel("Pa&ce ", toolbar)
    window.paceSpinBox = QSpinBox(toolbar)
    window.paceSpinBox.setObjectName("paceSpinBox")
    window.paceSpinBox.setRange(MIN_PACE, 1000)
    window.paceSpinBox.setSuffix(" steps/s")
    window.paceSpinBox.setValue(int(min(window.session.pace, 1000)))
    window.paceSpinBox.setAccessibleName("pace in steps per second")
    window.paceSpinBox.setToolTip(
        "How many steps per second Run does: 1 to follow aloud, 1000 to race. "
        "Run to end always goes at full speed. You can change it during a run.")
    window.paceSpinBox.setKeyboardTracking(False)
    window.paceSpinBox.valueChanged.connect(window.set_pace)
    pace_label.setBuddy(window.paceSpinBox)
    toolbar.addWidget(pace_label)
    toolbar.addWidget(window.paceSpinBox)
    toolbar.addSeparator()
    preset_label = QLabel(" Pre&set ", toolbar)
    window.presetComboBox = QComboBox(toolbar)
    window.presetComboBox.setObjectName("presetComboBox")
    # As wide as a short name, not the longest: the toolbar must still fit at projector zoom.
    window.presetComboBox.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    window.presetComboBox.setMinimumContentsLength(12)
    window.presetComboBox.setAccessibleName("preset")
    window.presetComboBox.setToolTip("Load one of the built-in examples (hover an entry for what it shows)")
    window.presetComboBox.addItem("(your setup)", "")
    for index, (name, label, description) in enumerate(presets, start=1):
        window.presetComboBox.addItem(label, name)
        window.presetComboBox.setItemData(index, description, Qt.ItemDataRole.ToolTipRole)
    window.presetComboBox.activated.connect(window.load_chosen_preset)
    preset_label.setBuddy(window.presetComboBox)
    toolbar.addWidget(preset_label)
    toolbar.addWidget(window.presetComboBox)
    window.runToolBar = toolbar
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
