"""Will it settle?  The stability panel (gdnode_gui.ui.views.stability_panel)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea

from gdnode_gui.core.frame import Frame
from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.resources import load_preset
from gdnode_gui.ui.views.stability_panel import StabilityPanel
from gdnode_gui.ui.style.theme import DARK, LIGHT


@pytest.fixture
def panel(qtbot) -> StabilityPanel:
    widget = StabilityPanel()
    qtbot.addWidget(widget)
    widget.resize(320, 330)
    widget.show()
    return widget


def death_spiral() -> Setup:
    return Setup(examples=(Example((2.0,), 0.6),), weights=(0.4,), alpha=0.6, max_steps=5000)


def warning_colour(panel: StabilityPanel) -> str:
    return panel.warningLabel.palette().color(QPalette.ColorRole.WindowText).name()


def test_the_texts_follow_the_application_font(panel: StabilityPanel, qtbot) -> None:
    """The window zooms by scaling the application font: every label must follow it."""
    panel.set_setup(death_spiral())
    app = QApplication.instance()
    old = app.font()
    try:
        font = QFont(old)
        font.setPointSizeF(old.pointSizeF() * 2)
        app.setFont(font)
        panel.set_zoom(2.0)
        for label in (panel.warningLabel, panel.regimeLabel, panel.measuredLabel, panel.useBestAlphaButton):
            qtbot.waitUntil(lambda: label.font().pointSizeF() == font.pointSizeF())
    finally:
        app.setFont(old)


def test_the_button_is_named_for_tests_and_screen_readers(panel: StabilityPanel) -> None:
    button = panel.findChild(QPushButton, "useBestAlphaButton")
    assert button is not None and button.accessibleName() and button.toolTip()
    for label in (panel.regimeLabel, panel.rLabel, panel.sumLabel, panel.alphaLabel,
                  panel.predictedLabel, panel.warningLabel, panel.measuredLabel):
        assert label.objectName() and label.accessibleName() and label.toolTip()


def test_the_seed_is_steady_with_r_09(panel: StabilityPanel) -> None:
    panel.set_setup(seed_setup())
    assert panel.sumLabel.text() == "Σx² = 1² = 1"
    assert panel.rLabel.text() == "r = 1 − alpha × Σx² = 1 − 0.1 × 1 = 0.9"
    assert panel.regimeLabel.text().startswith("<b>steady</b>")
    assert "below 2 ÷ Σx² = 2" in panel.alphaLabel.text()
    assert "best alpha: 1 ÷ Σx² = 1" in panel.alphaLabel.text()
    assert panel.warningLabel.isHidden()
    assert "stalled" in panel.predictedLabel.text()


def test_the_death_spiral_warns_in_the_warning_colour(panel: StabilityPanel) -> None:
    panel.apply_theme(LIGHT)
    panel.set_setup(death_spiral())
    assert not panel.warningLabel.isHidden()
    assert panel.warning == (
        "This alpha is above 2/Σx² = 0.5: the run will diverge (a death spiral). Run it to watch.")
    assert panel.warning in panel.warningLabel.text()
    assert warning_colour(panel) == QColor(LIGHT.warning).name()
    assert panel.regimeLabel.text().startswith("<b>diverging</b>")
    assert panel.rLabel.text().endswith("= −1.4")
    panel.apply_theme(DARK)
    assert warning_colour(panel) == QColor(DARK.warning).name()
    # an edit back to a safe alpha removes the warning at once
    panel.set_setup(death_spiral().replace(alpha=0.1))
    assert panel.warningLabel.isHidden()


@pytest.mark.parametrize("alpha, regime", [
    (0.1, "steady"), (1.0, "one step"), (1.5, "oscillating"), (2.0, "bouncing forever"),
    (2.5, "diverging"), (0.0, "not learning"),
])
def test_every_regime_in_words(panel: StabilityPanel, alpha: float, regime: str) -> None:
    panel.set_setup(seed_setup().replace(alpha=alpha))
    assert panel.regimeLabel.text().startswith(f"<b>{regime}</b>")


def test_use_best_alpha_emits_the_best_alpha(panel: StabilityPanel, qtbot) -> None:
    panel.set_setup(death_spiral())
    button = panel.useBestAlphaButton
    assert button.isEnabled()
    assert "0.25" in button.text()
    with qtbot.waitSignal(panel.alphaRequested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [0.25]
    # with alpha already the best, there is nothing to do
    panel.set_setup(death_spiral().replace(alpha=0.25))
    assert not button.isEnabled()


def test_best_alpha_for_several_inputs_is_one_over_the_sum_of_squares(panel: StabilityPanel, qtbot) -> None:
    panel.set_setup(load_preset("several-inputs"))
    assert panel.sumLabel.text() == "Σx² = 8.5² + 0.65² + 1.2² = 74.11"
    with qtbot.waitSignal(panel.alphaRequested) as blocker:
        panel.useBestAlphaButton.click()
    assert blocker.args[0] == pytest.approx(1 / (8.5**2 + 0.65**2 + 1.2**2))


def test_frozen_weights_are_left_out_of_the_sum(panel: StabilityPanel) -> None:
    panel.set_setup(load_preset("frozen-weight"))
    assert panel.sumLabel.text() == "Σx² = 0.65² + 1.2² = 1.863 (frozen weights left out)"


def test_predicted_against_measured_after_a_run_with_a_tolerance(panel: StabilityPanel) -> None:
    setup = seed_setup().replace(tolerance=1e-12)
    panel.set_setup(setup)
    assert panel.predictedLabel.text() == "Predicted: converged after 117 steps (mse below the tolerance 1e−12)."
    run = Run(setup)
    panel.show_frame(Frame(setup, run.trace, 0))
    assert panel.measuredLabel.isHidden()
    run.advance(50)
    panel.show_frame(Frame(setup, run.trace, run.n_steps, run.outcome))
    assert panel.measuredLabel.isHidden()  # still going
    run.advance()
    assert run.outcome == "converged"
    panel.show_frame(Frame(setup, run.trace, run.n_steps, run.outcome))
    assert not panel.measuredLabel.isHidden()
    assert panel.measuredLabel.text() == f"<b>predicted 117 steps, measured {run.n_steps}</b>"


def test_measured_is_shown_for_every_way_a_run_ends(panel: StabilityPanel) -> None:
    for setup, outcome in ((seed_setup(), "stalled"), (death_spiral(), "diverged"),
                           (seed_setup().replace(max_steps=20), "max_steps")):
        panel.set_setup(setup)
        run = run_to_end(setup)
        assert run.outcome == outcome
        panel.show_frame(Frame(setup, run.trace, run.n_steps, run.outcome))
        assert f"ended {outcome} after {run.n_steps:,}" in panel.measuredLabel.text()


def test_the_frames_outcome_is_shown_and_an_edit_clears_it(panel: StabilityPanel) -> None:
    setup = load_preset("oscillating")
    run = run_to_end(setup)
    panel.show_frame(Frame(setup, run.trace, 19, "converged"))
    assert panel.measuredLabel.text() == "<b>predicted 19 steps, measured 19</b>"
    panel.show_frame(Frame(setup, run.trace, 7, "stopped"))
    assert "ended stopped after 7 steps" in panel.measuredLabel.text()
    panel.show_frame(Frame(seed_setup(), run.trace, 7, "stopped"))  # edited after the run
    assert panel.measuredLabel.isHidden()


def test_batch_order_uses_the_largest_eigenvalue(panel: StabilityPanel) -> None:
    setup = load_preset("small-data-set").replace(order="batch")
    panel.set_setup(setup)
    analysis = panel.analysis
    assert analysis.lambda_max is not None
    assert panel.sumLabel.text().startswith("λmax = 2.318")
    assert "below 2 ÷ λmax = 0.8628" in panel.alphaLabel.text()
    assert panel.predictedLabel.text() == "Predicted: converged after 163 steps (mse below the tolerance 1e−12)."
    panel.set_setup(setup.replace(alpha=0.9))
    assert "above 2/λmax = 0.8628" in panel.warning


def test_cyclic_data_sets_name_each_examples_r(panel: StabilityPanel) -> None:
    panel.set_setup(load_preset("small-data-set"))
    assert panel.rLabel.text().startswith("r of each example = 1 − alpha × its Σx²: 0.875, 0.875, 0.596")
    assert "No formula for the number of steps" in panel.predictedLabel.text()


@pytest.mark.parametrize("weights, inputs, alpha", [
    ((1.7e308,), (1.0,), 0.1),
    ((-1e308,), (1e308,), 1e308),
    ((0.0,) * 16, tuple(float(i) for i in range(16)), 0.001),
    ((0.0, 0.0), (0.0, 0.0), 0.5),
])
def test_extreme_setups_explain_without_errors(panel: StabilityPanel, weights, inputs, alpha) -> None:
    for order in ("cyclic", "batch"):
        setup = Setup(examples=(Example(inputs, 1.0), Example(inputs, -1.0)), weights=weights,
                      alpha=alpha, order=order, max_steps=50)
        panel.set_setup(setup)
        assert panel.regimeLabel.text()
        run = run_to_end(setup)
        panel.show_frame(Frame(setup, run.trace, run.n_steps, run.outcome))
        assert panel.measuredLabel.text()


def test_a_narrow_panel_wraps_its_text_instead_of_cutting_it(panel: StabilityPanel, qtbot) -> None:
    panel.set_setup(death_spiral())
    app = QApplication.instance()
    old = app.font()
    try:
        font = QFont(old)
        font.setPointSizeF(old.pointSizeF() * 2)  # projector zoom in a narrow dock
        app.setFont(font)
        panel.set_zoom(2.0)
        panel.resize(200, 400)
        qtbot.waitUntil(lambda: panel.width() == 200)
        scroll = panel.findChild(QScrollArea, "stabilityScrollArea")
        content = scroll.widget()
        for _ in range(3):  # let the layouts settle after the font and size change
            content.layout().activate()
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        assert content.width() <= scroll.viewport().width()
        for label in (panel.warningLabel, panel.regimeLabel, panel.rLabel):
            assert label.geometry().right() <= scroll.viewport().width()
    finally:
        app.setFont(old)


def test_a_short_panel_at_projector_zoom_still_shows_the_warning(panel: StabilityPanel, qtbot) -> None:
    """The splitter may make the panel short, but never shorter than its title and the
    warning: they come first, the regime next, the rest scrolls."""
    panel.set_setup(death_spiral())
    app = QApplication.instance()
    old = app.font()
    try:
        font = QFont(old)
        font.setPointSizeF(old.pointSizeF() * 2)
        app.setFont(font)
        panel.set_zoom(2.0)
        panel.resize(330, 400)
        qtbot.waitUntil(lambda: panel.warningLabel.font().pointSizeF() == font.pointSizeF())
        QApplication.processEvents()
        least = panel.minimumSizeHint().height()
        line = panel.regimeLabel.fontMetrics().lineSpacing()
        assert least >= panel.warningLabel.heightForWidth(300) + line
        assert least < 0.6 * panel.sizeHint().height()  # the rest may scroll
        panel.resize(330, least)
        qtbot.waitUntil(lambda: panel.height() == least)
        scroll = panel.findChild(QScrollArea, "stabilityScrollArea")
        for _ in range(3):
            scroll.widget().layout().activate()
            QApplication.processEvents()
        viewport = scroll.viewport()
        warning_bottom = panel.warningLabel.mapTo(viewport, panel.warningLabel.rect().bottomLeft()).y()
        regime_top = panel.regimeLabel.mapTo(viewport, panel.regimeLabel.rect().topLeft()).y()
        assert warning_bottom <= viewport.height()
        assert regime_top > warning_bottom  # the regime comes next, first in the scrolled part
    finally:
        app.setFont(old)


def test_a_new_warning_scrolls_back_up_to_it(panel: StabilityPanel, qtbot) -> None:
    panel.set_setup(load_preset("small-data-set"))
    panel.resize(320, 120)
    scroll = panel.findChild(QScrollArea, "stabilityScrollArea")
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    panel.set_setup(death_spiral())
    assert scroll.verticalScrollBar().value() == 0


def test_best_alpha_reads_as_a_value_and_batch_keeps_lambda_behind_details(panel: StabilityPanel) -> None:
    panel.set_setup(load_preset("oscillating"))
    assert panel.useBestAlphaButton.text() == "Use best alpha = 1"
    panel.set_setup(load_preset("small-data-set").replace(order="batch"))
    visible = [label.text() for label in (panel.regimeLabel, panel.sumLabel, panel.rLabel) if label.isVisibleTo(panel)]
    assert visible and not any("λ" in text or "XᵀX" in text for text in visible)
    assert panel.detailsButton.isVisibleTo(panel) and not panel.detailsLabel.isVisibleTo(panel)
    panel.detailsButton.click()
    assert "λmax" in panel.detailsLabel.text() and panel.detailsLabel.isVisibleTo(panel)
