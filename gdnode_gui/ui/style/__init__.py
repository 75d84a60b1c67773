"""Themes and zoom, shared by every view."""
