"""The themes' colours, measured with the WCAG contrast formula (gdnode_gui.ui.style.theme)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPalette, QPixmap
from PySide6.QtWidgets import QStyle, QStyleOption

from gdnode_gui.ui.style.theme import (
    DARK, HIGH_CONTRAST, LIGHT, THEMES, blend, contrast_ratio, readable_on, relative_luminance,
    themed_icon,
)

AAA, AA, NON_TEXT = 7.0, 4.5, 3.0


def test_the_wcag_formula_on_known_pairs():
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == 1.0
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's AA grey
    assert blend("#ffffff", "#000000", 0.5) == "#808080"
    assert readable_on("#ffff00") == "#000000" and readable_on("#000080") == "#ffffff"
    with pytest.raises(ValueError):
        relative_luminance("not a colour")


def test_high_contrast_is_bright_on_black():
    t = HIGH_CONTRAST
    assert t.dark and relative_luminance(t.background) == 0.0 and relative_luminance(t.base) == 0.0
    assert t.line_width >= 3.0
    for name in ("foreground", "goal", "warning"):
        assert contrast_ratio(getattr(t, name), t.background) >= AAA, name
    for i, colour in enumerate(t.curves):
        assert contrast_ratio(colour, t.background) >= AAA, (i, colour)
        assert contrast_ratio(colour, t.base) >= AAA, (i, colour)
    assert contrast_ratio(t.muted, t.background) >= AA
    # the highlighted equation line: text on the highlight, and the band on the background
    assert contrast_ratio(t.foreground, t.highlight) >= AAA
    assert contrast_ratio(t.highlight, t.background) >= 2.5
    assert len(set(map(str.lower, t.curves))) == len(t.curves)


def test_ghosts_stay_visible_in_high_contrast():
    t = HIGH_CONTRAST
    for colour in t.curves:
        ghost = blend(colour, t.background, t.ghost_opacity)
        assert contrast_ratio(ghost, t.background) >= NON_TEXT, (colour, ghost)
        assert contrast_ratio(ghost, colour) >= 1.5, (colour, ghost)  # still told apart from a live curve


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_every_theme_reads(theme):
    assert contrast_ratio(theme.foreground, theme.background) >= AAA
    assert contrast_ratio(theme.foreground, theme.base) >= AAA
    assert contrast_ratio(theme.foreground, theme.highlight) >= AA
    assert contrast_ratio(theme.warning, theme.background) >= AA
    assert contrast_ratio(theme.muted, theme.background) >= AA


def _ratio(palette: QPalette, group, fore, back) -> float:
    return contrast_ratio(palette.color(group, fore).name(), palette.color(group, back).name())


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_palette_disabled_and_selected_text_stay_visible(qapp, theme):
    p = theme.palette()
    disabled = QPalette.ColorGroup.Disabled
    for fore, back in ((QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
                       (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
                       (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
                       (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base)):
        assert _ratio(p, disabled, fore, back) >= NON_TEXT, (fore, back)
        assert _ratio(p, QPalette.ColorGroup.Active, fore, back) >= AA, (fore, back)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        assert _ratio(p, group, QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight) >= AA


def _visible_colours(image: QImage) -> set[str]:
    seen = set()
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                seen.add(pixel.name())
    return seen


@pytest.mark.parametrize("theme", [DARK, HIGH_CONTRAST, LIGHT], ids=["dark", "high-contrast", "light"])
def test_themed_icons_stay_visible_when_disabled(qapp, theme):
    qapp.setStyle("Fusion")
    source = qapp.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
    icon = themed_icon(source, theme)
    assert not icon.isNull()
    for mode, minimum in ((QIcon.Mode.Normal, AA), (QIcon.Mode.Disabled, NON_TEXT)):
        image = icon.pixmap(QSize(32, 32), mode).toImage()
        colours = _visible_colours(image)
        assert colours, mode
        for colour in colours:
            assert contrast_ratio(colour, theme.background) >= minimum, (mode, colour)
    assert themed_icon(QIcon(), theme).isNull()


def test_qt_would_hide_a_dark_icon_on_a_dark_background(qapp):
    """Why themed_icon exists: Qt's own disabled form of a black shape on the dark theme."""
    qapp.setStyle("Fusion")
    black = QPixmap(16, 16)
    black.fill(QColor("#000000"))
    option = QStyleOption()
    option.palette = DARK.palette()
    disabled = qapp.style().generatedIconPixmap(QIcon.Mode.Disabled, black, option).toImage()
    shown = disabled.pixelColor(8, 8).name()
    assert contrast_ratio(shown, DARK.background) < NON_TEXT


def test_spin_boxes_and_check_boxes_keep_a_visible_outline_on_the_dark_themes(qtbot):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCheckBox, QSpinBox, QWidget, QHBoxLayout

    from gdnode_gui.ui.style.outlines import OutlinedStyle
    from gdnode_gui.ui.style.theme import HIGH_CONTRAST

    style = OutlinedStyle()
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QHBoxLayout(holder)
    boxes = [QSpinBox(), QCheckBox("All digits")]
    for widget in [holder] + boxes:
        widget.setStyle(style)
        widget.setPalette(HIGH_CONTRAST.palette())
    for box in boxes:
        layout.addWidget(box)
    holder.resize(300, 60)
    holder.show()
    qtbot.waitExposed(holder)
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    background = QColor(HIGH_CONTRAST.background)
    spin = boxes[0].grab().toImage()
    edge = [spin.pixelColor(x, spin.height() // 2) for x in range(3)]  # the left frame
    assert max(contrast_ratio(c.name(), background.name()) for c in edge) >= 3
    check = boxes[1]
    option = QStyleOptionButton()
    option.initFrom(check)
    indicator = style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check)
    image = check.grab().toImage()
    column = [image.pixelColor(x, indicator.center().y()) for x in range(indicator.left(), indicator.left() + 3)]
    assert max(contrast_ratio(c.name(), background.name()) for c in column) >= 3
