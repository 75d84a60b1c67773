"""Help > About: what the app is, where it comes from, its licence and the versions it runs on."""

from __future__ import annotations

import html
import platform

from PySide6.QtWidgets import QMessageBox, QWidget

from gdnode_gui import __version__

APP_NAME = "Gradient Descent Node"
ARTICLE_TITLE = "Gradient Descent Nodes"
LICENCE = "MIT"


def versions() -> dict[str, str]:
    """The versions of the libraries the app runs on, by name (for About and bug reports)."""
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    return {
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "pyqtgraph": pyqtgraph.__version__,
        "numpy": numpy.__version__,
        "Python": platform.python_version(),
    }


def about_html() -> str:
    """The text of the About box (rich text)."""
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>&nbsp;{html.escape(version)}</td></tr>"
        for name, version in versions().items()
    )
    return (
        f"<h3>{APP_NAME} {html.escape(__version__)}</h3>"
        "<p>Watch what happens inside one gradient-descent node while it learns: "
        "its prediction, delta, mse and weights, step by step, with the real numbers.</p>"
        f"<p>Based on the article <i>“{ARTICLE_TITLE}”</i>, which works through one "
        "node by hand: a weight of 0.4, an input of 1, a goal of 0.6 and an alpha of 0.1.</p>"
        f"<p>Free software under the {LICENCE} licence.</p>"
        f"<p>Runs on:</p><table>{rows}</table>"
    )


def show_about(parent: QWidget | None) -> None:
    """Show the About box (the static ``QMessageBox.about``, so tests can replace it)."""
    QMessageBox.about(parent, f"About {APP_NAME}", about_html())


__all__ = ["APP_NAME", "versions", "about_html", "show_about"]
