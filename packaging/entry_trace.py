"""The bundle's ``gdnode-trace`` program: the command line, no window (PyInstaller's entry script)."""

import sys

from gdnode_gui.cli import main

sys.exit(main())
