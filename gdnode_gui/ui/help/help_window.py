"""Help (F1): every keyboard shortcut, read from the window's own actions, and the words explained.

The shortcut table is built from the QActions the window hands over, so it can never drift from
what the keys really do.  The second tab explains every term (prediction, delta, mse, ...) in
plain words, from :func:`gdnode_gui.ui.help.help_texts.help_html`.
"""

from __future__ import annotations

import re
import sys
from typing import Iterable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QTabWidget, QTableWidget,
    QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from gdnode_gui.ui.controls import named

COLUMNS = ("Command", "Keys", "What it does")
_PLACEHOLDER_HTML = (
    "<h2>The words</h2>"
    "<p>The explanations of the words used in this app are not available in this version. "
    "In short: the <b>prediction</b> is weight times input, the <b>delta</b> is prediction minus "
    "goal, the <b>mse</b> is delta squared, and each step the weight moves by "
    "alpha × delta × input.</p>"
)


def action_label(action: QAction) -> str:
    """An action's text as shown to a reader: no ``&`` mnemonics, no trailing dots."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip(".…").strip()


def _key_names(action: QAction) -> list[str]:
    """An action's shortcuts in the platform's own words, each once, in order."""
    names = [seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts()]
    return list(dict.fromkeys(name for name in names if name))


def action_keys(action: QAction) -> str:
    """An action's shortcuts in the platform's own words, e.g. ``"Ctrl+O"``, or ``""``."""
    return ", ".join(_key_names(action))


def action_description(action: QAction) -> str:
    """What an action does: its tooltip (or status tip), without a trailing "(keys)".

    The status tip is used when the tooltip only repeats the action's text.  The keys have
    their own column, so a tooltip's own "(Ctrl+O)" at the end is left out.
    """
    tip = action.toolTip().strip()
    if not tip or tip.replace("&", "") == action_label(action) or tip == action.text():
        tip = action.statusTip().strip()
    match = re.search(r"\s*\(([^()]*)\)$", tip)
    if match:
        named = {name.strip() for name in match.group(1).split(",")}
        if named and named <= set(_key_names(action)):
            tip = tip[:match.start()].rstrip()
    return tip


def extra_rows() -> list[tuple[str, str, str]]:
    """Keys that are not actions: the Ctrl+wheel zoom and Esc."""
    ctrl = "⌘" if sys.platform == "darwin" else "Ctrl"
    return [
        ("Zoom with the mouse", f"{ctrl}+Wheel",
         "Hold the key and turn the wheel to make everything larger or smaller."),
        ("Close this help", "Esc", "Closes this window; press F1 to bring it back."),
    ]


class ShortcutTable(QTableWidget):
    """The shortcut table: the command and keys columns take what they need, up to a share of
    the width, and the explanation gets the rest, so it stays readable when zoomed in."""

    SHARES = (0.34, 0.24)  # at most this part of the width for the command and keys columns

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        header = self.horizontalHeader()
        for column in range(len(self.SHARES)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

    def fit_columns(self) -> None:
        width = self.viewport().width()
        for column, share in enumerate(self.SHARES):
            wanted = max(self.sizeHintForColumn(column),
                         self.horizontalHeader().sectionSizeHint(column))
            self.setColumnWidth(column, max(1, min(wanted, int(width * share))))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.fit_columns()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_columns()


class HelpWindow(QDialog):
    """The help window: a table of shortcuts and a page of plain-language explanations.

    Parameters
    ----------
    actions : iterable of QAction
        The window's actions; those with a shortcut are listed, in the order given.
    parent : QWidget, optional
        The main window (the help stays on top of it and closes with it).
    """

    def __init__(self, actions: Iterable[QAction] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpWindow")
        self.setWindowTitle("Help: keys and words")
        self.setAccessibleName("Help")
        self.setSizeGripEnabled(True)
        self.setModal(False)

        self.tabs = QTabWidget(self)
        named(self.tabs, "helpTabs", "Help pages",
              "Switch between the keyboard shortcuts and the explanations of the words")
        self.table = self._make_table()
        self.browser = self._make_browser()
        self.tabs.addTab(self.table, "Keys")
        self.tabs.addTab(self.browser, "Words")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.setObjectName("helpButtons")
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        named(close, "helpCloseButton", "Close help", "Close this help window (Esc)")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

        self.set_actions(actions)
        self.browser.setHtml(glossary_html())
        self._fit_to_screen()

    # -- building ---------------------------------------------------------------------------
    def _make_table(self) -> QTableWidget:
        table = ShortcutTable(self)
        named(table, "shortcutTable", "Keyboard shortcuts", "Every keyboard shortcut of the app and what it does")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        rows = table.verticalHeader()
        rows.setVisible(False)
        # A few dozen rows: heights follow the wrapped text, the zoomed font and the width.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _make_browser(self) -> QTextBrowser:
        browser = QTextBrowser(self)
        named(browser, "glossaryBrowser", "The words explained",
              "What each word in the app means, in plain language")
        browser.setOpenExternalLinks(True)
        return browser

    def set_actions(self, actions: Iterable[QAction]) -> None:
        """Fill the shortcut table from ``actions`` (those without a shortcut are left out)."""
        rows: list[tuple[str, str, str]] = []
        seen: set[int] = set()
        for action in actions:
            keys = action_keys(action)
            if action.isSeparator() or not keys or id(action) in seen:
                continue
            seen.add(id(action))
            rows.append((action_label(action), keys, action_description(action)))
        rows += extra_rows()
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.fit_columns()

    def rows(self) -> list[tuple[str, str, str]]:
        """The table's content, row by row (for tests and screen-reader checks)."""
        return [
            tuple(self.table.item(row, column).text() for column in range(len(COLUMNS)))
            for row in range(self.table.rowCount())
        ]

    def _fit_to_screen(self) -> None:
        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 115, metrics.height() * 40
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.85))
        self.resize(width, height)

def glossary_html() -> str:
    """The explanations of the words, or a short stand-in when they are not available."""
    try:
        from gdnode_gui.ui.help.help_texts import help_html
    except ImportError:
        return _PLACEHOLDER_HTML
    return help_html()


def show_help(parent: QWidget, actions: Iterable[QAction]) -> HelpWindow:
    """Show ``parent``'s help window (made on first use, refreshed and raised afterwards)."""
    window = parent.findChild(HelpWindow, "helpWindow", Qt.FindChildOption.FindDirectChildrenOnly)
    if window is None:
        window = HelpWindow(actions, parent)
    else:
        window.set_actions(actions)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


__all__ = ["HelpWindow", "show_help", "glossary_html", "action_label", "action_keys"]
