"""Connectors: one module per kind of department source. They fetch and parse; nothing else."""
