"""The setup editors: the spin boxes of one example, the examples table, the stop rules."""
