"""The frame of one live plot: a title, a value axis and a step axis around a view box.

:class:`PlotArea` is the part of pyqtgraph's ``PlotItem`` the live plots use, laid out the
same way (title above, value axis left, step axis below), without what they never show:
the options menu (two dozen widgets per plot, built and destroyed with every plot), the
hidden top and right axes (which follow every change of the range) and the auto-range
button.  Four plots start, draw and close faster for it.  Items are added to the view box
as they are; pyqtgraph's defaults for curves (no downsampling, no clipping, full opacity)
are the ones the plots want.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsGridLayout, QGraphicsItem, QSizePolicy

#: Rows and columns of the layout, as in pyqtgraph's PlotItem.
TITLE_ROW, VIEW_ROW, STEP_ROW = 0, 2, 3
AXIS_COLUMN, VIEW_COLUMN = 0, 1


class PlotArea(pg.GraphicsWidget):
    """A title (:attr:`titleLabel`), ``left`` and ``bottom`` axes and a view box (:attr:`vb`).

    The methods the live plots call have the names and meaning of pyqtgraph's ``PlotItem``:
    :meth:`addItem`, :meth:`removeItem`, :meth:`getAxis`, :meth:`setLabel`, :meth:`setTitle`,
    :meth:`showGrid`; :attr:`layout` is the grid layout.
    """

    def __init__(self, left: pg.AxisItem, bottom: pg.AxisItem, view: pg.ViewBox) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.layout = QGraphicsGridLayout()
        self.layout.setContentsMargins(1, 1, 1, 1)
        self.layout.setHorizontalSpacing(0)
        self.layout.setVerticalSpacing(0)
        self.setLayout(self.layout)
        self.vb = view
        self.layout.addItem(view, VIEW_ROW, VIEW_COLUMN)
        self.axes = {"left": left, "bottom": bottom}
        for axis, row, column in ((left, VIEW_ROW, AXIS_COLUMN), (bottom, STEP_ROW, VIEW_COLUMN)):
            axis.linkToView(view)
            self.layout.addItem(axis, row, column)
            axis.setFlag(QGraphicsItem.GraphicsItemFlag.ItemNegativeZStacksBehindParent)
        # The value axis draws the grid across the view: under the curves, not over them.
        left.setZValue(-1)
        bottom.setZValue(0.5)
        self.titleLabel = pg.LabelItem("", size="11pt", parent=self)
        self.layout.addItem(self.titleLabel, TITLE_ROW, VIEW_COLUMN)
        for row in range(4):
            self.layout.setRowPreferredHeight(row, 0)
            self.layout.setRowMinimumHeight(row, 0)
            self.layout.setRowSpacing(row, 0)
            self.layout.setRowStretchFactor(row, 1)
        for column in range(3):
            self.layout.setColumnPreferredWidth(column, 0)
            self.layout.setColumnMinimumWidth(column, 0)
            self.layout.setColumnSpacing(column, 0)
            self.layout.setColumnStretchFactor(column, 1)
        self.layout.setRowStretchFactor(VIEW_ROW, 100)
        self.layout.setColumnStretchFactor(VIEW_COLUMN, 100)
        self.setTitle(None)

    def getAxis(self, name: str) -> pg.AxisItem:  # noqa: N802 - PlotItem's names, here and below
        """The ``"left"`` or ``"bottom"`` axis."""
        return self.axes[name]

    def addItem(self, item, ignoreBounds: bool = False) -> None:  # noqa: N802, N803
        """Put ``item`` in the view box (``ignoreBounds``: it does not count for auto-range)."""
        self.vb.addItem(item, ignoreBounds=ignoreBounds)

    def removeItem(self, item) -> None:  # noqa: N802
        self.vb.removeItem(item)

    def setLabel(self, name: str, text: str | None = None, **style) -> None:  # noqa: N802
        """Label an axis (None: no label)."""
        self.getAxis(name).setLabel(text, **style)

    def setTitle(self, title: str | None = None, **style) -> None:  # noqa: N802
        """Show ``title`` (None: hide the title row); its row keeps the height it was given
        (``layout.setRowFixedHeight``), so a title zoomed large is not cut."""
        if title is None:
            self.titleLabel.setVisible(False)
            self.layout.setRowFixedHeight(TITLE_ROW, 0)
            self.titleLabel.setMaximumHeight(0)
            return
        self.titleLabel.setVisible(True)
        self.titleLabel.setText(title, **style)

    def showGrid(self, alpha: float) -> None:  # noqa: N802
        """Lines across the view at the value axis's ticks, of opacity ``alpha`` (0..1)."""
        self.getAxis("left").setGrid(int(round(max(0.0, min(1.0, alpha)) * 255)))


__all__ = ["PlotArea"]
