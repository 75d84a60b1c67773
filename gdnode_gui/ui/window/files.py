"""The window's file commands: open, save and recent setups; export the trace and the plots.

Every dialog goes through the static QFileDialog / QMessageBox functions (tests replace
them).  A failed open, save or export shows a message naming the problem and changes
nothing: no half-written file, the trace stays in the window.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from gdnode_gui.core.setup import SetupError, load_setup, save_setup

MAX_RECENT = 8
#: Exports of more rows than this show their progress, with Cancel.
PROGRESS_ROWS = 1_000_000
#: Setup files: ``.gdnode`` (opens the app by double-click) or ``.json``; the same JSON inside.
SETUP_OPEN_FILTER = "Setup files (*.gdnode *.json);;All files (*)"
SETUP_SAVE_FILTER = "Setup files (*.gdnode);;JSON files (*.json)"
SETUP_SUFFIX = ".gdnode"


class FileCommands(QObject):
    """Open/save setups, the recent-files menu, CSV and plot export, for ``window``."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._settings = window.settings

    def _start_dir(self) -> str:
        return self._settings.value("files/last_dir", str(Path.home()), str)

    def _remember_dir(self, path: str) -> None:
        self._settings.setValue("files/last_dir", str(Path(path).parent))

    @Slot()
    def open_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._window, "Open setup", self._start_dir(), SETUP_OPEN_FILTER)
        if path:
            self.open_setup(path)

    def open_setup(self, path: str) -> bool:
        """Load a setup file; a bad file shows a message and changes nothing."""
        try:
            setup = load_setup(path)
        except SetupError as error:
            QMessageBox.warning(self._window, "Setup not opened", f"{Path(path).name} cannot be used:\n{error}")
            return False
        self._remember_dir(path)
        self._add_recent(path)
        self._window.set_setup(setup, status=f"Opened {path}")
        return True

    @Slot()
    def save_dialog(self) -> None:
        self._window.setupEditor.commit()
        suggested = str(Path(self._start_dir()) / f"setup{SETUP_SUFFIX}")
        path, chosen = QFileDialog.getSaveFileName(self._window, "Save setup", suggested, SETUP_SAVE_FILTER)
        if not path:
            return
        if not Path(path).suffix:
            path += ".json" if chosen.startswith("JSON") else SETUP_SUFFIX
        try:
            save_setup(self._window.setup, path)  # checks first that the text reads back
        except SetupError as error:
            QMessageBox.critical(self._window, "Setup not saved",
                                 f"The setup was not written to {path}:\n{error}")
            return
        except OSError as error:
            QMessageBox.critical(self._window, "Setup not saved",
                                 f"The setup could not be written to {path}:\n{error.strerror or error}")
            return
        self._remember_dir(path)
        self._add_recent(path)
        self._window.show_status(f"Saved the setup to {path}")

    def _recent_files(self) -> list[str]:
        raw = self._settings.value("files/recent", "[]", str)
        try:
            files = json.loads(raw)
        except ValueError:
            return []
        return [f for f in files if isinstance(f, str)][:MAX_RECENT]

    def _add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path] + [f for f in self._recent_files() if f != path]
        self._settings.setValue("files/recent", json.dumps(files[:MAX_RECENT]))
        self.update_recent_menu()

    def update_recent_menu(self) -> None:
        self._window.recentMenu.clear()
        files = self._recent_files()
        for path in files:
            action = self._window.recentMenu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_setup(p))
        self._window.recentMenu.setEnabled(bool(files))

    @Slot()
    def export_csv(self) -> None:
        run = self._window.run
        n = run.trace.n_steps if run else 0
        if n == 0:
            QMessageBox.information(self._window, "Nothing to export", "The trace is empty: run or step the node first.")
            return
        suggested = str(Path(self._start_dir()) / "trace.csv")
        path, _filter = QFileDialog.getSaveFileName(self._window, "Export trace as CSV", suggested, "CSV files (*.csv)")
        if not path:
            return
        try:
            written = self._write_csv(run.trace, path, n)
        except OSError as error:
            QMessageBox.critical(self._window, "Trace not exported",
                                 f"The trace could not be written to {path}:\n{error.strerror or error}\n\n"
                                 "Nothing was written; the trace is still here.")
            return
        if not written:
            self._window.show_status("Export cancelled: nothing was written (an old file stays as it was)")
            return
        self._remember_dir(path)
        self._window.show_status(f"Exported {n:,} steps to {path}")

    def _write_csv(self, trace, path: str, n: int) -> bool:
        """Write the CSV; a long trace shows its progress, with Cancel (False: cancelled)."""
        from gdnode_gui.core.csv_trace import write_csv  # on first use: not needed to start

        if n <= PROGRESS_ROWS:
            return write_csv(trace, path, n)
        dialog = QProgressDialog(f"Writing {n:,} steps to {Path(path).name}…", "Cancel", 0, n, self._window)
        dialog.setObjectName("exportProgressDialog")
        dialog.setWindowTitle("Exporting the trace")
        dialog.setAccessibleName("export progress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)

        def progress(done: int, total: int) -> bool:
            dialog.setValue(min(done, total))
            QApplication.processEvents()  # paint the bar, take the click on Cancel
            return not dialog.wasCanceled()

        try:
            return write_csv(trace, path, n, progress=progress)
        finally:
            dialog.close()
            dialog.deleteLater()

    @Slot()
    def export_plot(self) -> None:
        suggested = str(Path(self._start_dir()) / "gdnode-plots.png")
        path, chosen = QFileDialog.getSaveFileName(
            self._window, "Export plot", suggested, "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg"):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        try:
            self._window.plotsPanel.export_image(path)
        except (OSError, ValueError) as error:
            QMessageBox.critical(self._window, "Plot not exported", f"The plot could not be written to {path}:\n{error}")
            return
        self._remember_dir(path)
        self._window.show_status(f"Exported the plots to {path}")

    @Slot()
    def export_python(self) -> None:
        """The current setup as a standalone Python script (the article's loop) that prints
        this run's CSV, byte for byte."""
        from gdnode_gui.core.code_export import write_python_script  # on first use

        self._export_code("Export as Python script", "gdnode-run.py", "Python script (*.py)", ".py",
                          write_python_script)

    @Slot()
    def export_notebook(self) -> None:
        """The current setup as a Jupyter notebook that writes trace.csv beside itself."""
        from gdnode_gui.core.code_export import write_notebook  # on first use

        run = self._window.run
        self._export_code("Export as notebook", "gdnode-run.ipynb", "Jupyter notebook (*.ipynb)", ".ipynb",
                          lambda setup, path: write_notebook(setup, path, run=run if run.setup == setup else None))

    def _export_code(self, title: str, name: str, file_filter: str, suffix: str, write) -> None:
        self._window.setupEditor.commit()
        setup = self._window.setup
        suggested = str(Path(self._start_dir()) / name)
        path, _filter = QFileDialog.getSaveFileName(self._window, title, suggested, file_filter)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            write(setup, path)
        except OSError as error:
            QMessageBox.critical(self._window, "Not exported",
                                 f"{path} could not be written:\n{error.strerror or error}\n\nNothing was written.")
            return
        self._remember_dir(path)
        self._window.show_status(f"Exported the setup's code to {path}")
