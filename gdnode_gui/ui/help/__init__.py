"""Help: the help window, the words of the node, the about box."""
