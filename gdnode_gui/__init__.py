"""gdnode-gui: see what happens inside one gradient-descent node while it learns."""

__version__ = "0.1.0"
