"""``python -m gdnode_gui`` opens the window."""

from gdnode_gui.app import main

raise SystemExit(main())
