"""The bundle's ``gdnode-gui`` program: the window (PyInstaller's entry script)."""

import sys

from gdnode_gui.app import main

sys.exit(main())
