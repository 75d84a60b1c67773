"""The largest setup the app makes is remembered and restored at the next start (issue 12:
a 10,000 x 16 setup was silently replaced by the seed after a restart)."""

from __future__ import annotations

from gdnode_gui.core.setup import MAX_EXAMPLES, MAX_INPUTS, Example, Setup
from gdnode_gui.ui import MainWindow


def test_the_largest_setup_is_restored_after_a_restart(qtbot):
    number = -1.2345678901234567e-300  # as long as a float's text gets
    setup = Setup(
        examples=tuple(Example(tuple(number * (1 + i + e) for i in range(MAX_INPUTS)), number * e)
                       for e in range(MAX_EXAMPLES)),
        weights=(number,) * MAX_INPUTS, alpha=0.1, max_steps=10,
    )
    first = MainWindow()
    qtbot.addWidget(first)
    first.set_setup(setup)
    first.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.setup == setup
    again.close()


def test_a_remembered_setup_that_cannot_be_restored_is_reported(qtbot):
    from PySide6.QtCore import QSettings

    from gdnode_gui.core import seed_setup
    from gdnode_gui.ui import MainWindow

    QSettings().setValue("setup/last", '{"version": 1, "examples": [], "weights": [0.4], "alpha": 0.1}')
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.setup == seed_setup()
    message = window.messageLabel.text()
    assert "could not be restored" in message and "examples" in message
