"""The views: each shows a frame (``show(frame)``) and follows the theme and the zoom."""
