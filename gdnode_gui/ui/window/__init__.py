"""The main window: its layout, its actions and menus, its file commands."""
