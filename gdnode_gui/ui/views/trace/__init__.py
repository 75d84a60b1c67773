"""The per-step trace table and its model."""
