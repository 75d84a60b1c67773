"""The Qt-free core: the setup, the node's arithmetic, the run, the trace and its CSV.

Nothing below this package imports Qt (a test enforces it), so the command line and
the tests use it without a display.
"""

from .run import OUTCOMES, Run, run_to_end
from .setup import Example, Setup, SetupError, load_setup, save_setup, seed_setup
from .trace import Trace

__all__ = [
    "OUTCOMES", "Run", "run_to_end", "Example", "Setup", "SetupError", "load_setup",
    "save_setup", "seed_setup", "Trace",
]
