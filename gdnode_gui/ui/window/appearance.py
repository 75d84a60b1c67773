"""How one window looks: its zoom, colour theme, full screen and presentation layout, remembered.

:class:`Appearance` holds what the View menu changes.  Zoom scales the application font (every
text follows it), the toolbar icons and each styled view (``set_zoom``); the theme sets the
application palette, re-colours the stock icons on dark backgrounds and styles each view
(``apply_theme``).  The presentation layout is for a projector: the node with its six lines
takes most of the width, the setup becomes a tab behind it, the table is hidden and the plots
give way; it turns on by itself when the zoomed screen is small.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QFontMetrics, QIcon
from PySide6.QtWidgets import QApplication

from gdnode_gui.ui.style.theme import Theme, initial_theme, themed_icon
from gdnode_gui.ui.style.zoom import ZOOM_LEVELS, clamp_zoom, next_level, set_application_zoom

#: From this zoom on, the presentation layout turns on by itself.
PRESENTATION_ZOOM = 1.75
#: ... and also when the screen has fewer zoomed pixels than this (1.5x on 1024x768).
SMALL_SCREEN = (760, 560)
#: In the presentation layout the node dock takes this share of the window's width.
NODE_SHARE_PRESENTING = 0.56
#: The plots of the presentation layout until the teacher chooses (View > Plots shown).
PRESENTING_PLOTS = ("weights", "mse")
PRESENTING_PLOTS_CHOICES = ("weights", "mse", "prediction", "delta")
PRESENTING_PLOTS_SETTING = "plots/presenting"
#: The window needs about this many unzoomed pixels (2.0x is the most on a 1024x768 projector).
LEAST_PIXELS = (480, 360)


class Appearance(QObject):
    """Zoom, theme, full screen and presentation layout of ``window`` (see the module docstring).

    ``window`` is the :class:`~gdnode_gui.ui.window.main_window.MainWindow`: its docks, node
    splitter, toolbar, actions, status and styled views are what changes.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._theme = initial_theme()
        # The application palette before the window's widgets exist: set later, it would
        # send a change to each of them.
        QApplication.setPalette(self._theme.palette())
        self._zoom = 1.0
        self._presenting = False
        self._presenting_by_zoom = False
        self._layout_before = QByteArray()

    # -- zoom -------------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self._zoom

    @Slot()
    def zoom_in(self) -> None:
        self._zoom_by(+1)

    @Slot()
    def zoom_out(self) -> None:
        self._zoom_by(-1)

    @Slot()
    def zoom_reset(self) -> None:
        self.apply_zoom(1.0)

    def _zoom_by(self, direction: int) -> None:
        self.apply_zoom(next_level(self._zoom, direction))
        self._window.show_status(f"Zoom {self._zoom:.0%} (Ctrl+0 for normal size)", 2000)

    def max_zoom(self) -> float:
        """The largest zoom level at which the window still fits its screen."""
        screen = self._screen()
        if screen is None:
            return ZOOM_LEVELS[-1]
        limit = min(screen.width() / LEAST_PIXELS[0], screen.height() / LEAST_PIXELS[1])
        return max([level for level in ZOOM_LEVELS if level <= limit + 1e-9] or [1.0])

    def apply_zoom(self, factor: float) -> None:
        """Scale every text, number and line by ``factor`` (1.0 normal), up to what the screen
        shows; remembered."""
        window = self._window
        factor = min(clamp_zoom(factor), self.max_zoom())
        self._zoom = factor
        set_application_zoom(factor)
        window.size_step_label()
        icon = round(QFontMetrics(QApplication.font()).height() * 1.1)
        window.runToolBar.setIconSize(QSize(icon, icon))
        QTimer.singleShot(0, self, self.balance_node_splitter)
        for view in window.styled_views():
            view.set_zoom(factor)
        window.actionZoomOut.setEnabled(factor > ZOOM_LEVELS[0])
        window.actionZoomIn.setEnabled(factor < self.max_zoom())
        if clamp_zoom(window.settings.value("view/zoom", 1.0)) != factor:  # unchanged: no write at start
            window.settings.setValue("view/zoom", factor)
        crowded = factor >= PRESENTATION_ZOOM or self._small_when_zoomed(factor)
        if crowded != window.actionPresentation.isChecked() and (crowded or self._presenting_by_zoom):
            self._presenting_by_zoom = crowded
            window.actionPresentation.setChecked(crowded)
            self.set_presentation(crowded)

    def _screen(self):
        screen = self._window.screen()
        return screen.availableGeometry() if screen is not None else None

    def _small_when_zoomed(self, factor: float) -> bool:
        screen = self._screen()
        return screen is not None and (screen.width() / factor < SMALL_SCREEN[0]
                                       or screen.height() / factor < SMALL_SCREEN[1])

    # -- theme ------------------------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        return self._theme

    def choose_theme(self, theme: Theme) -> None:
        """Use ``theme`` and remember it."""
        self.apply_theme(theme)
        self._window.settings.setValue("view/theme", theme.name)

    def apply_theme(self, theme: Theme) -> None:
        """Use ``theme`` for the application, the window's icons and every view (not remembered)."""
        window = self._window
        self._theme = theme
        palette = theme.palette()
        if QApplication.palette() != palette:
            QApplication.setPalette(palette)
        for action in window.findChildren(QAction):
            stock = action.property("stockIcon")
            if isinstance(stock, QIcon):
                # Qt's stock icons are dark and fade when disabled: on a dark background they
                # are drawn in the theme's text colour (disabled: its muted colour, >= 3:1).
                action.setIcon(themed_icon(stock, theme) if theme.dark else stock)
        window.themeActions[theme.name].setChecked(True)
        for view in window.styled_views():
            view.apply_theme(theme)

    # -- full screen and the presentation layout ------------------------------------------------
    @Slot(bool)
    def set_full_screen(self, checked: bool) -> None:
        if checked:
            self._window.showFullScreen()
        else:
            self._window.showNormal()

    @property
    def presenting(self) -> bool:
        return self._presenting

    @Slot(bool)
    def set_presentation(self, checked: bool) -> None:
        """The presentation layout (see the module docstring); off: the layout before it."""
        window = self._window
        if checked == self._presenting:
            return
        self._presenting = checked
        if checked:
            self._layout_before = window.saveState()
            window.traceDock.hide()
            window.tabifyDockWidget(window.setupDock, window.nodeDock)
            window.nodeDock.raise_()
            QTimer.singleShot(0, self, lambda: window.resizeDocks(
                [window.nodeDock], [int(window.width() * NODE_SHARE_PRESENTING)], Qt.Orientation.Horizontal))
        else:
            window.restoreState(self._layout_before)
            self._presenting_by_zoom = False
        # Fewer, larger plots on a projector: the presentation layout has its own choice.
        plots = window.plotsPanel
        plots.set_visible_plots(self.presenting_plots() if checked else plots.remembered_plots(), remember=False)
        window.setupEditor.set_compact(checked)
        window.nodePanel.set_presenting(checked)
        window.nodeSplitter.setChildrenCollapsible(checked)
        # Icons only (each has a tooltip and a key): the run controls, pace and presets fit.
        window.runToolBar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly if checked
                                             else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        QTimer.singleShot(0, self, self.balance_node_splitter)
        window.show_status("Presentation layout: the node gets the room, the setup is a tab behind it"
                           if checked else "Normal layout", 4000)

    def presenting_plots(self) -> list[str]:
        """The plots the presentation layout shows (remembered; at first the weights and the mse)."""
        remembered = self._window.settings.value(PRESENTING_PLOTS_SETTING, "", str)
        keys = [key for key in remembered.split(",") if key in PRESENTING_PLOTS_CHOICES]
        return keys or list(PRESENTING_PLOTS)

    def remember_plots(self, keys: list[str]) -> None:
        """The plots chosen in View > Plots shown, for the layout in use."""
        if self._presenting:
            self._window.settings.setValue(PRESENTING_PLOTS_SETTING, ",".join(keys))

    def balance_node_splitter(self) -> None:
        """Most of the node dock's height for the drawing and the equations; the stability
        panel keeps what it needs for its title and warning (its text scrolls).  On a
        projector the six lines and the lesson come first: the stability panel folds away
        (drag the splitter's handle to see it)."""
        splitter = self._window.nodeSplitter
        total = sum(splitter.sizes())
        if total <= 0:
            return
        if self._presenting:
            splitter.setSizes([total, 0])
            return
        below = max(self._window.stabilityPanel.minimumSizeHint().height(), total // 4)
        splitter.setSizes([total - below, below])


__all__ = ["Appearance", "NODE_SHARE_PRESENTING", "PRESENTATION_ZOOM"]
