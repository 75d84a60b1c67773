"""Inside the node: the drawing of the node with its numbers and the six equations."""
