"""The session: the one owner of the setup, the run, its worker thread, the pace and the shown
step; it hands every view the same immutable frame."""
